package server_test

import (
	"bytes"
	"context"
	"crypto/rand"
	"crypto/x509"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"securemedia/client"
	"securemedia/content"
	"securemedia/internal/testbed"
	"securemedia/message"
	"securemedia/protocol"
	"securemedia/server"
)

const testChunk = 16 << 10

func randomMedia(t testing.TB, n int) []byte {
	b := make([]byte, n)
	if _, err := rand.Read(b); err != nil {
		t.Fatal(err)
	}
	return b
}

func play(t *testing.T, bed *testbed.Bed, cfg client.Config, id string) ([]byte, *client.PlayStats, error) {
	t.Helper()
	conn, err := client.Dial(context.Background(), cfg)
	if err != nil {
		return nil, nil, err
	}
	defer conn.Close(context.Background())
	mid, _ := content.ParseID(id)
	var sink bytes.Buffer
	st, err := conn.Play(context.Background(), mid, &sink, client.PlayOptions{ChunksPerRequest: 3})
	return sink.Bytes(), st, err
}

func TestPlayOverHTTPIsByteExactAcrossRekeysForEverySuiteAndGroup(t *testing.T) {
	bed := testbed.New(t, testbed.Options{ChunkSize: testChunk, Protocol: func(c *protocol.Config) {
		c.Rekey = protocol.RekeyPolicy{Chunks: 4}
	}})
	data := randomMedia(t, 10*testChunk+123)
	id := bed.AddMedia(t, "Sunny Afternoon", data)
	type combo struct {
		s protocol.SuiteID
		g protocol.GroupID
	}
	var combos []combo
	for _, s := range protocol.DefaultSuites() {
		combos = append(combos, combo{s, protocol.GroupX25519})
	}
	for _, g := range protocol.DefaultGroups() {
		combos = append(combos, combo{protocol.DH_AES128_GCM_SHA256, g})
	}
	for _, cb := range combos {
		t.Run(fmt.Sprintf("%s over %s", cb.s, cb.g), func(t *testing.T) {
			cfg := bed.ClientConfig(t)
			cfg.Protocol.Suites, cfg.Protocol.Groups = []protocol.SuiteID{cb.s}, []protocol.GroupID{cb.g}
			got, st, err := play(t, bed, cfg, id)
			if err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(got, data) {
				t.Fatalf("played %d bytes that differ from the %d added", len(got), len(data))
			}
			if st.Rekeys < 1 || !st.Verified || st.Suite != cb.s || st.Group != cb.g {
				t.Fatalf("stats %+v: want at least one rekey, verified content and the forced suite and group", st)
			}
		})
	}
	if est, _ := bed.Server.Sessions(); est != 0 {
		t.Fatalf("%d sessions left open after clients closed", est)
	}
}

func TestEveryPlayVerifiesItsContentUnlessTheSkipIsNamed(t *testing.T) {
	bed := testbed.New(t, testbed.Options{ChunkSize: testChunk})
	data := randomMedia(t, 3*testChunk+5)
	mid, _ := content.ParseID(bed.AddMedia(t, "Verified", data))
	ctx := context.Background()
	playWith := func(verify func([][]byte) (*x509.Certificate, error), o client.PlayOptions) ([]byte, *client.PlayStats, error) {
		cfg := bed.ClientConfig(t)
		cfg.VerifyContent = verify
		conn := bed.Dial(t, cfg)
		defer conn.Close(ctx)
		var sink bytes.Buffer
		st, err := conn.Play(ctx, mid, &sink, o)
		return sink.Bytes(), st, err
	}
	t.Run("a client without a content verifier refuses to play", func(t *testing.T) {
		if got, _, err := playWith(nil, client.PlayOptions{}); !errors.Is(err, client.ErrContent) || len(got) != 0 {
			t.Fatalf("Play = %v, %d bytes", err, len(got))
		}
	})
	t.Run("a verifier that refuses the content-signing chain stops the play before any chunk", func(t *testing.T) {
		if got, _, err := playWith(bed.VerifyLicense, client.PlayOptions{}); !errors.Is(err, client.ErrContent) || len(got) != 0 {
			t.Fatalf("Play = %v, %d bytes", err, len(got))
		}
	})
	t.Run("the named skip plays unverified and says so", func(t *testing.T) {
		got, st, err := playWith(nil, client.PlayOptions{InsecureSkipContentVerification: true})
		if err != nil || st.Verified || !bytes.Equal(got, data) {
			t.Fatalf("Play = %+v, %v, %d bytes", st, err, len(got))
		}
	})
}

