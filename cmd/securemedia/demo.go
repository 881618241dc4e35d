package main

import (
	"errors"
	"fmt"
	"os"
	"os/signal"
	"syscall"

	"github.com/spf13/cobra"

	"securemedia/internal/demo"
)

func newDemoCommand() *cobra.Command {
	var o demo.Options
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
			out := cmd.OutOrStdout()
			fmt.Fprintln(out, "securemedia demo")
			o.Output = cmd.ErrOrStderr()
			err := demo.Run(ctx, o, func(s demo.Step) { fmt.Fprintf(out, "  %-9s %s\n", s.Name, s.Text) })
			var pe *demo.PlayError
			if errors.As(err, &pe) {
				return playError(pe.Err)
			}
			return err
		},
	}
	cmd.Flags().BoolVar(&o.Keep, "keep", false, "keep the temporary workspace")
	cmd.Flags().StringVar(&o.Player, "player", "", `player command, or "none" for a null sink (default: ffplay or mpv when installed)`)
	return cmd
}
