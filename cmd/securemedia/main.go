// Command securemedia is the one binary of securemedia: the server, the
// viewer's client, and the operator's tools (PKI, users, tokens, media,
// licenses, audit). It parses flags, loads configuration and calls the
// library packages; no business logic lives here.
package main

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"syscall"
	"text/tabwriter"

	"github.com/spf13/cobra"

	"securemedia/client"
	"securemedia/internal/deploy"
	"securemedia/internal/player"
	"securemedia/internal/secret"
	"securemedia/license"
	"securemedia/license/store"
)

// Exit codes; the README's command-line section lists them too.
const (
	// exitFailure: the command failed; stderr says why, with a hint.
	exitFailure = 1
	// exitUsage: the command line is wrong (see usageError).
	exitUsage = 2
	// exitLicense: a play refused for an exhausted or expired license
	// that was not renewed.
	exitLicense = 4
	// exitInterrupted: the command was interrupted (Ctrl-C), as shells
	// report a process ended by SIGINT.
	exitInterrupted = 130
)

func main() {
	os.Exit(run(os.Args[1:]))
}

// run executes the command line and returns the process exit code.
func run(args []string) int {
	root := newRootCommand()
	root.SetArgs(args)
	err := root.Execute()
	if err == nil {
		return 0
	}
	fmt.Fprintf(os.Stderr, "securemedia: %s\n", oneLine(err.Error()))
	if hint := hintFor(err); hint != "" {
		fmt.Fprintf(os.Stderr, "hint: %s\n", hint)
	}
	var c *exitCodeError
	switch {
	case errors.As(err, &c):
		return c.code
	case errors.Is(err, secret.ErrInterrupted):
		// Ctrl-C at a prompt: nothing was done with the entry.
		return exitInterrupted
	case isUsageError(err):
		return exitUsage
	}
	return exitFailure
}

func newRootCommand() *cobra.Command {
	root := &cobra.Command{
		Use:   "securemedia",
		Short: "Secure media distribution: server, viewer client and operator tools",
		Long: `securemedia streams media chunk by chunk over its own authenticated,
encrypted session protocol on plain HTTP.

Quick start:
  securemedia demo                       # everything in a temporary directory
  securemedia init --dir W               # a workspace with server.toml and client.toml
  securemedia media add --config W/server.toml song.wav
  securemedia server --config W/server.toml
  securemedia play --config W/client.toml --media ID --sink -

Data goes to stdout, messages to stderr. Exit codes: 0 success, 1 failure,
2 usage error, 4 license not renewed, 130 interrupted.`,
		Version:       version(),
		SilenceUsage:  true,
		SilenceErrors: true,
	}
	root.SetVersionTemplate("securemedia {{.Version}}\n")
	for _, add := range commandSet() {
		root.AddCommand(add())
	}
	// The commands cobra adds by itself get the same usage errors.
	root.InitDefaultHelpCmd()
	root.InitDefaultCompletionCmd()
	reportUsageErrors(root)
	return root
}

// hintError carries a hint of the fix next to an error, shown on stderr.
type hintError struct {
	err  error
	hint string
}

func (e *hintError) Error() string { return e.err.Error() }
func (e *hintError) Unwrap() error { return e.err }

// withHint attaches a hint of the fix to err.
func withHint(err error, hint string) error {
	if err == nil {
		return nil
	}
	return &hintError{err: err, hint: hint}
}

