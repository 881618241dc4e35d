package benchmark

import (
	"context"
	"fmt"
	"time"
)

// smHandshakes runs n full mutually authenticated securemedia handshakes
// (hello, server flight, finish, confirmation) each followed by the
// authenticated close, one after the other, each on a fresh HTTP transport
// and so on a fresh TCP connection as the TLS baseline.
func (v *viewer) smHandshakes(ctx context.Context, n int) (time.Duration, error) {
	start := time.Now()
	for range n {
		hc := newPlainHTTPClient()
		conn, err := v.dial(ctx, hc)
		if err != nil {
			return 0, fmt.Errorf("securemedia handshake: %w", err)
		}
		if err := closeConn(conn); err != nil {
			return 0, fmt.Errorf("securemedia close: %w", err)
		}
		hc.CloseIdleConnections()
	}
	return time.Since(start), nil
}

// tlsHandshakes runs n full mutual TLS 1.3 handshakes, each on a fresh
// connection, without resumption.
func (b *tlsBaseline) tlsHandshakes(ctx context.Context, addr string, n int) (time.Duration, error) {
	start := time.Now()
	for range n {
		if err := b.handshake(ctx, addr); err != nil {
			return 0, err
		}
	}
	return time.Since(start), nil
}
