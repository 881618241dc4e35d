package main

import (
	"encoding/hex"
	"encoding/pem"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/spf13/cobra"

	"securemedia/internal/config"
	"securemedia/internal/deploy"
	"securemedia/internal/secret"
	"securemedia/token"
	"securemedia/token/provision"
)

func newTokenCommand() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "token",
		Short: "Hardware tokens over PKCS#11: list, export-cert, demo-card, create-kek",
		Long: `Hardware tokens over PKCS#11: the user's identity card (the Portuguese
Citizen Card through its middleware) or any PKCS#11 token named by an RFC 7512
URI. The token signs the handshake transcript at login; its authentication
certificate registers its holder on the server ("securemedia user add").`,
		Example: `  securemedia token list
  securemedia token export-cert --out holder.pem
  securemedia token demo-card --dir W/card
  securemedia token create-kek --module /usr/lib/softhsm/libsofthsm2.so --label "SECUREMEDIA KEK" --key-label media-kek`,
	}
	cmd.AddCommand(newTokenListCommand(), newTokenExportCertCommand(), newTokenDemoCardCommand(), newTokenCreateKEKCommand())
	return cmd
}

// tokenFlags are the token selection flags shared by the token commands.
type tokenFlags struct {
	configPath string
	module     string
	uri        string
	label      string
	profile    string
	pinFile    string
}

func (f *tokenFlags) add(cmd *cobra.Command, selection bool) {
	cmd.Flags().StringVar(&f.configPath, "config", "", "client.toml whose [token] section gives the defaults")
	cmd.Flags().StringVar(&f.module, "module", "", "path of the PKCS#11 module (default: the profile's, e.g. the identity-card middleware)")
	if selection {
		cmd.Flags().StringVar(&f.uri, "uri", "", `RFC 7512 URI of the token, e.g. "pkcs11:token=CARTAO%20DE%20CIDADAO"`)
		cmd.Flags().StringVar(&f.label, "label", "", "token label (instead of --uri)")
		cmd.Flags().StringVar(&f.profile, "profile", "", "citizen-card (default: the card's object labels) or generic")
		cmd.Flags().StringVar(&f.pinFile, "pin-file", "", "file holding the PIN (else "+deploy.PINEnv+", else a prompt)")
		cmd.MarkFlagsMutuallyExclusive("uri", "label")
	}
}

// section merges the flags over client.toml's [token] section.
func (f *tokenFlags) section() (config.TokenSection, error) {
	var sec config.TokenSection
	if f.configPath != "" {
		cfg, err := loadClientConfig(f.configPath)
		if err != nil {
			return sec, err
		}
		sec = deploy.ResolvedTokenSection(cfg)
	}
	if f.module != "" {
		sec.Module = f.module
	}
	if f.uri != "" || f.label != "" {
		sec.URI, sec.Label = f.uri, f.label
	}
	if f.profile != "" {
		sec.Profile = f.profile
	}
	return sec, nil
}

// tokenHint adds the fix to the token errors a user can act on.
func tokenHint(err error) error {
	switch {
	case errors.Is(err, token.ErrWrongPIN):
		return withHint(err, "check the PIN; each wrong try counts toward locking the card")
	case errors.Is(err, token.ErrPINLocked):
		return withHint(err, "unblock the PIN with the card's PUK (identity cards: the issuer's tools)")
	case errors.Is(err, token.ErrTokenNotFound):
		return withHint(err, `insert the card, or list the tokens with "securemedia token list" and give --label or --uri`)
	case errors.Is(err, token.ErrModuleNotLoaded):
		return withHint(err, "install the identity-card middleware, or give the module with --module (or module in [token])")
	case errors.Is(err, token.ErrTokenRemoved):
		return withHint(err, "reinsert the card and start again")
	}
	return err
}

