package main

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"os/signal"
	"path/filepath"
	"strings"
	"syscall"
	"time"

	"github.com/spf13/cobra"

	"securemedia/client"
	"securemedia/internal/config"
	"securemedia/internal/deploy"
	"securemedia/internal/syncbuf"
	"securemedia/media"
)

// demoSeconds is the length of the synthesized demo track.
const demoSeconds = 5

func newDemoCommand() *cobra.Command {
	var keep bool
	var playerCmd string
	cmd := &cobra.Command{
		Use:   "demo",
		Short: "Run the whole system once in a temporary directory and report what happened",
		Long: `demo runs, in a temporary directory: init (PKI, stores, identity card),
synthesizes a short WAV, adds it to the encrypted store, starts a server on
a free loopback port, plays the track into ffplay or mpv when one is
installed (else into a null sink), and prints what happened: suite, group,
chunks, rekeys, bytes, and whether every chunk was verified. The demo
lowers the rekey threshold to 2 chunks so that the short track shows a
rekey.`,
		Example: `  securemedia demo
  securemedia demo --player none --keep`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			ctx, stop := signal.NotifyContext(cmd.Context(), os.Interrupt, syscall.SIGTERM)
			defer stop()
			return runDemo(ctx, cmd, demoOptions{keep: keep, player: playerCmd})
		},
	}
	cmd.Flags().BoolVar(&keep, "keep", false, "keep the temporary workspace")
	cmd.Flags().StringVar(&playerCmd, "player", "", `player command, or "none" for a null sink (default: ffplay or mpv when installed)`)
	return cmd
}

type demoOptions struct {
	keep   bool
	player string
	// argon2 lowers the master-key costs (tests).
	argon2 *media.Argon2Params
}

