package server_test

import (
	"context"
	"io"
	"net/http"
	"testing"

	"securemedia/client"
	"securemedia/internal/testbed"
	"securemedia/protocol"
)

// BenchmarkFullHandshake is one full mutually authenticated handshake
// (device key only, ECDSA P-256 as `securemedia init` makes them) and its
// authenticated close, over real HTTP on a fresh connection each time, as
// `securemedia bench` measures it; both sides run in this process, so a
// CPU profile shows both:
//
//	go test ./server -run '^$' -bench FullHandshake -cpuprofile cpu.out
//
// The finish travels with the close (client.Config.FinishWithFirstRequest,
// as `securemedia` sends it), or on its own in the "finish-apart" runs.
func BenchmarkFullHandshake(b *testing.B) {
	for _, run := range []struct {
		name  string
		group protocol.GroupID
		apart bool
	}{{"x25519", protocol.GroupX25519, false}, {"p256", protocol.GroupP256, false}, {"x25519/finish-apart", protocol.GroupX25519, true}} {
		g := run.group
		b.Run(run.name, func(b *testing.B) {
			bed := testbed.New(b, testbed.Options{})
			cfg := bed.ClientConfig(b)
			cfg.FinishWithFirstRequest = !run.apart
			cfg.Protocol.Suites, cfg.Protocol.Groups = []protocol.SuiteID{protocol.DH_AES128_GCM_SHA256}, []protocol.GroupID{g}
			ctx := context.Background()
			b.ReportAllocs()
			for b.Loop() {
				tr := &http.Transport{}
				cfg.HTTPClient = &http.Client{Transport: tr}
				conn, err := client.Dial(ctx, cfg)
				if err != nil {
					b.Fatal(err)
				}
				if err := conn.Close(ctx); err != nil {
					b.Fatal(err)
				}
				tr.CloseIdleConnections()
			}
		})
	}
}

// BenchmarkFetch64Chunks is one fetch of 64 chunks of 256 KiB (16 MiB, the
// most one fetch asks for) over real HTTP, the steady chunk path of the
// server (DESIGN.md §3): at-rest read and open, seal, write. The client
// opens each record without checking the manifest, so that the profile
// and the allocations are mostly the server's; both sides run in this
// process:
//
//	go test ./server -run '^$' -bench Fetch64Chunks -benchmem -cpuprofile cpu.out
func BenchmarkFetch64Chunks(b *testing.B) {
	const chunk, chunks = 256 << 10, 64
	bed := testbed.New(b, testbed.Options{ChunkSize: chunk})
	id := bed.AddMedia(b, "Sixty-four", randomMedia(b, chunks*chunk))
	mid := mediaID(b, id)
	ctx := context.Background()
	conn := bed.Dial(b, bed.ClientConfig(b))
	defer conn.Close(ctx)
	opts := client.PlayOptions{ChunksPerRequest: chunks, InsecureSkipContentVerification: true}
	b.SetBytes(chunks * chunk)
	b.ReportAllocs()
	for b.Loop() {
		st, err := conn.Play(ctx, mid, io.Discard, opts)
		if err != nil || st.Chunks != chunks {
			b.Fatalf("%v, %+v", err, st)
		}
	}
}
