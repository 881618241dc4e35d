package protocol

import (
	"bytes"
	"crypto/rand"
	"crypto/x509"
	"encoding/hex"
	"flag"
	"fmt"
	"math/big"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"testing/cryptotest"
	"time"
)

var update = flag.Bool("update", false, "rewrite the golden transcripts in testdata and the browser fixtures in ../web/testdata")

// goldenSeed is the seed of the global random source for every golden case.
const goldenSeed = 20261125

// goldenCase is one pinned handshake.
type goldenCase struct {
	name         string
	suite        SuiteID
	clientGroups []GroupID
	serverGroups []GroupID
	expectRetry  bool
	// underLoad: the server answers the first hello with a cookie, from
	// goldenCookieKey, at goldenNow, for goldenClient.
	underLoad bool
	// stapled: the server staples goldenCRL and names itself goldenReplica.
	stapled bool
	// webauthn: the person logs in with goldenAuthenticator's assertion.
	webauthn bool
}

var goldenCases = []goldenCase{
	{name: "aes128gcm-sha256-x25519", suite: DH_AES128_GCM_SHA256, clientGroups: []GroupID{GroupX25519}},
	{name: "chacha20-sha384-x25519mlkem768-after-retry", suite: DH_CHACHA20_SHA384,
		clientGroups: []GroupID{GroupX25519, GroupX25519MLKEM768}, serverGroups: []GroupID{GroupX25519MLKEM768, GroupX25519}, expectRetry: true},
	{name: "aes128cbc-sha256-ffdhe2048", suite: DH_AES128_CBC_SHA256, clientGroups: []GroupID{GroupFFDHE2048}},
	// A cookie retry: the client had the share, and repeats it.
	{name: "aes128gcm-sha256-x25519-cookie-retry", suite: DH_AES128_GCM_SHA256, clientGroups: []GroupID{GroupX25519},
		expectRetry: true, underLoad: true},
	// One retry that asks for a share and carries a cookie.
	{name: "chacha20-sha256-p256-cookie-and-share-retry", suite: DH_CHACHA20_SHA256,
		clientGroups: []GroupID{GroupX25519, GroupP256}, serverGroups: []GroupID{GroupP256}, expectRetry: true, underLoad: true},
	// Stapled CRLs and a replica name in the signed server flight.
	{name: "aes256gcm-sha384-x25519-stapled-crls", suite: DH_AES256_GCM_SHA384, clientGroups: []GroupID{GroupX25519}, stapled: true},
	// A WebAuthn login: the user part of kind webauthn (DESIGN.md §11).
	{name: "aes128gcm-sha256-x25519-webauthn", suite: DH_AES128_GCM_SHA256, clientGroups: []GroupID{GroupX25519}, webauthn: true},
}

// What the cookie and stapling cases fix.
var (
	goldenCookieKey = bytes.Repeat([]byte{0xc0}, MinCookieKeySize)
	goldenNow       = time.Date(2026, 11, 25, 12, 0, 0, 0, time.UTC)
	goldenClient    = []byte("192.0.2.7")
	goldenReplica   = "replica-a"
)

// The first records of every golden case, after the handshake: a catalog
// request as package message encodes it (op 1, an empty body with its
// 24-bit length), written out so that the channel's transcripts do not
// depend on what travels in it, and the first chunk of a media item.
var (
	goldenRequest = []byte{0x01, 0x00, 0x00, 0x00}
	goldenMedia   = mediaID{0xab}
	goldenChunk   = []byte("the first chunk of the media")
	// goldenChunkPad is the chunk size the first chunk is padded to (a
	// real item's is at least 16 KiB; this keeps the transcripts short).
	goldenChunkPad = 64
)

// goldenRun is one golden case, run: the transcript file's text and what
// produced it.
type goldenRun struct {
	text   string
	pair   *pair
	res    *result
	client *recordingReader // every random byte the client drew
	// challenge and assertion of a WebAuthn login.
	challenge []byte
	assertion *WebAuthnAssertion
}

// goldenCRL is a CRL of the golden CA (Ed25519, so the signature is fixed)
// revoking one serial, number 7.
func goldenCRL(t *testing.T, ca *testCA) []byte {
	t.Helper()
	der, err := x509.CreateRevocationList(rand.Reader, &x509.RevocationList{
		Number:     big.NewInt(7),
		ThisUpdate: testEpoch,
		NextUpdate: testEpoch.AddDate(0, 1, 0),
		RevokedCertificateEntries: []x509.RevocationListEntry{
			{SerialNumber: big.NewInt(0x5eed), RevocationTime: testEpoch},
		},
	}, ca.cert, ca.key)
	if err != nil {
		t.Fatal(err)
	}
	return der
}

