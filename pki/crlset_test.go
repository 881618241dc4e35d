package pki

import (
	"bytes"
	"context"
	"crypto"
	"crypto/x509"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"testing"
)

func TestCRLHandlerServesTheCurrentCRLs(t *testing.T) {
	dir := t.TempDir()
	if err := InitCA(dir, InitOptions{}); err != nil {
		t.Fatal(err)
	}
	ca, err := OpenCA(dir, nil)
	if err != nil {
		t.Fatal(err)
	}
	set, err := NewCRLSet(ca.CRLPaths())
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(CRLHandler(set))
	defer srv.Close()

	get := func(method, path string) (int, string, []byte) {
		t.Helper()
		req, _ := http.NewRequest(method, srv.URL+path, nil)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		body, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, resp.Header.Get("Content-Type"), body
	}
	crlNumber := func(der []byte) int64 {
		t.Helper()
		crl, err := x509.ParseRevocationList(der)
		if err != nil {
			t.Fatal(err)
		}
		return crl.Number.Int64()
	}

	code, ctype, body := get("GET", "/crl/intermediate.crl")
	if code != 200 || ctype != "application/pkix-crl" || crlNumber(body) != 1 {
		t.Fatalf("GET intermediate.crl: %d %q", code, ctype)
	}
	if code, _, body := get("GET", "/crl/"); code != 200 || !strings.Contains(string(body), "root.crl\nintermediate.crl\n") {
		t.Fatalf("index: %d %q", code, body)
	}
	if code, _, root := get("GET", "/crl/0.crl"); code != 200 || !bytes.Equal(root, set.Bytes()[0]) {
		t.Fatalf("GET by index: %d", code)
	}
	for path, want := range map[string]int{
		"/crl/missing.crl":  404,
		"/crl/../ca.json":   404,
		"/crl/7.crl":        404,
		"/crl/%00.crl":      404,
		"/crl/root.crl.bak": 404,
	} {
		if code, _, _ := get("GET", path); code != want {
			t.Errorf("GET %s: %d, want %d", path, code, want)
		}
	}
	if code, _, _ := get("POST", "/crl/root.crl"); code != 405 {
		t.Errorf("POST: %d, want 405", code)
	}

	fetched, err := FetchCRLs(context.Background(), srv.Client(), []string{srv.URL + "/crl/root.crl", srv.URL + "/crl/intermediate.crl"})
	if err != nil || len(fetched) != 2 || !bytes.Equal(fetched[1], set.Bytes()[1]) {
		t.Fatalf("FetchCRLs: %v", err)
	}
	if _, err := FetchCRLs(context.Background(), srv.Client(), []string{srv.URL + "/crl/missing.crl"}); err == nil || !strings.Contains(err.Error(), "404") {
		t.Fatalf("fetching a missing crl: got %v", err)
	}

	// New CRLs on disk are served after Reload, without a restart.
	if _, err := ca.CRLs(); err != nil {
		t.Fatal(err)
	}
	if _, _, body := get("GET", "/crl/intermediate.crl"); crlNumber(body) != 1 {
		t.Fatal("the set changed before Reload")
	}
	if err := set.Reload(); err != nil {
		t.Fatal(err)
	}
	if _, _, body := get("GET", "/crl/intermediate.crl"); crlNumber(body) != 2 {
		t.Fatal("Reload did not pick up the new crl")
	}

	// A broken file on disk keeps the previous set in place.
	if err := os.WriteFile(ca.CRLPaths()[1], []byte("garbage"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := set.Reload(); err == nil {
		t.Fatal("Reload accepted garbage")
	}
	if _, _, body := get("GET", "/crl/intermediate.crl"); crlNumber(body) != 2 {
		t.Fatal("a failed Reload replaced the set")
	}
}

func TestBootstrapWritesAWorkingWorkspace(t *testing.T) {
	dir := t.TempDir()
	w, err := Bootstrap(dir, BootstrapOptions{})
	if err != nil {
		t.Fatal(err)
	}
	roots, err := LoadCertificates(w.Root)
	if err != nil {
		t.Fatal(err)
	}
	crls, err := LoadCRLs(w.CRLs...)
	if err != nil {
		t.Fatal(err)
	}
	v, err := NewValidator(ValidatorOptions{Roots: roots, CRLs: crls, CheckRevocation: true})
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		chain, key string
		usage      Usage
		name       string
	}{
		{w.ServerChain, w.ServerKey, UsageServer, "localhost"},
		{w.ServerChain, w.ServerKey, UsageServer, "127.0.0.1"},
		{w.ServerChain, w.ServerKey, UsageServer, "::1"},
		{w.ClientChain, w.ClientKey, UsageClient, ""},
		{w.ContentChain, w.ContentKey, UsageContent, ""},
		{w.LicenseChain, w.LicenseKey, UsageLicense, ""},
		{w.UserChain, w.UserKey, UsageUser, ""},
	} {
		chain, err := LoadCertificates(c.chain)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := v.Verify(ders(chain...), c.usage, c.name); err != nil {
			t.Errorf("%s for %s %q: %v", c.chain, c.usage, c.name, err)
		}
		key, err := LoadSigner(c.key, nil)
		if err != nil {
			t.Fatal(err)
		}
		type eq interface{ Equal(crypto.PublicKey) bool }
		if !key.Public().(eq).Equal(chain[0].PublicKey) {
			t.Errorf("%s does not match %s", c.key, c.chain)
		}
		if st, _ := os.Stat(c.key); st.Mode().Perm() != 0o600 {
			t.Errorf("%s: mode %v", c.key, st.Mode().Perm())
		}
	}
}
