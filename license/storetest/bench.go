package storetest

import (
	"context"
	"crypto/rand"
	"fmt"
	"sync/atomic"
	"testing"

	"securemedia/license"
)

// BenchPlayAuthorization measures Service.Play (issue or find, consume one
// view atomically, sign a token, issue a grant) plus one CheckChunk, from
// parallel goroutines, each playing its own title on an unlimited license.
// It reports authorizations per second.
func BenchPlayAuthorization(b *testing.B, s license.Store) {
	f := newFixture(b, s)
	ctx := context.Background()
	var worker atomic.Int64
	b.ResetTimer()
	b.RunParallel(func(pb *testing.PB) {
		media := fmt.Sprintf("bench-media-%d", worker.Add(1))
		sid := make([]byte, 16)
		rand.Read(sid)
		for pb.Next() {
			res, err := f.service.Play(ctx, alice, media, sid, license.Policy{})
			if err != nil {
				b.Error(err)
				return
			}
			if err := f.service.CheckChunk(ctx, res.Grant, sid, media); err != nil {
				b.Error(err)
				return
			}
		}
	})
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "authorizations/s")
}
