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

var update = flag.Bool("update", false, "rewrite the golden transcripts in testdata")

// TestGoldenHandshakeTranscripts pins every byte of complete handshakes and
// of the first records, with fixed randomness (DESIGN.md §4: randomness is
// injected, so a handshake is reproducible). Any change to the wire format,
// the key schedule or the record layer changes these files; regenerate them
// with `go test ./protocol -run Golden -update` and review the diff.
func TestGoldenHandshakeTranscripts(t *testing.T) {
	cases := []struct {
		name         string
		suite        SuiteID
		clientGroups []GroupID
		serverGroups []GroupID
		expectRetry  bool
	}{
		{"aes128gcm-sha256-x25519", DH_AES128_GCM_SHA256, []GroupID{GroupX25519}, nil, false},
		{"chacha20-sha384-x25519mlkem768-after-retry", DH_CHACHA20_SHA384, []GroupID{GroupX25519, GroupX25519MLKEM768}, []GroupID{GroupX25519MLKEM768, GroupX25519}, true},
		{"aes128cbc-sha256-ffdhe2048", DH_AES128_CBC_SHA256, []GroupID{GroupFFDHE2048}, nil, false},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			cryptotest.SetGlobalRandom(t, 20261125)
			p := newPairWithKeys(t, ed25519Key(1), ed25519Key(2), ed25519Key(3))
			p.client.Suites = []SuiteID{tc.suite}
			p.client.Groups = tc.clientGroups
			p.server.Groups = tc.serverGroups
			res := mustHandshake(t, p.client, p.server)
			if res.retried != tc.expectRetry {
				t.Fatalf("retried = %v", res.retried)
			}
			req, _ := res.client.Seal(nil, RecordRequest, catalogRequest)
			chunk, _ := res.server.SealChunk(nil, mediaID{0xab}, 0, []byte("the first chunk of the media"))

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

			path := filepath.Join("testdata", tc.name+".golden")
			if *update {
				if err := os.WriteFile(path, []byte(out.String()), 0o644); err != nil {
					t.Fatal(err)
				}
				return
			}
			want, err := os.ReadFile(path)
			if err != nil {
				t.Fatalf("%v (run with -update to create it)", err)
			}
			if !bytes.Equal(want, []byte(out.String())) {
				t.Fatalf("transcript differs from %s; if the change is intended, rerun with -update and review the diff", path)
			}
		})
	}
}

// catalogRequest is the payload of the first request record: a catalog
// request as package message encodes it (op 1, an empty body with its
// 24-bit length), written out so that the channel's transcripts do not
// depend on what travels in it.
var catalogRequest = []byte{0x01, 0x00, 0x00, 0x00}

func wrapHex(b []byte) string {
	h := hex.EncodeToString(b)
	var lines []string
	for len(h) > 64 {
		lines = append(lines, h[:64])
		h = h[64:]
	}
	return strings.Join(append(lines, h), "\n")
}
