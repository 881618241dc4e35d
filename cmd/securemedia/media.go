package main

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"strings"
	"syscall"
	"time"

	"github.com/dustin/go-humanize"
	"github.com/schollz/progressbar/v3"
	"github.com/spf13/cobra"

	"securemedia/content"
	"securemedia/internal/config"
	"securemedia/internal/deploy"
	"securemedia/internal/secret"
	"securemedia/license"
	"securemedia/media"
)

func newMediaCommand() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "media",
		Short: "The encrypted media store: add, list, rm, verify, rekey",
		Long: `The media store keeps every item encrypted at rest under its own data key,
in chunks that can each be opened alone, with a manifest signed by the
content-signing key. The data keys are wrapped by a master key derived from
the master passphrase, read from --passphrase-file, from
` + deploy.MasterPassphraseEnv + `, from the file named by [media]
master_passphrase_file in server.toml, or from a prompt (never from a flag).`,
		Example: `  securemedia media add --config W/server.toml --title "Song" song.wav
  securemedia media add --config W/server.toml --title "Film" --views 3 --period 48h film.mkv
  cat film.mkv | securemedia media add --config W/server.toml --title Film -
  securemedia media list --config W/server.toml
  securemedia media verify --config W/server.toml
  securemedia media rekey --config W/server.toml --new-passphrase-file new.pass`,
	}
	cmd.AddCommand(newMediaAddCommand(), newMediaListCommand(), newMediaRmCommand(),
		newMediaVerifyCommand(), newMediaRekeyCommand())
	return cmd
}

// mediaFlags are the flags every media subcommand takes.
type mediaFlags struct {
	config         string
	passphraseFile string
}

func (f *mediaFlags) register(cmd *cobra.Command) {
	cmd.Flags().StringVar(&f.config, "config", "server.toml", "the server's configuration file")
	cmd.Flags().StringVar(&f.passphraseFile, "passphrase-file", "", "file holding the master passphrase (else "+deploy.MasterPassphraseEnv+", [media] master_passphrase_file, or a prompt)")
}

// open loads the configuration and opens the store; withSigner also loads
// the content-signing key and chain (needed to add media).
func (f *mediaFlags) open(withSigner bool) (*config.Server, *media.Store, error) {
	cfg, err := loadServerConfig(f.config)
	if err != nil {
		return nil, nil, err
	}
	s, err := deploy.OpenMediaStore(cfg, deploy.StoreOptions{PassphraseFile: f.passphraseFile, WithSigner: withSigner})
	return cfg, s, err
}

func newMediaAddCommand() *cobra.Command {
	var (
		f                  mediaFlags
		title, contentType string
		chunkSize          int
		views              int
		period             string
	)
	cmd := &cobra.Command{
		Use:   "add [flags] FILE",
		Short: "Encrypt a file into the store (FILE - reads stdin); prints the new media id last",
		Long: `Encrypts FILE into the store as it reads it: no plaintext is written to disk
and memory stays at a few chunks whatever the size. Any file type is
accepted (media are opaque bytes). The content type is guessed from the
name or the first bytes unless given; the duration is taken from ffprobe
when it is installed. The last line on stdout is the new media id.`,
		Example: `  securemedia media add --config W/server.toml --title "Song" song.wav
  securemedia media add --config W/server.toml --title "Film" --views 3 --period 48h film.mkv
  ID=$(securemedia media add --config W/server.toml film.mkv | tail -n1)`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			if chunkSize != 0 {
				if err := content.CheckGeometry(0, chunkSize); err != nil {
					return withHint(fmt.Errorf("--chunk-size %d: %w", chunkSize, err), fmt.Sprintf("give --chunk-size from %d to %d bytes, or leave it out ([media] chunk_size, else %d)", content.MinChunkSize, content.MaxChunkSize, content.DefaultChunkSize))
				}
			}
			cfg, s, err := f.open(true)
			if err != nil {
				return err
			}
			if chunkSize == 0 {
				chunkSize = cfg.Media.ChunkSize
			}
			o := media.AddOptions{Title: title, ContentType: contentType, ChunkSize: chunkSize}
			if cmd.Flags().Changed("views") || cmd.Flags().Changed("period") {
				p, err := license.ParsePolicy(views, period)
				if err != nil {
					return withHint(err, "--views N (0 = unlimited) and/or --period like 48h or 7d")
				}
				if o.Policy, err = json.Marshal(p); err != nil {
					return err
				}
			}
			return mediaAdd(cmd, s, args[0], o)
		},
	}
	f.register(cmd)
	cmd.Flags().StringVar(&title, "title", "", "the title shown in the catalog (default: the file name)")
	cmd.Flags().StringVar(&contentType, "content-type", "", "the media type, e.g. video/mp4 (default: guessed)")
	cmd.Flags().IntVar(&views, "views", 0, "license policy: views per rental (0 = unlimited; default: the server's, 5)")
	cmd.Flags().StringVar(&period, "period", "", "license policy: rental period, e.g. 48h or 7d (default: the server's)")
	cmd.Flags().IntVar(&chunkSize, "chunk-size", 0, fmt.Sprintf("chunk size in bytes, %d..%d (default: [media] chunk_size or %d)", content.MinChunkSize, content.MaxChunkSize, content.DefaultChunkSize))
	return cmd
}

