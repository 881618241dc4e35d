package main

import (
	"errors"
	"fmt"
	"os"

	"github.com/spf13/cobra"

	"securemedia/internal/benchmark"
	"securemedia/message"
	"securemedia/protocol"
)

// benchWorkspace is the workspace directory created under --dir.
const benchWorkspace = "securemedia-bench"

func newBenchCommand() *cobra.Command {
	var (
		size, suite, group, dir, cpuProfile string
		rounds, chunksPerRequest            int
		fetches, handshakes                 int
		asJSON, skipLarge, unverified       bool
	)
	cmd := &cobra.Command{
		Use:   "bench",
		Short: "Measure streaming, chunk cost and handshakes against net/http + crypto/tls",
		Long: `bench measures the session core on this machine, in one run, with the real
components: it creates a throwaway workspace (cheap Argon2id for the master
key, which is not measured), writes a file of --size deterministic bytes,
adds it to the encrypted store (and reports the add throughput), starts the
server on a loopback port and plays the file with the client (full
handshake, signed manifest, every chunk verified, rekeys at the defaults).

The servers (securemedia's, and the baseline's) run in a child process,
this binary started again with a hidden subcommand, and the clients in
this one, so that each side's CPU time is its own process's; the child
is stopped when the bench ends, whatever the outcome.

It compares, in interleaved rounds, with Go's net/http and crypto/tls
(TLS 1.3, mutual authentication with the workspace's own certificates,
the same key-exchange group) serving the same file from disk, and prints
the median MB/s of each, the CPU seconds per GB of the server, of the
client and of both, and their ratios. Note that the baseline serves
plaintext, while securemedia also opens every chunk from its at-rest
encryption; the at-rest cost is printed apart, and the like-for-like
baseline does the same work over HTTPS.

It then times whole plays of a 3.4 MB file from a fresh connection
against an HTTPS GET of it, fetches one chunk, repeatedly, in the middle
and at the end of a 1 MiB and of a 1 GiB item over one session (the
1 GiB item takes 1 GiB of disk in the workspace until the run ends, skip
it with --skip-1g), and compares full mutually authenticated handshakes
per second with crypto/tls mutual TLS 1.3 without resumption. The last
block checks the figures against the targets of issue 13.

Progress goes to stderr, the table (or --json) to stdout. --cpuprofile
profiles the clients (this process) during the streaming rounds.`,
		Example: `  securemedia bench
  securemedia bench --size 64MiB --rounds 5 --skip-1g
  securemedia bench --suite DH_CHACHA20_SHA256 --group p256 --json
  securemedia bench --cpuprofile cpu.out && go tool pprof -top securemedia cpu.out`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			o := benchmark.Options{Rounds: rounds, ChunksPerRequest: chunksPerRequest, SkipChunkCost: skipLarge,
				Fetches: fetches, Handshakes: handshakes, Progress: cmd.ErrOrStderr(), Unverified: unverified}
			exe, err := os.Executable()
			if err != nil {
				return fmt.Errorf("bench: the servers run in a child process of this binary: %w", err)
			}
			o.ServerProgram = []string{exe, benchmark.ServerCommand}
			if o.Size, err = benchmark.ParseSize(size); err != nil {
				return withHint(err, "give a size such as --size 256MiB")
			}
			if o.Suite, err = protocol.ParseSuite(suite); err != nil {
				return withHint(err, fmt.Sprintf("use one of %v", protocol.SuiteNames()))
			}
			if o.Group, err = protocol.ParseGroup(group); err != nil {
				return withHint(err, fmt.Sprintf("use one of %v", protocol.GroupNames()))
			}
			if rounds < 1 || fetches < 1 || handshakes < 1 {
				return withHint(errors.New("rounds, fetches and handshakes must be at least 1"), "for example --rounds 3")
			}
			if chunksPerRequest < 0 || chunksPerRequest > message.MaxChunksPerFetch {
				return withHint(fmt.Errorf("chunks per request %d out of range", chunksPerRequest),
					fmt.Sprintf("use 1..%d (0 for the client's default)", message.MaxChunksPerFetch))
			}
			report, err := runBench(cmd, dir, cpuProfile, o)
			if err != nil {
				return err
			}
			if asJSON {
				return report.WriteJSON(cmd.OutOrStdout())
			}
			return report.WriteTable(cmd.OutOrStdout())
		},
	}
	cmd.Flags().StringVar(&size, "size", "256MiB", "size of the streamed file")
	cmd.Flags().IntVar(&rounds, "rounds", benchmark.DefaultRounds, "interleaved rounds of each comparison")
	cmd.Flags().StringVar(&suite, "suite", benchmark.DefaultSuite.String(), "cipher suite of the session")
	cmd.Flags().StringVar(&group, "group", benchmark.DefaultGroup.String(), "key-exchange group (the TLS baseline uses the same)")
	cmd.Flags().IntVar(&chunksPerRequest, "chunks-per-request", 0, "chunks per fetch of the play (0: the client's default)")
	cmd.Flags().IntVar(&fetches, "fetches", benchmark.DefaultFetches, "timed single-chunk fetches per item")
	cmd.Flags().IntVar(&handshakes, "handshakes", benchmark.DefaultHandshakes, "handshakes per round")
	cmd.Flags().BoolVar(&skipLarge, "skip-1g", false, "skip the chunk-cost comparison (it needs 1 GiB of disk)")
	cmd.Flags().BoolVar(&asJSON, "json", false, "print the figures as JSON")
	cmd.Flags().StringVar(&dir, "dir", "", "directory for the throwaway workspace (default: a temporary directory)")
	cmd.Flags().StringVar(&cpuProfile, "cpuprofile", "", "write a CPU profile of the streaming rounds to this file")
	cmd.Flags().BoolVar(&unverified, "unverified", false, "also play without content verification in each round (diagnostic)")
	return cmd
}