func TestNothingInClearOnTheWireAfterTheHellos(t *testing.T) {
	bed := testbed.New(t, testbed.Options{ChunkSize: testChunk, Users: &testbed.UsersOptions{}})
	data := randomMedia(t, 5*testChunk+7)
	title := "Never Gonna Give You Up - a secret title"
	id := bed.AddMedia(t, title, data)
	tap := testbed.NewWiretap(t, strings.TrimPrefix(bed.URL, "http://"))
	cfg := bed.Users.ClientConfig(t, bed.Users.Auth)
	cfg.Server = "http://" + tap.Addr
	conn := bed.Dial(t, cfg)
	if _, err := conn.Catalog(context.Background()); err != nil {
		t.Fatal(err)
	}
	mid, _ := content.ParseID(id)
	var sink bytes.Buffer
	st, err := conn.PlayWithLicense(context.Background(), mid, client.ToWriter(&sink), client.PlayOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := conn.Licenses(context.Background()); err != nil {
		t.Fatal(err)
	}
	conn.Close(context.Background())
	wire := tap.Bytes()
	if len(wire) < len(data) || !bytes.Equal(sink.Bytes(), data) {
		t.Fatalf("recorded only %d bytes", len(wire))
	}
	windows := map[string]bool{}
	for i := 0; i+16 <= len(data); i++ {
		windows[string(data[i:i+16])] = true
	}
	for i := 0; i+16 <= len(wire); i++ {
		if windows[string(wire[i:i+16])] {
			t.Fatalf("a 16-byte window of the media appears on the wire at offset %d", i)
		}
	}
	user := bed.Users.Card.UserCert
	for name, needle := range map[string][]byte{
		"media id (hex)":    []byte(id),
		"media id (binary)": mid[:],
		"title":             []byte(title),
		"title fragment":    []byte("secret title"),
		"user id":           []byte(bed.Users.Card.SerialNumber),
		"user name":         []byte(user.Subject.CommonName),
		"user certificate":  user.Raw[len(user.Raw)-64:],
		"license state":     []byte(st.Remaining),
	} {
		if bytes.Contains(wire, needle) {
			t.Errorf("the %s appears on the wire", name)
		}
	}
}

// sessionRecordPath reports whether path is a session's record endpoint.
func sessionRecordPath(path string) bool {
	return strings.HasPrefix(path, "/v1/session/") && !strings.HasSuffix(path, "/finish")
}

func TestTamperedReplayedOrTruncatedRecordsEndTheSession(t *testing.T) {
	data := randomMedia(t, 8*testChunk)
	flip := func(b []byte, at int) []byte {
		if len(b) > 0 {
			b[at%len(b)] ^= 0x40
		}
		return b
	}
	var lastRequest []byte
	cases := []struct {
		name   string
		tamper testbed.Tamper
		// cut: the answer was cut short, which the client cannot tell
		// from a lost connection (a licensed play resumes after it);
		// everything else is a channel failure.
		cut bool
	}{
		{"a flipped byte in a request record header", testbed.Tamper{Request: func(n int, p string, b []byte) []byte {
			if sessionRecordPath(p) && n == 4 {
				return flip(b, 9)
			}
			return b
		}}, false},
		{"a flipped byte in a request record body", testbed.Tamper{Request: func(n int, p string, b []byte) []byte {
			if sessionRecordPath(p) && n == 4 {
				return flip(b, len(b)-3)
			}
			return b
		}}, false},
		{"a flipped byte in a response record", testbed.Tamper{Response: func(n int, p string, st int, b []byte) []byte {
			if sessionRecordPath(p) && n == 3 {
				return flip(b, 30)
			}
			return b
		}}, false},
		{"a flipped byte in a chunk record", testbed.Tamper{Response: func(n int, p string, st int, b []byte) []byte {
			if sessionRecordPath(p) && n == 4 {
				return flip(b, len(b)-100)
			}
			return b
		}}, false},
		{"a truncated fetch answer (last chunk record dropped)", testbed.Tamper{Response: func(n int, p string, st int, b []byte) []byte {
			if sessionRecordPath(p) && n == 4 {
				return b[:len(b)-testChunk-40]
			}
			return b
		}}, true},
		{"a replayed request record", testbed.Tamper{Request: func(n int, p string, b []byte) []byte {
			if sessionRecordPath(p) {
				if n == 4 {
					return lastRequest
				}
				lastRequest = b
			}
			return b
		}}, false},
		{"a request record cut short by one byte", testbed.Tamper{Request: func(n int, p string, b []byte) []byte {
			if sessionRecordPath(p) && n == 4 {
				return b[:len(b)-1]
			}
			return b
		}}, false},
	}
	for _, tc := range cases {
		t.Run(tc.name+" is detected and the session closed", func(t *testing.T) {
			bed := testbed.New(t, testbed.Options{ChunkSize: testChunk})
			id := bed.AddMedia(t, "t", data)
			proxy := testbed.NewProxy(t, bed.URL, tc.tamper)
			cfg := bed.ClientConfig(t)
			cfg.Server = proxy.URL
			got, _, err := play(t, bed, cfg, id)
			if err == nil {
				t.Fatalf("play succeeded (%d bytes) despite tampering", len(got))
			}
			if want := map[bool]error{false: client.ErrChannel, true: client.ErrTransport}[tc.cut]; !errors.Is(err, want) {
				t.Fatalf("want %q, got %v", want, err)
			}
			if !bytes.HasPrefix(data, got) {
				t.Fatal("bytes that are not the media reached the sink")
			}
			if est, _ := bed.Server.Sessions(); est != 0 {
				t.Fatalf("%d sessions still open on the server", est)
			}
			for _, ex := range proxy.Log() {
				if ex.Status >= 500 {
					t.Fatalf("%s answered %d", ex.Path, ex.Status)
				}
			}
		})
	}
}

func TestATamperedRequestGetsA4xxNeverA200(t *testing.T) {
	bed := testbed.New(t, testbed.Options{})
	proxy := testbed.NewProxy(t, bed.URL, testbed.Tamper{Request: func(n int, p string, b []byte) []byte {
		if sessionRecordPath(p) && n == 2 {
			b[len(b)-1] ^= 1
		}
		return b
	}})
	cfg := bed.ClientConfig(t)
	cfg.Server = proxy.URL
	conn := bed.Dial(t, cfg)
	if _, err := conn.Catalog(context.Background()); !errors.Is(err, client.ErrChannel) {
		t.Fatalf("catalog over a tampered request: %v", err)
	}
	log := proxy.Log()
	if ex := log[2]; ex.Status != http.StatusBadRequest || !bytes.Contains(ex.Response, []byte("record-rejected")) {
		t.Fatalf("tampered request answered %d %s", ex.Status, ex.Response)
	}
}

func TestASessionIDWithoutTheKeysAchievesNothing(t *testing.T) {
	bed := testbed.New(t, testbed.Options{})
	id := bed.AddMedia(t, "t", []byte("some media"))
	proxy := testbed.NewProxy(t, bed.URL, testbed.Tamper{})
	cfg := bed.ClientConfig(t)
	cfg.Server = proxy.URL
	conn := bed.Dial(t, cfg)
	var sessionPath string
	for _, ex := range proxy.Log() {
		if strings.HasSuffix(ex.Path, "/finish") {
			sessionPath = strings.TrimSuffix(ex.Path, "/finish")
		}
	}
	// The attacker knows the id (it is in the URL) and has keys of its own
	// session, but not this session's keys.
	other := bed.Dial(t, bed.ClientConfig(t))
	defer other.Close(context.Background())
	forged, _ := other.Session().Seal(nil, protocol.RecordRequest, (&message.Request{Op: message.OpClose}).Marshal())
	garbage := make([]byte, 200)
	rand.Read(garbage)
	for name, body := range map[string][]byte{
		"a close sealed under another session's keys": forged,
		"random bytes":                 garbage,
		"an empty body":                nil,
		"a record header with no body": forged[:19],
	} {
		resp, err := http.Post(bed.URL+sessionPath, "application/octet-stream", bytes.NewReader(body))
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode < 400 || resp.StatusCode >= 500 {
			t.Errorf("%s: answered %d, want a 4xx", name, resp.StatusCode)
		}
	}
	// No state changed: the real client's session is intact and usable.
	if est, _ := bed.Server.Sessions(); est != 2 {
		t.Fatalf("%d sessions, want both still open", est)
	}
	items, err := conn.Catalog(context.Background())
	if err != nil || len(items) != 1 || items[0].ID.String() != id {
		t.Fatalf("the real client after the forgeries: %v %v", items, err)
	}
	// A request record replayed by the attacker is rejected too, and
	// again changes nothing.
	var lastRecord []byte
	for _, ex := range proxy.Log() {
		if ex.Path == sessionPath {
			lastRecord = ex.Request
		}
	}
	resp, _ := http.Post(bed.URL+sessionPath, "application/octet-stream", bytes.NewReader(lastRecord))
	resp.Body.Close()
	if resp.StatusCode != http.StatusBadRequest {
		t.Fatalf("replayed record answered %d", resp.StatusCode)
	}
	if _, err := conn.Catalog(context.Background()); err != nil {
		t.Fatalf("the real client after a replay: %v", err)
	}
	conn.Close(context.Background())
	if est, _ := bed.Server.Sessions(); est != 1 {
		t.Fatalf("closing one client left %d sessions", est)
	}
}

func TestBadInputGetsAProblemDocumentNeverAPanicOrA5xx(t *testing.T) {
	bed := testbed.New(t, testbed.Options{})
	validID := strings.Repeat("ab", 16)
	hello := func() []byte {
		cfg := bed.ClientConfig(t)
		hs, _ := protocol.NewClientHandshake(cfg.Protocol)
		b, _ := hs.Hello()
		return b
	}()
	wrongVersion := bytes.Clone(hello)
	wrongVersion[4], wrongVersion[5] = 0, 9
	tests := []struct {
		name, method, path string
		body               []byte
		want               int
	}{
		{"an empty hello", "POST", "/v1/handshake", nil, 400},
		{"a garbage hello", "POST", "/v1/handshake", []byte("{\"suites\":[\"DH\"]}"), 400},
		{"an oversized hello", "POST", "/v1/handshake", make([]byte, protocol.MaxHandshakeFlight+1), 413},
		{"a hello of another version", "POST", "/v1/handshake", wrongVersion, 400},
		{"a hello with only unknown suites", "POST", "/v1/handshake", unknownSuites(t, hello), 400},
		{"a GET on the handshake", "GET", "/v1/handshake", nil, 405},
		{"a finish for an unknown session", "POST", "/v1/session/" + validID + "/finish", []byte("x"), 404},
		{"a malformed session id", "POST", "/v1/session/../../etc/passwd", []byte("x"), 404},
		{"a hello on a path with a double slash", "POST", "//v1/handshake", hello, 404},
		{"a record on a path with a dot segment", "POST", "/v1/session/x/../" + validID, []byte("x"), 404},
		{"a hello on a path with a trailing dot", "POST", "/v1/handshake/.", hello, 404},
		{"a non-hex session id", "POST", "/v1/session/" + strings.Repeat("zz", 16), []byte("x"), 404},
		{"a record for an unknown session", "POST", "/v1/session/" + validID, []byte("x"), 404},
		{"an unknown path", "GET", "/admin", nil, 404},
		{"an unknown method", "DELETE", "/v1/handshake", nil, 405},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			req, _ := http.NewRequest(tt.method, bed.URL+tt.path, bytes.NewReader(tt.body))
			// A redirect is an answer of its own, not followed: every one
			// of these must be a problem document where it was sent.
			noRedirects := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
			resp, err := noRedirects.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			defer resp.Body.Close()
			if resp.StatusCode != tt.want {
				t.Fatalf("status %d, want %d", resp.StatusCode, tt.want)
			}
			var p struct {
				Type   string `json:"type"`
				Title  string `json:"title"`
				Status int    `json:"status"`
			}
			if ct := resp.Header.Get("Content-Type"); ct != "application/problem+json" {
				t.Fatalf("content type %q", ct)
			}
			if err := json.NewDecoder(resp.Body).Decode(&p); err != nil || p.Status != tt.want || p.Title == "" {
				t.Fatalf("problem document %+v: %v", p, err)
			}
		})
	}
}