// runGolden runs tc under the fixed global random source.
func runGolden(t *testing.T, tc goldenCase) goldenRun {
	t.Helper()
	cryptotest.SetGlobalRandom(t, goldenSeed)
	p := newPairWithKeys(t, ed25519Key(1), ed25519Key(2), ed25519Key(3))
	rec := &recordingReader{}
	p.client.Rand = rec
	p.client.Suites = []SuiteID{tc.suite}
	p.client.Groups = tc.clientGroups
	p.server.Groups = tc.serverGroups
	accept := accepting(p.server)
	if tc.underLoad {
		p.server.CookieKey = goldenCookieKey
		p.server.Now = func() time.Time { return goldenNow }
		accept = underLoad(p.server, goldenClient)
	}
	var seen [][]byte
	if tc.stapled {
		crl := goldenCRL(t, p.ca)
		p.server.StapledCRLs = func() [][]byte { return [][]byte{crl} }
		p.server.Replica = goldenReplica
		verify := p.client.VerifyPeer
		p.client.VerifyPeer = func(chain, crls [][]byte) (*x509.Certificate, error) {
			seen = crls
			return verify(chain, crls)
		}
	}
	run := goldenRun{pair: p, client: rec}
	if tc.webauthn {
		loginWithGoldenAuthenticator(t, p, &run)
	}
	res := runHandshakeWith(t, p.client, accept, nil)
	if err := res.err(); err != nil {
		t.Fatalf("handshake: %v", err)
	}
	if tc.webauthn && res.peer.WebAuthnUser != goldenWebAuthnUser {
		t.Fatalf("the server saw WebAuthn user %q", res.peer.WebAuthnUser)
	}
	if res.retried != tc.expectRetry {
		t.Fatalf("retried = %v", res.retried)
	}
	if tc.stapled && (len(seen) != 1 || res.replica != goldenReplica) {
		t.Fatalf("the client saw %d stapled CRLs and replica %q", len(seen), res.replica)
	}
	req, err := res.client.Seal(nil, RecordRequest, goldenRequest)
	if err != nil {
		t.Fatal(err)
	}
	chunk, err := res.server.SealChunk(nil, goldenMedia, 0, goldenChunk, goldenChunkPad)
	if err != nil {
		t.Fatal(err)
	}

	var out strings.Builder
	names := []string{"client hello", "server flight", "client finish", "server finished"}
	if res.retried {
		names = []string{"client hello", "hello retry request", "client hello retry flight", "server flight", "client finish", "server finished"}
	}
	for i, b := range res.transcript {
		fmt.Fprintf(&out, "# %s\n%s\n", names[i], wrapHex(b))
	}
	fmt.Fprintf(&out, "# first request record (catalog)\n%s\n", wrapHex(req))
	fmt.Fprintf(&out, "# first chunk record\n%s\n", wrapHex(chunk))
	run.text, run.res = out.String(), res
	return run
}

// TestGoldenHandshakeTranscripts pins every byte of complete handshakes and
// of the first records, with fixed randomness (DESIGN.md §4: randomness is
// injected, so a handshake is reproducible). Any change to the wire format,
// the key schedule or the record layer changes these files; regenerate them
// with `go test ./protocol -run Golden -update` and review the diff.
func TestGoldenHandshakeTranscripts(t *testing.T) {
	for _, tc := range goldenCases {
		t.Run(tc.name, func(t *testing.T) {
			run := runGolden(t, tc)
			checkOrUpdate(t, filepath.Join("testdata", tc.name+".golden"), []byte(run.text))
			for target, input := range fuzzSeeds(t, tc, run) {
				checkOrUpdate(t, filepath.Join("testdata", "fuzz", target, "golden-"+tc.name), fuzzCorpusFile(input))
			}
		})
	}
}

// fuzzSeeds are the inputs of the decoders' fuzz targets that the golden
// cases with a cookie or stapled CRLs provide, so that the seed corpus in
// testdata/fuzz follows the wire format.
func fuzzSeeds(t *testing.T, tc goldenCase, run goldenRun) map[string][]byte {
	t.Helper()
	seeds := map[string][]byte{}
	if tc.underLoad {
		seeds["FuzzReadHello"] = run.res.transcript[2]
		seeds["FuzzParseHelloRetryRequest"] = run.res.transcript[1][handshakeHeaderSize:]
	}
	if tc.stapled {
		flight := run.res.transcript[1]
		msgs, err := parseFlight(flight)
		if err != nil {
			t.Fatal(err)
		}
		seeds["FuzzClientReadServerFlight"] = flight
		seeds["FuzzParseServerHello"] = msgs[0].body
		seeds["FuzzParseStapledCRLs"] = msgs[2].body
	}
	return seeds
}

// fuzzCorpusFile encodes one []byte input as a file of the fuzzing
// engine's seed corpus.
func fuzzCorpusFile(b []byte) []byte {
	return []byte("go test fuzz v1\n[]byte(" + strconv.Quote(string(b)) + ")\n")
}

// checkOrUpdate compares got with the file at path, or rewrites the file
// under -update.
func checkOrUpdate(t *testing.T, path string, got []byte) {
	t.Helper()
	if *update {
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run with -update to create it)", err)
	}
	if !bytes.Equal(want, got) {
		t.Fatalf("output differs from %s; if the change is intended, rerun with -update and review the diff", path)
	}
}

func wrapHex(b []byte) string {
	h := hex.EncodeToString(b)
	var lines []string
	for len(h) > 64 {
		lines = append(lines, h[:64])
		h = h[64:]
	}
	return strings.Join(append(lines, h), "\n")
}
