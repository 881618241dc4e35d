// Package benchmark measures the session core side by side with Go's own
// net/http and crypto/tls on the same machine, in one run (DESIGN.md §9):
// the throughput of one play against HTTPS serving the same file, with
// the CPU seconds per GB of each side, the whole play of a small file
// against an HTTPS GET, the cost of fetching one chunk of a small and of a
// large item, and the rate of full mutually authenticated handshakes,
// each checked against issue 13's targets. It drives the real components
// (the encrypted media store, the server as deploy assembles it on
// loopback listeners, the client library): the servers in a process of
// their own (ServeServers, the hidden `securemedia bench-server`), the
// clients in the caller's, so that each side's CPU time is its process's.
// It is wired to the command line by `securemedia bench`.
package benchmark
