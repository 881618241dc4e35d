package benchmark

import (
	"context"
	"fmt"
	"time"
)

// smHandshakes runs n full mutually authenticated securemedia handshakes
// (hello, server flight, finish, confirmation) each followed by the
// authenticated close, one after the other, each on a fresh HTTP transport
// and so on a fresh TCP connection as the TLS baseline. As the product
// does, the finish travels with the first request, here the close: two
// exchanges. For a viewer whose finish is sent on its own (finishApart:
// three exchanges), the time spent in the handshakes alone, without the
// closes, is returned (a diagnostic: the close is one more round trip,
// which TLS's close_notify is not); for one that carries the finish the
// time returned covers the hellos alone and means nothing.
func (v *viewer) smHandshakes(ctx context.Context, n int) (time.Duration, error) {
	var dialing time.Duration
	for range n {
		hc := newPlainHTTPClient()
		start := time.Now()
		conn, err := v.dial(ctx, hc)
		dialing += time.Since(start)
		if err != nil {
			return 0, fmt.Errorf("securemedia handshake: %w", err)
		}
		if err := closeConn(conn); err != nil {
			return 0, fmt.Errorf("securemedia close: %w", err)
		}
		hc.CloseIdleConnections()
	}
	return dialing, nil
}

// tlsHandshakes runs n full mutual TLS 1.3 handshakes, each on a fresh
// connection, without resumption.
func (b *tlsBaseline) tlsHandshakes(ctx context.Context, addr string, n int) error {
	for range n {
		if err := b.handshake(ctx, addr); err != nil {
			return err
		}
	}
	return nil
}
