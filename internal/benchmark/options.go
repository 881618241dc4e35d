package benchmark

import (
	"io"

	"securemedia/protocol"
)

// Defaults of a run, as the performance section sets them.
const (
	DefaultSize       = 256 << 20
	DefaultRounds     = 3
	DefaultLargeSize  = 1 << 30
	DefaultSmallSize  = 1 << 20
	DefaultFetches    = 200
	DefaultHandshakes = 100
	// DefaultWholePlaySize is the small file of the whole-play comparison
	// (issue 13's 3.4 MB), DefaultWholePlays the plays of each kind per
	// round.
	DefaultWholePlaySize = 3_400_000
	DefaultWholePlays    = 10
	DefaultSuite         = protocol.DH_AES128_GCM_SHA256
	DefaultGroup         = protocol.GroupX25519
	// warmupFetches are fetched per target before timing, so that the
	// first (page cache, connection) costs are not in the figures.
	warmupFetches = 5
)

// Options tune Run; zero fields take the defaults.
type Options struct {
	// Size of the streamed file.
	Size int64
	// Rounds of each throughput and handshake measurement, interleaved
	// securemedia, baseline, securemedia, ...
	Rounds int
	Suite  protocol.SuiteID
	Group  protocol.GroupID
	// ChunksPerRequest of the play (0: the client's default).
	ChunksPerRequest int
	// SkipChunkCost skips the small/large chunk-cost comparison (the large
	// item needs LargeSize of free disk).
	SkipChunkCost bool
	// SmallSize and LargeSize are the two items of the chunk-cost figure.
	SmallSize, LargeSize int64
	// Fetches is how many single-chunk fetches are timed per item.
	Fetches int
	// Handshakes per round.
	Handshakes int
	// WholePlaySize is the small file played whole, WholePlays how many
	// plays of each kind a round times.
	WholePlaySize int64
	WholePlays    int
	// ServerProgram runs the servers in a process of their own: the
	// program and its first arguments, to which Run appends the server's
	// (the securemedia binary and ServerCommand; a program that passes
	// the rest to ServeServers).
	ServerProgram []string
	// Dir holds the source file (the workspace's scratch space).
	Dir string
	// Progress receives one line per step; nil discards.
	Progress io.Writer
	// CPUProfile, when set, receives a CPU profile (runtime/pprof) of the
	// streaming rounds only, where the ratio is decided: of the clients,
	// this process (the servers run in their own).
	CPUProfile io.Writer
	// Unverified adds a diagnostic play without content verification to
	// each round, to show what checking every chunk against the manifest
	// costs (the baseline checks nothing).
	Unverified bool
}

func (o Options) withDefaults() Options {
	if o.Size <= 0 {
		o.Size = DefaultSize
	}
	if o.Rounds <= 0 {
		o.Rounds = DefaultRounds
	}
	if o.Suite == 0 {
		o.Suite = DefaultSuite
	}
	if o.Group == 0 {
		o.Group = DefaultGroup
	}
	if o.SmallSize <= 0 {
		o.SmallSize = DefaultSmallSize
	}
	if o.LargeSize <= 0 {
		o.LargeSize = DefaultLargeSize
	}
	if o.Fetches <= 0 {
		o.Fetches = DefaultFetches
	}
	if o.Handshakes <= 0 {
		o.Handshakes = DefaultHandshakes
	}
	if o.WholePlaySize <= 0 {
		o.WholePlaySize = DefaultWholePlaySize
	}
	if o.WholePlays <= 0 {
		o.WholePlays = DefaultWholePlays
	}
	if o.Progress == nil {
		o.Progress = io.Discard
	}
	return o
}
