package protocol

import (
	"bytes"
	"encoding/hex"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"testing/cryptotest"
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
}

var goldenCases = []goldenCase{
	{"aes128gcm-sha256-x25519", DH_AES128_GCM_SHA256, []GroupID{GroupX25519}, nil, false},
	{"chacha20-sha384-x25519mlkem768-after-retry", DH_CHACHA20_SHA384, []GroupID{GroupX25519, GroupX25519MLKEM768}, []GroupID{GroupX25519MLKEM768, GroupX25519}, true},
	{"aes128cbc-sha256-ffdhe2048", DH_AES128_CBC_SHA256, []GroupID{GroupFFDHE2048}, nil, false},
}

// The first records of every golden case, after the handshake: a request
// carrying catalogRequest, and chunk 0 of goldenMedia.
var (
	goldenMedia = mediaID{0xab}
	goldenChunk = []byte("the first chunk of the media")
)

// catalogRequest is the payload of the first request record: a catalog
// request as package message encodes it (op 1, an empty body with its
// 24-bit length), written out so that the channel's transcripts do not
// depend on what travels in it.
var catalogRequest = []byte{0x01, 0x00, 0x00, 0x00}

// goldenRun is one golden case, run: the transcript file's text and what
// produced it.
type goldenRun struct {
	text   string
	pair   *pair
	res    *result
	client *recordingReader // every random byte the client drew
}

// runGolden runs tc under the fixed global random source. The client reads
// that source through a recorder, which changes nothing it draws (the
// golden files prove it) and lets another implementation replay exactly
// the client's randomness.
func runGolden(t *testing.T, tc goldenCase) goldenRun {
	t.Helper()
	cryptotest.SetGlobalRandom(t, goldenSeed)
	p := newPairWithKeys(t, ed25519Key(1), ed25519Key(2), ed25519Key(3))
	rec := &recordingReader{}
	p.client.Rand = rec
	p.client.Suites = []SuiteID{tc.suite}
	p.client.Groups = tc.clientGroups
	p.server.Groups = tc.serverGroups
	res := mustHandshake(t, p.client, p.server)
	if res.retried != tc.expectRetry {
		t.Fatalf("retried = %v", res.retried)
	}
	req, err := res.client.Seal(nil, RecordRequest, catalogRequest)
	if err != nil {
		t.Fatal(err)
	}
	chunk, err := res.server.SealChunk(nil, goldenMedia, 0, goldenChunk)
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
	return goldenRun{text: out.String(), pair: p, res: res, client: rec}
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
		})
	}
}

// checkOrUpdate compares got with the file at path, or rewrites the file
// under -update.
func checkOrUpdate(t *testing.T, path string, got []byte) {
	t.Helper()
	if *update {
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
