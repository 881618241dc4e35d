package main

import (
	"bytes"
	"crypto/x509"
	"math/big"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"securemedia/pki"
)

// pkiCLI runs the real securemedia binary in a work directory.
type pkiCLI struct {
	t   *testing.T
	bin string
	dir string
	env []string
}

// newPKICLI builds the binary once for the calling test.
func newPKICLI(t *testing.T) *pkiCLI {
	t.Helper()
	if testing.Short() {
		t.Skip("builds the binary")
	}
	bin := testBinary
	return &pkiCLI{t: t, bin: bin, dir: t.TempDir()}
}

// run executes the binary and returns its exit code, stdout and stderr.
func (c *pkiCLI) run(args ...string) (int, string, string) {
	c.t.Helper()
	cmd := exec.Command(c.bin, args...)
	cmd.Dir = c.dir
	// The last value of a duplicate variable wins: clear the passphrase
	// variable unless the test sets it.
	cmd.Env = append(append(os.Environ(), caPassphraseEnv+"="), c.env...)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	err := cmd.Run()
	code := 0
	if ee, ok := err.(*exec.ExitError); ok {
		code = ee.ExitCode()
	} else if err != nil {
		c.t.Fatal(err)
	}
	if strings.Contains(stderr.String(), "panic") || strings.Contains(stderr.String(), "goroutine ") {
		c.t.Fatalf("%v panicked:\n%s", args, stderr.String())
	}
	return code, stdout.String(), stderr.String()
}

// ok runs a command that must succeed and returns its stdout.
func (c *pkiCLI) ok(args ...string) string {
	c.t.Helper()
	code, out, errOut := c.run(args...)
	if code != 0 {
		c.t.Fatalf("%v: exit %d\n%s%s", args, code, out, errOut)
	}
	return out
}

// fails runs a command that must exit 1 with want on stderr.
func (c *pkiCLI) fails(want string, args ...string) {
	c.t.Helper()
	code, out, errOut := c.run(args...)
	if code != 1 || !strings.Contains(errOut, want) {
		c.t.Fatalf("%v: exit %d, want 1 with %q on stderr\nstdout: %s\nstderr: %s", args, code, want, out, errOut)
	}
}

