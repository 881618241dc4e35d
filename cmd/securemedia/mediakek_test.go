package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"securemedia/internal/deploy"
	"securemedia/token"
	"securemedia/token/provision"
)

// TestMediaRekeyToTokenCLI moves a passphrase store to a key on a SoftHSM2
// token with the real binary: create-kek, rekey --to-token, then the store
// opens with the token only.
func TestMediaRekeyToTokenCLI(t *testing.T) {
	module, ok := provision.SoftHSMModule()
	if !ok {
		t.Skip("SoftHSM2 is not installed (apt-get install softhsm2); skipping the token KEK test")
	}
	c := newMediaCLI(t)
	// CreateDemoCard points SOFTHSM2_CONF at its own directory for this
	// process and, through the environment, for the binary; t.Setenv
	// restores it afterwards.
	t.Setenv(token.SoftHSMConfigEnv, "")
	t.Setenv(deploy.KEKPINEnv, "")
	const pin = "246810"
	if _, err := provision.CreateDemoCard(filepath.Join(c.dir, "card"), provision.DemoCardOptions{
		KeyType: "p256", Label: "SECUREMEDIA KEK", PIN: []byte(pin), SerialNumber: "BI000000001"}); err != nil {
		t.Fatal(err)
	}
	c.write("kek.pin", pin+"\n")
	c.write("bad.pin", "000000\n")

	out := c.mustRun(nil, "token", "create-kek", "--module", module, "--label", "SECUREMEDIA KEK", "--key-label", "media-kek", "--pin-file", "kek.pin")
	const wantURI = `kek_token_uri = "pkcs11:token=SECUREMEDIA%20KEK;object=media-kek"`
	if !strings.Contains(out, wantURI) {
		t.Fatalf("create-kek output does not give the URI:\n%s", out)
	}
	if code, _, errOut := c.run(nil, "token", "create-kek", "--module", module, "--label", "SECUREMEDIA KEK", "--pin-file", "kek.pin"); code == 0 || !strings.Contains(errOut, "already exists") {
		t.Fatalf("a second create-kek: exit %d: %s", code, errOut)
	}

	song := make([]byte, 100<<10)
	for i := range song {
		song[i] = byte(i * 7)
	}
	c.write("song.wav", string(song))
	id := lastLine(c.mustRun(nil, "media", "add", "--config", "server.toml", "--title", "Song", "song.wav"))

	passphraseConfig, err := os.ReadFile(filepath.Join(c.dir, "server.toml"))
	if err != nil {
		t.Fatal(err)
	}
	withToken := func(pinFile string) string {
		return string(passphraseConfig) + wantURI + "\nkek_token_module = \"" + module + "\"\nkek_token_pin_file = \"" + pinFile + "\"\n"
	}
	c.write("token.toml", withToken("kek.pin"))
	c.write("badpin.toml", withToken("bad.pin"))

	t.Run("a passphrase store does not open with the token before the rekey", func(t *testing.T) {
		code, _, errOut := c.run(nil, "media", "list", "--config", "token.toml")
		if code == 0 || !strings.Contains(errOut, "rekey --to-token") {
			t.Fatalf("exit %d: %s", code, errOut)
		}
	})
	t.Run("rekey --to-token moves the store to the token key", func(t *testing.T) {
		_, _, errOut := c.run(nil, "media", "rekey", "--config", "token.toml", "--to-token")
		if !strings.Contains(errOut, "token key pkcs11:") {
			t.Fatalf("rekey --to-token: %s", errOut)
		}
		c.mustRun(nil, "media", "verify", "--config", "token.toml")
		if out := c.mustRun(nil, "media", "list", "--config", "token.toml"); !strings.Contains(out, id) {
			t.Fatalf("list under the token does not show %s:\n%s", id, out)
		}
	})
	t.Run("the master passphrase no longer opens the store", func(t *testing.T) {
		if code, _, errOut := c.run(nil, "media", "list", "--config", "server.toml"); code == 0 || !strings.Contains(errOut, "does not open this store") {
			t.Fatalf("exit %d: %s", code, errOut)
		}
	})
	t.Run("a wrong token PIN is refused with a hint", func(t *testing.T) {
		code, _, errOut := c.run(nil, "media", "list", "--config", "badpin.toml")
		if code == 0 || !strings.Contains(errOut, "wrong PIN") || !strings.Contains(errOut, "hint:") {
			t.Fatalf("exit %d: %s", code, errOut)
		}
	})
	t.Run("rekey --to-token without a configured token is refused", func(t *testing.T) {
		if code, _, errOut := c.run(nil, "media", "rekey", "--config", "server.toml", "--to-token"); code == 0 || !strings.Contains(errOut, "kek_token_uri") {
			t.Fatalf("exit %d: %s", code, errOut)
		}
	})
}
