package client

import (
	"bytes"
	"context"
	"crypto/tls"
	"crypto/x509"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"math/rand/v2"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"time"

	"securemedia/protocol"
)

// Config configures a client connection.
type Config struct {
	// Server is the base URL, e.g. http://127.0.0.1:8443.
	Server string
	// Protocol is the client side of the session protocol.
	Protocol *protocol.Config
	// HTTPClient is used for every request; nil means a client with
	// sensible timeouts. Its transport must end a response body's Read
	// when the request's context ends or the body is closed (net/http's
	// does both): a play stops a fetch that way.
	HTTPClient *http.Client
	// Logger receives debug information; nil discards it.
	Logger *slog.Logger
	// VerifyLicense validates the signer chain of license tokens (the PKI
	// validator with usage license). StartPlay and Renew refuse every token
	// when it is nil.
	VerifyLicense func(chain [][]byte) (*x509.Certificate, error)
	// VerifyContent validates the content-signing chain of manifests (the
	// PKI validator with usage content). Every play verifies the item's
	// signed manifest with it and checks each chunk against the manifest
	// before the sink (DESIGN.md §8); Play refuses to run when it is nil.
	VerifyContent func(chain [][]byte) (*x509.Certificate, error)
	// Backoff bounds how Dial retries a handshake the server refused for
	// load (DESIGN.md §4 "Admission"); zero fields take the defaults.
	Backoff Backoff
	// FinishWithFirstRequest sends the handshake's finish with the
	// connection's first request rather than on its own (DESIGN.md §4
	// "Handshake"): one round trip fewer, as TLS 1.3 sends the client's
	// Finished with its first application data. Dial then returns once
	// the server is authenticated, and the server's verdict on the device
	// and the user comes with the first request's answer: a refusal Dial
	// would have returned is that request's error, a *FinishError, and the
	// connection's. A refusal for load or of an expired handshake is
	// retried as Dial retries it (Backoff): a new handshake, and the
	// request with its finish. Close on a connection that
	// made no request sends the finish with the close, so that the server
	// frees the half-open session at once.
	FinishWithFirstRequest bool
	// UserID is the user license tokens must name when the login carries
	// no certificate to read it from (a WebAuthn login, Protocol.WebAuthn:
	// the id the registration gave, web-...).
	UserID string
}

// Backoff is how Dial retries a refused handshake: a 429 or 503 answer to
// a hello (with the server's Retry-After), or a 404 for the finish (the
// half-open session expired or was evicted). Each retry is a fresh
// handshake, after a wait that doubles from Initial up to Max, jittered
// (half of it fixed, half random, so that refused clients do not come back
// in step), and never shorter than the server's Retry-After; a server
// asking for longer than Max ends the retries.
type Backoff struct {
	// Attempts is the number of handshakes tried in all.
	Attempts int
	// Initial and Max bound the wait before a retry.
	Initial, Max time.Duration

	// sleep waits d or until ctx is done (tests replace it).
	sleep func(ctx context.Context, d time.Duration) error
}

// Default backoff of Dial: 5 handshakes, waits from 100 ms to 3 s.
const (
	DefaultDialAttempts   = 5
	DefaultBackoffInitial = 100 * time.Millisecond
	DefaultBackoffMax     = 3 * time.Second
)

func (b Backoff) withDefaults() Backoff {
	if b.Attempts <= 0 {
		b.Attempts = DefaultDialAttempts
	}
	if b.Initial <= 0 {
		b.Initial = DefaultBackoffInitial
	}
	if b.Max <= 0 {
		b.Max = DefaultBackoffMax
	}
	if b.Max < b.Initial {
		b.Max = b.Initial
	}
	if b.sleep == nil {
		b.sleep = sleepCtx
	}
	return b
}

// wait returns how long to wait before handshake attempt+1 after err, or
// false when err is not a refusal worth retrying or the retries are spent.
func (b Backoff) wait(attempt int, err error) (time.Duration, bool) {
	var pe *ProblemError
	if attempt >= b.Attempts || !errors.As(err, &pe) || !retryable(pe) {
		return 0, false
	}
	if pe.RetryAfter > b.Max {
		return 0, false
	}
	return max(doublingWait(b.Initial, b.Max, attempt), pe.RetryAfter), true
}

// doublingWait is the wait before retry n (n >= 1) of Dial's backoff and of
// a play's recovery: initial doubled n-1 times, at most max, then
// jittered to between half and all of itself, so that clients refused
// together do not come back in step.
func doublingWait(initial, max time.Duration, n int) time.Duration {
	d := initial << min(n-1, 30)
	if d > max || d <= 0 {
		d = max
	}
	return d/2 + rand.N(d/2+1)
}

// retryable reports whether a problem refuses for load rather than for
// the handshake's content.
func retryable(pe *ProblemError) bool {
	switch {
	case pe.Status == http.StatusTooManyRequests, pe.Status == http.StatusServiceUnavailable:
		return true
	case pe.Status == http.StatusNotFound && pe.step == stepFinish:
		return true
	}
	return false
}

