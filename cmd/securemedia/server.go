package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"os"
	"os/signal"
	"syscall"

	"github.com/spf13/cobra"

	"securemedia/internal/config"
	"securemedia/server"
)

func newServerCommand() *cobra.Command {
	var (
		cfgPath, listen, passFile, logLevel string
	)
	cmd := &cobra.Command{
		Use:   "server --config W/server.toml",
		Short: "Run the server until SIGINT or SIGTERM",
		Long: `server serves the session protocol on plain HTTP (the protocol is the
protection). It prints the URL it listens on once it accepts connections,
reloads its CRLs without a restart, and on SIGINT/SIGTERM stops accepting,
finishes what is in flight and erases every session key.

It refuses to start without the master key of the media store (from
--passphrase-file, ` + masterPassphraseEnv + `, [media] master_passphrase_file,
or a prompt) and never logs it.`,
		Example: `  securemedia server --config W/server.toml
  securemedia server --config W/server.toml --listen 127.0.0.1:9000`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			cfg, err := config.LoadServer(cfgPath)
			if err != nil {
				return withHint(err, "give the server's configuration with --config W/server.toml")
			}
			if listen != "" {
				cfg.Listen = listen
			}
			level := slog.LevelInfo
			if err := level.UnmarshalText([]byte(logLevel)); err != nil {
				return withHint(err, "use --log-level debug, info, warn or error")
			}
			log := slog.New(slog.NewTextHandler(cmd.ErrOrStderr(), &slog.HandlerOptions{Level: level}))
			ctx, stop := signal.NotifyContext(cmd.Context(), os.Interrupt, syscall.SIGTERM)
			defer stop()
			return runServer(ctx, cfg, passFile, log, cmd.OutOrStdout(), nil)
		},
	}
	cmd.Flags().StringVar(&cfgPath, "config", "server.toml", "the server's configuration file")
	cmd.Flags().StringVar(&listen, "listen", "", "host:port to listen on (overrides server.toml)")
	cmd.Flags().StringVar(&passFile, "passphrase-file", "", "file holding the master passphrase")
	cmd.Flags().StringVar(&logLevel, "log-level", "info", "debug, info, warn or error")
	return cmd
}

// runServer opens the stores, builds the server from cfg, listens, prints
// the URL on out and serves until ctx is done. ready, when set, receives
// the URL (the demo and tests use it).
func runServer(ctx context.Context, cfg *config.Server, passFile string, log *slog.Logger, out io.Writer, ready func(url string)) error {
	store, err := openMediaStore(cfg, passFile, false)
	if err != nil {
		return err
	}
	setup, err := server.FromConfig(cfg, store, nil, log)
	if err != nil {
		return withHint(fmt.Errorf("server configuration: %w", err), "check the files named in "+cfg.Dir()+"/server.toml")
	}
	defer setup.Close()
	srv, err := server.New(setup.Config)
	if err != nil {
		return err
	}
	ln, err := net.Listen("tcp", cfg.Listen)
	if err != nil {
		return withHint(err, "choose another address with --listen host:port")
	}
	url := "http://" + ln.Addr().String()
	fmt.Fprintf(out, "securemedia server listening on %s\n", url)
	if ready != nil {
		ready(url)
	}
	go setup.WatchCRLs(ctx)
	err = srv.Serve(ctx, ln)
	if err != nil && !errors.Is(err, context.Canceled) {
		return err
	}
	log.Info("server stopped; session keys erased")
	return nil
}
