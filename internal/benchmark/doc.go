// Package benchmark measures the session core side by side with Go's own
// net/http and crypto/tls on the same machine, in one run (DESIGN.md §9):
// the throughput of one play against HTTPS serving the same file, the cost
// of fetching one chunk of a small and of a large item, and the rate of
// full mutually authenticated handshakes. It drives the real components
// (the encrypted media store, server.New on a loopback listener, the
// client library) and is wired to the command line by `securemedia bench`.
package benchmark