// runBench creates the throwaway workspace, opens it as the server and the
// client would, runs the measurements and removes the workspace.
func runBench(cmd *cobra.Command, dir, cpuProfile string, o benchmark.Options) (*benchmark.Report, error) {
	parent := dir
	if parent == "" {
		parent = os.TempDir()
	}
	if err := os.MkdirAll(parent, 0o700); err != nil {
		return nil, withHint(err, "choose a writable directory with --dir")
	}
	wsDir, err := os.MkdirTemp(parent, benchWorkspace+"-")
	if err != nil {
		return nil, withHint(err, "choose a writable directory with --dir")
	}
	defer os.RemoveAll(wsDir)
	d, err := benchmark.NewWorkspace(cmd.Context(), wsDir)
	if err != nil {
		return nil, err
	}
	defer d.Close()
	fmt.Fprintf(cmd.ErrOrStderr(), "workspace: %s (removed at the end)\n", wsDir)
	o.Dir = wsDir
	if cpuProfile != "" {
		f, err := os.Create(cpuProfile)
		if err != nil {
			return nil, withHint(err, "give a writable path to --cpuprofile")
		}
		defer f.Close()
		o.CPUProfile = f
	}
	report, err := benchmark.Run(cmd.Context(), *d, o)
	if err != nil {
		return nil, withHint(fmt.Errorf("bench: %w", err), "see the progress lines above")
	}
	return report, nil
}

// newBenchServerCommand is the hidden child of `securemedia bench`: the
// servers of a run in a process of their own (benchmark.ServeServers). It
// stops when its standard input ends, so it never outlives the bench.
func newBenchServerCommand() *cobra.Command {
	return &cobra.Command{
		Use:                benchmark.ServerCommand,
		Short:              "The servers of securemedia bench, in a process of their own (internal)",
		Hidden:             true,
		DisableFlagParsing: true,
		Example: `  # started by securemedia bench, which talks to it over its stdin and stdout:
  securemedia bench-server --server-config W/server.toml --client-config W/client.toml \
    --group x25519 --file big.bin --small small.bin`,
		RunE: func(cmd *cobra.Command, args []string) error {
			return benchmark.ServeServers(cmd.Context(), args, cmd.InOrStdin(), cmd.OutOrStdout())
		},
	}
}
