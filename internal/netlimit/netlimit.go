// Package netlimit bounds how many connections one client host holds open
// on a listener (DESIGN.md §4 "Limits"), so that a listener's overall cap
// on open connections cannot be filled by a single host: a connection
// beyond a host's share is closed as soon as it is accepted, before a byte
// of it is read.
//
// A host is the unit the server's other per-client caps use (Host): an
// IPv4 address, or an IPv6 /64, which one machine can rotate addresses
// within. Behind a reverse proxy every connection comes from the proxy:
// raise the share to what the proxy may open.
package netlimit

import (
	"net"
	"sync"
)

// Host is the unit of the per-client caps for a remote address
// (host:port, or a bare host): an IPv4 address, or the /64 of an IPv6 one.
// An address that is not an IP stands for itself.
func Host(addr string) string {
	host, _, err := net.SplitHostPort(addr)
	if err != nil {
		host = addr
	}
	ip := net.ParseIP(host)
	if ip == nil || ip.To4() != nil {
		return host
	}
	return ip.Mask(net.CIDRMask(64, 128)).String() + "/64"
}

// PerHost returns l with at most max connections of one host (Host) open
// at once; max must be at least 1. A connection beyond is closed at once,
// and refused (when not nil) is told of it.
func PerHost(l net.Listener, max int, refused func(host string)) net.Listener {
	return &listener{Listener: l, max: max, refused: refused, open: map[string]int{}}
}

type listener struct {
	net.Listener
	max     int
	refused func(string)

	mu   sync.Mutex
	open map[string]int // open connections per host; no entry at zero
}

func (l *listener) Accept() (net.Conn, error) {
	for {
		c, err := l.Listener.Accept()
		if err != nil {
			return nil, err
		}
		host := Host(c.RemoteAddr().String())
		if l.take(host) {
			return &conn{Conn: c, release: func() { l.give(host) }}, nil
		}
		c.Close()
		if l.refused != nil {
			l.refused(host)
		}
	}
}

func (l *listener) take(host string) bool {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.open[host] >= l.max {
		return false
	}
	l.open[host]++
	return true
}

func (l *listener) give(host string) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.open[host]--; l.open[host] <= 0 {
		delete(l.open, host)
	}
}

// conn gives its host's place back once, at its first Close.
type conn struct {
	net.Conn
	once    sync.Once
	release func()
}

func (c *conn) Close() error {
	err := c.Conn.Close()
	c.once.Do(c.release)
	return err
}