func unknownSuites(t *testing.T, hello []byte) []byte {
	// Rewrite the suites list (after version and random) to one unknown id.
	b := bytes.Clone(hello[4:])
	n := int(b[34])<<8 | int(b[35])
	rest := b[36+n:]
	body := append(append(bytes.Clone(b[:34]), 0, 2, 0x99, 0x99), rest...)
	return append([]byte{1, byte(len(body) >> 16), byte(len(body) >> 8), byte(len(body))}, body...)
}

func TestTheSessionTableIsBounded(t *testing.T) {
	bed := testbed.New(t, testbed.Options{Limits: serverLimits(2)})
	a := bed.Dial(t, bed.ClientConfig(t))
	b := bed.Dial(t, bed.ClientConfig(t))
	once := bed.ClientConfig(t)
	once.Backoff = client.Backoff{Attempts: 1}
	_, err := client.Dial(context.Background(), once)
	var pe *client.ProblemError
	if !errors.As(err, &pe) || pe.Status != http.StatusTooManyRequests || pe.RetryAfter != time.Second {
		t.Fatalf("third session: %v, want 429 with Retry-After: 1", err)
	}
	// A client that backs off gets in once a session closes.
	refused := make(chan struct{}, 8)
	proxy := testbed.NewProxy(t, bed.URL, testbed.Tamper{Response: func(_ int, _ string, st int, body []byte) []byte {
		if st == http.StatusTooManyRequests {
			refused <- struct{}{}
		}
		return body
	}})
	patient := bed.ClientConfig(t)
	patient.Server = proxy.URL
	dialed := make(chan error, 1)
	go func() {
		c, err := client.Dial(context.Background(), patient)
		if err == nil {
			c.Close(context.Background())
		}
		dialed <- err
	}()
	<-refused
	a.Close(context.Background())
	if err := <-dialed; err != nil {
		t.Fatalf("a client backing off after a 429: %v", err)
	}
	c := bed.Dial(t, bed.ClientConfig(t))
	c.Close(context.Background())
	b.Close(context.Background())
}

