package testbed

import (
	"bytes"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"
)

// Exchange is one HTTP request and its answer as seen by a man in the middle.
type Exchange struct {
	Path     string
	Request  []byte
	Status   int
	Response []byte
}

// Tamper may rewrite a request body before it is forwarded (n counts the
// requests) or a response body before it is returned, or drop an answer:
// when Drop says so, the server's answer is read and thrown away and the
// client's connection closed, as a network that loses the answer after
// the server did the work; when Stall says so, the first half of the
// answer is sent and then nothing, until the client hangs up, as a server
// or a network that stops in the middle of an answer.
type Tamper struct {
	Request  func(n int, path string, body []byte) []byte
	Response func(n int, path string, status int, body []byte) []byte
	Drop     func(n int, path string, status int, body []byte) bool
	Stall    func(n int, path string, status int, body []byte) bool
}

// Proxy is an HTTP man in the middle in front of a bed's server.
type Proxy struct {
	URL    string
	mu     sync.Mutex
	log    []Exchange
	tamper Tamper
}

// NewProxy starts a man in the middle forwarding to target.
func NewProxy(t testing.TB, target string, tamper Tamper) *Proxy {
	t.Helper()
	p := &Proxy{tamper: tamper}
	// Its own transport, without idle connections: a test that counts
	// goroutines finds none of the proxy's left once an exchange ended.
	hc := &http.Client{Transport: &http.Transport{DisableKeepAlives: true}}
	hs := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		p.mu.Lock()
		n := len(p.log)
		p.log = append(p.log, Exchange{Path: r.URL.Path, Request: append([]byte(nil), body...)})
		p.mu.Unlock()
		if p.tamper.Request != nil {
			body = p.tamper.Request(n, r.URL.Path, body)
		}
		req, _ := http.NewRequestWithContext(r.Context(), r.Method, target+r.URL.RequestURI(), bytes.NewReader(body))
		req.Header = r.Header.Clone()
		resp, err := hc.Do(req)
		if err != nil {
			http.Error(w, err.Error(), http.StatusBadGateway)
			return
		}
		defer resp.Body.Close()
		rb, _ := io.ReadAll(resp.Body)
		if p.tamper.Response != nil {
			rb = p.tamper.Response(n, r.URL.Path, resp.StatusCode, rb)
		}
		p.mu.Lock()
		p.log[n].Status, p.log[n].Response = resp.StatusCode, append([]byte(nil), rb...)
		p.mu.Unlock()
		if p.tamper.Drop != nil && p.tamper.Drop(n, r.URL.Path, resp.StatusCode, rb) {
			if c, _, err := http.NewResponseController(w).Hijack(); err == nil {
				c.Close()
			}
			return
		}
		for k, v := range resp.Header {
			if k != "Content-Length" {
				w.Header()[k] = v
			}
		}
		w.WriteHeader(resp.StatusCode)
		if p.tamper.Stall != nil && p.tamper.Stall(n, r.URL.Path, resp.StatusCode, rb) {
			_, _ = w.Write(rb[:len(rb)/2])
			http.NewResponseController(w).Flush()
			<-r.Context().Done()
			return
		}
		_, _ = w.Write(rb)
	}))
	t.Cleanup(hs.Close)
	p.URL = hs.URL
	return p
}

// Log returns the exchanges so far.
func (p *Proxy) Log() []Exchange {
	p.mu.Lock()
	defer p.mu.Unlock()
	return append([]Exchange(nil), p.log...)
}

// Wiretap is a TCP relay that records every byte in both directions.
type Wiretap struct {
	Addr  string
	mu    sync.Mutex
	buf   bytes.Buffer
	convs []*conversation
	conns []net.Conn
	wg    sync.WaitGroup
}

// Conversation is what one TCP connection through a Wiretap carried so
// far, each direction apart.
type Conversation struct {
	ToServer, ToClient []byte
}

type conversation struct{ toServer, toClient bytes.Buffer }

// NewWiretap relays 127.0.0.1:random to target (host:port).
func NewWiretap(t testing.TB, target string) *Wiretap {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	w := &Wiretap{Addr: l.Addr().String()}
	t.Cleanup(func() {
		l.Close()
		w.mu.Lock()
		for _, c := range w.conns {
			c.Close()
		}
		w.mu.Unlock()
		w.wg.Wait()
	})
	go func() {
		for {
			c, err := l.Accept()
			if err != nil {
				return
			}
			b, err := net.Dial("tcp", target)
			if err != nil {
				c.Close()
				continue
			}
			conv := &conversation{}
			w.mu.Lock()
			w.conns = append(w.conns, c, b)
			w.convs = append(w.convs, conv)
			w.mu.Unlock()
			w.wg.Add(2)
			go w.pipe(b, c, &conv.toServer)
			go w.pipe(c, b, &conv.toClient)
		}
	}()
	return w
}

func (w *Wiretap) pipe(dst, src net.Conn, dir *bytes.Buffer) {
	defer w.wg.Done()
	buf := make([]byte, 64<<10)
	for {
		n, err := src.Read(buf)
		if n > 0 {
			w.mu.Lock()
			w.buf.Write(buf[:n])
			dir.Write(buf[:n])
			w.mu.Unlock()
			if _, werr := dst.Write(buf[:n]); werr != nil {
				break
			}
		}
		if err != nil {
			break
		}
	}
	dst.Close()
	src.Close()
}

// Bytes returns everything recorded so far, both directions.
func (w *Wiretap) Bytes() []byte {
	w.mu.Lock()
	defer w.mu.Unlock()
	return append([]byte(nil), w.buf.Bytes()...)
}

// Conversations returns every connection so far, in the order they were
// accepted, each direction apart (what an observer parses into HTTP
// exchanges).
func (w *Wiretap) Conversations() []Conversation {
	w.mu.Lock()
	defer w.mu.Unlock()
	out := make([]Conversation, len(w.convs))
	for i, c := range w.convs {
		out[i] = Conversation{ToServer: bytes.Clone(c.toServer.Bytes()), ToClient: bytes.Clone(c.toClient.Bytes())}
	}
	return out
}
