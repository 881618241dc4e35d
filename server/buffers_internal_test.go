package server

import (
	"context"
	"runtime"
	"testing"

	"securemedia/protocol"
)

func TestChunkTurnsAreBoundedAndAWaitEndsWithItsContext(t *testing.T) {
	var b chunkBuffers
	want := max(8, turnsPerCPU*runtime.GOMAXPROCS(0))
	for range want {
		if err := b.turn(context.Background()); err != nil {
			t.Fatal(err)
		}
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if err := b.turn(ctx); err == nil {
		t.Fatalf("a turn beyond the %d there are", want)
	}
	b.done()
	if err := b.turn(context.Background()); err != nil {
		t.Fatalf("the turn given back: %v", err)
	}
}

func TestReadAheadPlacesAreBoundedAndNeverWaitedFor(t *testing.T) {
	var b chunkBuffers
	want := max(8, turnsPerCPU*runtime.GOMAXPROCS(0))
	for i := range want {
		if !b.reserveAhead() {
			t.Fatalf("place %d of %d refused", i+1, want)
		}
	}
	if b.reserveAhead() {
		t.Fatalf("a read-ahead place beyond the %d there are", want)
	}
	b.releaseAhead()
	if !b.reserveAhead() {
		t.Fatal("the place given back is not free")
	}
}

func TestAChunkBufferHasRoomForItsRecordSealedInPlace(t *testing.T) {
	var b chunkBuffers
	for _, size := range []int{16 << 10, 256 << 10, 4 << 20} {
		p := b.get(size)
		// The record: header, the chunk padded to its size, its length
		// and the largest protection of any suite.
		if need := size + 4 + protocol.MaxRecordOverhead; len(*p) != 0 || cap(*p) < need {
			t.Fatalf("a buffer for %d-byte chunks: len %d cap %d, want empty with room for %d", size, len(*p), cap(*p), need)
		}
		b.put(p)
	}
}
