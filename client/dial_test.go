package client

import (
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509"
	"errors"
	"net/http"
	"net/http/httptest"
	"strconv"
	"sync/atomic"
	"testing"
	"time"

	"securemedia/protocol"
)

// refusingServer answers every hello with status and Retry-After
// retryAfter (when not empty) for the first refusals, then with bytes
// that are no server flight.
func refusingServer(t *testing.T, refusals int, status int, retryAfter string) (*httptest.Server, *atomic.Int32) {
	t.Helper()
	var hellos atomic.Int32
	hs := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if n := hellos.Add(1); int(n) <= refusals {
			if retryAfter != "" {
				w.Header().Set("Retry-After", retryAfter)
			}
			w.Header().Set("Content-Type", "application/problem+json")
			w.WriteHeader(status)
			w.Write([]byte(`{"type":"urn:securemedia:problem:busy","title":"Too many sessions","status":` + strconv.Itoa(status) + `}`))
			return
		}
		w.Write([]byte("not a server flight"))
	}))
	t.Cleanup(hs.Close)
	return hs, &hellos
}

// dialConfig is a client configuration whose handshake never gets far:
// enough to count the hellos Dial sends and the waits between them.
func dialConfig(t *testing.T, url string, waits *[]time.Duration) Config {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	return Config{Server: url, Protocol: &protocol.Config{Certificate: [][]byte{{1}}, PrivateKey: key,
		VerifyPeer: func(chain, crls [][]byte) (*x509.Certificate, error) { return nil, errors.New("no") }},
		Backoff: Backoff{sleep: func(_ context.Context, d time.Duration) error { *waits = append(*waits, d); return nil }}}
}

func TestDialRetriesARefusedHelloWithAJitteredExponentialBackoff(t *testing.T) {
	hs, hellos := refusingServer(t, 4, http.StatusTooManyRequests, "0")
	var waits []time.Duration
	_, err := Dial(context.Background(), dialConfig(t, hs.URL, &waits))
	var pe *ProblemError
	if err == nil || errors.As(err, &pe) || hellos.Load() != 5 {
		t.Fatalf("after 4 refusals: %v, %d hellos; want the fifth to get through (and fail on its garbage)", err, hellos.Load())
	}
	if len(waits) != 4 {
		t.Fatalf("%d waits", len(waits))
	}
	for i, w := range waits {
		d := min(DefaultBackoffInitial<<i, DefaultBackoffMax)
		if w < d/2 || w > d {
			t.Errorf("wait %d is %v, want within [%v, %v]", i+1, w, d/2, d)
		}
	}
}

func TestDialGivesUpAfterItsAttemptsOrWhenTheServerAsksForLonger(t *testing.T) {
	tests := []struct {
		name       string
		status     int
		retryAfter string
		hellos     int32
		minWait    time.Duration
	}{
		{"refused five times", http.StatusTooManyRequests, "", 5, 0},
		{"told to wait longer than the backoff allows", http.StatusTooManyRequests, "10", 1, 0},
		{"told to wait two seconds, within the backoff", http.StatusTooManyRequests, "2", 5, 2 * time.Second},
		{"a draining server", http.StatusServiceUnavailable, "1", 5, time.Second},
		{"refused for the hello's content", http.StatusBadRequest, "", 1, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			hs, hellos := refusingServer(t, 100, tt.status, tt.retryAfter)
			var waits []time.Duration
			_, err := Dial(context.Background(), dialConfig(t, hs.URL, &waits))
			var pe *ProblemError
			if !errors.As(err, &pe) || pe.Status != tt.status || hellos.Load() != tt.hellos {
				t.Fatalf("got %v after %d hellos, want %d then the problem", err, hellos.Load(), tt.hellos)
			}
			if want, _ := strconv.Atoi(tt.retryAfter); pe.RetryAfter != time.Duration(want)*time.Second {
				t.Errorf("RetryAfter = %v", pe.RetryAfter)
			}
			for _, w := range waits {
				if w < tt.minWait {
					t.Errorf("waited %v, less than the server's Retry-After", w)
				}
			}
		})
	}
}

func TestDialStopsWaitingWhenItsContextEnds(t *testing.T) {
	hs, hellos := refusingServer(t, 100, http.StatusTooManyRequests, "1")
	ctx, cancel := context.WithCancel(context.Background())
	cfg := dialConfig(t, hs.URL, new([]time.Duration))
	cfg.Backoff.sleep = func(ctx context.Context, d time.Duration) error {
		cancel()
		return sleepCtx(ctx, d)
	}
	_, err := Dial(ctx, cfg)
	var pe *ProblemError
	if !errors.As(err, &pe) || hellos.Load() != 1 {
		t.Fatalf("got %v after %d hellos", err, hellos.Load())
	}
}

func TestRetryAfterReadsSecondsAndDates(t *testing.T) {
	for in, want := range map[string]time.Duration{
		"":         0,
		"0":        0,
		"3":        3 * time.Second,
		"-1":       0,
		"soon":     0,
		"99999999": maxRetryAfter,
		time.Now().Add(-time.Minute).UTC().Format(http.TimeFormat): 0,
	} {
		if got := retryAfter(in); got != want {
			t.Errorf("retryAfter(%q) = %v, want %v", in, got, want)
		}
	}
	if got := retryAfter(time.Now().Add(90 * time.Second).UTC().Format(http.TimeFormat)); got < 80*time.Second || got > 90*time.Second {
		t.Errorf("a date 90 s ahead: %v", got)
	}
}

func TestOnlyRefusalsForLoadAreRetried(t *testing.T) {
	b := Backoff{}.withDefaults()
	for _, tt := range []struct {
		pe    *ProblemError
		retry bool
	}{
		{&ProblemError{Status: http.StatusTooManyRequests, step: stepHello}, true},
		{&ProblemError{Status: http.StatusServiceUnavailable, step: stepHello}, true},
		{&ProblemError{Status: http.StatusNotFound, step: stepFinish}, true}, // the half-open session expired or was evicted
		{&ProblemError{Status: http.StatusNotFound, step: stepHello}, false},
		{&ProblemError{Status: http.StatusForbidden, step: stepFinish}, false},
		{&ProblemError{Status: http.StatusBadRequest, step: stepHello}, false},
	} {
		if _, ok := b.wait(1, tt.pe); ok != tt.retry {
			t.Errorf("%d at step %d: retry = %v", tt.pe.Status, tt.pe.step, ok)
		}
	}
	if _, ok := b.wait(1, errors.New("connection refused")); ok {
		t.Error("a transport error retried")
	}
}

// The backoff of Dial and the recovery of a play wait the same way: the
// initial wait doubled per retry up to the bound, jittered to between
// half and all of itself, never overflowing.
func TestDoublingWaitDoublesUpToItsBoundJittered(t *testing.T) {
	const initial, bound = 100 * time.Millisecond, 3 * time.Second
	for _, tt := range []struct {
		n    int
		full time.Duration
	}{{1, 100 * time.Millisecond}, {2, 200 * time.Millisecond}, {5, 1600 * time.Millisecond}, {6, bound}, {40, bound}, {1 << 20, bound}} {
		for range 50 {
			if d := doublingWait(initial, bound, tt.n); d < tt.full/2 || d > tt.full {
				t.Fatalf("wait before retry %d: %s, want within [%s, %s]", tt.n, d, tt.full/2, tt.full)
			}
		}
	}
	if d := (RetryPolicy{}).withDefaults().wait(100); d < DefaultRetryMax/2 || d > DefaultRetryMax {
		t.Fatalf("a play's recovery waits %s after many tries, want within its bound %s", d, DefaultRetryMax)
	}
}