func newTokenListCommand() *cobra.Command {
	var f tokenFlags
	var asJSON bool
	cmd := &cobra.Command{
		Use:   "list",
		Short: "List a PKCS#11 module's slots, tokens and public objects",
		Long: `List a PKCS#11 module's slots, the tokens in them (label, manufacturer,
model, serial, PIN state) and the objects visible without a login (class,
label, id, key type). Nothing secret is read. Without --module it uses the
identity-card middleware, or SoftHSM2 when the middleware is not installed.`,
		Example: `  securemedia token list
  securemedia token list --module /usr/lib/softhsm/libsofthsm2.so
  SOFTHSM2_CONF=W/card/softhsm2.conf securemedia token list --module /usr/lib/softhsm/libsofthsm2.so
  securemedia token list --config W/client.toml
  securemedia token list --module /usr/lib/softhsm/libsofthsm2.so --json`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			sec, err := f.section()
			if err != nil {
				return err
			}
			module, slots, err := deploy.ListTokens(sec)
			if err != nil {
				return tokenHint(err)
			}
			if asJSON {
				return writeSlotsJSON(cmd.OutOrStdout(), module, slots)
			}
			printSlots(cmd.OutOrStdout(), module, slots)
			return nil
		},
	}
	f.add(cmd, false)
	cmd.Flags().BoolVar(&asJSON, "json", false, "print the module's slots as JSON")
	return cmd
}

func printSlots(w io.Writer, module string, slots []token.SlotInfo) {
	fmt.Fprintf(w, "module %s: %d slot(s)\n", module, len(slots))
	for _, s := range slots {
		fmt.Fprintf(w, "slot %d: %q (%q)\n", s.ID, s.Description, s.Manufacturer)
		t := s.Token
		if t == nil {
			fmt.Fprintln(w, "  no token")
			continue
		}
		var flags []string
		for _, fl := range []struct {
			on   bool
			name string
		}{
			{!t.Initialized, "uninitialized"}, {t.LoginRequired, "login-required"},
			{t.PINPad, "pin-pad"}, {t.PINFinalTry, "pin-final-try"}, {t.PINLocked, "pin-locked"},
		} {
			if fl.on {
				flags = append(flags, fl.name)
			}
		}
		fmt.Fprintf(w, "  token %q manufacturer %q model %q serial %q [%s]\n", t.Label, t.Manufacturer, t.Model, t.Serial, strings.Join(flags, " "))
		if t.Initialized {
			fmt.Fprintf(w, "  uri %s\n", (&token.URI{Token: t.Label, Serial: t.Serial}).String())
		}
		for _, o := range t.Objects {
			line := fmt.Sprintf("    %-12s %q id=%x", o.Class, o.Label, o.ID)
			if o.KeyType != "" {
				line += " key=" + o.KeyType
			}
			fmt.Fprintln(w, line)
		}
		if t.ObjectsError != "" {
			fmt.Fprintf(w, "    (objects: %s)\n", t.ObjectsError)
		}
	}
}

// tokenListJSON is the output of `token list --json`.
type tokenListJSON struct {
	Module string     `json:"module"`
	Slots  []slotJSON `json:"slots"`
}

type slotJSON struct {
	ID           uint       `json:"id"`
	Description  string     `json:"description"`
	Manufacturer string     `json:"manufacturer"`
	Token        *tokenJSON `json:"token,omitempty"`
}

type tokenJSON struct {
	Label         string       `json:"label"`
	Manufacturer  string       `json:"manufacturer"`
	Model         string       `json:"model"`
	Serial        string       `json:"serial"`
	URI           string       `json:"uri,omitempty"`
	Initialized   bool         `json:"initialized"`
	LoginRequired bool         `json:"login_required"`
	PINPad        bool         `json:"pin_pad"`
	PINFinalTry   bool         `json:"pin_final_try"`
	PINLocked     bool         `json:"pin_locked"`
	Objects       []objectJSON `json:"objects"`
	ObjectsError  string       `json:"objects_error,omitempty"`
}

type objectJSON struct {
	Class   string `json:"class"`
	Label   string `json:"label"`
	ID      string `json:"id"`
	KeyType string `json:"key_type,omitempty"`
}

func writeSlotsJSON(w io.Writer, module string, slots []token.SlotInfo) error {
	out := tokenListJSON{Module: module, Slots: make([]slotJSON, 0, len(slots))}
	for _, s := range slots {
		sj := slotJSON{ID: s.ID, Description: s.Description, Manufacturer: s.Manufacturer}
		if t := s.Token; t != nil {
			tj := &tokenJSON{Label: t.Label, Manufacturer: t.Manufacturer, Model: t.Model, Serial: t.Serial,
				Initialized: t.Initialized, LoginRequired: t.LoginRequired, PINPad: t.PINPad, PINFinalTry: t.PINFinalTry,
				PINLocked: t.PINLocked, Objects: make([]objectJSON, 0, len(t.Objects)), ObjectsError: t.ObjectsError}
			if t.Initialized {
				tj.URI = (&token.URI{Token: t.Label, Serial: t.Serial}).String()
			}
			for _, o := range t.Objects {
				tj.Objects = append(tj.Objects, objectJSON{Class: o.Class, Label: o.Label, ID: hex.EncodeToString(o.ID), KeyType: o.KeyType})
			}
			sj.Token = tj
		}
		out.Slots = append(out.Slots, sj)
	}
	return writeJSON(w, out)
}

