package main

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/schollz/progressbar/v3"
	"github.com/spf13/cobra"
	"golang.org/x/term"

	"securemedia/client"
	"securemedia/content"
	"securemedia/internal/config"
	"securemedia/internal/player"
	"securemedia/message"
	"securemedia/protocol"
)

type playOptions struct {
	mediaID, sink, player, renew string
}

func newPlayCommand() *cobra.Command {
	var f clientFlags
	var o playOptions
	cmd := &cobra.Command{
		Use:   "play --config W/client.toml [--media ID] [--sink - | --player CMD]",
		Short: "Play a media item: verified chunk by chunk, into a player or stdout, never to disk",
		Long: `play logs in with the identity card, starts a play under the viewer's
license and streams the item over the secure session. The play request
costs nothing: the view is used when its first chunk is delivered, after
the player has started and is running, so a player that cannot run costs
no view; one view is one pass of the item. If the connection is lost (or
the server restarts), play resumes by itself where it stopped, in a new
session, for no view. Each chunk is decrypted under its own key, checked
against the content-signed manifest, and only then written to the sink:
--sink - writes the exact media bytes to stdout (for scripts and pipes),
--sink null discards them, and --player CMD (or [player] command in
client.toml, or ffplay/mpv found on PATH) feeds a player's standard input.
Nothing is written to disk. Human output goes to stderr.

Without --media, play shows the catalog as a numbered menu (title, duration,
license state); choose by number, q to quit.

When the license is exhausted or expired (also when its period ends
during the play) the server answers "payment required" with a renewal
offer, inside the encrypted session: play asks "Renew? [y/N]" on a
terminal, or follows --renew yes|no; not renewed, it exits with code 4.

Suites: ` + strings.Join(protocol.SuiteNames(), ", ") + `
Groups: ` + strings.Join(protocol.GroupNames(), ", "),
		Example: `  securemedia play --config W/client.toml                       # menu, PIN, player
  securemedia play --config W/client.toml --media 3f2a... --sink - | ffplay -
  securemedia play --config W/client.toml --media 3f2a... --suite DH_CHACHA20_SHA256 --group p384 --sink null
  securemedia play --config W/client.toml --media 3f2a... --player "mpv --no-video -" --renew yes`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if o.renew != "" && o.renew != "yes" && o.renew != "no" && o.renew != "ask" {
				return withHint(fmt.Errorf("--renew %q", o.renew), "use --renew yes, no or ask")
			}
			ctx, stop := signal.NotifyContext(cmd.Context(), os.Interrupt, syscall.SIGTERM)
			defer stop()
			return runPlay(ctx, cmd, &f, o)
		},
	}
	f.register(cmd, true)
	cmd.Flags().StringVar(&o.mediaID, "media", "", "the media id to play (default: choose from a menu)")
	cmd.Flags().StringVar(&o.sink, "sink", "", "- for stdout, null to discard (instead of a player)")
	cmd.Flags().StringVar(&o.player, "player", "", "player command fed on stdin (default: [player] command, ffplay or mpv)")
	cmd.Flags().StringVar(&o.renew, "renew", "", "renew an exhausted or expired license: yes, no, or ask (default: ask on a terminal, else no)")
	return cmd
}

