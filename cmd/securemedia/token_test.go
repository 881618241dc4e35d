package main

import (
	"bytes"
	"crypto/sha256"
	"crypto/x509"
	"encoding/pem"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"securemedia/internal/config"
	"securemedia/internal/deploy"
	"securemedia/internal/signature"
	"securemedia/token"
	"securemedia/token/provision"
)

// runTokenCLI runs the command line in-process and returns its output.
func runTokenCLI(t *testing.T, args ...string) (string, error) {
	t.Helper()
	root := newRootCommand()
	var out bytes.Buffer
	root.SetOut(&out)
	root.SetErr(&out)
	root.SetArgs(args)
	err := root.Execute()
	return out.String(), err
}

// requireSoftHSMForCLI skips the test without SoftHSM2 and restores
// SOFTHSM2_CONF, which the commands set, when it ends.
func requireSoftHSMForCLI(t *testing.T) string {
	t.Helper()
	mod, ok := provision.SoftHSMModule()
	if !ok {
		t.Skip("SoftHSM2 is not installed (apt-get install softhsm2); skipping the PKCS#11 test")
	}
	t.Setenv(token.SoftHSMConfigEnv, os.Getenv(token.SoftHSMConfigEnv))
	return mod
}

// writeClientTOML writes a client.toml in dir whose [token] uses the card.
func writeClientTOML(t *testing.T, dir string, d *provision.DemoCard) string {
	t.Helper()
	sec, err := deploy.DemoTokenSection(dir, d)
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(dir, "client.toml")
	if err := config.Write(path, &config.Client{Server: "http://127.0.0.1:8443", Token: sec}); err != nil {
		t.Fatal(err)
	}
	return path
}

func pemCert(t *testing.T, out string) []byte {
	t.Helper()
	b, _ := pem.Decode([]byte(out))
	if b == nil || b.Type != "CERTIFICATE" {
		t.Fatalf("no PEM certificate in %q", out)
	}
	return b.Bytes
}

func TestEveryTokenCommandHasExamples(t *testing.T) {
	cmd := newTokenCommand()
	for _, c := range append(cmd.Commands(), cmd) {
		if !strings.Contains(c.Example, "securemedia token") {
			t.Errorf("%q has no example", c.CommandPath())
		}
	}
}