func newTokenExportCertCommand() *cobra.Command {
	var f tokenFlags
	var out string
	var der bool
	cmd := &cobra.Command{
		Use:   "export-cert",
		Short: "Export the token's authentication certificate (to register its holder)",
		Long: `Export the authentication certificate of the token, PEM by default, so
that the operator can register its holder with "securemedia user add". No
PIN is needed where the certificate is public (identity cards); otherwise the
PIN comes from --pin-file, ` + deploy.PINEnv + ` or a prompt.`,
		Example: `  securemedia token export-cert --out holder.pem
  securemedia token export-cert --label "CARTAO DE CIDADAO" --der --out holder.der
  securemedia token export-cert --module /usr/lib/softhsm/libsofthsm2.so --profile generic \
      --uri "pkcs11:token=MyToken;object=auth;type=private"
  securemedia token export-cert --config W/client.toml --out holder.pem`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			sec, err := f.section()
			if err != nil {
				return err
			}
			b, err := deploy.ExportCertificate(sec, f.pinFile)
			if err != nil {
				return tokenHint(err)
			}
			return writeCertOut(b, out, der, cmd.OutOrStdout())
		},
	}
	f.add(cmd, true)
	cmd.Flags().StringVar(&out, "out", "", "write the certificate to FILE (default: standard output)")
	cmd.Flags().BoolVar(&der, "der", false, "write DER instead of PEM")
	return cmd
}

func writeCertOut(b []byte, out string, der bool, stdout io.Writer) error {
	if !der {
		b = pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: b})
	}
	if out == "" || out == "-" {
		_, err := stdout.Write(b)
		return err
	}
	return os.WriteFile(out, b, 0o644)
}

func newTokenDemoCardCommand() *cobra.Command {
	var (
		dir, serial, name, label, pinFile, keyType string
		software                                   bool
	)
	cmd := &cobra.Command{
		Use:   "demo-card",
		Short: "Create a demo identity card (SoftHSM2, or a software token) and its citizen CA",
		Long: `Create a demo identity card in DIR, issued by a throwaway citizen CA: a
SoftHSM2 token laid out like the Portuguese Citizen Card (its object labels,
the key generated on the token) when SoftHSM2 is installed, otherwise (or with
--software) a key file. It writes the citizen CA (certificates, keys 0600,
empty CRLs) that the server trusts for users, the user certificate, and the
PIN in a 0600 file. The PIN is random unless --pin-file gives it.`,
		Example: `  securemedia token demo-card --dir W/card
  securemedia token demo-card --dir W/card --serial-number BI123456789 --name "Maria Silva" --key-type p256
  securemedia token demo-card --dir W/card --software`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if dir == "" {
				return withHint(usageErrorf("no directory given"), "use --dir DIR")
			}
			if err := os.MkdirAll(dir, 0o700); err != nil {
				return err
			}
			o := provision.DemoCardOptions{Label: label, HolderName: name, SerialNumber: serial, KeyType: keyType}
			if pinFile != "" {
				pin, err := secret.FromFile(pinFile)
				if err != nil {
					return err
				}
				defer secret.Erase(pin)
				o.PIN = pin
			}
			d, kind, err := deploy.DemoCard(dir, o, software)
			if err != nil {
				return err
			}
			fmt.Fprintf(cmd.ErrOrStderr(), "created a demo identity card (%s) for %q, citizen id %s\n", kind, d.UserCert.Subject.CommonName, d.SerialNumber)
			w := cmd.OutOrStdout()
			if !d.Software() {
				fmt.Fprintf(w, "SOFTHSM2_CONF=%s\n", d.ConfigPath)
				fmt.Fprintf(w, "module: %s\ntoken label: %q\n", d.Module, d.Label)
			} else {
				fmt.Fprintf(w, "key: %s\n", d.KeyPath)
			}
			fmt.Fprintf(w, "user certificate: %s\nchain: %s\nPIN file: %s\n", d.UserCertPath, d.ChainPath, d.PINFile)
			if d.RootCertPath != "" {
				fmt.Fprintf(w, "citizen CA: %s, %s (CRLs %s, %s)\n", d.RootCertPath, d.SubCACertPath, d.RootCRLPath, d.SubCACRLPath)
			}
			return nil
		},
	}
	cmd.Flags().StringVar(&dir, "dir", "", "directory for the card, its citizen CA and its files")
	cmd.Flags().StringVar(&serial, "serial-number", "", "citizen id in the certificate's serialNumber (default: random BI number)")
	cmd.Flags().StringVar(&name, "name", "", `holder name (default "Demo Citizen")`)
	cmd.Flags().StringVar(&label, "label", "", `token label (default "`+provision.DefaultDemoLabel+`")`)
	cmd.Flags().StringVar(&pinFile, "pin-file", "", "file holding the PIN to set (default: a random PIN, written to DIR)")
	cmd.Flags().StringVar(&keyType, "key-type", "rsa2048", "rsa2048 (as the card) or p256")
	cmd.Flags().BoolVar(&software, "software", false, "make a software token even when SoftHSM2 is installed")
	return cmd
}