func runDemo(ctx context.Context, cmd *cobra.Command, o demoOptions) (err error) {
	out := cmd.OutOrStdout()
	row := func(k, format string, args ...any) { fmt.Fprintf(out, "  %-9s %s\n", k, fmt.Sprintf(format, args...)) }
	dir, err := os.MkdirTemp("", "securemedia-demo-")
	if err != nil {
		return err
	}
	if !o.keep {
		defer os.RemoveAll(dir)
	}
	fmt.Fprintln(out, "securemedia demo")
	keepNote := "removed at the end; --keep keeps it"
	if o.keep {
		keepNote = "kept"
	}
	row("workspace", "%s (%s)", dir, keepNote)

	// 1. init, with a low rekey threshold so that the short track rekeys.
	var initLog bytes.Buffer
	ws, err := deploy.InitWorkspace(ctx, deploy.InitOptions{Dir: dir, Listen: "127.0.0.1:0", Argon2: o.argon2,
		Protocol: config.Protocol{RekeyChunks: 2}}, &initLog)
	if err != nil {
		return fmt.Errorf("init: %w", err)
	}
	row("pki", "root and intermediate CA; server, client device, content- and license-signing certificates; CRLs")
	row("card", "%s, holder registered as user %s", ws.TokenKind, ws.UserID)

	// 2. A synthesized track, added to the encrypted store from memory.
	scfg, err := loadServerConfig(ws.ServerConfig)
	if err != nil {
		return err
	}
	store, err := deploy.OpenMediaStore(scfg, deploy.StoreOptions{WithSigner: true})
	if err != nil {
		return err
	}
	wav := synthWAV(demoSeconds)
	info, err := store.Add(bytes.NewReader(wav), media.AddOptions{Title: "Demo chord (A major)", ContentType: "audio/wav",
		Duration: demoSeconds * time.Second})
	if err != nil {
		return fmt.Errorf("media add: %w", err)
	}
	row("media", "%q, %s WAV, %d chunks of %s, encrypted at rest, manifest signed", info.Title, humanBytes(info.Size), info.Chunks, humanBytes(int64(info.ChunkSize)))

	// 3. The server, on a free loopback port.
	var serverLog syncbuf.Buffer
	log := slog.New(slog.NewTextHandler(&serverLog, nil))
	sctx, stopServer := context.WithCancel(ctx)
	ready := make(chan string, 1)
	done := make(chan error, 1)
	go func() {
		done <- deploy.RunServer(sctx, scfg, deploy.RunOptions{ServerOptions: deploy.ServerOptions{Logger: log},
			Ready: func(u string) { ready <- u }})
	}()
	var url string
	select {
	case url = <-ready:
	case err := <-done:
		stopServer()
		return fmt.Errorf("server: %w", err)
	}
	defer func() {
		stopServer()
		if serr := <-done; serr != nil && err == nil {
			err = serr
		}
	}()
	row("server", "%s (plain HTTP; the session protocol is the protection)", url)

	// 4. Play, as a viewer would.
	sink, sinkName, finish, err := demoSink(cmd, o.player)
	if err != nil {
		return err
	}
	f := &clientFlags{config: ws.ClientConfig, server: url}
	v, err := f.connect(ctx, cmd)
	if err != nil {
		finish(false)
		return err
	}
	s := v.conn.Session()
	user := "no user"
	if v.card != nil {
		user = fmt.Sprintf("user logged in with the %s", v.card.Description())
	}
	row("session", "suite %s, group %s; server certificate %q verified with revocation; %s",
		s.Suite(), s.Group(), s.Peer().Certificate.Subject.CommonName, user)
	items, err := v.conn.Catalog(ctx)
	if err != nil {
		finish(false)
		v.close()
		return err
	}
	row("catalog", "%d item(s), listed inside the encrypted session", len(items))
	id := info.ID
	stats, err := v.conn.PlayWithLicense(ctx, id, sink, client.PlayOptions{}, nil)
	v.close()
	if errors.Is(err, client.ErrSink) && o.player == "" {
		// The player found on PATH quit at once, as players do on a
		// machine without a display or audio device: show the rest of
		// the journey with a null sink rather than stop here.
		finish(false)
		row("player", "%s quit early (no display or audio device?); playing again into a null sink", sinkName)
		sink, sinkName, finish = io.Discard, "null sink (after "+sinkName+" quit)", func(bool) error { return nil }
		if v, err = f.connect(ctx, cmd); err != nil {
			return err
		}
		stats, err = v.conn.PlayWithLicense(ctx, id, sink, client.PlayOptions{}, nil)
		v.close()
	}
	if err != nil {
		finish(false)
		return playError(err)
	}
	perr := finish(true)
	verified := "every chunk verified against the signed manifest before the player saw it"
	if !stats.Verified {
		verified = "NOT verified"
	}
	row("play", "%d chunks, %s, %d rekey(s) (epoch %d), %s", stats.Chunks, humanBytes(stats.Bytes), stats.Rekeys, stats.Epoch, verified)
	if stats.Remaining != "" {
		row("license", "%s (a signed license token, verified; the server keeps the counter)", stats.Remaining)
	}
	if perr != nil {
		row("player", "%s reported: %v (the stream itself was complete and verified)", sinkName, perr)
	} else {
		row("player", "%s", sinkName)
	}
	stopServer()
	<-done
	done <- nil
	row("closed", "session closed by the client, server stopped, keys erased")
	if strings.Contains(serverLog.String(), "level=ERROR") {
		return errors.New("the server logged an error; see above")
	}
	return nil
}

// demoSink picks the demo's player: the given command, none (a null sink),
// or ffplay/mpv when installed.
func demoSink(cmd *cobra.Command, choice string) (io.Writer, string, func(bool) error, error) {
	null := func(bool) error { return nil }
	argv, err := playerArgv(choice)
	if err != nil {
		return nil, "", nil, err
	}
	switch {
	case choice == "none":
		return io.Discard, "null sink (--player none)", null, nil
	case len(argv) == 0:
		var ok bool
		if argv, ok = detectPlayer(); !ok {
			return io.Discard, "null sink (neither ffplay nor mpv is installed)", null, nil
		}
	}
	p, err := startPlayer(argv, cmd.ErrOrStderr())
	if err != nil {
		return nil, "", nil, err
	}
	finish := func(ok bool) error {
		if !ok {
			p.stop()
			return nil
		}
		return p.finish()
	}
	return p.stdin, filepath.Base(argv[0]), finish, nil
}