func TestADemoSoftwareCardWorksThroughClientTOML(t *testing.T) {
	dir := t.TempDir()
	out, err := runTokenCLI(t, "token", "demo-card", "--dir", filepath.Join(dir, "card"), "--software", "--key-type", "p256", "--serial-number", "BI123123123")
	if err != nil {
		t.Fatalf("demo-card: %v\n%s", err, out)
	}
	if !strings.Contains(out, "software token") {
		t.Errorf("demo-card does not say it made a software token:\n%s", out)
	}
	cas, err := provision.LoadCitizenCAs(filepath.Join(dir, "card"))
	if err != nil {
		t.Fatal(err)
	}
	ca := cas[0]
	d := &provision.DemoCard{
		PINFile:   filepath.Join(dir, "card", "citizen-BI123123123.pin"),
		KeyPath:   filepath.Join(dir, "card", "citizen-BI123123123.key"),
		ChainPath: filepath.Join(dir, "card", "citizen-BI123123123-chain.pem"),
	}
	cfgPath := writeClientTOML(t, dir, d)
	cfg, err := config.LoadClient(cfgPath)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(cfg.Token.SoftwareKey, "card/") {
		t.Errorf("software_key %q is not relative to the workspace", cfg.Token.SoftwareKey)
	}
	tok, err := deploy.OpenUserToken(cfg, "")
	if err != nil {
		t.Fatalf("openUserToken: %v", err)
	}
	defer tok.Close()
	h := sha256.Sum256([]byte("t"))
	scheme, sig, err := signature.Sign(tok.Signer(), "ctx", h[:], signature.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if err := signature.Verify(tok.Signer().Public(), scheme, "ctx", h[:], sig, false); err != nil {
		t.Fatal(err)
	}

	out, err = runTokenCLI(t, "token", "export-cert", "--config", cfgPath)
	if err != nil {
		t.Fatalf("export-cert: %v", err)
	}
	leaf := pemCert(t, out)
	if !bytes.Equal(leaf, tok.Chain()[0]) {
		t.Error("export-cert printed another certificate")
	}
	if err := checkIssuedBy(leaf, ca); err != nil {
		t.Error(err)
	}
}

func checkIssuedBy(der []byte, ca *provision.CitizenCA) error {
	c, err := parseCert(der)
	if err != nil {
		return err
	}
	return c.CheckSignatureFrom(ca.SubCA)
}

func TestADemoSoftHSMCardWorksThroughTheCLIAndClientTOML(t *testing.T) {
	mod := requireSoftHSMForCLI(t)
	dir := t.TempDir()
	card := filepath.Join(dir, "card")
	pinFile := filepath.Join(dir, "chosen.pin")
	if err := os.WriteFile(pinFile, []byte("135790\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	out, err := runTokenCLI(t, "token", "demo-card", "--dir", card, "--key-type", "p256", "--serial-number", "BI777", "--pin-file", pinFile)
	if err != nil {
		t.Fatalf("demo-card: %v\n%s", err, out)
	}
	if !strings.Contains(out, "SoftHSM2 token") || !strings.Contains(out, "SOFTHSM2_CONF="+filepath.Join(card, "softhsm2.conf")) {
		t.Errorf("demo-card output lacks the kind or SOFTHSM2_CONF:\n%s", out)
	}

	out, err = runTokenCLI(t, "token", "list", "--module", mod)
	if err != nil {
		t.Fatalf("list: %v", err)
	}
	for _, want := range []string{`"CARTAO DE CIDADAO"`, `"` + token.LabelAuthCertificate + `"`, `"` + token.LabelRootCA + `"`, "pkcs11:token=CARTAO%20DE%20CIDADAO"} {
		if !strings.Contains(out, want) {
			t.Errorf("list lacks %s:\n%s", want, out)
		}
	}

	out, err = runTokenCLI(t, "token", "export-cert", "--module", mod, "--label", provision.DefaultDemoLabel)
	if err != nil {
		t.Fatalf("export-cert: %v", err)
	}
	leaf := pemCert(t, out)
	issued, err := os.ReadFile(filepath.Join(card, "citizen-BI777.pem"))
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(leaf, pemCert(t, string(issued))) {
		t.Error("export-cert printed another certificate than the one issued")
	}

	d := &provision.DemoCard{Module: mod, Label: provision.DefaultDemoLabel, ConfigPath: filepath.Join(card, "softhsm2.conf"), PINFile: filepath.Join(card, "citizen-BI777.pin")}
	cfgPath := writeClientTOML(t, dir, d)
	cfg, err := config.LoadClient(cfgPath)
	if err != nil {
		t.Fatal(err)
	}
	wrongPIN := filepath.Join(dir, "wrong.pin")
	if err := os.WriteFile(wrongPIN, []byte("000000"), 0o600); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name    string
		env     string
		pinFile string
		wantErr error
	}{
		{"the PIN file from client.toml logs in", "", "", nil},
		{"SECUREMEDIA_PIN overrides client.toml's PIN file", "000000", "", token.ErrWrongPIN},
		{"--pin-file overrides SECUREMEDIA_PIN", "000000", filepath.Join(card, "citizen-BI777.pin"), nil},
		{"a wrong --pin-file is refused", "", wrongPIN, token.ErrWrongPIN},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Setenv(deploy.PINEnv, tc.env)
			tok, err := deploy.OpenUserToken(cfg, tc.pinFile)
			if tc.wantErr != nil {
				if !errors.Is(err, tc.wantErr) {
					t.Fatalf("err = %v, want %v", err, tc.wantErr)
				}
				if hintFor(err) == "" {
					t.Error("the error carries no hint")
				}
				return
			}
			if err != nil {
				t.Fatalf("openUserToken: %v", err)
			}
			defer tok.Close()
			if !strings.Contains(tok.Description(), "CARTAO DE CIDADAO") {
				t.Errorf("description %q does not name the card", tok.Description())
			}
			if len(tok.Chain()) != 3 {
				t.Errorf("chain of %d certificates, want 3", len(tok.Chain()))
			}
		})
	}
}

func TestDemoCardNeedsADirectory(t *testing.T) {
	if _, err := runTokenCLI(t, "token", "demo-card"); err == nil {
		t.Fatal("demo-card without --dir succeeded")
	}
}

func parseCert(der []byte) (*x509.Certificate, error) { return x509.ParseCertificate(der) }