func TestAnUnknownOperationIsRefusedInsideTheChannel(t *testing.T) {
	bed := testbed.New(t, testbed.Options{})
	conn := bed.Dial(t, bed.ClientConfig(t))
	defer conn.Close(context.Background())
	mid, _ := content.ParseID(hex.EncodeToString(make([]byte, 16)))
	_, err := conn.Play(context.Background(), mid, io.Discard, client.PlayOptions{})
	var se *client.StatusError
	if !errors.As(err, &se) || se.Status != message.StatusNotFound {
		t.Fatalf("unknown media: %v", err)
	}
	if _, err := conn.Catalog(context.Background()); err != nil {
		t.Fatalf("a refused operation broke the channel: %v", err)
	}
}

func TestMetricsOnTheAdminListenerCountWhatAnOperatorWatchesAndNothingSecret(t *testing.T) {
	bed := testbed.New(t, testbed.Options{ChunkSize: testChunk})
	data := randomMedia(t, 3*testChunk)
	title := "A Title Nobody Should See In Metrics"
	id := bed.AddMedia(t, title, data)
	if _, _, err := play(t, bed, bed.ClientConfig(t), id); err != nil {
		t.Fatal(err)
	}
	http.Post(bed.URL+"/v1/session/"+strings.Repeat("ab", 16), "application/octet-stream", nil)
	if resp, err := http.Get(bed.URL + "/metrics"); err != nil || resp.StatusCode != http.StatusNotFound {
		t.Fatalf("the public listener serves the metrics: %v %v", resp, err)
	}
	resp, err := http.Get(bed.AdminURL + "/metrics")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	for _, want := range []string{
		`securemedia_handshakes_total{outcome="established"} 1`,
		`securemedia_chunks_sent_total 3`,
		fmt.Sprintf(`securemedia_media_bytes_sent_total %d`, len(data)),
		`securemedia_sessions 0`,
	} {
		if !strings.Contains(string(body), want) {
			t.Errorf("metrics lack %q", want)
		}
	}
	for _, secret := range []string{id, title} {
		if strings.Contains(string(body), secret) {
			t.Errorf("metrics reveal %q", secret)
		}
	}
}

