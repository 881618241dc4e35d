package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"

	"github.com/spf13/cobra"

	"securemedia/client"
	"securemedia/internal/deploy"
	"securemedia/token"
)

// clientFlags are the flags of the viewer's commands.
type clientFlags struct {
	config  string
	server  string
	pinFile string
	suite   string
	group   string
	verbose bool
}

func (f *clientFlags) register(cmd *cobra.Command, negotiation bool) {
	cmd.Flags().StringVar(&f.config, "config", "client.toml", "the client's configuration file")
	cmd.Flags().StringVar(&f.server, "server", "", "the server URL (overrides client.toml)")
	cmd.Flags().StringVar(&f.pinFile, "pin-file", "", "file holding the identity card PIN (else SECUREMEDIA_PIN, [token] pin_file, or a prompt)")
	cmd.Flags().BoolVarP(&f.verbose, "verbose", "v", false, "log protocol details on stderr")
	if negotiation {
		cmd.Flags().StringVar(&f.suite, "suite", "", "offer only this cipher suite (e.g. DH_AES128_GCM_SHA256)")
		cmd.Flags().StringVar(&f.group, "group", "", "offer only this key-exchange group (e.g. x25519)")
	}
}

// viewer is a connected viewer: the session, the setup it came from, and
// the identity card that logged in.
type viewer struct {
	conn  *client.Conn
	setup *deploy.Client
	card  token.Authenticator
}

// close ends the session on the server and releases the card.
func (v *viewer) close() {
	closeConn(v.conn)
	if v.card != nil {
		_ = v.card.Close()
	}
}

// connect loads client.toml, opens the identity card (PIN from --pin-file,
// SECUREMEDIA_PIN, [token] pin_file or a prompt), runs the handshake and
// returns the connected viewer. The caller closes it.
func (f *clientFlags) connect(ctx context.Context, cmd *cobra.Command) (*viewer, error) {
	cfg, err := loadClientConfig(f.config)
	if err != nil {
		return nil, err
	}
	// Only errors by default: a failed command prints one line of reason.
	level := slog.LevelError
	if f.verbose {
		level = slog.LevelDebug
	}
	log := slog.New(slog.NewTextHandler(cmd.ErrOrStderr(), &slog.HandlerOptions{Level: level}))
	v := &viewer{}
	if cfg.Token.Configured() {
		if v.card, err = deploy.OpenUserToken(cfg, f.pinFile); err != nil {
			return nil, tokenHint(err)
		}
	}
	fail := func(err error) (*viewer, error) {
		if v.card != nil {
			_ = v.card.Close()
		}
		return nil, err
	}
	v.setup, err = deploy.NewClient(ctx, cfg, deploy.ClientOptions{Server: f.server, Suite: f.suite, Group: f.group, Logger: log, User: v.card})
	if err != nil {
		return fail(err)
	}
	if v.conn, err = client.Dial(ctx, v.setup.Config); err != nil {
		return fail(withHint(err, connectHint(err, v.setup.Config.Server)))
	}
	return v, nil
}

// connectHint suggests a fix for a failed connection.
func connectHint(err error, server string) string {
	var pe *client.ProblemError
	switch {
	case errors.As(err, &pe) && pe.Status == 403:
		return "the server refused our certificate or identity card; check the reason above with the operator"
	case errors.As(err, &pe):
		return "the server refused the handshake; check --suite/--group against the server's configuration"
	case errors.Is(err, context.Canceled):
		return ""
	}
	return fmt.Sprintf("is the server running at %s? start it with `securemedia server --config W/server.toml`", server)
}

// closeConn closes the session on the server, even when ctx was cancelled
// (Ctrl-C), with a short deadline of its own.
func closeConn(conn *client.Conn) {
	ctx, cancel := context.WithTimeout(context.Background(), closeTimeout)
	defer cancel()
	_ = conn.Close(ctx)
}
