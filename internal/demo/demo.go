// Package demo runs the whole system once, as `securemedia demo` shows
// it: in a temporary workspace, init (PKI, encrypted media store, license
// database, a demo identity card), a synthesized track added to the store,
// a server on a free loopback port, the viewer's login with the card, the
// catalog, and one play into a player or a null sink, every chunk checked
// against the signed manifest. Each stage is reported as a Step as it
// happens; the command prints them.
package demo

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/dustin/go-humanize"

	"securemedia/client"
	"securemedia/internal/config"
	"securemedia/internal/deploy"
	"securemedia/internal/player"
	"securemedia/internal/syncbuf"
	"securemedia/media"
)

// trackSeconds is the length of the synthesized demo track.
const trackSeconds = 5

// Options tune Run.
type Options struct {
	// Keep keeps the workspace instead of removing it at the end.
	Keep bool
	// Player is the player command; "none" plays into a null sink, and ""
	// into ffplay or mpv when one is installed (a null sink otherwise).
	Player string
	// Output receives the client's error log and, when the player
	// failed, the end of what it printed (a command's stderr); nil
	// discards them.
	Output io.Writer
	// Argon2 lowers the master key's costs (tests); nil is the default.
	Argon2 *media.Argon2Params
}

// Step is one stage of the demo, as it happened: a short name ("pki",
// "play", ...) and what it did.
type Step struct {
	Name, Text string
}

// PlayError is a play that failed, as the viewer's play would fail.
type PlayError struct{ Err error }

func (e *PlayError) Error() string { return e.Err.Error() }
func (e *PlayError) Unwrap() error { return e.Err }

// Run runs the demo, calling report with each step. The demo lowers the
// rekey threshold to 2 chunks so that the short track shows a rekey.
func Run(ctx context.Context, o Options, report func(Step)) (err error) {
	row := func(name, format string, args ...any) { report(Step{Name: name, Text: fmt.Sprintf(format, args...)}) }
	if o.Output == nil {
		o.Output = io.Discard
	}
	dir, err := os.MkdirTemp("", "securemedia-demo-")
	if err != nil {
		return err
	}
	keepNote := "kept"
	if !o.Keep {
		defer os.RemoveAll(dir)
		keepNote = "removed at the end; --keep keeps it"
	}
	row("workspace", "%s (%s)", dir, keepNote)

	// 1. init, with a low rekey threshold so that the short track rekeys.
	// A free loopback port, known before init, so that [web] names the
	// page's origin (http://localhost:PORT).
	listen, err := freeLoopbackAddress()
	if err != nil {
		return err
	}
	var initLog bytes.Buffer
	ws, err := deploy.InitWorkspace(ctx, deploy.InitOptions{Dir: dir, Listen: listen, Argon2: o.Argon2,
		Protocol: config.Protocol{RekeyChunks: 2}}, &initLog)
	if err != nil {
		return fmt.Errorf("init: %w", err)
	}
	row("pki", "root and intermediate CA; server, client device, content- and license-signing certificates; CRLs")
	row("card", "%s, holder registered as user %s", ws.TokenKind, ws.UserID)

	// 2. A synthesized track, added to the encrypted store from memory.
	scfg, err := config.LoadServer(ws.ServerConfig)
	if err != nil {
		return err
	}
	store, err := deploy.OpenMediaStore(scfg, deploy.StoreOptions{WithSigner: true})
	if err != nil {
		return err
	}
	info, err := store.Add(bytes.NewReader(synthWAV(trackSeconds)), media.AddOptions{Title: "Demo chord (A major)",
		ContentType: "audio/wav", Duration: trackSeconds * time.Second})
	if err != nil {
		return fmt.Errorf("media add: %w", err)
	}
	row("media", "%q, %s WAV, %d chunks of %s, encrypted at rest, manifest signed", info.Title, humanBytes(info.Size), info.Chunks, humanBytes(int64(info.ChunkSize)))

	// 3. The server, on a free loopback port.
	var serverLog syncbuf.Buffer
	sctx, stopServer := context.WithCancel(ctx)
	ready := make(chan string, 1)
	done := make(chan error, 1)
	go func() {
		done <- deploy.RunServer(sctx, scfg, deploy.RunOptions{ServerOptions: deploy.ServerOptions{Logger: slog.New(slog.NewTextHandler(&serverLog, nil))},
			Ready: func(u string) { ready <- u }})
	}()
	var url string
	select {
	case url = <-ready:
	case err := <-done:
		stopServer()
		return fmt.Errorf("server: %w", err)
	}
	stopped := false
	defer func() {
		if stopped {
			return
		}
		stopServer()
		if serr := <-done; serr != nil && err == nil {
			err = serr
		}
	}()
	row("server", "%s (plain HTTP; the session protocol is the protection)", url)
	if len(scfg.Web.Origins) > 0 {
		row("page", "%s/ the browser player, on the same protocol (a viewer's link: securemedia user invite --config %s)", scfg.Web.Origins[0], ws.ServerConfig)
	}

	// 4. Play, as a viewer would.
	ccfg, err := config.LoadClient(ws.ClientConfig)
	if err != nil {
		return err
	}
	connect := func() (*deploy.Viewer, error) {
		log := slog.New(slog.NewTextHandler(o.Output, &slog.HandlerOptions{Level: slog.LevelError}))
		return deploy.Connect(ctx, ccfg, "", deploy.ClientOptions{Server: url, Logger: log})
	}
	// The player is probed before the play: a player that cannot run
	// here (no display, no audio device) costs no view.
	sink, err := openSink(ctx, o)
	if err != nil {
		return err
	}
	v, err := connect()
	if err != nil {
		sink.end(false)
		return err
	}
	// The catalog request carries the handshake's finish
	// (client.Config.FinishWithFirstRequest): once it is answered, the
	// server has accepted the device and the user.
	items, err := v.Conn.Catalog(ctx)
	if err != nil {
		sink.end(false)
		v.Close()
		return err
	}
	s := v.Conn.Session()
	user := "no user"
	if v.Card != nil {
		user = fmt.Sprintf("user logged in with the %s", v.Card.Description())
	}
	row("session", "suite %s, group %s; server certificate %q verified with revocation; %s",
		s.Suite(), s.Group(), s.Peer().Certificate.Subject.CommonName, user)
	row("catalog", "%d item(s), listed inside the encrypted session", len(items))
	// The play request is free; the player starts after it and is seen
	// running before the first chunk, which consumes the view.
	stats, err := v.Conn.PlayWithLicense(ctx, info.ID, sink.open, client.PlayOptions{})
	v.Close()
	if err != nil {
		sink.end(false)
		sink.showOutput(o.Output)
		return &PlayError{Err: err}
	}
	perr := sink.end(true)
	verified := "every chunk verified against the signed manifest before the player saw it"
	if !stats.Verified {
		verified = "NOT verified"
	}
	row("play", "%d chunks, %s, %d rekey(s) (epoch %d), %s", stats.Chunks, humanBytes(stats.Bytes), stats.Rekeys, stats.Epoch, verified)
	if stats.Remaining != "" {
		row("license", "%s (a signed license token, verified; the server keeps the counter)", stats.Remaining)
	}
	if perr != nil {
		sink.showOutput(o.Output)
		row("player", "%s reported: %v (the stream itself was complete and verified)", sink.name, perr)
	} else {
		row("player", "%s", sink.name)
	}
	stopServer()
	stopped = true
	if serr := <-done; serr != nil {
		return serr
	}
	row("closed", "session closed by the client, server stopped, keys erased")
	if strings.Contains(serverLog.String(), "level=ERROR") {
		return errors.New("the server logged an error; see above")
	}
	return nil
}