func TestADamagedItemDoesNotTakeTheCatalogDown(t *testing.T) {
	bed := testbed.New(t, testbed.Options{})
	good := bed.AddMedia(t, "Sound", []byte("a sound item"))
	bad := bed.AddMedia(t, "Damaged", []byte("an item whose files get damaged"))
	entries, _ := os.ReadDir(filepath.Join(bed.Dir, "data", "media", bad))
	for _, e := range entries { // damage every file of the item
		p := filepath.Join(bed.Dir, "data", "media", bad, e.Name())
		b, _ := os.ReadFile(p)
		if len(b) > 0 {
			b[len(b)/2] ^= 0xff
			os.WriteFile(p, b, 0o600)
		}
	}
	conn := bed.Dial(t, bed.ClientConfig(t))
	defer conn.Close(context.Background())
	items, err := conn.Catalog(context.Background())
	if err != nil || len(items) != 1 || items[0].ID.String() != good {
		t.Fatalf("catalog with one damaged item: %v %v", items, err)
	}
}

func TestAFlippedByteAtRestStopsThePlayAtThatChunkWithAnIntegrityError(t *testing.T) {
	bed := testbed.New(t, testbed.Options{ChunkSize: testChunk})
	data := randomMedia(t, 6*testChunk)
	id := bed.AddMedia(t, "Damaged at rest", data)
	stored := filepath.Join(bed.Dir, "data", "media", id, "content")
	b, err := os.ReadFile(stored)
	if err != nil {
		t.Fatal(err)
	}
	sealedChunk := testChunk + 16
	b[len(b)-3*sealedChunk+testChunk/2] ^= 0x01 // inside chunk 3 of 0..5
	os.WriteFile(stored, b, 0o600)

	conn := bed.Dial(t, bed.ClientConfig(t))
	defer conn.Close(context.Background())
	mid, _ := content.ParseID(id)
	var sink bytes.Buffer
	st, err := conn.Play(context.Background(), mid, &sink, client.PlayOptions{})
	var se *client.StatusError
	if !errors.As(err, &se) || se.Status != message.StatusIntegrity || !strings.Contains(se.Message, "chunk 3") {
		t.Fatalf("err = %v, want an integrity error at chunk 3", err)
	}
	if st.Chunks != 3 || !bytes.Equal(sink.Bytes(), data[:3*testChunk]) {
		t.Fatalf("%d chunks (%d bytes) reached the sink, want exactly chunks 0-2", st.Chunks, sink.Len())
	}
	if _, err := conn.Catalog(context.Background()); err != nil {
		t.Fatalf("the session after the integrity error: %v", err)
	}
}