// addStopGrace bounds the wait for an interrupted add to remove its
// temporary files: a read from a pipe whose writer stalls cannot be cut
// short, and the next `media verify` removes what is left.
const addStopGrace = 5 * time.Second

// mediaAdd streams path (or stdin for "-") into the store. SIGINT or
// SIGTERM stops it: the store removes the item's temporary files.
func mediaAdd(cmd *cobra.Command, s *media.Store, path string, o media.AddOptions) error {
	ctx, stop := signal.NotifyContext(cmd.Context(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	src, err := deploy.OpenMediaSource(ctx, path, cmd.InOrStdin(), o)
	if err != nil {
		return withHint(err, "give the path of a readable file, or - for stdin")
	}
	defer src.Close()
	var r io.Reader = src
	if isTerminal(os.Stderr) {
		bar := progressbar.DefaultBytes(src.Size, "encrypting")
		defer bar.Finish()
		r = io.TeeReader(src, bar)
	}
	type added struct {
		info content.Item
		err  error
	}
	result := make(chan added, 1)
	go func() {
		info, err := s.Add(r, src.Options)
		result <- added{info, err}
	}()
	var res added
	select {
	case res = <-result:
	case <-ctx.Done():
		select {
		case res = <-result:
		case <-time.After(addStopGrace):
			return &exitCodeError{code: exitInterrupted, err: errors.New("interrupted; nothing was added (the input did not end: media verify removes what the add left)")}
		}
	}
	info, err := res.info, res.err
	switch {
	case ctx.Err() != nil:
		return &exitCodeError{code: exitInterrupted, err: errors.New("interrupted; nothing was added, and its temporary files are removed")}
	case errors.Is(err, media.ErrEmpty):
		return withHint(fmt.Errorf("%s is empty: nothing was added", sourceName(path)), "give the media file itself; an item holds at least one byte")
	case err != nil:
		return withHint(err, "see the message above; nothing was added")
	}
	fmt.Fprintf(cmd.ErrOrStderr(), "added %q: %s, %d chunks of %s, %s\n", info.Title, humanBytes(info.Size), info.Chunks, humanBytes(int64(info.ChunkSize)), info.ContentType)
	fmt.Fprintln(cmd.OutOrStdout(), info.ID)
	return nil
}

// sourceName names the input of media add in messages.
func sourceName(path string) string {
	if path == "-" {
		return "standard input"
	}
	return path
}

func newMediaListCommand() *cobra.Command {
	var (
		f      mediaFlags
		asJSON bool
	)
	cmd := &cobra.Command{
		Use:     "list",
		Short:   "List the items of the store",
		Example: `  securemedia media list --config W/server.toml --json`,
		Args:    cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			_, s, err := f.open(false)
			if err != nil {
				return err
			}
			items, err := s.List()
			var damaged *content.DamagedError
			if err != nil && !errors.As(err, &damaged) {
				return err
			}
			// The sound items first, then the damaged ones on stderr.
			if asJSON {
				err = writeMediaJSON(cmd.OutOrStdout(), items)
			} else {
				tw := newTable(cmd.OutOrStdout(), "ID\tSIZE\tCHUNKS\tDURATION\tTYPE\tADDED\tTITLE")
				for _, it := range items {
					fmt.Fprintf(tw, "%s\t%s\t%d\t%s\t%s\t%s\t%s\n", it.ID, humanBytes(it.Size), it.Chunks,
						durationOrDash(it.Duration), it.ContentType, it.Added.Local().Format("2006-01-02 15:04"), it.Title)
				}
				err = tw.Flush()
			}
			if err != nil || damaged == nil {
				return err
			}
			for _, e := range damaged.Errs {
				fmt.Fprintf(cmd.ErrOrStderr(), "DAMAGED %s\n", oneLine(e.Error()))
			}
			names := make([]string, len(damaged.IDs))
			for i, id := range damaged.IDs {
				names[i] = id.String()
			}
			return withHint(fmt.Errorf("%d damaged item(s) left out of the list: %s", len(damaged.IDs), strings.Join(names, " ")),
				"a damaged item was changed on disk or wrapped under another master key: check it with securemedia media verify ID, then remove it and add it again")
		},
	}
	f.register(cmd)
	cmd.Flags().BoolVar(&asJSON, "json", false, "print a JSON array")
	return cmd
}

// mediaJSON is one item of `media list --json`.
type mediaJSON struct {
	ID          string          `json:"id"`
	Title       string          `json:"title"`
	ContentType string          `json:"content_type"`
	Size        int64           `json:"size"`
	ChunkSize   int             `json:"chunk_size"`
	Chunks      int             `json:"chunks"`
	DurationMS  int64           `json:"duration_ms,omitempty"`
	Added       time.Time       `json:"added"`
	Policy      json.RawMessage `json:"policy,omitempty"`
}

func writeMediaJSON(w io.Writer, items []content.Item) error {
	out := make([]mediaJSON, 0, len(items))
	for _, it := range items {
		out = append(out, mediaJSON{ID: it.ID.String(), Title: it.Title, ContentType: it.ContentType, Size: it.Size,
			ChunkSize: it.ChunkSize, Chunks: int(it.Chunks), DurationMS: it.Duration.Milliseconds(), Added: it.Added, Policy: it.Policy})
	}
	return writeJSON(w, out)
}

func newMediaRmCommand() *cobra.Command {
	var (
		f      mediaFlags
		revoke bool
	)
	cmd := &cobra.Command{
		Use:   "rm ID...",
		Short: "Remove items from the store (refused while licenses for them are active)",
		Long: `rm removes items from the store. An item that viewers hold active licenses
for (views or time left, not revoked) is not removed: they paid for it.
--revoke-licenses revokes those licenses first (each revocation is in the
audit log, reason "` + deploy.MediaRemovedReason + `"), then removes the item.`,
		Example: `  securemedia media rm --config W/server.toml 0123456789abcdef0123456789abcdef
  securemedia media rm --config W/server.toml --revoke-licenses 0123456789abcdef0123456789abcdef`,
		Args: cobra.MinimumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			ids, err := parseMediaIDs(args)
			if err != nil {
				return err
			}
			cfg, s, err := f.open(false)
			if err != nil {
				return err
			}
			var active *deploy.ActiveLicensesError
			for _, id := range ids {
				revoked, err := deploy.RemoveMedia(cmd.Context(), cfg, s, id, revoke, time.Now())
				for _, l := range revoked {
					fmt.Fprintf(cmd.ErrOrStderr(), "revoked license %s of user %s\n", l.ID, l.UserID)
				}
				switch {
				case errors.As(err, &active):
					return withHint(err, "list them with: securemedia license list --config "+f.config+" --media "+id.String()+
						"; remove the item with --revoke-licenses to revoke them (audited)")
				case errors.Is(err, content.ErrNotFound):
					return withHint(err, "list the ids with: securemedia media list")
				case err != nil:
					return err
				}
				fmt.Fprintf(cmd.ErrOrStderr(), "removed %s\n", id)
			}
			return nil
		},
	}
	f.register(cmd)
	cmd.Flags().BoolVar(&revoke, "revoke-licenses", false, "revoke the item's active licenses (audited), then remove it")
	return cmd
}

