package netlimit

import (
	"net"
	"testing"
	"time"
)

func TestHostIsTheAddressOrTheIPv6Slash64(t *testing.T) {
	for _, tt := range []struct{ addr, want string }{
		{"127.0.0.1:4000", "127.0.0.1"},
		{"192.0.2.7", "192.0.2.7"},
		{"[2001:db8:1:2:aaaa::1]:443", "2001:db8:1:2::/64"},
		{"[2001:db8:1:2:bbbb::9]:80", "2001:db8:1:2::/64"},
		{"[::ffff:192.0.2.7]:80", "::ffff:192.0.2.7"},
		{"pipe", "pipe"},
	} {
		if got := Host(tt.addr); got != tt.want {
			t.Errorf("Host(%q) = %q, want %q", tt.addr, got, tt.want)
		}
	}
}

// TestAHostBeyondItsShareIsClosedAtOnceAndGetsItsPlaceBackOnClose: with a
// share of two, a host's third connection is closed as soon as it is
// accepted (its reads end), its first two are served; once one of them
// closes, a new connection of the host is accepted again. Each place is
// given back once, however often its connection is closed.
func TestAHostBeyondItsShareIsClosedAtOnceAndGetsItsPlaceBackOnClose(t *testing.T) {
	tcp, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	refused := make(chan string, 8)
	ln := PerHost(tcp, 2, func(h string) { refused <- h })
	defer ln.Close()
	accepted := make(chan net.Conn, 8)
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			accepted <- c
		}
	}()
	dial := func() net.Conn {
		t.Helper()
		c, err := net.Dial("tcp", tcp.Addr().String())
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { c.Close() })
		return c
	}
	first, _ := dial(), dial()
	a1, a2 := <-accepted, <-accepted
	third := dial()
	if h := <-refused; h != "127.0.0.1" {
		t.Fatalf("refused host %q", h)
	}
	third.SetReadDeadline(time.Now().Add(10 * time.Second))
	if n, err := third.Read(make([]byte, 1)); n != 0 || err == nil {
		t.Fatalf("the third connection read %d bytes, %v: want it closed", n, err)
	}
	select {
	case c := <-accepted:
		t.Fatalf("a connection beyond the share was accepted: %v", c.RemoteAddr())
	default:
	}
	_ = first
	a1.Close()
	a1.Close() // a second close gives nothing back twice
	dial()
	<-accepted
	dial()
	if h := <-refused; h != "127.0.0.1" {
		t.Fatalf("refused host %q", h)
	}
	a2.Close()
}
