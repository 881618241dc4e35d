package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"os/signal"
	"syscall"

	"github.com/BurntSushi/toml"
	"github.com/spf13/cobra"

	"securemedia/internal/config"
	"securemedia/internal/deploy"
)

func newServerCommand() *cobra.Command {
	var (
		cfgPath, listen, adminListen, passFile, logLevel, replica string
	)
	cmd := &cobra.Command{
		Use:   "server --config W/server.toml",
		Short: "Run the server until SIGINT, or drain it on SIGTERM",
		Long: `server serves the session protocol on plain HTTP (the protocol is the
protection). It prints the URL it listens on once it accepts connections,
then the URL of its admin listener ([admin] listen, default loopback on a
free port): GET /healthz, /readyz (200 only when not draining, the license
store answers, the media store is readable and no CRL is stale; a JSON
body says which check failed) and /metrics.

On SIGINT it stops accepting, finishes what is in flight and erases every
session key. On SIGTERM it drains first, for a balancer in front of
several replicas: /readyz fails at once, new handshakes get 503 (the
client tries again through the balancer), running fetches finish, and a
session that asks for more is told inside the channel to go elsewhere (the
client resumes its play on another replica, for no view); it exits when
no play is left, or after [cluster] drain_timeout (30 s).

Without a restart it follows what changes on disk: every [pki]
reload_interval (1 minute) it re-reads its CRLs (and closes the live
sessions of a device or card they revoke), reloads the trust anchor files
of [trust] and [users] that changed, and warns of CRLs about to go stale ([pki] crl_warning, 3 days); after a "media rekey" the next play (or
the next check) finds the store's new master key from [media]
master_passphrase_file. SIGHUP does all of that at once.

It refuses to start without the master key of the media store (from
--passphrase-file, ` + deploy.MasterPassphraseEnv + `, [media] master_passphrase_file,
or a prompt) and never logs it.`,
		Example: `  securemedia server --config W/server.toml
  securemedia server --config W/server.toml --listen 127.0.0.1:9000
  securemedia server --config W/server.toml --replica a --admin-listen 10.0.0.11:9443`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			cfg, err := loadServerConfig(cfgPath)
			if err != nil {
				return err
			}
			if replica != "" {
				cfg.Cluster.Replica = replica
			}
			level := slog.LevelInfo
			if err := level.UnmarshalText([]byte(logLevel)); err != nil {
				return withHint(err, "use --log-level debug, info, warn or error")
			}
			log := slog.New(slog.NewTextHandler(cmd.ErrOrStderr(), &slog.HandlerOptions{Level: level}))
			ctx, stop := signal.NotifyContext(cmd.Context(), os.Interrupt)
			defer stop()
			out := cmd.OutOrStdout()
			err = deploy.RunServer(ctx, cfg, deploy.RunOptions{ServerOptions: deploy.ServerOptions{Logger: log},
				PassphraseFile: passFile, Listen: listen, AdminListen: adminListen, Reload: hangups(ctx), Drain: terminations(ctx),
				Ready: func(url string) { fmt.Fprintf(out, "securemedia server listening on %s\n", url) },
				AdminReady: func(url string) {
					fmt.Fprintf(out, "securemedia admin endpoints (/healthz /readyz /metrics) on %s\n", url)
				}})
			if err != nil {
				return err
			}
			log.Info("server stopped; session keys erased")
			return nil
		},
	}
	cmd.Flags().StringVar(&cfgPath, "config", "server.toml", "the server's configuration file")
	cmd.Flags().StringVar(&listen, "listen", "", "host:port to listen on (overrides server.toml)")
	cmd.Flags().StringVar(&adminListen, "admin-listen", "", "host:port of the admin listener: /healthz, /readyz, /metrics (overrides [admin] listen)")
	cmd.Flags().StringVar(&passFile, "passphrase-file", "", "file holding the master passphrase")
	cmd.Flags().StringVar(&logLevel, "log-level", "info", "debug, info, warn or error")
	cmd.Flags().StringVar(&replica, "replica", "", "this replica's name in session URLs, [a-z0-9-] (overrides [cluster] replica)")
	return cmd
}

// hangups turns each SIGHUP into a reload request until ctx is done.
func hangups(ctx context.Context) <-chan struct{} {
	sig := make(chan os.Signal, 1)
	signal.Notify(sig, syscall.SIGHUP)
	reload := make(chan struct{}, 1)
	go func() {
		defer signal.Stop(sig)
		for {
			select {
			case <-ctx.Done():
				return
			case <-sig:
				select {
				case reload <- struct{}{}:
				default: // one pending reload covers several signals
				}
			}
		}
	}()
	return reload
}

// terminations closes the returned channel at the first SIGTERM: a drain
// (deploy.RunOptions.Drain), bounded by [cluster] drain_timeout.
func terminations(ctx context.Context) <-chan struct{} {
	sig := make(chan os.Signal, 1)
	signal.Notify(sig, syscall.SIGTERM)
	drain := make(chan struct{})
	go func() {
		defer signal.Stop(sig)
		select {
		case <-ctx.Done():
		case <-sig:
			close(drain)
		}
	}()
	return drain
}

// loadServerConfig reads server.toml.
func loadServerConfig(path string) (*config.Server, error) {
	if path == "" {
		return nil, withHint(&usageError{err: config.ErrNoConfig}, "pass --config W/server.toml (made by securemedia init)")
	}
	cfg, err := config.LoadServer(path)
	if err != nil {
		return nil, configLoadError(err, "give the server's configuration with --config W/server.toml")
	}
	return cfg, nil
}

// loadClientConfig reads client.toml.
func loadClientConfig(path string) (*config.Client, error) {
	cfg, err := config.LoadClient(path)
	if err != nil {
		return nil, configLoadError(err, "give the client's configuration with --config W/client.toml")
	}
	return cfg, nil
}

// configLoadError attaches the hint that fits a configuration file that
// did not load: a key it does not know, broken TOML, or else (a file not
// found) pathHint.
func configLoadError(err error, pathHint string) error {
	var (
		unknown *config.UnknownKeyError
		syntax  toml.ParseError
	)
	switch {
	case errors.As(err, &unknown) && unknown.OtherKind != "":
		return withHint(err, unknown.File+" is a "+unknown.OtherKind+": "+pathHint)
	case errors.As(err, &unknown):
		return withHint(err, "remove or correct "+unknown.Where()+" in "+unknown.File+" (the README's Configuration section lists the keys of each file)")
	case errors.As(err, &syntax):
		return withHint(err, "fix the TOML syntax at the line named above")
	}
	return withHint(err, pathHint)
}