func TestOneFloodingClientCannotKeepOthersFromLoggingIn(t *testing.T) {
	bed := testbed.New(t, testbed.Options{Limits: server.Limits{MaxHalfOpen: 10, MaxHalfOpenPerClient: 2}})
	hs, _ := protocol.NewClientHandshake(bed.ClientConfig(t).Protocol)
	hello, _ := hs.Hello()
	refused := 0
	for range 6 { // from 127.0.0.1
		resp, err := http.Post(bed.URL+"/v1/handshake", "application/octet-stream", bytes.NewReader(hello))
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode == http.StatusTooManyRequests {
			refused++
		}
	}
	if refused != 4 {
		t.Fatalf("%d of 6 hellos from one client refused, want 4 (cap 2)", refused)
	}
	// Another host (127.0.0.2, also loopback) still logs in.
	other := bed.ClientConfig(t)
	other.HTTPClient = &http.Client{Transport: &http.Transport{DialContext: (&net.Dialer{
		LocalAddr: &net.TCPAddr{IP: net.ParseIP("127.0.0.2")}}).DialContext}}
	conn := bed.Dial(t, other)
	conn.Close(context.Background())
}

func TestChunksDroppedBeforeAnEarlyEndFailClosed(t *testing.T) {
	bed := testbed.New(t, testbed.Options{ChunkSize: testChunk})
	data := randomMedia(t, 6*testChunk)
	id := bed.AddMedia(t, "Damaged at rest", data)
	stored := filepath.Join(bed.Dir, "data", "media", id, "content")
	b, _ := os.ReadFile(stored)
	b[len(b)-3*(testChunk+16)+testChunk/2] ^= 0x01 // chunk 3
	os.WriteFile(stored, b, 0o600)
	// The man in the middle drops chunk records 1 and 2 and forwards the
	// server's genuine early end, hoping the viewer blames the server.
	proxy := testbed.NewProxy(t, bed.URL, testbed.Tamper{Response: func(n int, p string, st int, body []byte) []byte {
		if !sessionRecordPath(p) || st != http.StatusOK {
			return body
		}
		r := bytes.NewReader(body)
		var recs [][]byte
		for {
			rec, err := protocol.ReadRecord(r, nil)
			if err != nil {
				break
			}
			recs = append(recs, rec)
		}
		if len(recs) != 5 { // response, chunks 0-2, early end
			return body
		}
		return bytes.Join([][]byte{recs[0], recs[1], recs[4]}, nil)
	}})
	cfg := bed.ClientConfig(t)
	cfg.Server = proxy.URL
	conn := bed.Dial(t, cfg)
	mid, _ := content.ParseID(id)
	var sink bytes.Buffer
	_, err := conn.Play(context.Background(), mid, &sink, client.PlayOptions{})
	if !errors.Is(err, client.ErrChannel) {
		t.Fatalf("err = %v, want a channel failure (omitted records)", err)
	}
	if sink.Len() != testChunk {
		t.Fatalf("%d bytes reached the sink, want only chunk 0", sink.Len())
	}
}