func newMediaVerifyCommand() *cobra.Command {
	var (
		f      mediaFlags
		asJSON bool
	)
	cmd := &cobra.Command{
		Use:   "verify [ID...]",
		Short: "Decrypt every chunk and check it against the signed manifest (all items when none given)",
		Long: `verify opens every chunk of the items (all of them when no id is given) and
checks it against the content-signed manifest. It says "ok ID" or
"FAIL ID: reason" for each item on stderr and exits 1 when any failed;
--json prints the verdicts on stdout as well: [{"id", "ok", "error"}].

It also removes, and names on stderr, the temporary files that an
interrupted or killed "media add" (or "media rm") left in the store; never
those of an add still in progress.`,
		Example: `  securemedia media verify --config W/server.toml
  securemedia media verify --config W/server.toml --json 0123456789abcdef0123456789abcdef`,
		RunE: func(cmd *cobra.Command, args []string) error {
			ids, err := parseMediaIDs(args)
			if err != nil {
				return err
			}
			_, s, err := f.open(false)
			if err != nil {
				return err
			}
			if err := reportTemporary(cmd.ErrOrStderr(), s); err != nil {
				return err
			}
			results, err := s.VerifyItems(ids)
			if err != nil {
				return err
			}
			var verdicts []verifyJSON
			failed, missing := 0, 0
			for _, r := range results {
				v := verifyJSON{ID: r.ID.String(), OK: true}
				if r.Err != nil {
					failed++
					if errors.Is(r.Err, content.ErrNotFound) {
						missing++
					}
					v.OK, v.Error = false, r.Err.Error()
					fmt.Fprintf(cmd.ErrOrStderr(), "FAIL %s: %s\n", r.ID, oneLine(v.Error))
				} else {
					fmt.Fprintf(cmd.ErrOrStderr(), "ok   %s\n", r.ID)
				}
				verdicts = append(verdicts, v)
			}
			if asJSON {
				if err := writeJSON(cmd.OutOrStdout(), verdicts); err != nil {
					return err
				}
			}
			switch {
			case failed > 0 && missing == failed:
				return withHint(fmt.Errorf("%d of %d items failed verification: not in the store", failed, len(results)),
					"list the ids with: securemedia media list")
			case failed > 0:
				return withHint(fmt.Errorf("%d of %d items failed verification", failed, len(results)),
					"a failed item has been damaged or tampered with on disk: remove it and add it again")
			}
			return nil
		},
	}
	f.register(cmd)
	cmd.Flags().BoolVar(&asJSON, "json", false, "print the verdicts as a JSON array on stdout")
	return cmd
}