// runPlay connects, picks the item, plays it into the chosen sink and
// prints a summary on stderr.
func runPlay(ctx context.Context, cmd *cobra.Command, f *clientFlags, o playOptions) error {
	stderr := cmd.ErrOrStderr()
	in := bufio.NewReader(cmd.InOrStdin())
	interactive := isTerminal(cmd.InOrStdin()) && isTerminal(stderr)
	var id content.ID
	if o.mediaID != "" {
		var err error
		if id, err = content.ParseID(o.mediaID); err != nil {
			return withHint(err, "media ids are the 32 hex characters shown by `securemedia catalog`")
		}
	} else if !interactive {
		return withHint(usageErrorf("no media given"), "pass --media ID (see `securemedia catalog`), or run play on a terminal for the menu")
	}
	if err := checkSink(o.sink); err != nil {
		return err
	}
	if o.sink == "-" && isTerminal(cmd.OutOrStdout()) {
		// The media bytes would land on the screen (and its escape
		// sequences in the terminal).
		return withHint(errors.New("--sink - writes the media to stdout, which is a terminal"),
			"pipe it into a player (--sink - | ffplay -), or play with --player CMD or --sink null")
	}

	v, err := f.connect(ctx, cmd)
	if err != nil {
		return err
	}
	defer v.Close()
	if o.mediaID == "" {
		var quit bool
		if id, quit, err = chooseFromCatalog(ctx, v.Conn, in, stderr); err != nil {
			return playError(err)
		}
		if quit {
			return nil
		}
	}
	// The play request is free and comes first (with the renewal prompt
	// when the license needs one); the player starts only then, and must
	// be running before the first chunk, which consumes the view. On a
	// terminal the progress display stays until the player is done, and
	// the player's own output is kept apart, so that it cannot wipe the
	// display; it is shown if the player fails.
	show := o.sink != "-" && isTerminal(stderr)
	var playerOut io.Writer = stderr
	var kept *player.Output
	if show {
		kept = player.KeepOutput()
		playerOut = kept
	}
	finish := func(bool) error { return nil }
	open := func(ctx context.Context) (io.Writer, error) {
		sink, end, err := openSink(ctx, cmd, v.Config, o.sink, o.player, playerOut)
		if err == nil {
			finish = end
		}
		return sink, err
	}
	display := newProgressDisplay(stderr, show)
	po := client.PlayOptions{Progress: display.update, Renew: renewPolicy(ctx, o.renew, interactive, in, stderr)}
	stats, err := v.Conn.PlayWithLicense(ctx, id, open, po)
	if err != nil {
		display.end()
		finish(false)
		if ctx.Err() != nil {
			// Ctrl-C, wherever it came: at the renewal prompt the play
			// is refused for want of a yes, but the viewer interrupted.
			err = ctx.Err()
		} else if errors.Is(err, client.ErrSink) {
			kept.Show(stderr, "player")
		}
		return playError(err)
	}
	display.note("stream complete; the player is playing")
	err = finish(true)
	display.end()
	if err != nil {
		kept.Show(stderr, "player")
		return withHint(err, "the stream was complete and verified; the player reported the error")
	}
	printPlaySummary(stderr, stats)
	return nil
}

// chooseFromCatalog shows the catalog as a numbered menu and reads the
// viewer's choice; quit is true for q or end of input.
func chooseFromCatalog(ctx context.Context, conn *client.Conn, in *bufio.Reader, out io.Writer) (content.ID, bool, error) {
	items, err := conn.Catalog(ctx)
	if err != nil {
		return content.ID{}, false, err
	}
	if len(items) == 0 {
		return content.ID{}, false, withHint(errors.New("the catalog is empty"), "the operator adds media with `securemedia media add`")
	}
	fmt.Fprintln(out, bold("MEDIA CATALOG"))
	writeCatalogTable(out, items, time.Now())
	for {
		fmt.Fprintf(out, "Select a media number (1-%d, q to quit): ", len(items))
		line, err := readLine(ctx, in)
		if ctxErr := ctx.Err(); ctxErr != nil {
			fmt.Fprintln(out)
			return content.ID{}, false, ctxErr
		}
		choice := strings.TrimSpace(line)
		if choice == "q" || choice == "Q" || (err != nil && choice == "") {
			if err != nil {
				fmt.Fprintln(out) // Ctrl-D left the cursor after the prompt
			}
			return content.ID{}, true, nil
		}
		n, convErr := strconv.Atoi(choice)
		if convErr == nil && n >= 1 && n <= len(items) {
			fmt.Fprintf(out, "playing %q\n", items[n-1].Title)
			return items[n-1].ID, false, nil
		}
		fmt.Fprintf(out, "%q is not a number from the list\n", choice)
	}
}

// renewPolicy answers the server's renewal offer: --renew yes/no, or a
// prompt on a terminal (the simulated payment is the viewer's yes).
func renewPolicy(ctx context.Context, flag string, interactive bool, in *bufio.Reader, out io.Writer) func(*client.PaymentRequiredError) bool {
	return func(pe *client.PaymentRequiredError) bool {
		switch {
		case flag == "yes":
			fmt.Fprintf(out, "%s; renewing (--renew yes)\n", pe.Message)
			return true
		case flag == "no", flag == "" && !interactive:
			return false
		}
		offer := "the license"
		if pe.Offer != nil {
			offer = offerSummary(pe.Offer)
		}
		fmt.Fprintf(out, "%s. Renew %s? [y/N] ", pe.Message, offer)
		line, err := readLine(ctx, in)
		if err != nil {
			fmt.Fprintln(out) // Ctrl-C or Ctrl-D: no, on a line of its own
		}
		a := strings.ToLower(strings.TrimSpace(line))
		return err == nil && (a == "y" || a == "yes")
	}
}