func sleepCtx(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return nil
	}
}

// Default limits of the client.
const (
	// maxServerFlight bounds the server's hello answer.
	maxServerFlight = protocol.MaxHandshakeFlight
	// maxProblem bounds a problem document we read.
	maxProblem = 16 << 10
	// httpTimeout bounds each request that is not a stream of chunks.
	httpTimeout = 30 * time.Second
)

// Conn is an established session with a server.
type Conn struct {
	// cfg is what Dial was given: a play redials with it after a
	// transport fault (PlayOptions.Redial).
	cfg     Config
	base    *url.URL
	http    *http.Client
	sess    *protocol.Session
	log     *slog.Logger
	sessURL string
	// verifyLicense and userID check license tokens: signed by a license
	// signer, and about our user (the serialNumber of Protocol.User's leaf).
	verifyLicense func(chain [][]byte) (*x509.Certificate, error)
	userID        string
	// verifyContent checks the manifest of every play.
	verifyContent func(chain [][]byte) (*x509.Certificate, error)

	mu     sync.Mutex
	failed error
	closed bool
	// finish is the handshake's finish while it waits for the first
	// request (Config.FinishWithFirstRequest); nil once sent.
	finish *pendingFinish
}

// pendingFinish is a finish held back for the connection's first request.
type pendingFinish struct {
	hs     *protocol.ClientHandshake
	record []byte
	// taken is set by the request that carries it; done is closed, and
	// err set, once the server's Finished at the head of its answer was
	// checked, or the finish failed: other requests wait for it.
	taken bool
	done  chan struct{}
	err   error
}

// ProblemError is a problem document the server answered with.
type ProblemError struct {
	Status int
	Type   string
	Title  string
	Detail string
	// RetryAfter is the server's Retry-After, zero when it sent none.
	RetryAfter time.Duration

	// step is the handshake step that was refused, for Dial.
	step handshakeStep
}

// handshakeStep names the request of a handshake a problem answered.
type handshakeStep int

const (
	stepNone handshakeStep = iota
	stepHello
	stepFinish
)

func (e *ProblemError) Error() string {
	msg := fmt.Sprintf("server answered %d %s", e.Status, e.Title)
	if e.Detail != "" {
		msg += ": " + e.Detail
	}
	return msg
}

// NewHTTPClient is the HTTP client Dial uses when Config.HTTPClient is
// nil: sensible timeouts, and for an https:// server the TLS certificate
// verified against tlsConfig's roots (nil: the system's).
func NewHTTPClient(tlsConfig *tls.Config) *http.Client {
	return &http.Client{Transport: &http.Transport{
		TLSClientConfig:       tlsConfig,
		MaxIdleConnsPerHost:   4,
		IdleConnTimeout:       90 * time.Second,
		ResponseHeaderTimeout: httpTimeout,
	}}
}

// Dial runs the handshake and returns the established connection. A
// handshake the server refuses for load is retried as cfg.Backoff says.
func Dial(ctx context.Context, cfg Config) (*Conn, error) {
	base, err := url.Parse(strings.TrimRight(cfg.Server, "/"))
	if err != nil || (base.Scheme != "http" && base.Scheme != "https") || base.Host == "" {
		return nil, fmt.Errorf("server URL %q: want http://host:port", cfg.Server)
	}
	hc := cfg.HTTPClient
	if hc == nil {
		hc = NewHTTPClient(nil)
	}
	log := cfg.Logger
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	c := &Conn{cfg: cfg, base: base, http: hc, log: log, verifyLicense: cfg.VerifyLicense, verifyContent: cfg.VerifyContent}
	if cfg.Protocol != nil && cfg.Protocol.User != nil && len(cfg.Protocol.User.Chain) > 0 {
		if leaf, err := x509.ParseCertificate(cfg.Protocol.User.Chain[0]); err == nil {
			c.userID = leaf.Subject.SerialNumber
		}
	} else {
		c.userID = cfg.UserID
	}
	b := cfg.Backoff.withDefaults()
	for attempt := 1; ; attempt++ {
		err := c.handshake(ctx, cfg.Protocol)
		if err == nil {
			msg := "session established"
			if c.finish != nil {
				msg = "server authenticated; the finish goes with the first request"
			}
			log.Debug(msg, "suite", c.sess.Suite(), "group", c.sess.Group(), "attempts", attempt)
			return c, nil
		}
		d, ok := b.wait(attempt, err)
		if !ok {
			return nil, err
		}
		log.Debug("handshake refused; retrying", "err", err, "wait", d, "attempt", attempt)
		if serr := b.sleep(ctx, d); serr != nil {
			return nil, err
		}
	}
}

