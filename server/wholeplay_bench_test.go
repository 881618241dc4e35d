package server_test

import (
	"context"
	"io"
	"net/http"
	"sync"
	"testing"
	"time"

	"securemedia/client"
	"securemedia/internal/testbed"
	"securemedia/license"
	"securemedia/token/provision"
)

// timedTransport records, per request of one play, when it was sent and
// when its answer's headers arrived, relative to start.
type timedTransport struct {
	rt    http.RoundTripper
	start time.Time
	mu    sync.Mutex
	spans [][2]time.Duration
}

func (t *timedTransport) RoundTrip(r *http.Request) (*http.Response, error) {
	s := time.Since(t.start)
	resp, err := t.rt.RoundTrip(r)
	t.mu.Lock()
	t.spans = append(t.spans, [2]time.Duration{s, time.Since(t.start)})
	t.mu.Unlock()
	return resp, err
}

// BenchmarkWholeLicensedPlay is `securemedia bench`'s whole play of a
// 3.4 MB item in this process: a fresh connection, the handshake with
// an identity card (RSA 2048, as the bench's), Info, the play request
// under a license on SQLite, every chunk verified, the close. It
// reports, per request, the mean time to its answer's headers and the
// client's time before it (the gap after the previous answer):
//
//	go test ./server -run '^$' -bench WholeLicensedPlay -cpuprofile cpu.out
func BenchmarkWholeLicensedPlay(b *testing.B) {
	b.Run("licensed", func(b *testing.B) {
		bed := testbed.New(b, testbed.Options{Users: &testbed.UsersOptions{DefaultPolicy: &license.Policy{}}})
		card := bed.Users.NewCard(b, provision.DemoCardOptions{KeyType: "rsa2048", SerialNumber: "BI200000002", HolderName: "Rui Bench"})
		bed.Users.Register(b, card)
		cfg := bed.Users.ClientConfig(b, bed.Users.OpenCard(b, card))
		b.Run("finish-apart", func(b *testing.B) { wholePlays(b, bed, cfg) })
		// As `securemedia play` sends it: the finish with the first
		// request, Info (client.Config.FinishWithFirstRequest).
		with := cfg
		with.FinishWithFirstRequest = true
		b.Run("finish-with-info", func(b *testing.B) { wholePlays(b, bed, with) })
	})
	b.Run("device-only", func(b *testing.B) {
		bed := testbed.New(b, testbed.Options{})
		wholePlays(b, bed, bed.ClientConfig(b))
	})
}

// wholePlays is the loop of BenchmarkWholeLicensedPlay against bed.
func wholePlays(b *testing.B, bed *testbed.Bed, cfg client.Config) {
	const size = 3_400_000
	mid := mediaID(b, bed.AddMedia(b, "Whole play", randomMedia(b, size)))
	ctx := context.Background()
	steps := []string{"hello", "finish", "info", "play", "fetch", "close"}
	if cfg.FinishWithFirstRequest {
		steps = []string{"hello", "finish+info", "play", "fetch", "close"}
	}
	sums := make([][2]time.Duration, len(steps))
	b.ReportAllocs()
	for b.Loop() {
		tr := &http.Transport{}
		tt := &timedTransport{rt: tr, start: time.Now()}
		cfg.HTTPClient = &http.Client{Transport: tt}
		conn, err := client.Dial(ctx, cfg)
		if err != nil {
			b.Fatal(err)
		}
		st, err := conn.PlayWithLicense(ctx, mid, client.ToWriter(io.Discard), client.PlayOptions{})
		if err != nil || st.Bytes != size {
			b.Fatalf("%v, %+v", err, st)
		}
		if err := conn.Close(ctx); err != nil {
			b.Fatal(err)
		}
		tr.CloseIdleConnections()
		if len(tt.spans) != len(steps) {
			b.Fatalf("%d requests, want %d", len(tt.spans), len(steps))
		}
		var prev time.Duration
		for i, s := range tt.spans {
			sums[i][0] += s[0] - prev
			sums[i][1] += s[1] - s[0]
			prev = s[1]
		}
	}
	n := float64(b.N)
	for i, s := range sums {
		b.ReportMetric(float64(s[0].Microseconds())/n, steps[i]+"-before-µs")
		b.ReportMetric(float64(s[1].Microseconds())/n, steps[i]+"-µs")
	}
}