// Probing the player: it is fed probeSilence of silence (then the end of
// its input, when it is ffplay or mpv as found on PATH) and passes when
// it still runs after probeSettle, time enough for a player to find that
// it has no display or audio device and quit.
const (
	probeSilence = 1000 // ms
	probeSettle  = 750 * time.Millisecond
)

// sink is where the demo plays: a player, or a null sink.
type sink struct {
	name string
	// open starts the player, when the play asks for its sink; end ends
	// it (open sets it).
	open client.SinkOpener
	end  func(ok bool) error
	// out is what the player printed, shown only when it failed.
	out *player.Output
}

func nullSink(name string) *sink {
	return &sink{name: name, open: client.ToWriter(io.Discard), end: func(bool) error { return nil }}
}

// playerSink is a sink that starts argv, its output kept in out.
func playerSink(argv []string) *sink {
	s := nullSink(filepath.Base(argv[0]))
	s.out = player.KeepOutput()
	s.open = func(ctx context.Context) (io.Writer, error) {
		p, err := player.StartRunning(ctx, argv, s.out)
		if err != nil {
			return nil, err
		}
		s.end = p.End
		return p, nil
	}
	return s
}

// showOutput writes the end of the player's output to w: it matters
// when the player failed.
func (s *sink) showOutput(w io.Writer) { s.out.Show(w, s.name) }

// openSink chooses the demo's player: the one given, none (a null sink),
// or ffplay or mpv when installed. A player is probed first, quietly; one
// that quits at once gives way to a null sink, whose name says why in one
// line. A player command that cannot be started at all is an error.
func openSink(ctx context.Context, o Options) (*sink, error) {
	if o.Player == "none" {
		return nullSink("null sink (--player none)"), nil
	}
	argv, err := player.Choose(o.Player)
	if errors.Is(err, player.ErrNone) {
		return nullSink("null sink (neither ffplay nor mpv is installed)"), nil
	}
	if err != nil {
		return nil, err
	}
	var pe *player.ProbeError
	// A player of our choosing (ffplay, mpv) plays in real time: its input
	// ends after the silence, so that it opens its audio output now.
	switch err := player.Probe(ctx, argv, silenceWAV(probeSilence), probeSettle, o.Player == ""); {
	case errors.As(err, &pe):
		return nullSink("null sink: " + pe.Error()), nil
	case err != nil:
		return nil, err
	}
	return playerSink(argv), nil
}

// humanBytes prints a size with a binary unit ("256 MiB").
func humanBytes(n int64) string { return humanize.IBytes(uint64(max(n, 0))) }

// freeLoopbackAddress returns 127.0.0.1:PORT for a port free right now.
func freeLoopbackAddress() (string, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return "", err
	}
	addr := l.Addr().String()
	return addr, l.Close()
}