// readLine reads one line of an answer, or returns ctx's error as soon as
// ctx is done: Ctrl-C at the menu or at the renewal prompt is a signal
// (the terminal is in its ordinary mode there), which cancels ctx while
// the read still waits. The read left waiting is abandoned: the command
// is ending. Ctrl-D (end of input) is io.EOF with what was typed.
func readLine(ctx context.Context, in *bufio.Reader) (string, error) {
	type result struct {
		line string
		err  error
	}
	got := make(chan result, 1)
	go func() {
		line, err := in.ReadString('\n')
		got <- result{line, err}
	}()
	select {
	case r := <-got:
		return r.line, r.err
	case <-ctx.Done():
		return "", ctx.Err()
	}
}

// offerSummary says what a renewal offer gives and costs: "5 views for
// 1.00 EUR (simulated)", "3 views within 48h0m0s more for ...".
func offerSummary(o *message.Offer) string {
	return fmt.Sprintf("%s for %s", client.DescribeOffer(o), printable(o.Price))
}

// progressDisplay draws bytes, rate, chunk and rekeys on stderr (only on
// a terminal) until end.
type progressDisplay struct {
	w    io.Writer
	show bool
	bar  *progressbar.ProgressBar
}

func newProgressDisplay(w io.Writer, show bool) *progressDisplay {
	return &progressDisplay{w: w, show: show}
}

// update is the play's Progress callback.
func (d *progressDisplay) update(s client.PlayStats) {
	if !d.show {
		return
	}
	if d.bar == nil {
		d.bar = progressbar.NewOptions64(int64(s.Media.Size), progressbar.OptionSetWriter(d.w), progressbar.OptionShowBytes(true),
			progressbar.OptionThrottle(100*time.Millisecond), progressbar.OptionSetWidth(24),
			progressbar.OptionEnableColorCodes(false))
	}
	d.bar.Describe(fmt.Sprintf("chunk %d/%d  rekeys %d", s.Chunks, s.Media.Chunks, s.Rekeys))
	_ = d.bar.Set64(s.Bytes)
}

// note replaces the description, keeping the bar: at the end of the
// stream the bar is full and stays, while the player plays what it
// buffered.
func (d *progressDisplay) note(text string) {
	if d.bar != nil {
		d.bar.Describe(text)
	}
}

// end clears the display, leaving the cursor at the start of its line.
func (d *progressDisplay) end() {
	if d.bar != nil {
		_ = d.bar.Clear()
		d.bar = nil
	}
}

// openSink returns where the media goes and a function that ends it: the
// sink flag, else the player of --player, [player] command or PATH, seen
// running. The player's output goes to playerOut.
func openSink(ctx context.Context, cmd *cobra.Command, cfg *config.Client, sink, playerCmd string, playerOut io.Writer) (io.Writer, func(ok bool) error, error) {
	switch sink {
	case "-":
		return cmd.OutOrStdout(), func(bool) error { return nil }, nil
	case "null":
		return io.Discard, func(bool) error { return nil }, nil
	case "":
	default:
		return nil, nil, checkSink(sink)
	}
	argv, err := player.Choose(playerCmd, cfg.Player.Command)
	if errors.Is(err, player.ErrNone) {
		return nil, nil, withHint(err, "install ffplay (ffmpeg) or mpv, pass --player CMD, or use --sink -")
	}
	if err != nil {
		return nil, nil, err
	}
	p, err := player.StartRunning(ctx, argv, playerOut)
	switch {
	case errors.Is(err, player.ErrExitedAtOnce), ctx.Err() != nil:
		return nil, nil, err
	case err != nil:
		return nil, nil, withHint(err, "check the player command")
	}
	return p, p.End, nil
}