func TestAStalledAnswerFailsThePlayInsteadOfHangingIt(t *testing.T) {
	bed := testbed.New(t, testbed.Options{ChunkSize: testChunk})
	id := bed.AddMedia(t, "Stalled", randomMedia(t, 6*testChunk))
	// A man in the middle forwards half of every fetch answer, then stalls.
	mitm := testbed.NewProxy(t, bed.URL, testbed.Tamper{Stall: func(_ int, _ string, _ int, answer []byte) bool {
		return len(answer) >= 3*testChunk // a fetch answer
	}})
	cfg := bed.ClientConfig(t)
	cfg.Server = mitm.URL
	conn := bed.Dial(t, cfg)
	mid, _ := content.ParseID(id)
	_, err := conn.Play(context.Background(), mid, io.Discard, client.PlayOptions{StallTimeout: 300 * time.Millisecond})
	if !errors.Is(err, client.ErrTransport) || !strings.Contains(err.Error(), "sent nothing") {
		t.Fatalf("err = %v, want a stall (a transport fault)", err)
	}
}

func TestARefusedDeviceLearnsOnlyTheReasonNotItsCertificateDetails(t *testing.T) {
	bed := testbed.New(t, testbed.Options{})
	revokeDevice(t, bed)
	_, err := client.Dial(context.Background(), bed.ClientConfig(t))
	var pe *client.ProblemError
	if !errors.As(err, &pe) || pe.Status != http.StatusForbidden {
		t.Fatalf("a revoked device: %v", err)
	}
	if pe.Detail != "certificate revoked" {
		t.Fatalf("the clear problem detail is %q, want only the reason", pe.Detail)
	}
}

func TestAReaderEvictedWhileAFetchUsesItDoesNotBreakThatFetch(t *testing.T) {
	// 256 KiB chunks and a 64-chunk fetch: 16 MiB in flight, so the server
	// is still inside the long fetch (blocked on the socket) at chunk 3.
	bed := testbed.New(t, testbed.Options{ChunkSize: 256 << 10})
	big := randomMedia(t, 70*(256<<10))
	bigID := bed.AddMedia(t, "Long", big)
	var small []string
	for i := range 6 {
		small = append(small, bed.AddMedia(t, fmt.Sprintf("Short %d", i), randomMedia(t, testChunk)))
	}
	conn := bed.Dial(t, bed.ClientConfig(t))
	defer conn.Close(context.Background())
	// While the long item streams (slowly, through its progress callback),
	// the same session fetches six other items: the long item's reader is
	// evicted from the session's cache in the middle of its fetch.
	other := bed.Dial(t, bed.ClientConfig(t))
	defer other.Close(context.Background())
	var sink bytes.Buffer
	evicted := false
	mid, _ := content.ParseID(bigID)
	_, err := conn.Play(context.Background(), mid, &sink, client.PlayOptions{Progress: func(st client.PlayStats) {
		if st.Chunks == 3 && !evicted {
			evicted = true
			for _, id := range small {
				sid, _ := content.ParseID(id)
				if _, err := conn.Play(context.Background(), sid, io.Discard, client.PlayOptions{}); err != nil {
					t.Errorf("a short play in the middle: %v", err)
				}
			}
		}
	}})
	if err != nil || !bytes.Equal(sink.Bytes(), big) {
		t.Fatalf("the long play after its reader was evicted: %v (%d of %d bytes)", err, sink.Len(), len(big))
	}
}
