package server_test

import (
	"context"
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
func BenchmarkFullHandshake(b *testing.B) {
	for _, g := range []protocol.GroupID{protocol.GroupX25519, protocol.GroupP256} {
		b.Run(g.String(), func(b *testing.B) {
			bed := testbed.New(b, testbed.Options{})
			cfg := bed.ClientConfig(b)
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
