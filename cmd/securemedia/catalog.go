package main

import (
	"fmt"
	"io"
	"os"
	"os/signal"
	"securemedia/message"
	"strings"
	"time"
	"unicode"

	"github.com/spf13/cobra"
)

func newCatalogCommand() *cobra.Command {
	var f clientFlags
	var asJSON bool
	cmd := &cobra.Command{
		Use:   "catalog --config W/client.toml",
		Short: "List the server's media (over the secure session)",
		Example: `  securemedia catalog --config W/client.toml
  securemedia catalog --config W/client.toml --server http://127.0.0.1:9000 --json`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			ctx, stop := signal.NotifyContext(cmd.Context(), os.Interrupt)
			defer stop()
			v, err := f.connect(ctx, cmd)
			if err != nil {
				return err
			}
			defer v.Close()
			items, err := v.Conn.Catalog(ctx)
			if err != nil {
				return err
			}
			if asJSON {
				return writeCatalogJSON(cmd.OutOrStdout(), items)
			}
			writeCatalogTable(cmd.OutOrStdout(), items, time.Now())
			return nil
		},
	}
	f.register(cmd, true)
	cmd.Flags().BoolVar(&asJSON, "json", false, "print JSON on stdout")
	return cmd
}

// catalogEntry is the JSON form of a catalog item.
type catalogEntry struct {
	ID          string  `json:"id"`
	Title       string  `json:"title"`
	ContentType string  `json:"content_type"`
	Size        uint64  `json:"size"`
	Chunks      uint32  `json:"chunks"`
	DurationSec float64 `json:"duration_seconds,omitempty"`
	License     *struct {
		ViewsLeft    int32      `json:"views_left"`
		Expires      *time.Time `json:"expires,omitempty"`
		NeedsRenewal bool       `json:"needs_renewal"`
	} `json:"license,omitempty"`
}

func writeCatalogJSON(w io.Writer, items []message.MediaInfo) error {
	out := make([]catalogEntry, 0, len(items))
	for _, it := range items {
		e := catalogEntry{ID: it.ID.String(), Title: it.Title, ContentType: it.ContentType, Size: it.Size,
			Chunks: it.Chunks, DurationSec: it.Duration.Seconds()}
		if it.License.Known {
			e.License = &struct {
				ViewsLeft    int32      `json:"views_left"`
				Expires      *time.Time `json:"expires,omitempty"`
				NeedsRenewal bool       `json:"needs_renewal"`
			}{ViewsLeft: it.License.ViewsLeft, NeedsRenewal: it.License.NeedsRenewal}
			if !it.License.Expires.IsZero() {
				exp := it.License.Expires
				e.License.Expires = &exp
			}
		}
		out = append(out, e)
	}
	return writeJSON(w, out)
}

func writeCatalogTable(w io.Writer, items []message.MediaInfo, now time.Time) {
	tw := newTable(w, "#\tID\tTITLE\tDURATION\tSIZE\tLICENSE")
	for i, it := range items {
		fmt.Fprintf(tw, "%d\t%s\t%s\t%s\t%s\t%s\n", i+1, it.ID, printable(it.Title), durationOrDash(it.Duration),
			humanBytes(int64(it.Size)), licenseSummary(it.License, now))
	}
	tw.Flush()
}

// printable replaces control characters (escape sequences, tabs, new
// lines) in text that came from the server before it reaches a terminal.
func printable(s string) string {
	return strings.Map(func(r rune) rune {
		if unicode.IsControl(r) || r == unicode.ReplacementChar {
			return '?'
		}
		return r
	}, s)
}

// licenseSummary is a viewer-facing line for a license state.
func licenseSummary(l message.LicenseState, now time.Time) string {
	if !l.Known {
		return "not rented yet"
	}
	if l.NeedsRenewal {
		return "renewal needed"
	}
	s := ""
	switch {
	case l.ViewsLeft < 0:
		s = "unlimited views"
	case l.ViewsLeft == 1:
		s = "1 view left"
	default:
		s = fmt.Sprintf("%d views left", l.ViewsLeft)
	}
	if !l.Expires.IsZero() {
		s += ", " + l.Expires.Sub(now).Round(time.Minute).String() + " left"
	}
	return s
}
