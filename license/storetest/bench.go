package storetest

import (
	"context"
	"fmt"
	"sync/atomic"
	"testing"
	"time"

	"securemedia/license"
)

// Bench runs the benchmarks of the license layer on a store: play start,
// the per-fetch authorization and the per-chunk check.
func Bench(b *testing.B, newDB func(t testing.TB) DB) {
	b.Run("PlayStart", func(b *testing.B) { BenchPlayStart(b, newDB(b).Open(b)) })
	b.Run("Authorize", func(b *testing.B) { BenchAuthorize(b, newDB(b).Open(b)) })
	b.Run("ChunkCheck", func(b *testing.B) { BenchChunkCheck(b, newDB(b).Open(b)) })
}

// BenchPlayStart measures the start of a play as the server runs it: the
// play request (Service.StartPlay: one transaction, a signed token, a
// grant), the first fetch's authorization (one read) and the count at its
// first chunk (one transaction), from parallel goroutines, each playing its
// own title on an unlimited license in a fresh session per play. It
// reports plays per second.
func BenchPlayStart(b *testing.B, s license.Store) {
	f := newFixture(b, s)
	ctx := context.Background()
	var worker atomic.Int64
	b.ResetTimer()
	b.RunParallel(func(pb *testing.PB) {
		media := fmt.Sprintf("bench-media-%d", worker.Add(1))
		for pb.Next() {
			sid := session(b)
			pg, err := f.service.StartPlay(ctx, license.PlayRequest{UserID: alice, MediaID: media, Session: sid, Chunks: 64})
			if err != nil {
				b.Error(err)
				return
			}
			a, err := f.service.Authorize(ctx, pg.Grant, sid, media, 0)
			if err == nil {
				err = f.service.Count(ctx, a)
			}
			if err != nil {
				b.Error(err)
				return
			}
			f.service.Progress(ctx, a)
		}
	})
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "plays/s")
}

// BenchChunkCheck measures the per-chunk grant check of a fetch
// (Authorization.Check and Delivered, from memory): the cost a chunk pays
// for the license layer once its fetch is authorized.
func BenchChunkCheck(b *testing.B, s license.Store) {
	f := newFixture(b, s)
	ctx := context.Background()
	pl := f.start(b, alice, movie, license.Policy{Views: 5, Period: time.Hour}, 1<<31)
	a, err := f.service.Authorize(ctx, pl.pg.Grant, pl.sid, movie, 0)
	if err != nil {
		b.Fatal(err)
	}
	if err := f.service.Count(ctx, a); err != nil {
		b.Fatal(err)
	}
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		n := uint32(i) % (1 << 31)
		if err := a.Check(n, time.Now()); err != nil {
			b.Fatal(err)
		}
		a.Delivered(n)
	}
	b.StopTimer()
	f.service.Progress(ctx, a)
}

// BenchAuthorize measures the per-fetch cost of the license layer: the
// grant's MAC, the one store read of the play, its license and its user,
// and the in-memory bookkeeping (Authorize, then Progress with nothing new
// to store). A fetch carries up to 64 chunks.
func BenchAuthorize(b *testing.B, s license.Store) {
	f := newFixture(b, s)
	ctx := context.Background()
	pl := f.start(b, alice, movie, license.Policy{}, 1<<20)
	pl.mustFetch(0, 1)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		a, err := f.service.Authorize(ctx, pl.pg.Grant, pl.sid, movie, 0)
		if err != nil {
			b.Fatal(err)
		}
		f.service.Progress(ctx, a)
	}
}