// handshake runs one handshake (DESIGN.md §4 "Handshake"): the hello, at
// most one retry (a share, a cookie, or both), the finish; with
// Config.FinishWithFirstRequest it stops before sending the finish, which
// waits for the first request.
func (c *Conn) handshake(ctx context.Context, pc *protocol.Config) error {
	hs, fin, url, err := c.toFinish(ctx, pc)
	if err != nil {
		return err
	}
	c.sessURL = url
	if c.cfg.FinishWithFirstRequest {
		sess, err := hs.EarlySession()
		if err != nil {
			hs.Erase()
			return fmt.Errorf("handshake: %w", err)
		}
		c.sess, c.finish = sess, &pendingFinish{hs: hs, record: fin, done: make(chan struct{})}
		return nil
	}
	defer hs.Erase()
	reply, err := c.post(ctx, url+"/finish", fin, maxServerFlight)
	if err != nil {
		return handshakeError(stepFinish, err)
	}
	if c.sess, err = hs.ReadServerFinished(reply); err != nil {
		return fmt.Errorf("handshake: %w", err)
	}
	return nil
}

// toFinish runs a handshake up to its finish: the hello and at most one
// retry, the server's flight checked, the finish built. It returns the
// handshake, the finish record and the session's URL; on an error the
// handshake is erased.
func (c *Conn) toFinish(ctx context.Context, pc *protocol.Config) (_ *protocol.ClientHandshake, fin []byte, url string, err error) {
	hs, err := protocol.NewClientHandshake(pc)
	if err != nil {
		return nil, nil, "", err
	}
	defer func() {
		if err != nil {
			hs.Erase()
		}
	}()
	hello, err := hs.Hello()
	if err != nil {
		return nil, nil, "", err
	}
	for attempt := 0; ; attempt++ {
		reply, err := c.post(ctx, "/v1/handshake", hello, maxServerFlight)
		if err != nil {
			return nil, nil, "", handshakeError(stepHello, err)
		}
		retry, err := hs.ReadServerFlight(reply)
		if err != nil {
			return nil, nil, "", fmt.Errorf("handshake: %w", err)
		}
		if !retry {
			break
		}
		if attempt > 0 {
			return nil, nil, "", errors.New("handshake: server asked for a second retry")
		}
		if hello, err = hs.Hello(); err != nil {
			return nil, nil, "", err
		}
	}
	id := hs.SessionID()
	url = "/v1/session/" + hex.EncodeToString(id[:])
	if r := hs.Replica(); r != "" {
		url = "/v1/session/" + r + "." + hex.EncodeToString(id[:])
	}
	if fin, err = hs.Finish(); err != nil {
		return nil, nil, "", fmt.Errorf("handshake: %w", err)
	}
	return hs, fin, url, nil
}

// handshakeError notes which step a problem answered.
func handshakeError(step handshakeStep, err error) error {
	var pe *ProblemError
	if errors.As(err, &pe) {
		pe.step = step
	}
	return fmt.Errorf("handshake: %w", err)
}

// Session exposes the protocol session (suite, group, epoch, rekeys).
func (c *Conn) Session() *protocol.Session { return c.sess }

// post sends body and returns the whole answer (at most limit bytes) when
// the server answered 200.
func (c *Conn) post(ctx context.Context, path string, body []byte, limit int64) ([]byte, error) {
	resp, err := c.send(ctx, path, body)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	out, err := io.ReadAll(io.LimitReader(resp.Body, limit+1))
	if err != nil {
		return nil, err
	}
	if int64(len(out)) > limit {
		return nil, errors.New("answer too large")
	}
	return out, nil
}

// send POSTs body and returns the response when its status is 200 (every
// answer to an authenticated record, whatever its outcome); otherwise it
// decodes the problem document into a *ProblemError.
func (c *Conn) send(ctx context.Context, path string, body []byte) (*http.Response, error) {
	u := *c.base
	u.Path = c.base.Path + path
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, u.String(), bytes.NewReader(body))
	if err != nil {
		return nil, err
	}
	req.Header.Set("Content-Type", "application/octet-stream")
	resp, err := c.http.Do(req)
	if err != nil {
		return nil, err
	}
	if resp.StatusCode != http.StatusOK {
		defer resp.Body.Close()
		pe := &ProblemError{Status: resp.StatusCode, Title: http.StatusText(resp.StatusCode),
			RetryAfter: retryAfter(resp.Header.Get("Retry-After"))}
		var doc struct{ Type, Title, Detail string }
		if json.NewDecoder(io.LimitReader(resp.Body, maxProblem)).Decode(&doc) == nil {
			pe.Type, pe.Detail = doc.Type, doc.Detail
			if doc.Title != "" {
				pe.Title = doc.Title
			}
		}
		return nil, pe
	}
	return resp, nil
}

// maxRetryAfter bounds the Retry-After we take from a server.
const maxRetryAfter = time.Hour

// retryAfter parses a Retry-After header (RFC 9110 §10.2.3): seconds, or
// an HTTP date; zero when absent or unreadable.
func retryAfter(v string) time.Duration {
	if v == "" {
		return 0
	}
	if n, err := strconv.ParseUint(v, 10, 32); err == nil {
		return min(time.Duration(n)*time.Second, maxRetryAfter)
	}
	if t, err := http.ParseTime(v); err == nil {
		return min(max(time.Until(t), 0), maxRetryAfter)
	}
	return 0
}
