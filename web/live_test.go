package web_test

import (
	"bytes"
	"crypto"
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509"
	"encoding/hex"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"testing"

	"securemedia/internal/testbed"
	"securemedia/pki"
	"securemedia/protocol"
)

// liveConfig is what the Node.js live test (test/live.test.ts) reads: a
// real server on loopback and what it needs to talk to it.
type liveConfig struct {
	Server string `json:"server"`
	// Root is the bed's root (DER, hex): the trust anchor the browser
	// validates the server's and the content signer's chains against.
	Root string `json:"root"`
	// ServerChain is the chain the server presents (DER, hex).
	ServerChain []string `json:"serverChain"`
	// Devices are browser device identities issued by the bed's CA.
	Devices []liveDevice `json:"devices"`
	// Suites and Groups are every code the server accepts.
	Suites []uint16 `json:"suites"`
	Groups []uint16 `json:"groups"`
	// Media is an item of the catalog, its chunk size and its plaintext (hex).
	Media     string `json:"media"`
	ChunkSize int    `json:"chunkSize"`
	Plaintext string `json:"plaintext"`
}

type liveDevice struct {
	Name  string   `json:"name"`
	Chain []string `json:"chain"`
	// PKCS8 is the private key, imported non-extractable by the browser code.
	PKCS8 string `json:"pkcs8"`
}

// TestBrowserClientAgainstALiveServer starts a real securemedia server on
// loopback (the testbed's PKI, store and server, no users) and runs the
// Node.js client against it: a full handshake for every suite and group
// with the chain validated against the root and the stapled CRLs, a
// rekey, a request/response exchange, chunk records, a cookie under load,
// a verified play, tampering.
func TestBrowserClientAgainstALiveServer(t *testing.T) {
	node, err := exec.LookPath("node")
	if err != nil {
		t.Skip("node is not installed: the browser client's live test needs Node.js 20 (apt-get install nodejs npm)")
	}
	if _, err := os.Stat(filepath.Join("node_modules", "tsx")); err != nil {
		t.Skip("web/node_modules is missing: run `npm ci` in web/ to run the browser client's live test")
	}
	bed := testbed.New(t, testbed.Options{ChunkSize: 16 << 10})
	plain := make([]byte, 2*(16<<10)+1234) // two full chunks and a short last one
	if _, err := rand.Read(plain); err != nil {
		t.Fatal(err)
	}
	id := bed.AddMedia(t, "a track for the browser", plain)

	serverChain, err := pki.LoadCertificates(bed.WS.ServerChain)
	if err != nil {
		t.Fatal(err)
	}
	ca, err := pki.OpenCA(bed.WS.CADir, nil)
	if err != nil {
		t.Fatal(err)
	}
	root, err := pki.LoadCertificates(bed.WS.Root)
	if err != nil {
		t.Fatal(err)
	}
	cfg := liveConfig{Server: bed.URL, Root: hex.EncodeToString(root[0].Raw), ServerChain: ders(serverChain), Media: id, ChunkSize: 16 << 10,
		Plaintext: hex.EncodeToString(plain)}
	for _, s := range protocol.DefaultSuites() {
		cfg.Suites = append(cfg.Suites, uint16(s))
	}
	for _, g := range protocol.DefaultGroups() {
		cfg.Groups = append(cfg.Groups, uint16(g))
	}
	_, edKey, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	p256Key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	for _, d := range []struct {
		name string
		key  crypto.Signer
	}{{"ed25519", edKey}, {"ecdsa-p256", p256Key}} {
		issued, err := ca.Issue(pki.IssueRequest{Profile: pki.UsageClient, CommonName: "browser device " + d.name, PublicKey: d.key.Public()})
		if err != nil {
			t.Fatal(err)
		}
		chain, err := pki.ParseCertificates(issued.ChainPEM)
		if err != nil {
			t.Fatal(err)
		}
		der, err := x509.MarshalPKCS8PrivateKey(d.key)
		if err != nil {
			t.Fatal(err)
		}
		cfg.Devices = append(cfg.Devices, liveDevice{Name: d.name, Chain: ders(chain), PKCS8: hex.EncodeToString(der)})
	}
	runNodeTest(t, node, filepath.Join("test", "live.test.ts"), "SECUREMEDIA_LIVE_CONFIG", cfg)
}

// runNodeTest runs the Node.js test file with cfg, as JSON, in the file
// named by the environment variable env, and fails when it fails; args
// are more flags for node's test runner.
func runNodeTest(t testing.TB, node, file, env string, cfg any, args ...string) {
	t.Helper()
	data, err := json.Marshal(cfg)
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "config.json")
	if err := os.WriteFile(path, data, 0o600); err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(node, append([]string{"--import", "tsx", "--test", "--test-reporter=spec"}, append(args, file)...)...)
	cmd.Env = append(os.Environ(), env+"="+path)
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	err = cmd.Run()
	t.Log("\n" + out.String())
	if err != nil {
		t.Fatalf("the Node.js test %s failed: %v", file, err)
	}
}

// ders returns the DER of each certificate.
func ders(certs []*x509.Certificate) []string {
	out := make([]string, len(certs))
	for i, c := range certs {
		out[i] = hex.EncodeToString(c.Raw)
	}
	return out
}
