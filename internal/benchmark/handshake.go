package benchmark

import (
	"context"
	"fmt"
)

// smHandshakes runs n full mutually authenticated securemedia handshakes
// (hello, server flight, finish, confirmation) each followed by the
// authenticated close, one after the other, each on a fresh HTTP transport
// and so on a fresh TCP connection as the TLS baseline.
func (v *viewer) smHandshakes(ctx context.Context, n int) error {
	for range n {
		hc := newPlainHTTPClient()
		conn, err := v.dial(ctx, hc)
		if err != nil {
			return fmt.Errorf("securemedia handshake: %w", err)
		}
		if err := closeConn(conn); err != nil {
			return fmt.Errorf("securemedia close: %w", err)
		}
		hc.CloseIdleConnections()
	}
	return nil
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
