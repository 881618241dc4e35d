package protocol

import (
	"bytes"
	"crypto"
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"encoding/hex"
	"encoding/json"
	"io"
	"os"
	"path/filepath"
	"testing"

	"securemedia/internal/signature"
)

// The browser implementation of the protocol (web/) proves itself against
// this one with fixtures written here: it must reproduce the golden
// transcripts byte for byte as the client, given the client's random draws,
// and verify the signatures this package makes. `go test ./protocol -run
// Golden -update` rewrites them with the golden files; without -update
// these tests fail when a fixture no longer matches what this package does.
var browserTestdata = filepath.Join("..", "web", "testdata")

// recordingReader reads crypto/rand (the fixed global source in golden
// runs) and keeps every draw.
type recordingReader struct{ draws [][]byte }

func (r *recordingReader) Read(p []byte) (int, error) {
	n, err := io.ReadFull(rand.Reader, p)
	r.draws = append(r.draws, bytes.Clone(p[:n]))
	return n, err
}

// browserGoldenCase is one golden case as the browser client replays it.
type browserGoldenCase struct {
	Name string `json:"name"`
	// Golden is the transcript file, relative to the repository root.
	Golden    string   `json:"golden"`
	Suites    []uint16 `json:"suites"`
	Groups    []uint16 `json:"groups"`
	KeyShares int      `json:"keyShares"`
	// Random lists the client's reads of its random source, in order, hex.
	Random []string `json:"random"`
	// DeviceChain and DeviceKeyPKCS8 are the client's identity (DER, hex).
	DeviceChain    []string `json:"deviceChain"`
	DeviceKeyPKCS8 string   `json:"deviceKeyPKCS8"`
	// ServerChain is the chain the server sends (DER, hex).
	ServerChain []string `json:"serverChain"`
	// Request is the first request record's payload; Media, ChunkIndex and
	// Chunk the first chunk record's key inputs and plaintext (hex), and
	// ChunkPad the chunk size it is padded to.
	Request    string `json:"request"`
	Media      string `json:"media"`
	ChunkIndex uint32 `json:"chunkIndex"`
	Chunk      string `json:"chunk"`
	ChunkPad   int    `json:"chunkPad"`
	// WebAuthn is the person's login of a webauthn case: the challenge the
	// client must compute (hex) and the assertion to put in its finish.
	WebAuthn *browserWebAuthn `json:"webauthn,omitempty"`
	// Epoch1 holds the client's first application secrets (hex), to tell
	// a key-schedule mismatch from a record-layer one.
	Epoch1 struct {
		Master        string `json:"master"`
		ClientTraffic string `json:"clientTraffic"`
		ServerTraffic string `json:"serverTraffic"`
	} `json:"epoch1"`
}

// browserWebAuthn is a WebAuthn login of a golden case: the relying
// party, the challenge (hex) and the assertion the authenticator made
// (hex; the client data is also given as text).
type browserWebAuthn struct {
	RPID              string `json:"rpId"`
	Origin            string `json:"origin"`
	Challenge         string `json:"challenge"`
	CredentialID      string `json:"credentialId"`
	AuthenticatorData string `json:"authenticatorData"`
	ClientDataJSON    string `json:"clientDataJSON"`
	ClientData        string `json:"clientData"`
	Signature         string `json:"signature"`
}

func hexList(bs [][]byte) []string {
	out := make([]string, len(bs))
	for i, b := range bs {
		out[i] = hex.EncodeToString(b)
	}
	return out
}