func TestPKICommandsIssueRevokeAndVerify(t *testing.T) {
	c := newPKICLI(t)
	c.ok("pki", "init", "--dir", "ca")
	for _, f := range []string{"ca/root.key", "ca/intermediate.key"} {
		if st, err := os.Stat(filepath.Join(c.dir, f)); err != nil || st.Mode().Perm() != 0o600 {
			t.Fatalf("%s: %v %v", f, st.Mode(), err)
		}
	}
	out := c.ok("pki", "issue", "--dir", "ca", "--profile", "server", "--cn", "media.example", "--dns", "media.example", "--ip", "127.0.0.1", "--out", "server")
	serial := regexp.MustCompile(`serial ([0-9a-f]+)`).FindStringSubmatch(out)
	if serial == nil {
		t.Fatalf("issue printed no serial: %s", out)
	}
	c.ok("pki", "issue", "--dir", "ca", "--profile", "client", "--cn", "device-1", "--out", "device")
	c.ok("pki", "issue", "--dir", "ca", "--profile", "user", "--cn", "Ana", "--serial-number", "PT-1", "--validity", "720h", "--out", "ana")
	if st, err := os.Stat(filepath.Join(c.dir, "server.key")); err != nil || st.Mode().Perm() != 0o600 {
		t.Fatalf("server.key: %v %v", st.Mode(), err)
	}

	trust := []string{"pki", "verify", "--root", "ca/root.crt", "--crl", "ca/crl/root.crl", "--crl", "ca/crl/intermediate.crl"}
	verify := func(extra ...string) []string { return append(append([]string{}, trust...), extra...) }

	t.Run("a valid server certificate verifies", func(t *testing.T) {
		out := c.ok(verify("--usage", "server", "--name", "media.example", "server.crt")...)
		if !strings.HasPrefix(out, "ok: CN=media.example") {
			t.Fatalf("stdout %q", out)
		}
	})
	t.Run("a leaf alone verifies with the intermediate given apart", func(t *testing.T) {
		leaf := filepath.Join(c.dir, "leaf.der")
		certs := mustLoad(t, filepath.Join(c.dir, "device.crt"))
		os.WriteFile(leaf, certs, 0o644)
		c.ok(verify("--intermediate", "ca/intermediate.crt", "--usage", "client", "leaf.der")...)
	})
	t.Run("a wrong usage is refused with its reason", func(t *testing.T) {
		c.fails("wrong extended key usage", verify("--usage", "server", "device.crt")...)
	})
	t.Run("a wrong name is refused with its reason", func(t *testing.T) {
		c.fails("name mismatch", verify("--usage", "server", "--name", "evil.example", "server.crt")...)
	})
	t.Run("a future time is refused as expired", func(t *testing.T) {
		c.fails("certificate expired", verify("--at", time.Now().Add(800*24*time.Hour).UTC().Format(time.RFC3339), "--no-revocation", "server.crt")...)
	})
	t.Run("a missing crl is refused", func(t *testing.T) {
		c.fails("crl missing", "pki", "verify", "--root", "ca/root.crt", "--crl", "ca/crl/root.crl", "server.crt")
	})
	t.Run("a missing crl is accepted with revocation off", func(t *testing.T) {
		c.ok("pki", "verify", "--root", "ca/root.crt", "--no-revocation", "server.crt")
	})
	t.Run("garbage input is refused clearly", func(t *testing.T) {
		os.WriteFile(filepath.Join(c.dir, "garbage.crt"), []byte("\x00\x01garbage"), 0o644)
		c.fails("neither PEM nor DER", verify("garbage.crt")...)
		c.fails("garbage.crt", "pki", "show", "garbage.crt")
		data, _ := os.ReadFile(filepath.Join(c.dir, "server.crt"))
		os.WriteFile(filepath.Join(c.dir, "truncated.crt"), data[:len(data)/2], 0o644)
		c.fails("truncated or malformed PEM", verify("truncated.crt")...)
	})
	t.Run("show prints certificates and crls", func(t *testing.T) {
		out := c.ok("pki", "show", "server.crt")
		for _, want := range []string{"Subject:      CN=media.example", "serverAuth", "media.example, 127.0.0.1", "CRL DP:       http://localhost/crl/intermediate.crl"} {
			if !strings.Contains(out, want) {
				t.Errorf("show server.crt lacks %q:\n%s", want, out)
			}
		}
		if out := c.ok("pki", "show", "ana.crt"); !strings.Contains(out, "SERIALNUMBER=PT-1") || !strings.Contains(out, "user (") {
			t.Errorf("show ana.crt:\n%s", out)
		}
		if out := c.ok("pki", "show", "ca/crl/intermediate.crl"); !strings.Contains(out, "Number:       1") {
			t.Errorf("show crl:\n%s", out)
		}
	})
	t.Run("a revoked certificate is refused after revoke", func(t *testing.T) {
		c.ok("pki", "revoke", "--dir", "ca", "--serial", serial[1], "--reason", "keyCompromise")
		c.fails("certificate revoked: CN=media.example", verify("--usage", "server", "server.crt")...)
		c.fails("keyCompromise", verify("server.crt")...)
		c.ok(verify("--usage", "client", "device.crt")...)
		if out := c.ok("pki", "show", "ca/crl/intermediate.crl"); !strings.Contains(out, serial[1]) {
			t.Errorf("the crl does not list the serial:\n%s", out)
		}
	})
	t.Run("revoke by certificate file works and refuses a second time", func(t *testing.T) {
		c.ok("pki", "revoke", "--dir", "ca", "--cert", "device.crt")
		c.fails("certificate revoked", verify("--usage", "client", "device.crt")...)
		c.fails("already revoked", "pki", "revoke", "--dir", "ca", "--cert", "device.crt")
	})
	t.Run("crl writes fresh crls with a higher number", func(t *testing.T) {
		out := c.ok("pki", "crl", "--dir", "ca")
		if !strings.Contains(out, "ca/crl/root.crl") || !strings.Contains(out, "ca/crl/intermediate.crl") {
			t.Fatalf("crl printed %q", out)
		}
		if out := c.ok("pki", "show", "ca/crl/intermediate.crl"); !strings.Contains(out, "Number:       4") {
			t.Errorf("after init, two revocations and crl the number should be 4:\n%s", out)
		}
	})
	t.Run("bad flags are refused with a hint", func(t *testing.T) {
		c.fails("unknown profile", "pki", "issue", "--dir", "ca", "--profile", "wizard", "--cn", "x", "--out", "x")
		c.fails("give exactly one of --serial or --cert", "pki", "revoke", "--dir", "ca")
		c.fails("not a serial number", "pki", "revoke", "--dir", "ca", "--serial", "xyz")
		c.fails("unknown revocation reason", "pki", "revoke", "--dir", "ca", "--serial", "01", "--reason", "boredom")
		c.fails("pki init --dir nowhere", "pki", "crl", "--dir", "nowhere")
	})
}

