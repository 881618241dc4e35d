package main

import (
	"bytes"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/json"
	"encoding/pem"
	"errors"
	"math/big"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// licenseCLI runs the binary's root command in-process and returns stdout.
func licenseCLI(t *testing.T, args ...string) (string, error) {
	t.Helper()
	root := newRootCommand()
	var out bytes.Buffer
	root.SetOut(&out)
	root.SetErr(&out)
	root.SetArgs(args)
	err := root.Execute()
	return out.String(), err
}

// licenseWorkspace writes a server.toml with default_views = 3 and returns
// its path.
func licenseWorkspace(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	path := filepath.Join(dir, "server.toml")
	if err := os.WriteFile(path, []byte("data_dir = \"data\"\n[license]\ndefault_views = 3\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

// userCertFile writes a self-signed certificate with the given subject
// serialNumber (none if empty), PEM or DER, and returns its path.
func userCertFile(t *testing.T, serial string, asPEM bool) string {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{
		SerialNumber: big.NewInt(42),
		Subject:      pkix.Name{CommonName: "Alice Martin", SerialNumber: serial},
		NotBefore:    time.Now().Add(-time.Hour),
		NotAfter:     time.Now().Add(time.Hour),
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, key.Public(), key)
	if err != nil {
		t.Fatal(err)
	}
	data := der
	if asPEM {
		data = pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der})
	}
	path := filepath.Join(t.TempDir(), "user.crt")
	if err := os.WriteFile(path, data, 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

func TestLicenseCommandsManageALicense(t *testing.T) {
	cfg := licenseWorkspace(t)
	who := []string{"--config", cfg, "--user", "PNOBE-1", "--media", "m1"}

	out, err := licenseCLI(t, append([]string{"license", "grant", "--json"}, who...)...)
	if err != nil {
		t.Fatal(err)
	}
	var granted []licenseJSON
	if err := json.Unmarshal([]byte(out), &granted); err != nil || len(granted) != 1 {
		t.Fatalf("grant --json printed %q (%v)", out, err)
	}
	if granted[0].Views != 3 || granted[0].ViewsLeft != 3 {
		t.Fatalf("grant without --views gave %+v, want the configured default of 3 views", granted[0])
	}
	if _, err := licenseCLI(t, "license", "grant", "--config", cfg, "--user", "PNOBE-1", "--media", "m2", "--views", "0", "--period", "7d"); err != nil {
		t.Fatal(err)
	}
	out, err = licenseCLI(t, "license", "list", "--config", cfg)
	if err != nil || !strings.Contains(out, "m1") || !strings.Contains(out, "168h0m0s") {
		t.Fatalf("list printed %q, %v", out, err)
	}
	out, err = licenseCLI(t, "license", "list", "--config", cfg, "--media", "m2", "--json")
	if err != nil || strings.Contains(out, `"m1"`) {
		t.Fatalf("list --media m2 printed %q, %v", out, err)
	}
	if _, err := licenseCLI(t, append([]string{"license", "revoke", "--reason", "chargeback"}, who...)...); err != nil {
		t.Fatal(err)
	}
	out, err = licenseCLI(t, append([]string{"license", "show"}, who...)...)
	if err != nil || !strings.Contains(out, "revoked: chargeback") {
		t.Fatalf("show after revoke printed %q, %v", out, err)
	}
	out, err = licenseCLI(t, "license", "reset", "--config", cfg, granted[0].ID)
	if err != nil || !strings.Contains(out, "active") {
		t.Fatalf("reset by id printed %q, %v", out, err)
	}
	out, err = licenseCLI(t, "audit", "verify", "--config", cfg)
	if err != nil || !strings.HasPrefix(out, "audit log ok: 4 events, head ") {
		t.Fatalf("audit verify printed %q, %v", out, err)
	}
}

func TestLicenseCommandsRefuseBadInput(t *testing.T) {
	cfg := licenseWorkspace(t)
	cases := []struct {
		name string
		args []string
		hint string
	}{
		{"a command without --config", []string{"license", "list"}, "--config"},
		{"a grant without --media", []string{"license", "grant", "--config", cfg, "--user", "u"}, "--help"},
		{"a grant with negative views", []string{"license", "grant", "--config", cfg, "--user", "u", "--media", "m", "--views", "-2"}, "--views"},
		{"a grant with a bad period", []string{"license", "grant", "--config", cfg, "--user", "u", "--media", "m", "--period", "soon"}, "--period"},
		{"show of an unknown license", []string{"license", "show", "--config", cfg, "--user", "u", "--media", "m"}, "license list"},
		{"revoke without saying which", []string{"license", "revoke", "--config", cfg}, "license list"},
	}
	for _, c := range cases {
		t.Run(c.name+" is refused with a hint", func(t *testing.T) {
			_, err := licenseCLI(t, c.args...)
			var h *hintError
			if !errors.As(err, &h) || !strings.Contains(h.hint, c.hint) {
				t.Fatalf("got %v, want an error hinting at %q", err, c.hint)
			}
		})
	}
}
