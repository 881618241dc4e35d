package server

import (
	"context"
	"runtime"
	"testing"
)

func TestChunkTurnsAreBoundedAndAWaitEndsWithItsContext(t *testing.T) {
	var b chunkBuffers
	want := max(8, turnsPerCPU*runtime.GOMAXPROCS(0))
	var held []*[]byte
	for range want {
		p, err := b.turn(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		held = append(held, p)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := b.turn(ctx); err == nil {
		t.Fatalf("a turn beyond the %d there are", want)
	}
	b.done(held[0])
	if p, err := b.turn(context.Background()); err != nil || len(*p) != 0 || cap(*p) == 0 {
		t.Fatalf("the turn given back: %v", err)
	}
}