func TestPKICommandsWithAnEncryptedCA(t *testing.T) {
	c := newPKICLI(t)
	os.WriteFile(filepath.Join(c.dir, "ca.pass"), []byte("correct horse\n"), 0o600)
	os.WriteFile(filepath.Join(c.dir, "wrong.pass"), []byte("wrong horse\n"), 0o600)
	c.ok("pki", "init", "--dir", "ca", "--encrypt-keys", "--passphrase-file", "ca.pass", "--key-alg", "ed25519")
	key, _ := os.ReadFile(filepath.Join(c.dir, "ca", "root.key"))
	if !bytes.Contains(key, []byte("SECUREMEDIA ENCRYPTED PRIVATE KEY")) {
		t.Fatal("the root key is not encrypted")
	}
	c.fails("wrong passphrase", "pki", "crl", "--dir", "ca", "--passphrase-file", "wrong.pass")
	c.fails(caPassphraseEnv, "pki", "crl", "--dir", "ca")
	c.ok("pki", "issue", "--dir", "ca", "--passphrase-file", "ca.pass", "--profile", "content", "--cn", "signer", "--out", "signer")
	c.env = []string{caPassphraseEnv + "=correct horse"}
	c.ok("pki", "crl", "--dir", "ca")
	c.ok("pki", "verify", "--root", "ca/root.crt", "--crl", "ca/crl/root.crl", "--crl", "ca/crl/intermediate.crl", "--usage", "content", "signer.crt")
}

func TestPKICRLRefreshesADemoCardsCitizenCA(t *testing.T) {
	c := newPKICLI(t)
	c.ok("token", "demo-card", "--dir", "card", "--software", "--key-type", "p256")
	files, err := filepath.Glob(filepath.Join(c.dir, "card", "*.crl"))
	if err != nil || len(files) != 2 {
		t.Fatalf("demo-card wrote CRLs %v (%v), want the root's and the sub-CA's", files, err)
	}
	numberOf := func(path string) *big.Int {
		t.Helper()
		crl, err := x509.ParseRevocationList(mustRead(t, path))
		if err != nil {
			t.Fatal(err)
		}
		return crl.Number
	}
	var before []*big.Int
	for _, f := range files {
		before = append(before, numberOf(f))
	}
	out := c.ok("pki", "crl", "--dir", "card")
	for i, f := range files {
		rel, _ := filepath.Rel(c.dir, f)
		if !strings.Contains(out, rel+"\n") {
			t.Errorf("pki crl does not name %s:\n%s", rel, out)
		}
		if n := numberOf(f); n.Cmp(before[i]) <= 0 {
			t.Errorf("%s: CRL number %v after %v", rel, n, before[i])
		}
	}
	c.fails("securemedia pki init --dir nowhere", "pki", "crl", "--dir", "nowhere")
}

func mustRead(t *testing.T, path string) []byte {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// mustLoad returns the DER of the first certificate in a PEM file.
func mustLoad(t *testing.T, path string) []byte {
	t.Helper()
	certs, err := pki.ParseCertificates(mustRead(t, path))
	if err != nil {
		t.Fatal(err)
	}
	return certs[0].Raw
}