// parseMediaIDs parses the ids given to media rm or verify, refusing the
// first that is not one: a typing error, not a damaged item.
func parseMediaIDs(args []string) ([]content.ID, error) {
	ids := make([]content.ID, len(args))
	for i, arg := range args {
		var err error
		if ids[i], err = content.ParseID(arg); err != nil {
			return nil, withHint(fmt.Errorf("%q is not a media id", arg), "a media id is 32 lower-case hex characters; list them with: securemedia media list")
		}
	}
	return ids, nil
}

// reportTemporary removes the temporary files that interrupted or killed
// adds and removals left in the store, saying so on w.
func reportTemporary(w io.Writer, s *media.Store) error {
	removed, err := s.CleanTemporary()
	for _, t := range removed {
		fmt.Fprintf(w, "removed stale temporary %s (%s, left %s by an add or removal that did not finish)\n",
			t.Path, humanBytes(t.Size), t.Modified.Local().Format("2006-01-02 15:04"))
	}
	if err != nil {
		return withHint(fmt.Errorf("stale temporary files: %w", err), "check the permissions of the media store directory")
	}
	return nil
}

// verifyJSON is one item of `media verify --json`.
type verifyJSON struct {
	ID    string `json:"id"`
	OK    bool   `json:"ok"`
	Error string `json:"error,omitempty"`
}

