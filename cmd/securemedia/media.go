package main

import (
	"bufio"
	"context"
	"crypto"
	"crypto/x509"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/dustin/go-humanize"
	"github.com/schollz/progressbar/v3"
	"github.com/spf13/cobra"
	"golang.org/x/term"

	"securemedia/content"
	"securemedia/internal/config"
	"securemedia/internal/secret"
	"securemedia/license"
	"securemedia/media"
	"securemedia/pki"
)

// Environment variables that may hold the master passphrases.
const (
	masterPassphraseEnv    = "SECUREMEDIA_MASTER_PASSPHRASE"
	newMasterPassphraseEnv = "SECUREMEDIA_NEW_MASTER_PASSPHRASE"
)

// ffprobeTimeout bounds the run of ffprobe on the source file.
const ffprobeTimeout = 15 * time.Second

func newMediaCommand() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "media",
		Short: "The encrypted media store: add, list, rm, verify, rekey",
		Long: `The media store keeps every item encrypted at rest under its own data key,
in chunks that can each be opened alone, with a manifest signed by the
content-signing key. The data keys are wrapped by a master key derived from
the master passphrase, read from --passphrase-file, from
` + masterPassphraseEnv + `, from the file named by [media]
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
	cmd.Flags().StringVar(&f.passphraseFile, "passphrase-file", "", "file holding the master passphrase (else "+masterPassphraseEnv+", [media] master_passphrase_file, or a prompt)")
}

// open loads the configuration and opens the store; withSigner also loads
// the content-signing key and chain (needed to add media).
func (f *mediaFlags) open(withSigner bool) (*config.Server, *media.Store, error) {
	cfg, err := config.LoadServer(f.config)
	if err != nil {
		return nil, nil, withHint(err, "give the server's configuration with --config W/server.toml")
	}
	s, err := openMediaStore(cfg, f.passphraseFile, withSigner)
	return cfg, s, err
}

// masterPassphraseSource says where the master passphrase comes from: the
// flag's file, then the environment, then the configured file, then a prompt.
func masterPassphraseSource(cfg *config.Server, file string) secret.Source {
	src := secret.Source{What: "master passphrase", File: file, Env: masterPassphraseEnv, Prompt: "Master passphrase"}
	if file == "" && os.Getenv(masterPassphraseEnv) == "" && cfg.Media.MasterPassphraseFile != "" {
		src.File = cfg.Path(cfg.Media.MasterPassphraseFile)
	}
	return src
}

// openMediaStore opens the media store of cfg under its master key: the
// PKCS#11 token key when [media] kek_token_uri is set, else the key derived
// from the master passphrase (see masterPassphraseSource); passphraseFile
// may be empty. The server uses it too (withSigner false): it refuses to
// start without the master key, and a wrong one is reported here rather
// than at the first play.
func openMediaStore(cfg *config.Server, passphraseFile string, withSigner bool) (*media.Store, error) {
	return openMediaStoreWith(cfg, passphraseFile, withSigner, cfg.Media.KEKTokenURI != "")
}

// openMediaStoreWith opens the store under the token key when useToken,
// else under the master passphrase ("media rekey --to-token" opens a
// passphrase store while the token is already configured).
func openMediaStoreWith(cfg *config.Server, passphraseFile string, withSigner, useToken bool) (*media.Store, error) {
	var o media.StoreOptions
	c, err := media.ParseCipher(cfg.Media.Cipher)
	if err != nil {
		return nil, withHint(err, "fix [media] cipher in server.toml")
	}
	o.Cipher = c
	if withSigner {
		if o.ContentSigner, o.ContentChain, err = loadContentSigner(cfg); err != nil {
			return nil, err
		}
	}
	dataDir := cfg.Path(cfg.DataDir)
	if err := os.MkdirAll(dataDir, 0o700); err != nil {
		return nil, fmt.Errorf("media store: %w", err)
	}
	if useToken {
		// The token key stays open for the life of the process (the
		// server's): the store unwraps data keys with it at every play.
		kek, err := openTokenKEK(cfg)
		if err != nil {
			return nil, err
		}
		s, err := media.OpenStore(dataDir, kek, o)
		if err != nil {
			kek.Close()
			return nil, withHint(fmt.Errorf("media store: %w", err), "the store is not under the token key "+kek.ID()+": move it there with \"securemedia media rekey --to-token\", or remove [media] kek_token_uri")
		}
		return s, nil
	}
	pass, err := secret.Read(masterPassphraseSource(cfg, passphraseFile))
	if err != nil {
		return nil, withHint(fmt.Errorf("media store: %w", err), "give --passphrase-file, set "+masterPassphraseEnv+" or [media] master_passphrase_file")
	}
	defer secret.Erase(pass)
	kek, err := media.PassphraseKEK(dataDir, pass, media.DefaultArgon2Params())
	if err != nil {
		return nil, withHint(fmt.Errorf("media store: %w", err), "check the master passphrase (file, "+masterPassphraseEnv+" or prompt)")
	}
	s, err := media.OpenStore(dataDir, kek, o)
	if err != nil {
		return nil, withHint(fmt.Errorf("media store: %w", err), "check the master passphrase (file, "+masterPassphraseEnv+" or prompt)")
	}
	return s, nil
}

// loadContentSigner loads the content-signing key and its chain (DER, leaf
// first) named in [media].
func loadContentSigner(cfg *config.Server) (signer crypto.Signer, chain [][]byte, err error) {
	if cfg.Media.ContentKey == "" || cfg.Media.ContentCertificate == "" {
		return nil, nil, withHint(errors.New("no content-signing key configured"), "set [media] content_key and content_certificate in server.toml")
	}
	certs, err := pki.LoadCertificates(cfg.Path(cfg.Media.ContentCertificate))
	if err != nil {
		return nil, nil, withHint(fmt.Errorf("content-signing certificate: %w", err), "check [media] content_certificate")
	}
	for _, c := range certs {
		chain = append(chain, c.Raw)
	}
	passFile := cfg.Media.ContentKeyPassphraseFile
	key, err := pki.LoadSigner(cfg.Path(cfg.Media.ContentKey), func() ([]byte, error) {
		if passFile == "" {
			return nil, errors.New("the content-signing key is encrypted: set [media] content_key_passphrase_file")
		}
		return secret.FromFile(cfg.Path(passFile))
	})
	if err != nil {
		return nil, nil, withHint(fmt.Errorf("content-signing key: %w", err), "check [media] content_key and content_key_passphrase_file")
	}
	if !publicKeysEqual(key.Public(), certs[0]) {
		return nil, nil, withHint(errors.New("the content-signing key does not match its certificate"), "check [media] content_key and content_certificate")
	}
	return key, chain, nil
}

// publicKeysEqual reports whether pub is the key of cert.
func publicKeysEqual(pub crypto.PublicKey, cert *x509.Certificate) bool {
	k, ok := pub.(interface{ Equal(crypto.PublicKey) bool })
	return ok && k.Equal(cert.PublicKey)
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
	cmd.Flags().IntVar(&chunkSize, "chunk-size", 0, fmt.Sprintf("chunk size in bytes, %d..%d (default: [media] chunk_size or %d)", content.MinChunkSize, content.MaxChunkSize, media.DefaultChunkSize))
	return cmd
}

// mediaAdd streams path (or stdin for "-") into the store.
func mediaAdd(cmd *cobra.Command, s *media.Store, path string, o media.AddOptions) error {
	var in io.Reader
	var size int64 = -1
	if path == "-" {
		in = cmd.InOrStdin()
	} else {
		fh, err := os.Open(path)
		if err != nil {
			return withHint(err, "give the path of a readable file, or - for stdin")
		}
		defer fh.Close()
		if st, err := fh.Stat(); err == nil && st.Mode().IsRegular() {
			size = st.Size()
		}
		in = fh
		if o.Title == "" {
			o.Title = filepath.Base(path)
		}
		o.Duration = probeDuration(cmd.Context(), path)
	}
	br := bufio.NewReaderSize(in, 4096)
	if o.ContentType == "" {
		o.ContentType = guessContentType(path, br)
	}
	var r io.Reader = br
	if term.IsTerminal(int(os.Stderr.Fd())) {
		bar := progressbar.DefaultBytes(size, "encrypting")
		defer bar.Finish()
		r = io.TeeReader(br, bar)
	}
	info, err := s.Add(r, o)
	if err != nil {
		return withHint(err, "see the message above; nothing was added")
	}
	fmt.Fprintf(cmd.ErrOrStderr(), "added %q: %s, %d chunks of %s, %s\n", info.Title, humanBytes(info.Size), info.Chunks, humanBytes(int64(info.ChunkSize)), info.ContentType)
	fmt.Fprintln(cmd.OutOrStdout(), info.ID)
	return nil
}

// guessContentType names the media type from the file name, else from the
// first bytes (which stay buffered in br for Add).
func guessContentType(path string, br *bufio.Reader) string {
	if path != "-" {
		if t := mime.TypeByExtension(filepath.Ext(path)); t != "" {
			return t
		}
	}
	head, _ := br.Peek(512)
	return http.DetectContentType(head)
}

// probeDuration asks ffprobe, when it is installed, for the playing time
// of the user's own source file; zero when unknown.
func probeDuration(ctx context.Context, path string) time.Duration {
	bin, err := exec.LookPath("ffprobe")
	if err != nil {
		return 0
	}
	if ctx == nil {
		ctx = context.Background()
	}
	ctx, cancel := context.WithTimeout(ctx, ffprobeTimeout)
	defer cancel()
	out, err := exec.CommandContext(ctx, bin, "-v", "error", "-show_entries", "format=duration",
		"-of", "default=noprint_wrappers=1:nokey=1", "--", path).Output()
	if err != nil {
		return 0
	}
	secs, err := strconv.ParseFloat(strings.TrimSpace(string(out)), 64)
	if err != nil || secs <= 0 || secs > 1e7 {
		return 0
	}
	return time.Duration(secs * float64(time.Second)).Round(time.Millisecond)
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
			var damaged *media.DamagedError
			if err != nil && !errors.As(err, &damaged) {
				return err
			}
			// The sound items first, then the damaged ones on stderr.
			if asJSON {
				err = writeMediaJSON(cmd.OutOrStdout(), items)
			} else {
				tw := tabwriter.NewWriter(cmd.OutOrStdout(), 0, 4, 2, ' ', 0)
				fmt.Fprintln(tw, "ID\tSIZE\tCHUNKS\tDURATION\tTYPE\tADDED\tTITLE")
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

func writeMediaJSON(w io.Writer, items []media.Info) error {
	out := make([]mediaJSON, 0, len(items))
	for _, it := range items {
		out = append(out, mediaJSON{ID: it.ID.String(), Title: it.Title, ContentType: it.ContentType, Size: it.Size,
			ChunkSize: it.ChunkSize, Chunks: int(it.Chunks), DurationMS: it.Duration.Milliseconds(), Added: it.Added, Policy: it.Policy})
	}
	return writeJSON(w, out)
}

func newMediaRmCommand() *cobra.Command {
	var f mediaFlags
	cmd := &cobra.Command{
		Use:     "rm ID...",
		Short:   "Remove items from the store",
		Example: `  securemedia media rm --config W/server.toml 0123456789abcdef0123456789abcdef`,
		Args:    cobra.MinimumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			ids := make([]content.ID, len(args))
			for i, arg := range args {
				var err error
				if ids[i], err = content.ParseID(arg); err != nil {
					return withHint(fmt.Errorf("%q is not a media id", arg), "a media id is 32 lower-case hex characters; list them with: securemedia media list")
				}
			}
			_, s, err := f.open(false)
			if err != nil {
				return err
			}
			for _, id := range ids {
				if err := s.Remove(id); err != nil {
					return withHint(err, "list the ids with: securemedia media list")
				}
				fmt.Fprintf(cmd.ErrOrStderr(), "removed %s\n", id)
			}
			return nil
		},
	}
	f.register(cmd)
	return cmd
}

func newMediaVerifyCommand() *cobra.Command {
	var f mediaFlags
	cmd := &cobra.Command{
		Use:   "verify [ID...]",
		Short: "Decrypt every chunk and check it against the signed manifest (all items when none given)",
		Example: `  securemedia media verify --config W/server.toml
  securemedia media verify --config W/server.toml 0123456789abcdef0123456789abcdef`,
		RunE: func(cmd *cobra.Command, args []string) error {
			_, s, err := f.open(false)
			if err != nil {
				return err
			}
			var ids []content.ID
			failed := 0
			for _, arg := range args {
				id, err := content.ParseID(arg)
				if err != nil {
					failed++
					fmt.Fprintf(cmd.OutOrStdout(), "FAIL %s: %v\n", arg, err)
					continue
				}
				ids = append(ids, id)
			}
			if len(args) == 0 {
				// A damaged item is listed apart; Verify reports its error.
				items, err := s.List()
				var damaged *media.DamagedError
				if err != nil && !errors.As(err, &damaged) {
					return err
				}
				for _, it := range items {
					ids = append(ids, it.ID)
				}
				if damaged != nil {
					ids = append(ids, damaged.IDs...)
				}
			}
			for _, id := range ids {
				if err := s.Verify(id); err != nil {
					failed++
					fmt.Fprintf(cmd.OutOrStdout(), "FAIL %s: %v\n", id, err)
					continue
				}
				fmt.Fprintf(cmd.OutOrStdout(), "ok   %s\n", id)
			}
			if failed > 0 {
				return withHint(fmt.Errorf("%d of %d items failed verification", failed, max(len(ids), len(args))),
					"a failed item has been damaged or tampered with on disk: remove it and add it again")
			}
			return nil
		},
	}
	f.register(cmd)
	return cmd
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
` + newMasterPassphraseEnv + `, or a prompt asked twice) and rewraps every
item's data key under it; the content stays as it is and keeps playing.
Afterwards the old passphrase opens nothing. When the old passphrase came
from [media] master_passphrase_file, that file is rewritten with the new
one so the server keeps starting. Stop the server first.

With --to-token, the data keys move from the master passphrase to the AES key
on the PKCS#11 token named by [media] kek_token_uri (create it with
"securemedia token create-kek"); the token PIN comes from
` + kekPINEnv + ` or [media] kek_token_pin_file. Afterwards the master
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
				Env: newMasterPassphraseEnv, Prompt: "New master passphrase", Confirm: true})
			if err != nil {
				return withHint(err, "give --new-passphrase-file or set "+newMasterPassphraseEnv)
			}
			defer secret.Erase(newPass)
			kek, err := media.NewPassphraseKEK(cfg.Path(cfg.DataDir), newPass, media.DefaultArgon2Params())
			if err != nil {
				return err
			}
			if err := s.Rekey(kek); err != nil {
				return withHint(err, "run the same rekey again: the store finishes or rolls back an interrupted one when it opens")
			}
			src := masterPassphraseSource(cfg, f.passphraseFile)
			if cfg.Media.MasterPassphraseFile != "" && src.File == cfg.Path(cfg.Media.MasterPassphraseFile) && src.File != newPassFile {
				if err := replaceSecretFile(src.File, newPass); err != nil {
					return withHint(fmt.Errorf("the store is rekeyed but %s still holds the old passphrase: %w", src.File, err),
						"write the new passphrase into [media] master_passphrase_file")
				}
				fmt.Fprintf(cmd.ErrOrStderr(), "wrote the new master passphrase to %s\n", src.File)
			}
			fmt.Fprintln(cmd.ErrOrStderr(), "rekeyed: every data key is now wrapped under the new master key")
			if cfg.Media.KEKTokenURI != "" {
				fmt.Fprintln(cmd.ErrOrStderr(), "remove kek_token_uri from [media] in server.toml: the token key no longer opens the store")
			}
			return nil
		},
	}
	f.register(cmd)
	cmd.Flags().StringVar(&newPassFile, "new-passphrase-file", "", "file holding the new master passphrase (else "+newMasterPassphraseEnv+" or a prompt)")
	cmd.Flags().BoolVar(&toToken, "to-token", false, "rewrap under the token key of [media] kek_token_uri instead of a new passphrase")
	cmd.MarkFlagsMutuallyExclusive("to-token", "new-passphrase-file")
	return cmd
}

// rekeyToToken opens the store under the master passphrase and rewraps
// every data key under the configured token key.
func rekeyToToken(cmd *cobra.Command, f mediaFlags) error {
	cfg, err := config.LoadServer(f.config)
	if err != nil {
		return withHint(err, "give the server's configuration with --config W/server.toml")
	}
	if cfg.Media.KEKTokenURI == "" {
		return withHint(errors.New("media rekey --to-token: no token key configured"),
			`set [media] kek_token_uri (e.g. "pkcs11:token=SECUREMEDIA%20KEK;object=media-kek") and kek_token_module in server.toml`)
	}
	s, err := openMediaStoreWith(cfg, f.passphraseFile, false, false)
	if err != nil {
		return err
	}
	kek, err := openTokenKEK(cfg)
	if err != nil {
		return err
	}
	defer kek.Close()
	if err := s.Rekey(kek); err != nil {
		return withHint(err, "run the same rekey again: the store finishes or rolls back an interrupted one when it opens")
	}
	fmt.Fprintf(cmd.ErrOrStderr(), "rekeyed: every data key is now wrapped under the token key %s; the master passphrase no longer opens the store\n", kek.ID())
	return nil
}

// replaceSecretFile writes b (and a newline) to path with mode 0600 through
// a temporary file and a rename.
func replaceSecretFile(path string, b []byte) error {
	tmp := path + ".new"
	os.Remove(tmp)
	if err := secret.WriteFile(tmp, b); err != nil {
		return err
	}
	if err := os.Rename(tmp, path); err != nil {
		os.Remove(tmp)
		return err
	}
	return nil
}

// humanBytes prints a size with a binary unit ("256 MiB").
func humanBytes(n int64) string { return humanize.IBytes(uint64(max(n, 0))) }

func durationOrDash(d time.Duration) string {
	if d <= 0 {
		return "-"
	}
	return d.Round(time.Second).String()
}
