package server_test

import (
	"bufio"
	"bytes"
	"cmp"
	"context"
	"fmt"
	"io"
	"net/http"
	"slices"
	"strings"
	"testing"

	"securemedia/client"
	"securemedia/content"
	"securemedia/internal/testbed"
)

// observed is one HTTP exchange as an observer of the TCP bytes sees it:
// what the URL shows once the session id is taken out, the bytes each way
// (headers and body) and the body lengths.
type observed struct {
	path                        string
	requestBytes, requestBody   int
	status                      int
	responseBytes, responseBody int
}

func (o observed) String() string {
	return fmt.Sprintf("%-8s request %5d B (body %5d)  →  %d, %6d B (body %6d)",
		o.path, o.requestBytes, o.requestBody, o.status, o.responseBytes, o.responseBody)
}

// pathKind is what a URL tells an observer: the endpoint, not the session.
func pathKind(p string) string {
	switch {
	case p == "/v1/handshake":
		return "hello"
	case strings.HasPrefix(p, "/v1/session/") && strings.HasSuffix(p, "/finish"):
		return "finish"
	case strings.HasPrefix(p, "/v1/session/"):
		return "session"
	}
	return p
}

// observe parses the HTTP/1.1 exchanges that the conversations carried
// since the snapshot before (conversations are only ever appended to).
func observe(t *testing.T, now, before []testbed.Conversation) []observed {
	t.Helper()
	var out []observed
	for i, c := range now {
		toServer, toClient := c.ToServer, c.ToClient
		if i < len(before) {
			toServer, toClient = toServer[len(before[i].ToServer):], toClient[len(before[i].ToClient):]
		}
		reqs, resps := newCountingReader(toServer), newCountingReader(toClient)
		for reqs.more() {
			var o observed
			req, err := http.ReadRequest(reqs.br)
			if err != nil {
				t.Fatalf("connection %d: request: %v", i, err)
			}
			o.path = pathKind(req.URL.Path)
			o.requestBody = readAll(t, req.Body)
			o.requestBytes = reqs.next()
			resp, err := http.ReadResponse(resps.br, req)
			if err != nil {
				t.Fatalf("connection %d: response to %s: %v", i, req.URL.Path, err)
			}
			o.status = resp.StatusCode
			o.responseBody = readAll(t, resp.Body)
			o.responseBytes = resps.next()
			out = append(out, o)
		}
	}
	return out
}

func readAll(t *testing.T, r io.ReadCloser) int {
	t.Helper()
	b, err := io.ReadAll(r)
	if err != nil {
		t.Fatal(err)
	}
	r.Close()
	return len(b)
}

// countingReader reads HTTP messages from bytes and tells how many bytes
// each took on the wire.
type countingReader struct {
	r    *bytes.Reader
	br   *bufio.Reader
	size int
	last int
}

func newCountingReader(b []byte) *countingReader {
	r := bytes.NewReader(b)
	return &countingReader{r: r, br: bufio.NewReader(r), size: len(b)}
}

func (c *countingReader) consumed() int { return c.size - c.r.Len() - c.br.Buffered() }

func (c *countingReader) more() bool { return c.consumed() < c.size }

// next returns the bytes consumed since the last call.
func (c *countingReader) next() int {
	n := c.consumed() - c.last
	c.last += n
	return n
}

// TestAnObserverOfPlaysLearnsAtMostTheChunkCount: two items of the same
// chunk count whose sizes differ by almost a chunk, under titles of
// different lengths, each played by a viewer (catalog, play, info,
// fetches, license list, close) through a wiretap: every request and
// every answer after the hellos is the same number of bytes on the wire
// for both (DESIGN.md §4 "Sizes"), although the catalog and the license
// list say different things the second time.
func TestAnObserverOfPlaysLearnsAtMostTheChunkCount(t *testing.T) {
	bed := testbed.New(t, testbed.Options{ChunkSize: testChunk, Users: &testbed.UsersOptions{}})
	items := []struct {
		title string
		size  int
	}{
		{"Yesterday", 5*testChunk + 1},
		{"Bohemian Rhapsody (a much longer title, of the same bucket)", 5*testChunk + 16000},
	}
	tap := testbed.NewWiretap(t, strings.TrimPrefix(bed.URL, "http://"))
	cfg := bed.Users.ClientConfig(t, bed.Users.Auth)
	cfg.Server = "http://" + tap.Addr
	ids := make([]content.ID, len(items))
	for i, it := range items {
		ids[i], _ = content.ParseID(bed.AddMedia(t, it.title, randomMedia(t, it.size)))
	}

	var plays [][]observed
	for i, id := range ids {
		ctx := context.Background()
		before := tap.Conversations()
		conn := bed.Dial(t, cfg)
		if _, err := conn.Catalog(ctx); err != nil {
			t.Fatal(err)
		}
		var sink bytes.Buffer
		if _, err := conn.PlayWithLicense(ctx, id, client.ToWriter(&sink), client.PlayOptions{}); err != nil {
			t.Fatal(err)
		}
		if sink.Len() != items[i].size {
			t.Fatalf("played %d bytes of %d", sink.Len(), items[i].size)
		}
		if _, err := conn.Licenses(ctx); err != nil {
			t.Fatal(err)
		}
		if err := conn.Close(ctx); err != nil {
			t.Fatal(err)
		}
		var seen []observed
		for _, o := range observe(t, tap.Conversations(), before) {
			// The hellos travel in clear before the client names any item;
			// the server's signature in its flight varies by a byte or two
			// (DER ECDSA), from one handshake to the next, whatever is played.
			if o.path != "hello" {
				seen = append(seen, o)
			}
		}
		plays = append(plays, seen)
	}

	for i, seen := range plays {
		var lines []string
		for _, o := range seen {
			lines = append(lines, o.String())
		}
		t.Logf("%s (%d bytes), as the observer sees its play:\n%s", items[i].title, items[i].size, strings.Join(lines, "\n"))
	}
	total := func(seen []observed) (wire, bodies int) {
		for _, o := range seen {
			wire += o.requestBytes + o.responseBytes
			bodies += o.requestBody + o.responseBody
		}
		return wire, bodies
	}
	wireA, bodiesA := total(plays[0])
	wireB, bodiesB := total(plays[1])
	if wireA != wireB || bodiesA != bodiesB {
		t.Errorf("the plays differ in total: %d and %d bytes on the wire, %d and %d bytes of bodies", wireA, wireB, bodiesA, bodiesB)
	}
	if bodiesA < items[1].size {
		t.Fatalf("the observer saw %d bytes of bodies, fewer than the larger item has (%d): the chunks are not padded", bodiesA, items[1].size)
	}
	// Request by request, in whatever order the exchanges ran.
	byShape := func(a, b observed) int {
		return cmp.Or(cmp.Compare(a.path, b.path), cmp.Compare(a.requestBytes, b.requestBytes),
			cmp.Compare(a.responseBytes, b.responseBytes), cmp.Compare(a.requestBody, b.requestBody),
			cmp.Compare(a.responseBody, b.responseBody), cmp.Compare(a.status, b.status))
	}
	a, b := slices.Clone(plays[0]), slices.Clone(plays[1])
	slices.SortFunc(a, byShape)
	slices.SortFunc(b, byShape)
	if !slices.Equal(a, b) {
		t.Errorf("the observer tells the plays apart by their exchanges' sizes (logged above)")
	}
	if n := len(a); n < 7 {
		t.Fatalf("%d exchanges after the hellos, want at least the finish, catalog, play, info, fetch, license list and close", n)
	}
}
