package main

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"os"
	"os/signal"
	"slices"
	"time"

	"github.com/spf13/cobra"

	"securemedia/client"
	"securemedia/content"
	"securemedia/internal/deploy"
	"securemedia/internal/loadtest"
)

func newLoadtestCommand() *cobra.Command {
	var (
		f                  clientFlags
		mediaID            string
		plays, concurrency int
		asJSON             bool
	)
	cmd := &cobra.Command{
		Use:   "loadtest --config W/client.toml --media ID --plays N --concurrency C",
		Short: "Run N verified plays, C at a time, from one process and report how they went",
		Long: `loadtest is a load generator for operators: it runs --plays verified plays of
one item with --concurrency of them in flight, from this one process, each
in a session of its own (a full handshake through --server: one server, or
the balancer in front of replicas), logging in with the identity card of
client.toml once for all of them (the PIN is asked once). Every chunk is
checked against the signed manifest, as for a viewer, and goes nowhere.

Each play costs a view of the viewer's license of the item: give the item
enough views (media add --views, license grant). The plays are one viewer
on one device: raise [limits] max_sessions_per_user and
max_sessions_per_device on the server to at least --concurrency, or the
server closes the oldest of them beyond its per-user cap (8 by default).
A refused handshake is retried with backoff for longer than a viewer would
(20 tries), so that a burst is admitted as the server makes room.

It prints the plays that succeeded, the failures by reason, the aggregate
throughput (verified media bytes of the plays that succeeded, over the
whole run), the handshake latency (p50 and p99, from the first hello to
the established session, admission retries included) and the resumes
after transport faults; --json prints the same as JSON (plays, succeeded,
failed: reason -> count, mb_per_s, handshake_ms_p50, handshake_ms_p99, and
more). It exits 1 when a play failed.`,
		Example: `  securemedia loadtest --config W/client.toml --media 3f2a... --plays 1000 --concurrency 1000
  securemedia loadtest --config W/client.toml --server http://balancer:8443 --media 3f2a... --plays 300 --concurrency 100 --json`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			id, err := content.ParseID(mediaID)
			if err != nil {
				return withHint(err, "media ids are the 32 hex characters shown by `securemedia catalog`")
			}
			if plays < 1 || concurrency < 1 {
				return withHint(usageErrorf("--plays %d --concurrency %d", plays, concurrency), "give at least one play and one at a time")
			}
			ctx, stop := signal.NotifyContext(cmd.Context(), os.Interrupt)
			defer stop()
			dial, done, err := f.loadDialer(ctx, cmd, concurrency)
			if err != nil {
				return err
			}
			defer done()
			stderr := cmd.ErrOrStderr()
			step := max(plays/10, 1)
			r, err := loadtest.Run(ctx, loadtest.Config{Dial: dial, Media: id, Plays: plays, Concurrency: concurrency,
				Progress: func(n int) {
					if n%step == 0 || n == plays {
						fmt.Fprintf(stderr, "%d of %d plays ended\n", n, plays)
					}
				}})
			if err != nil {
				return err
			}
			if asJSON {
				err = writeJSON(cmd.OutOrStdout(), r)
			} else {
				writeLoadReport(cmd.OutOrStdout(), r)
			}
			if err != nil {
				return err
			}
			if ctx.Err() != nil {
				return ctx.Err()
			}
			if r.Succeeded < r.Plays {
				hint := "see the reasons above; the server's log says more"
				if r.Resumes > 0 {
					hint = "plays lost their sessions: the server closes the oldest sessions of one user beyond [limits] max_sessions_per_user (8 by default): raise it, and max_sessions_per_device, to --concurrency; " + hint
				}
				return withHint(fmt.Errorf("%d of %d plays failed", r.Plays-r.Succeeded, r.Plays), hint)
			}
			return nil
		},
	}
	f.register(cmd, true)
	cmd.Flags().StringVar(&mediaID, "media", "", "the media id every play plays")
	cmd.Flags().IntVar(&plays, "plays", 0, "how many plays in all")
	cmd.Flags().IntVar(&concurrency, "concurrency", 0, "how many plays at once")
	cmd.Flags().BoolVar(&asJSON, "json", false, "print the report as JSON")
	for _, name := range []string{"media", "plays", "concurrency"} {
		cmd.MarkFlagRequired(name)
	}
	return cmd
}

// loadBackoff is the handshake retry of a load test: a burst of hellos
// from one process waits for room longer than one viewer would.
var loadBackoff = client.Backoff{Attempts: 20, Initial: 100 * time.Millisecond, Max: 3 * time.Second}

// loadDialer opens the identity card of client.toml once and returns a
// dial function that runs a new handshake with it at each call, over an
// HTTP client that keeps a connection per play in flight; done releases
// the card.
func (f *clientFlags) loadDialer(ctx context.Context, cmd *cobra.Command, concurrency int) (func(context.Context) (*client.Conn, error), func(), error) {
	cfg, err := loadClientConfig(f.config)
	if err != nil {
		return nil, nil, err
	}
	level := slog.LevelError
	if f.verbose {
		level = slog.LevelDebug
	}
	o := deploy.ClientOptions{Server: f.server, Suite: f.suite, Group: f.group,
		Logger: slog.New(slog.NewTextHandler(cmd.ErrOrStderr(), &slog.HandlerOptions{Level: level}))}
	var card interface{ Close() error }
	if cfg.Token.Configured() {
		a, err := deploy.OpenUserToken(cfg, f.pinFile)
		if err != nil {
			return nil, nil, err
		}
		card, o.User = a, a
	}
	done := func() {
		if card != nil {
			card.Close()
		}
	}
	setup, err := deploy.NewClient(ctx, cfg, o)
	if err != nil {
		done()
		return nil, nil, err
	}
	cc := setup.Config
	if cc.HTTPClient == nil {
		cc.HTTPClient = client.NewHTTPClient(nil)
	}
	if t, ok := cc.HTTPClient.Transport.(*http.Transport); ok {
		t = t.Clone()
		t.MaxIdleConnsPerHost = concurrency
		cc.HTTPClient = &http.Client{Transport: t, Timeout: cc.HTTPClient.Timeout}
	}
	cc.Backoff = loadBackoff
	dial := func(ctx context.Context) (*client.Conn, error) { return client.Dial(ctx, cc) }
	return dial, done, nil
}

// writeLoadReport prints a load test's report as a table.
func writeLoadReport(w io.Writer, r *loadtest.Report) {
	fmt.Fprintf(w, "plays        %d of %s, %d at a time\n", r.Plays, r.Media, r.Concurrency)
	fmt.Fprintf(w, "succeeded    %d\n", r.Succeeded)
	if len(r.Failed) == 0 {
		fmt.Fprintf(w, "failed       0\n")
	}
	reasons := make([]string, 0, len(r.Failed))
	for reason := range r.Failed {
		reasons = append(reasons, reason)
	}
	slices.Sort(reasons)
	for _, reason := range reasons {
		fmt.Fprintf(w, "failed       %d  %s\n", r.Failed[reason], reason)
	}
	fmt.Fprintf(w, "throughput   %.1f MB/s (%.1f MB verified in %.2f s)\n", r.MBPerS, float64(r.Bytes)/1e6, r.Seconds)
	fmt.Fprintf(w, "handshakes   p50 %.1f ms, p99 %.1f ms (admission retries included)\n", r.HandshakeMsP50, r.HandshakeMsP99)
	fmt.Fprintf(w, "resumes      %d\n", r.Resumes)
}
