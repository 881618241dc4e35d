package loadtest

import (
	"context"
	"errors"
	"fmt"
	"sync/atomic"
	"testing"
	"time"

	"securemedia/client"
	"securemedia/message"
)

func TestPercentileIsTheNearestRank(t *testing.T) {
	var ds []time.Duration
	for i := 1; i <= 100; i++ {
		ds = append(ds, time.Duration(101-i)*time.Millisecond)
	}
	for _, c := range []struct {
		q    float64
		want float64
	}{{0.50, 50}, {0.99, 99}, {1, 100}, {0, 1}} {
		if got := percentile(ds, c.q); got != c.want {
			t.Errorf("p%v = %v ms, want %v", c.q*100, got, c.want)
		}
	}
	if percentile(nil, 0.5) != 0 {
		t.Error("the percentile of nothing is not 0")
	}
}

func TestAFailureIsCountedByItsClassNeverItsDetail(t *testing.T) {
	for _, c := range []struct {
		err  error
		want string
	}{
		{fmt.Errorf("%w: %w", errHandshake, &client.ProblemError{Status: 429, Title: "Too many sessions", Detail: "try again later"}), "handshake refused: 429 Too many sessions"},
		{fmt.Errorf("%w: connection refused", errHandshake), "handshake failed"},
		{&client.PaymentRequiredError{Message: "no views left on license 1234"}, "payment required"},
		{&client.StatusError{Op: message.OpFetch, Status: message.StatusForbidden, Message: "license 1234 revoked"}, "server said: forbidden"},
		{fmt.Errorf("%w: %w", client.ErrTransport, &client.ProblemError{Status: 404, Title: "No such session"}), "transport fault: 404 No such session"},
		{fmt.Errorf("%w: reset", client.ErrTransport), "transport fault"},
		{fmt.Errorf("%w: bad record", client.ErrChannel), "secure channel failed"},
		{fmt.Errorf("chunk 3: %w", client.ErrContent), "content verification failed"},
		{context.Canceled, "interrupted"},
		{errors.New("media 3f2a... is odd"), "other"},
	} {
		if got := Reason(c.err); got != c.want {
			t.Errorf("Reason(%v) = %q, want %q", c.err, got, c.want)
		}
	}
}

func TestRunRunsEveryPlayWithAtMostTheConcurrencyInFlight(t *testing.T) {
	var inFlight, most, dials atomic.Int64
	dial := func(ctx context.Context) (*client.Conn, error) {
		n := inFlight.Add(1)
		defer inFlight.Add(-1)
		for {
			m := most.Load()
			if n <= m || most.CompareAndSwap(m, n) {
				break
			}
		}
		dials.Add(1)
		return nil, &client.ProblemError{Status: 429, Title: "Too many sessions"}
	}
	var ended atomic.Int64
	r, err := Run(context.Background(), Config{Dial: dial, Plays: 50, Concurrency: 7, Progress: func(int) { ended.Add(1) }})
	if err != nil {
		t.Fatal(err)
	}
	if dials.Load() != 50 || ended.Load() != 50 || most.Load() > 7 {
		t.Fatalf("%d dials, %d ended, %d at once; want 50, 50, at most 7", dials.Load(), ended.Load(), most.Load())
	}
	if r.Plays != 50 || r.Succeeded != 0 || r.Failed["handshake refused: 429 Too many sessions"] != 50 || r.Concurrency != 7 {
		t.Fatalf("report %+v", r)
	}
	if _, err := Run(context.Background(), Config{Plays: 1}); err == nil {
		t.Fatal("a load test without a dial function ran")
	}
}
