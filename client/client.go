package client

import (
	"bytes"
	"context"
	"crypto/x509"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/url"
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
	// sensible timeouts.
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
}

// ProblemError is a problem document the server answered with.
type ProblemError struct {
	Status int
	Type   string
	Title  string
	Detail string
}

func (e *ProblemError) Error() string {
	msg := fmt.Sprintf("server answered %d %s", e.Status, e.Title)
	if e.Detail != "" {
		msg += ": " + e.Detail
	}
	return msg
}

// Dial runs the handshake and returns the established connection.
func Dial(ctx context.Context, cfg Config) (*Conn, error) {
	base, err := url.Parse(strings.TrimRight(cfg.Server, "/"))
	if err != nil || (base.Scheme != "http" && base.Scheme != "https") || base.Host == "" {
		return nil, fmt.Errorf("server URL %q: want http://host:port", cfg.Server)
	}
	hc := cfg.HTTPClient
	if hc == nil {
		hc = &http.Client{Transport: &http.Transport{
			MaxIdleConnsPerHost:   4,
			IdleConnTimeout:       90 * time.Second,
			ResponseHeaderTimeout: httpTimeout,
		}}
	}
	log := cfg.Logger
	if log == nil {
		log = slog.New(slog.NewTextHandler(io.Discard, nil))
	}
	c := &Conn{cfg: cfg, base: base, http: hc, log: log, verifyLicense: cfg.VerifyLicense, verifyContent: cfg.VerifyContent}
	if cfg.Protocol != nil && cfg.Protocol.User != nil && len(cfg.Protocol.User.Chain) > 0 {
		if leaf, err := x509.ParseCertificate(cfg.Protocol.User.Chain[0]); err == nil {
			c.userID = leaf.Subject.SerialNumber
		}
	}
	hs, err := protocol.NewClientHandshake(cfg.Protocol)
	if err != nil {
		return nil, err
	}
	defer hs.Erase()
	hello, err := hs.Hello()
	if err != nil {
		return nil, err
	}
	for attempt := 0; ; attempt++ {
		reply, err := c.post(ctx, "/v1/handshake", hello, maxServerFlight)
		if err != nil {
			return nil, fmt.Errorf("handshake: %w", err)
		}
		retry, err := hs.ReadServerFlight(reply)
		if err != nil {
			return nil, fmt.Errorf("handshake: %w", err)
		}
		if !retry {
			break
		}
		if attempt > 0 {
			return nil, errors.New("handshake: server asked for a second retry")
		}
		if hello, err = hs.Hello(); err != nil {
			return nil, err
		}
	}
	id := hs.SessionID()
	c.sessURL = "/v1/session/" + hex.EncodeToString(id[:])
	fin, err := hs.Finish()
	if err != nil {
		return nil, fmt.Errorf("handshake: %w", err)
	}
	reply, err := c.post(ctx, c.sessURL+"/finish", fin, maxServerFlight)
	if err != nil {
		return nil, fmt.Errorf("handshake: %w", err)
	}
	if c.sess, err = hs.ReadServerFinished(reply); err != nil {
		return nil, fmt.Errorf("handshake: %w", err)
	}
	log.Debug("session established", "suite", c.sess.Suite(), "group", c.sess.Group())
	return c, nil
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
		pe := &ProblemError{Status: resp.StatusCode, Title: http.StatusText(resp.StatusCode)}
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