func newTokenCreateKEKCommand() *cobra.Command {
	var module, label, uri, keyLabel, pinFile string
	cmd := &cobra.Command{
		Use:   "create-kek",
		Short: "Generate the media store's key-encryption key (AES-256) on a PKCS#11 token",
		Long: `Generate an AES-256 key on the token, labelled --key-label: a token object,
sensitive and not extractable, for encryption and decryption only. The key
never leaves the token; the media store then wraps its data keys with AES-GCM
computed by the token. The token must already be initialized with a user PIN
(SoftHSM2: softhsm2-util --init-token). The PIN comes from --pin-file, else
` + deploy.KEKPINEnv + `, else a prompt. An existing key of that label is never
replaced. Then set [media] kek_token_uri and kek_token_module in server.toml
and move the store with "securemedia media rekey --to-token".`,
		Example: `  securemedia token create-kek --module /usr/lib/softhsm/libsofthsm2.so --label "SECUREMEDIA KEK" --key-label media-kek`,
		Args:    cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if label == "" && uri == "" {
				return withHint(usageErrorf("no token selected"), "give the token with --label or --uri")
			}
			// A URI that names the key wins over the default --key-label.
			if uri != "" && !cmd.Flags().Changed("key-label") {
				if u, err := token.ParseURI(uri); err == nil && u.Object != "" {
					keyLabel = u.Object
				}
			}
			u, err := deploy.CreateTokenKEK(deploy.NewTokenKEK{Module: module, URI: uri, TokenLabel: label, KeyLabel: keyLabel, PINFile: pinFile})
			if errors.Is(err, provision.ErrKEKExists) {
				return withHint(err, "use the existing key, or choose another --key-label")
			}
			if err != nil {
				return err
			}
			fmt.Fprintf(cmd.ErrOrStderr(), "created AES-256 key %q on the token (sensitive, not extractable)\n", u.Object)
			w := cmd.OutOrStdout()
			fmt.Fprintf(w, "server.toml [media]:\nkek_token_uri = %q\n", u.String())
			if module != "" {
				fmt.Fprintf(w, "kek_token_module = %q\n", module)
			}
			return nil
		},
	}
	cmd.Flags().StringVar(&module, "module", "", "path of the PKCS#11 module")
	cmd.Flags().StringVar(&label, "label", "", "label of the token")
	cmd.Flags().StringVar(&uri, "uri", "", `RFC 7512 URI of the token (and key), e.g. "pkcs11:token=SECUREMEDIA%20KEK;object=media-kek"`)
	cmd.Flags().StringVar(&keyLabel, "key-label", "media-kek", "label of the key to create")
	cmd.Flags().StringVar(&pinFile, "pin-file", "", "file holding the token's user PIN (else "+deploy.KEKPINEnv+", else a prompt)")
	cmd.MarkFlagsMutuallyExclusive("uri", "label")
	return cmd
}