// checkSink refuses a --sink that is not - or null, before any work: the
// client never writes media to a file.
func checkSink(sink string) error {
	switch sink {
	case "", "-", "null":
		return nil
	}
	return withHint(fmt.Errorf("sink %q: the client never writes media to a file", sink),
		"use --sink - (stdout), --sink null, or --player CMD")
}

// playError adds the hint and the exit code that fit a failed play.
func playError(err error) error {
	var se *client.StatusError
	var pe *client.PaymentRequiredError
	switch {
	case errors.Is(err, client.ErrSink) && hintFor(err) != "":
		return err // opening the sink said how to fix it
	case errors.As(err, &pe):
		return &exitCodeError{code: exitLicense, err: withHint(fmt.Errorf("license exhausted or expired and not renewed: %s", pe.Message),
			"renew with --renew yes (or answer y at the prompt), or see `securemedia licenses`")}
	case errors.Is(err, context.Canceled):
		return &exitCodeError{code: exitInterrupted, err: errors.New("interrupted; the session was closed")}
	case errors.Is(err, player.ErrExitedAtOnce):
		return withHint(err, "the player could not run here (no display or audio device? does it read its standard input, e.g. `mpv -`?); no view was used: try --player CMD or --sink -")
	case errors.Is(err, client.ErrSink):
		return withHint(err, "the player stopped reading (it quit or failed); the session was closed")
	case errors.Is(err, client.ErrContent):
		return withHint(err, "the content failed verification and was not played; tell the operator (media verify)")
	case errors.Is(err, client.ErrBadLicense):
		return withHint(err, "the server's license token did not verify; tell the operator")
	case errors.Is(err, client.ErrChannel):
		return withHint(err, "the secure channel failed (tampering or a network fault); the session was closed")
	case errors.Is(err, client.ErrTransport):
		return withHint(err, "the connection to the server was lost and the play could not be resumed; play again later (the play resumes where it stopped within its window)")
	case errors.As(err, &se) && se.Status == message.StatusIntegrity:
		return withHint(err, "the server's stored copy is damaged; nothing of the damaged chunk was played; tell the operator (media verify)")
	case errors.As(err, &se) && se.Status == message.StatusPlayEnded:
		return withHint(err, "this play is over; playing again starts a new play (a new view)")
	case errors.As(err, &se) && se.Status == message.StatusNotFound:
		return withHint(err, "list the catalog with `securemedia catalog`")
	case errors.As(err, &se) && se.Status == message.StatusForbidden:
		return withHint(err, "the server refused the play; check `securemedia licenses`")
	}
	return err
}

func printPlaySummary(w io.Writer, s *client.PlayStats) {
	rate := 0.0
	if s.Elapsed > 0 {
		rate = float64(s.Bytes) / s.Elapsed.Seconds() / 1e6
	}
	verified := "every chunk verified against the signed manifest"
	if !s.Verified {
		verified = "content NOT verified"
	}
	fmt.Fprintf(w, "played %q: %s in %d chunks, %d rekeys, %s, %s/%s, %.1f MB/s\n",
		s.Media.Title, humanBytes(s.Bytes), s.Chunks, s.Rekeys, verified, s.Suite, s.Group, rate)
	if s.Resumes > 0 {
		fmt.Fprintf(w, "the connection was lost and the play resumed %s; no view was used for it\n", times(s.Resumes))
	}
	if s.Remaining != "" {
		fmt.Fprintf(w, "license: %s\n", s.Remaining)
	}
}

// times says how often: "once", "twice", "3 times".
func times(n int) string {
	switch n {
	case 1:
		return "once"
	case 2:
		return "twice"
	}
	return strconv.Itoa(n) + " times"
}

// isTerminal reports whether v is an *os.File open on a terminal. A
// character device is not enough: /dev/null is one, and a script that
// runs play with </dev/null must not get prompts.
func isTerminal(v any) bool {
	f, ok := v.(*os.File)
	return ok && term.IsTerminal(int(f.Fd()))
}

// bold emphasises a heading on a terminal, unless NO_COLOR is set.
func bold(s string) string {
	if os.Getenv("NO_COLOR") != "" || !isTerminal(os.Stderr) {
		return s
	}
	return "\x1b[1m" + s + "\x1b[0m"
}
