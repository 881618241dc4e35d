// Package loadtest is `securemedia loadtest`: an operator's load generator
// that runs many verified plays of one item at once from one process, each
// in its own session (a full handshake, the play request, every chunk
// opened and checked against the signed manifest, the close), and reports
// how many succeeded, why the others failed, the aggregate throughput and
// the handshake latency. It sits on the client library only: what it
// measures is what viewers would see through the same URL (one server, or
// a balancer in front of replicas).
package loadtest

import (
	"context"
	"errors"
	"fmt"
	"io"
	"math"
	"slices"
	"sync"
	"time"

	"securemedia/client"
	"securemedia/content"
)

// Config is one load test.
type Config struct {
	// Dial opens a new session (a full handshake); every play dials its
	// own, and a play recovering from a transport fault dials again.
	Dial func(ctx context.Context) (*client.Conn, error)
	// Media is the item every play plays.
	Media content.ID
	// Plays is how many plays to run in all, Concurrency how many at once
	// (at most Plays).
	Plays, Concurrency int
	// Progress, when set, is called after each play ends, with the number
	// ended so far.
	Progress func(ended int)
}

// Report is the outcome of a load test; its JSON is `loadtest --json`.
type Report struct {
	Media       string `json:"media"`
	Plays       int    `json:"plays"`
	Concurrency int    `json:"concurrency"`
	Succeeded   int    `json:"succeeded"`
	// Failed counts the failed plays by reason ("handshake refused: 429
	// Too many sessions", "transport fault", "payment required", ...).
	Failed map[string]int `json:"failed"`
	// Bytes is the verified media delivered by the plays that succeeded,
	// Seconds the whole run, MBPerS their quotient (10^6 bytes a second).
	Bytes   int64   `json:"bytes"`
	Seconds float64 `json:"seconds"`
	MBPerS  float64 `json:"mb_per_s"`
	// Handshake latency in milliseconds, from the first hello to the
	// established session, admission retries included: p50 and p99 of
	// the handshakes that succeeded.
	HandshakeMsP50 float64 `json:"handshake_ms_p50"`
	HandshakeMsP99 float64 `json:"handshake_ms_p99"`
	// Resumes counts the plays' recoveries from transport faults.
	Resumes int `json:"resumes"`
}

// Run runs the load test until every play ended or ctx is done (the plays
// left then fail as "interrupted").
func Run(ctx context.Context, cfg Config) (*Report, error) {
	if cfg.Dial == nil || cfg.Plays <= 0 {
		return nil, errors.New("loadtest: a dial function and at least one play are needed")
	}
	c := min(max(cfg.Concurrency, 1), cfg.Plays)
	r := &Report{Media: cfg.Media.String(), Plays: cfg.Plays, Concurrency: c, Failed: map[string]int{}}
	var (
		mu         sync.Mutex
		handshakes []time.Duration
		ended      int
		wg         sync.WaitGroup
	)
	jobs := make(chan struct{})
	start := time.Now()
	for range c {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for range jobs {
				res := playOnce(ctx, cfg)
				mu.Lock()
				if res.handshake > 0 {
					handshakes = append(handshakes, res.handshake)
				}
				r.Resumes += res.resumes
				if res.err == nil {
					r.Succeeded++
					r.Bytes += res.bytes
				} else {
					r.Failed[Reason(res.err)]++
				}
				ended++
				n := ended
				mu.Unlock()
				if cfg.Progress != nil {
					cfg.Progress(n)
				}
			}
		}()
	}
	for range cfg.Plays {
		jobs <- struct{}{}
	}
	close(jobs)
	wg.Wait()
	r.Seconds = time.Since(start).Seconds()
	if r.Seconds > 0 {
		r.MBPerS = float64(r.Bytes) / 1e6 / r.Seconds
	}
	r.HandshakeMsP50, r.HandshakeMsP99 = percentile(handshakes, 0.50), percentile(handshakes, 0.99)
	return r, nil
}

// result is one play's outcome.
type result struct {
	handshake time.Duration
	bytes     int64
	resumes   int
	err       error
}

// playOnce dials, plays the whole item into nothing (every chunk verified
// first) and closes the session.
func playOnce(ctx context.Context, cfg Config) result {
	if err := ctx.Err(); err != nil {
		return result{err: err}
	}
	t0 := time.Now()
	conn, err := cfg.Dial(ctx)
	if err != nil {
		return result{err: fmt.Errorf("%w: %w", errHandshake, err)}
	}
	res := result{handshake: time.Since(t0)}
	defer func() {
		cctx, cancel := context.WithTimeout(context.Background(), closeTimeout)
		_ = conn.Close(cctx)
		cancel()
	}()
	st, err := conn.PlayWithLicense(ctx, cfg.Media, client.ToWriter(io.Discard), client.PlayOptions{Redial: cfg.Dial})
	if st != nil {
		res.resumes = st.Resumes
		if err == nil && (!st.Verified || st.Bytes != int64(st.Media.Size)) {
			err = fmt.Errorf("%d of %d bytes, verified %v", st.Bytes, st.Media.Size, st.Verified)
		}
		if err == nil {
			res.bytes = st.Bytes
		}
	}
	res.err = err
	return res
}

// closeTimeout bounds the authenticated close of a play's session.
const closeTimeout = 3 * time.Second

var errHandshake = errors.New("handshake")

// Reason names why a play failed, in a few stable words fit to count
// plays by: the class of the failure, never an identity or a media id.
func Reason(err error) string {
	var (
		pe *client.ProblemError
		se *client.StatusError
		pr *client.PaymentRequiredError
	)
	switch {
	case errors.Is(err, context.Canceled), errors.Is(err, context.DeadlineExceeded):
		return "interrupted"
	case errors.As(err, &pr):
		return "payment required"
	case errors.As(err, &pe) && errors.Is(err, errHandshake):
		return fmt.Sprintf("handshake refused: %d %s", pe.Status, pe.Title)
	case errors.Is(err, errHandshake):
		return "handshake failed"
	case errors.As(err, &se):
		return "server said: " + se.Status.String()
	case errors.Is(err, client.ErrContent):
		return "content verification failed"
	case errors.Is(err, client.ErrChannel):
		return "secure channel failed"
	case errors.Is(err, client.ErrTransport) && errors.As(err, &pe):
		return fmt.Sprintf("transport fault: %d %s", pe.Status, pe.Title)
	case errors.Is(err, client.ErrTransport):
		return "transport fault"
	}
	return "other"
}

// percentile is the q-quantile of ds in milliseconds (nearest rank), 0
// for none.
func percentile(ds []time.Duration, q float64) float64 {
	if len(ds) == 0 {
		return 0
	}
	s := slices.Clone(ds)
	slices.Sort(s)
	i := int(math.Ceil(q*float64(len(s)))) - 1
	i = min(max(i, 0), len(s)-1)
	return float64(s[i].Microseconds()) / 1000
}