// hintFor is the hint of the fix for err: the one a command attached, or
// the one its type implies (an assembly error names the keys to check).
func hintFor(err error) string {
	var (
		h    *hintError
		url  *deploy.ServerURLError
		lerr *deploy.ListenError
		offr *deploy.OfferError
		dial *deploy.DialError
		fin  *client.FinishError
		cmdl *player.CommandError
		derr *deploy.Error
		dbad *deploy.DamagedDatabaseError
		sf   *secret.FileError
		full *license.NotEmptyError
		tgt  *deploy.TargetError
		cerr *license.CopyError
		aerr *license.AuditError
	)
	switch {
	case errors.As(err, &h):
		return h.hint
	case errors.As(err, &sf) && errors.Is(sf.Err, fs.ErrNotExist):
		return secretFileHint(sf)
	case errors.As(err, &url) && url.FromFlag:
		return "give --server as http://host:port (or https://)"
	case errors.As(err, &url):
		return "fix server in " + url.File + " (want http://host:port or https://host:port), or give --server"
	case errors.As(err, &lerr) && lerr.Admin:
		return "give the admin listener a free host:port with --admin-listen or [admin] listen in server.toml (default 127.0.0.1:0)"
	case errors.As(err, &lerr) && errors.Is(err, syscall.EADDRINUSE):
		return "choose another address with --listen host:port"
	case errors.As(err, &lerr):
		return "give the address as host:port, e.g. --listen 127.0.0.1:8443 (or listen in server.toml)"
	case errors.As(err, &offr):
		return "see `securemedia play --help` for the " + offr.What
	case errors.As(err, &dial):
		return connectHint(dial)
	case errors.As(err, &fin):
		// The handshake's finish went with the command's first request
		// (client.Config.FinishWithFirstRequest): its refusal is a
		// connection's.
		return connectHint(&deploy.DialError{Err: err})
	case errors.As(err, &dbad):
		return "stop the server, restore " + dbad.Path + " from a backup (sqlite3's .recover may save what is left), then run audit verify again"
	case errors.As(err, &full):
		return "migrate into a new, empty database (createdb NAME, or a fresh schema: ?search_path=NAME); one that a migration filled holds its copy already"
	case errors.As(err, &tgt):
		return targetHint(tgt)
	case errors.As(err, &cerr):
		return "the target does not read back as the source: drop the target database and migrate again"
	case errors.As(err, &aerr):
		return fmt.Sprintf("the audit log was tampered with at or before event %d; restore the database from a backup and investigate", aerr.Seq)
	case errors.As(err, &cmdl):
		return `quote arguments as a shell would, e.g. mpv --title 'My film' -`
	case errors.Is(err, deploy.ErrNotUnderToken):
		return `move the store there with "securemedia media rekey --to-token", or remove [media] kek_token_uri`
	case errors.Is(err, deploy.ErrMasterKey), errors.Is(err, secret.ErrNoSecret) && errors.As(err, &derr):
		return "check the master passphrase: --passphrase-file, " + deploy.MasterPassphraseEnv + " or [media] master_passphrase_file"
	case errors.Is(err, deploy.ErrNoTokenKEK):
		return `set [media] kek_token_uri (e.g. "pkcs11:token=SECUREMEDIA%20KEK;object=media-kek") and kek_token_module in server.toml`
	case errors.Is(err, deploy.ErrPassphraseBesideData):
		return "move the passphrase file to another volume and point [media] master_passphrase_file at it (README: the master passphrase), or set [media] demo_passphrase_beside_data = true for a demo"
	case errors.Is(err, deploy.ErrNoContentSigner):
		return "set [media] content_key and content_certificate in server.toml"
	}
	if t := tokenHint(err); t != err {
		return hintFor(t)
	}
	if errors.As(err, &derr) {
		return derr.Hint()
	}
	return ""
}

// targetHint is the hint for a migration target that could not be opened.
func targetHint(e *deploy.TargetError) string {
	var unknown *store.UnknownDatabaseError
	if errors.As(e, &unknown) {
		return "--to takes postgres://USER@HOST:PORT/DB or sqlite:PATH"
	}
	return "check that PostgreSQL runs at " + e.Target + " and that the user and the database of --to exist (createdb); give a password in PGPASSWORD or ~/.pgpass"
}

// secretSources says, for each secret, where else it may come from.
var secretSources = map[string]string{
	"master passphrase":     "--passphrase-file, [media] master_passphrase_file in server.toml, or " + deploy.MasterPassphraseEnv,
	"new master passphrase": "--new-passphrase-file or " + deploy.NewMasterPassphraseEnv,
	"CA passphrase":         "--passphrase-file or " + deploy.CAPassphraseEnv,
	"PIN":                   "--pin-file, [token] pin_file in client.toml, or " + deploy.PINEnv,
	"KEK token PIN":         "[media] kek_token_pin_file in server.toml, or " + deploy.KEKPINEnv,
}

// secretFileHint is the hint for a secret file that does not exist: the
// file is what is missing, not what it protects.
func secretFileHint(sf *secret.FileError) string {
	what := sf.What
	if what == "" {
		what = "secret"
	}
	hint := "no file " + sf.Path + " holds the " + what + ": restore it or name the file that does"
	if where := secretSources[sf.What]; where != "" {
		hint += " (" + where + ")"
	}
	return hint
}

// exitCodeError makes the process exit with a specific code.
type exitCodeError struct {
	err  error
	code int
}

func (e *exitCodeError) Error() string { return e.err.Error() }
func (e *exitCodeError) Unwrap() error { return e.err }

// oneLine keeps an error message on a single line of stderr.
func oneLine(s string) string {
	out := []rune{}
	for _, r := range s {
		if r == '\n' || r == '\r' {
			r = ' '
		}
		out = append(out, r)
	}
	return string(out)
}

// newTable starts a listing for a person: columns aligned by tabs, under
// header (tab-separated). Flush it at the end.
func newTable(w io.Writer, header string) *tabwriter.Writer {
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, header)
	return tw
}

// writeListing prints a listing: with asJSON, toJSON's form of every item
// as one JSON array; else a table under header with row's line of each
// item (tab-separated, newline-terminated), or none when there is no item.
func writeListing[T, J any](w io.Writer, items []T, asJSON bool, toJSON func(T) J, none, header string, row func(T) string) error {
	if asJSON {
		out := make([]J, 0, len(items))
		for _, it := range items {
			out = append(out, toJSON(it))
		}
		return writeJSON(w, out)
	}
	if len(items) == 0 {
		fmt.Fprintln(w, none)
		return nil
	}
	tw := newTable(w, header)
	for _, it := range items {
		fmt.Fprint(tw, row(it))
	}
	return tw.Flush()
}

// writeJSON prints v as indented JSON: the --json output of every listing.
func writeJSON(w io.Writer, v any) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(v)
}