func TestGoldenBrowserClientFixture(t *testing.T) {
	var cases []browserGoldenCase
	for _, tc := range goldenCases {
		run := runGolden(t, tc)
		golden, err := os.ReadFile(filepath.Join("testdata", tc.name+".golden"))
		if err != nil {
			t.Fatal(err)
		}
		if !*update && run.text != string(golden) {
			t.Fatalf("%s: recording the client's randomness changed the transcript", tc.name)
		}
		key, err := x509.MarshalPKCS8PrivateKey(run.pair.client.PrivateKey)
		if err != nil {
			t.Fatal(err)
		}
		c := browserGoldenCase{
			Name:           tc.name,
			Golden:         "protocol/testdata/" + tc.name + ".golden",
			Suites:         []uint16{uint16(tc.suite)},
			KeyShares:      1,
			Random:         hexList(run.client.draws),
			DeviceChain:    hexList(run.pair.client.Certificate),
			DeviceKeyPKCS8: hex.EncodeToString(key),
			ServerChain:    hexList(run.pair.server.Certificate),
			Request:        hex.EncodeToString(goldenRequest),
			Media:          hex.EncodeToString(goldenMedia[:]),
			Chunk:          hex.EncodeToString(goldenChunk),
			ChunkPad:       goldenChunkPad,
		}
		if a := run.assertion; a != nil {
			c.WebAuthn = &browserWebAuthn{RPID: goldenRPID, Origin: goldenOrigin, Challenge: hex.EncodeToString(run.challenge),
				CredentialID: hex.EncodeToString(a.CredentialID), AuthenticatorData: hex.EncodeToString(a.AuthenticatorData),
				ClientDataJSON: hex.EncodeToString(a.ClientDataJSON), ClientData: string(a.ClientDataJSON), Signature: hex.EncodeToString(a.Signature)}
		}
		for _, g := range tc.clientGroups {
			c.Groups = append(c.Groups, uint16(g))
		}
		s := run.res.client
		c.Epoch1.Master = hex.EncodeToString(s.master)
		c.Epoch1.ClientTraffic = hex.EncodeToString(s.send.secret)
		c.Epoch1.ServerTraffic = hex.EncodeToString(s.recv.secret)
		cases = append(cases, c)
	}
	out, err := json.MarshalIndent(cases, "", "  ")
	if err != nil {
		t.Fatal(err)
	}
	checkOrUpdate(t, filepath.Join(browserTestdata, "golden-client.json"), append(out, '\n'))
}

// browserSignature is one server CertificateVerify signature for the
// browser's verifier to check.
type browserSignature struct {
	Key     string `json:"key"`
	SPKI    string `json:"spki"`
	Scheme  uint16 `json:"scheme"`
	Context string `json:"context"`
	Content string `json:"content"`
	Sig     string `json:"signature"`
}

// TestBrowserSignatureFixture keeps one signature per key type a server may
// have (keys drawn afresh under -update); without -update it checks that
// each still verifies here, so the browser checks genuine signatures.
func TestBrowserSignatureFixture(t *testing.T) {
	path := filepath.Join(browserTestdata, "signatures.json")
	if *update {
		keys := []struct {
			name string
			gen  func() (crypto.Signer, error)
		}{
			{"ed25519", func() (crypto.Signer, error) { _, k, err := ed25519.GenerateKey(rand.Reader); return k, err }},
			{"ecdsa-p256", func() (crypto.Signer, error) { return ecdsa.GenerateKey(elliptic.P256(), rand.Reader) }},
			{"ecdsa-p384", func() (crypto.Signer, error) { return ecdsa.GenerateKey(elliptic.P384(), rand.Reader) }},
			{"rsa-2048", func() (crypto.Signer, error) { return rsa.GenerateKey(rand.Reader, 2048) }},
		}
		content := bytes.Repeat([]byte{0x5a}, 48) // a SHA-384 transcript hash's length
		var sigs []browserSignature
		for _, k := range keys {
			key, err := k.gen()
			if err != nil {
				t.Fatal(err)
			}
			spki, err := x509.MarshalPKIXPublicKey(key.Public())
			if err != nil {
				t.Fatal(err)
			}
			scheme, sig, err := signature.Sign(key, contextServerSignature, content, signature.Options{})
			if err != nil {
				t.Fatal(err)
			}
			sigs = append(sigs, browserSignature{Key: k.name, SPKI: hex.EncodeToString(spki), Scheme: uint16(scheme),
				Context: contextServerSignature, Content: hex.EncodeToString(content), Sig: hex.EncodeToString(sig)})
		}
		out, err := json.MarshalIndent(sigs, "", "  ")
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, append(out, '\n'), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run with -update to create it)", err)
	}
	var sigs []browserSignature
	if err := json.Unmarshal(data, &sigs); err != nil {
		t.Fatal(err)
	}
	if len(sigs) != 4 {
		t.Fatalf("%d signatures, want one per server key type (4)", len(sigs))
	}
	for _, s := range sigs {
		spki, _ := hex.DecodeString(s.SPKI)
		content, _ := hex.DecodeString(s.Content)
		sig, _ := hex.DecodeString(s.Sig)
		pub, err := x509.ParsePKIXPublicKey(spki)
		if err != nil {
			t.Fatalf("%s: %v", s.Key, err)
		}
		if err := signature.Verify(pub, signature.Scheme(s.Scheme), s.Context, content, sig, false); err != nil {
			t.Errorf("%s: the fixture's signature does not verify: %v", s.Key, err)
		}
	}
}
