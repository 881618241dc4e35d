package main

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"log/slog"
	"strings"

	"github.com/spf13/cobra"

	"securemedia/client"
	"securemedia/internal/deploy"
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

// connect loads client.toml and connects the viewer (deploy.Connect:
// the identity card's PIN from --pin-file, SECUREMEDIA_PIN, [token]
// pin_file or a prompt). The caller closes it.
func (f *clientFlags) connect(ctx context.Context, cmd *cobra.Command) (*deploy.Viewer, error) {
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
	return deploy.Connect(ctx, cfg, f.pinFile, deploy.ClientOptions{Server: f.server, Suite: f.suite, Group: f.group, Logger: log})
}

// connectHint suggests a fix for a failed connection.
func connectHint(d *deploy.DialError) string {
	err, server := d.Err, d.Server
	var (
		pe   *client.ProblemError
		cert *tls.CertificateVerificationError
		rec  tls.RecordHeaderError
	)
	switch {
	case errors.As(err, &cert) && d.TLSRoots:
		return "the server's TLS certificate does not verify against [tls] roots in " + d.File + ": give the CA of its TLS certificate there"
	case errors.As(err, &cert):
		return "the server's TLS certificate does not verify against the system's roots: set [tls] roots in " + d.File + " to the CA of its TLS certificate"
	case errors.As(err, &rec):
		return "the server does not speak TLS at " + server + ": use http:// for it"
	case errors.As(err, &pe) && pe.Status == 400 && strings.HasPrefix(server, "http://"):
		return "the server refused the request; if it listens with TLS ([tls] in server.toml), use https:// for it"
	case errors.As(err, &pe) && (pe.Status == 429 || pe.Status == 503):
		return "the server is busy or stopping and asked to come back (it was tried several times): try again in a moment"
	case errors.As(err, &pe) && pe.Status == 403:
		return "the server refused our certificate or identity card; check the reason above with the operator"
	case errors.As(err, &pe):
		return "the server refused the handshake; check --suite/--group against the server's configuration"
	case errors.Is(err, context.Canceled):
		return ""
	}
	return fmt.Sprintf("is the server running at %s? start it with `securemedia server --config W/server.toml`", server)
}