func newMediaRekeyCommand() *cobra.Command {
	var (
		f           mediaFlags
		newPassFile string
		toToken     bool
	)
	cmd := &cobra.Command{
		Use:   "rekey",
		Short: "Rewrap every data key under a new master passphrase or the token key (content is not rewritten)",
		Long: `Derives a new master key from the new passphrase (--new-passphrase-file,
` + deploy.NewMasterPassphraseEnv + `, or a prompt asked twice) and rewraps every
item's data key under it; the content stays as it is and keeps playing.
Afterwards the old passphrase opens nothing. When the old passphrase came
from [media] master_passphrase_file, that file is rewritten with the new
one, so the server keeps starting; a running server then moves to the new
key by itself at its next play (or on SIGHUP), and plays in progress go
on. A server given its passphrase otherwise must be restarted with the new
one.

With --to-token, the data keys move from the master passphrase to the AES key
on the PKCS#11 token named by [media] kek_token_uri (create it with
"securemedia token create-kek"); the token PIN comes from
` + deploy.KEKPINEnv + ` or [media] kek_token_pin_file. Afterwards the master
passphrase opens nothing, and the server opens the store with the token.`,
		Example: `  securemedia media rekey --config W/server.toml --new-passphrase-file new.pass
  securemedia media rekey --config W/server.toml --to-token`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			if toToken {
				return rekeyToToken(cmd, f)
			}
			cfg, s, err := f.open(false)
			if err != nil {
				return err
			}
			newPass, err := secret.Read(secret.Source{What: "new master passphrase", File: newPassFile,
				Env: deploy.NewMasterPassphraseEnv, Prompt: "New master passphrase", Confirm: true})
			var unreadable *secret.FileError
			switch {
			case errors.As(err, &unreadable):
				return withHint(err, "write the new master passphrase to "+unreadable.Path+" (one line, mode 0600), or set "+deploy.NewMasterPassphraseEnv)
			case err != nil:
				return withHint(err, "give --new-passphrase-file or set "+deploy.NewMasterPassphraseEnv)
			}
			defer secret.Erase(newPass)
			res, err := deploy.RekeyToPassphrase(cfg, s, f.passphraseFile, newPassFile, newPass, nil)
			if err != nil {
				return rekeyHint(err)
			}
			if res.PassphraseFile != "" {
				fmt.Fprintf(cmd.ErrOrStderr(), "wrote the new master passphrase to %s\n", res.PassphraseFile)
			}
			fmt.Fprintln(cmd.ErrOrStderr(), "rekeyed: every data key is now wrapped under the new master key")
			if res.TokenStillConfigured {
				fmt.Fprintln(cmd.ErrOrStderr(), "remove kek_token_uri from [media] in server.toml: the token key no longer opens the store")
			}
			return nil
		},
	}
	f.register(cmd)
	cmd.Flags().StringVar(&newPassFile, "new-passphrase-file", "", "file holding the new master passphrase (else "+deploy.NewMasterPassphraseEnv+" or a prompt)")
	cmd.Flags().BoolVar(&toToken, "to-token", false, "rewrap under the token key of [media] kek_token_uri instead of a new passphrase")
	cmd.MarkFlagsMutuallyExclusive("to-token", "new-passphrase-file")
	return cmd
}

// rekeyToToken rewraps every data key under the configured token key.
func rekeyToToken(cmd *cobra.Command, f mediaFlags) error {
	cfg, err := loadServerConfig(f.config)
	if err != nil {
		return err
	}
	res, err := deploy.RekeyToToken(cfg, f.passphraseFile)
	if err != nil {
		return rekeyHint(err)
	}
	fmt.Fprintf(cmd.ErrOrStderr(), "rekeyed: every data key is now wrapped under the token key %s; the master passphrase no longer opens the store\n", res.KEKID)
	return nil
}

// rekeyHint says what to do after a failed rekey of the store itself.
func rekeyHint(err error) error {
	var de *deploy.Error
	if errors.As(err, &de) {
		return err // a configuration problem: its own hint
	}
	return withHint(err, "run the same rekey again: the store finishes or rolls back an interrupted one when it opens")
}

// humanBytes prints a size with a binary unit ("256 MiB").
func humanBytes(n int64) string { return humanize.IBytes(uint64(max(n, 0))) }

func durationOrDash(d time.Duration) string {
	if d <= 0 {
		return "-"
	}
	return d.Round(time.Second).String()
}
