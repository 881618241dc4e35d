package main

import (
	"errors"
	"fmt"
	"io"
	"math/big"
	"net"
	"os"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"securemedia/internal/deploy"
	"securemedia/internal/fsutil"
	"securemedia/internal/secret"
	"securemedia/pki"
	"securemedia/token/provision"
)

// maxShowFile bounds a file given to `pki show`.
const maxShowFile = 16 << 20

func newPKICommand() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "pki",
		Short: "Offline CA tooling: init, issue, revoke, crl, show, verify",
		Long: `Offline CA tooling for the PKI that mutual authentication stands on: a root
and an intermediate CA, certificates by profile, revocation and CRLs, and the
chain validator (with revocation, RFC 5280 §6.3) that the server and the
client use, exposed to operators as "pki verify".`,
		Example: `  securemedia pki init --dir ca --encrypt-keys
  securemedia pki issue --dir ca --profile server --cn media.example --dns media.example --out server
  securemedia pki revoke --dir ca --cert device.crt --reason keyCompromise
  securemedia pki verify --root ca/root.crt --crl ca/crl/root.crl --crl ca/crl/intermediate.crl --usage server server.crt`,
	}
	cmd.AddCommand(newPKIInitCommand(), newPKIIssueCommand(), newPKIRevokeCommand(),
		newPKICRLCommand(), newPKIShowCommand(), newPKIVerifyCommand())
	return cmd
}

// openCA opens the CA in dir, with the hints of what can go wrong.
func openCA(dir, passFile string) (*pki.CA, func(), error) {
	var unreadable *secret.FileError
	ca, erase, err := deploy.OpenCA(dir, passFile, func(err error) error {
		if errors.As(err, &unreadable) {
			return err // its own hint (hintFor), not the CA's
		}
		return withHint(err, "give --passphrase-file or set "+deploy.CAPassphraseEnv)
	})
	switch {
	case errors.As(err, &unreadable):
		return nil, nil, err
	case errors.Is(err, pki.ErrWrongPassphrase):
		return nil, nil, withHint(err, "check the passphrase file or "+deploy.CAPassphraseEnv)
	case errors.Is(err, os.ErrNotExist):
		return nil, nil, withHint(err, "create the CA first: securemedia pki init --dir "+dir)
	}
	return ca, erase, err
}

func newPKIInitCommand() *cobra.Command {
	var dir, alg, passFile, crlURL, org string
	var encrypt bool
	var crlPeriod time.Duration
	cmd := &cobra.Command{
		Use:   "init --dir DIR",
		Short: "Create a root CA and an intermediate CA",
		Long: `Create a root CA and an intermediate CA (path length 0) in DIR, with a first
CRL for each. Keys are written with mode 0600; with --encrypt-keys they are
encrypted under a passphrase read from --passphrase-file, from
` + deploy.CAPassphraseEnv + `, or from a prompt on the terminal (never from a flag).`,
		Example: `  securemedia pki init --dir ca
  securemedia pki init --dir ca --key-alg ecdsa-p384 --encrypt-keys --passphrase-file ca.pass
  securemedia pki init --dir ca --crl-url http://media.example:8443/crl/ --crl-period 72h`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			ka, err := pki.ParseKeyAlgorithm(alg)
			if err != nil {
				return withHint(err, "use --key-alg ecdsa-p256, ecdsa-p384, ed25519 or rsa-3072")
			}
			o := pki.InitOptions{KeyAlgorithm: ka, CRLBaseURL: crlURL, CRLPeriod: crlPeriod, Organization: org}
			if encrypt || passFile != "" {
				src := deploy.CAPassphraseSource(passFile, "New CA key passphrase")
				src.Confirm = true
				p, err := secret.Read(src)
				var unreadable *secret.FileError
				switch {
				case errors.As(err, &unreadable):
					return withHint(err, "write the new CA passphrase to "+unreadable.Path+" (one line, mode 0600), set "+deploy.CAPassphraseEnv+", or leave out --passphrase-file to be asked")
				case err != nil:
					return withHint(err, "give --passphrase-file or set "+deploy.CAPassphraseEnv)
				}
				defer secret.Erase(p)
				o.Passphrase = p
			}
			if err := pki.InitCA(dir, o); errors.Is(err, pki.ErrCAExists) {
				return withHint(err, "a CA is never overwritten: choose another --dir")
			} else if err != nil {
				return err
			}
			ca, erase, err := openCA(dir, passFile)
			if err != nil {
				return err
			}
			defer erase()
			out := cmd.OutOrStdout()
			fmt.Fprintf(out, "root CA:         %s (%s)\n", ca.RootPath(), ca.Root().Subject)
			fmt.Fprintf(out, "intermediate CA: %s (%s)\n", ca.IntermediatePath(), ca.Intermediate().Subject)
			for _, p := range ca.CRLPaths() {
				fmt.Fprintf(out, "crl:             %s\n", p)
			}
			return nil
		},
	}
	f := cmd.Flags()
	f.StringVar(&dir, "dir", "", "CA directory to create (required)")
	f.StringVar(&alg, "key-alg", "ecdsa-p256", "key algorithm: ecdsa-p256, ecdsa-p384, ed25519, rsa-3072 (RSA-PSS)")
	f.BoolVar(&encrypt, "encrypt-keys", false, "encrypt the CA keys under a passphrase")
	f.StringVar(&passFile, "passphrase-file", "", "file holding the CA passphrase (implies --encrypt-keys)")
	f.StringVar(&crlURL, "crl-url", pki.DefaultCRLBaseURL, "base URL of the CRL distribution points")
	f.DurationVar(&crlPeriod, "crl-period", pki.DefaultCRLPeriod, "time from a CRL's thisUpdate to its nextUpdate")
	f.StringVar(&org, "org", "", "organization name in the subjects (default securemedia)")
	cmd.MarkFlagRequired("dir")
	return cmd
}

func newPKIIssueCommand() *cobra.Command {
	var dir, profile, cn, serialAttr, out, passFile, notBefore, keyPassFile string
	var dns, ips []string
	var validity time.Duration
	cmd := &cobra.Command{
		Use:   "issue --dir DIR --profile PROFILE --cn NAME --out PREFIX",
		Short: "Issue a certificate by profile (server, client, content, license, user)",
		Long: `Issue a leaf certificate signed by the intermediate CA, with the key usage and
extended key usage of its profile:

  server   digitalSignature, serverAuth; needs --dns or --ip
  client   digitalSignature, clientAuth (a client device)
  content  digitalSignature, content signing (private EKU)
  license  digitalSignature, license signing (private EKU)
  user     digitalSignature, clientAuth, user (private EKU); needs --serial-number

Writes PREFIX.crt (the leaf and the intermediate, PEM) and PREFIX.key (0600;
encrypted when --key-passphrase-file is given).`,
		Example: `  securemedia pki issue --dir ca --profile server --cn media.example --dns media.example --ip 127.0.0.1 --out server
  securemedia pki issue --dir ca --profile client --cn device-1 --out device-1
  securemedia pki issue --dir ca --profile user --cn "Ana Silva" --serial-number PT-12345678 --validity 720h --out ana`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			p, err := pki.ParseUsage(profile)
			if err != nil || p == pki.UsageAny {
				return withHint(fmt.Errorf("unknown profile %q", profile), "use --profile server, client, content, license or user")
			}
			req := pki.IssueRequest{Profile: p, CommonName: cn, DNSNames: dns, SerialNumberAttr: serialAttr, Validity: validity}
			for _, s := range ips {
				ip := net.ParseIP(s)
				if ip == nil {
					return fmt.Errorf("--ip %q is not an IP address", s)
				}
				req.IPs = append(req.IPs, ip)
			}
			if notBefore != "" {
				if req.NotBefore, err = time.Parse(time.RFC3339, notBefore); err != nil {
					return withHint(fmt.Errorf("--not-before: %w", err), "use RFC 3339, e.g. 2026-01-02T15:04:05Z")
				}
			}
			var keyPass []byte
			if keyPassFile != "" {
				if keyPass, err = secret.FromFile(keyPassFile); err != nil {
					return err
				}
				defer secret.Erase(keyPass)
			}
			ca, erase, err := openCA(dir, passFile)
			if err != nil {
				return err
			}
			defer erase()
			is, err := ca.Issue(req)
			if err != nil {
				return err
			}
			certPath, keyPath, err := pki.WriteIssued(out, is, keyPass, pki.KDFParams{})
			if err != nil {
				return err
			}
			w := cmd.OutOrStdout()
			fmt.Fprintf(w, "issued %s serial %s (%s) until %s\n", is.Cert.Subject, is.Cert.SerialNumber.Text(16), p, is.Cert.NotAfter.UTC().Format(time.RFC3339))
			fmt.Fprintf(w, "certificate: %s\nkey:         %s\n", certPath, keyPath)
			return nil
		},
	}
	f := cmd.Flags()
	f.StringVar(&dir, "dir", "", "CA directory (required)")
	f.StringVar(&profile, "profile", "", "server, client, content, license or user (required)")
	f.StringVar(&cn, "cn", "", "subject common name (required)")
	f.StringSliceVar(&dns, "dns", nil, "DNS name SAN (repeatable)")
	f.StringSliceVar(&ips, "ip", nil, "IP address SAN (repeatable)")
	f.StringVar(&serialAttr, "serial-number", "", "subject serialNumber attribute (user certificates)")
	f.DurationVar(&validity, "validity", pki.DefaultLeafValidity, "validity period")
	f.StringVar(&notBefore, "not-before", "", "start of validity (RFC 3339; default now)")
	f.StringVar(&out, "out", "", "output prefix: writes PREFIX.crt and PREFIX.key (required)")
	f.StringVar(&passFile, "passphrase-file", "", "file holding the CA passphrase (else "+deploy.CAPassphraseEnv+" or a prompt)")
	f.StringVar(&keyPassFile, "key-passphrase-file", "", "encrypt the new key under the passphrase in this file")
	for _, n := range []string{"dir", "profile", "cn", "out"} {
		cmd.MarkFlagRequired(n)
	}
	return cmd
}

func newPKIRevokeCommand() *cobra.Command {
	var dir, serialText, certFile, reasonText, passFile string
	cmd := &cobra.Command{
		Use:   "revoke --dir DIR (--serial SERIAL | --cert FILE) [--reason REASON]",
		Short: "Revoke a certificate and write fresh CRLs",
		Long: `Revoke a certificate issued by this CA (or the intermediate itself), named by
its serial number (hex, as "pki show" prints it, or decimal with a 0d prefix)
or by its certificate file, and write fresh CRLs. Reasons are the RFC 5280
names: unspecified, keyCompromise, cACompromise, affiliationChanged,
superseded, cessationOfOperation, certificateHold, privilegeWithdrawn,
aACompromise.`,
		Example: `  securemedia pki revoke --dir ca --cert device-1.crt --reason keyCompromise
  securemedia pki revoke --dir ca --serial 5f3a9c0d1e2b44a7c2d1e0f9a8b7c6d5 --reason superseded
  securemedia pki revoke --dir ca --serial 0d1234567890`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if (serialText == "") == (certFile == "") {
				return withHint(usageErrorf("name the certificate to revoke"), "give exactly one of --serial or --cert")
			}
			reason, err := pki.ParseReasonCode(reasonText)
			if err != nil {
				return err
			}
			var serial *big.Int
			if certFile != "" {
				certs, err := pki.LoadCertificates(certFile)
				if err != nil {
					return err
				}
				serial = certs[0].SerialNumber
			} else if serial, err = pki.ParseSerial(serialText); err != nil {
				return withHint(fmt.Errorf("--serial %q is not a serial number", serialText), "use hex as printed by pki show, or 0d followed by decimal digits")
			}
			ca, erase, err := openCA(dir, passFile)
			if err != nil {
				return err
			}
			defer erase()
			if err := ca.Revoke(serial, reason); err != nil {
				return err
			}
			if _, err := ca.CRLs(); err != nil {
				return err
			}
			fmt.Fprintf(cmd.ErrOrStderr(), "revoked serial %s (%s)\n", serial.Text(16), pki.ReasonCodeName(reason))
			for _, p := range ca.CRLPaths() {
				fmt.Fprintf(cmd.OutOrStdout(), "crl: %s\n", p)
			}
			return nil
		},
	}
	f := cmd.Flags()
	f.StringVar(&dir, "dir", "", "CA directory (required)")
	f.StringVar(&serialText, "serial", "", "serial number: hex (optionally 0x or colon separated) or decimal with a 0d prefix")
	f.StringVar(&certFile, "cert", "", "certificate file (PEM or DER; the first certificate is revoked)")
	f.StringVar(&reasonText, "reason", "unspecified", "RFC 5280 revocation reason")
	f.StringVar(&passFile, "passphrase-file", "", "file holding the CA passphrase (else "+deploy.CAPassphraseEnv+" or a prompt)")
	cmd.MarkFlagRequired("dir")
	return cmd
}

func newPKICRLCommand() *cobra.Command {
	var dir, passFile string
	cmd := &cobra.Command{
		Use:   "crl --dir DIR",
		Short: "Write fresh CRLs (new CRLNumber and nextUpdate)",
		Long: `Issue fresh CRLs for the root and the intermediate: the CRL number goes up and
nextUpdate moves to now plus the CA's CRL period. Run it before nextUpdate
passes (from cron, say): validators refuse stale CRLs. Given the directory of
a demo identity card ("token demo-card"), it refreshes its citizen CA's CRLs
(a week), keeping what they revoke.`,
		Example: `  securemedia pki crl --dir ca
  SECUREMEDIA_CA_PASSPHRASE="$(cat ca.pass)" securemedia pki crl --dir ca
  securemedia pki crl --dir W/token`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			paths, err := provision.RefreshCRLs(dir, time.Now())
			if !errors.Is(err, provision.ErrNoCitizenCA) {
				if err != nil {
					return err
				}
				for _, p := range paths {
					fmt.Fprintln(cmd.OutOrStdout(), p)
				}
				return nil
			}
			ca, erase, err := openCA(dir, passFile)
			if err != nil {
				return err
			}
			defer erase()
			if _, err := ca.CRLs(); err != nil {
				return err
			}
			for _, p := range ca.CRLPaths() {
				fmt.Fprintln(cmd.OutOrStdout(), p)
			}
			return nil
		},
	}
	cmd.Flags().StringVar(&dir, "dir", "", "CA directory (required)")
	cmd.Flags().StringVar(&passFile, "passphrase-file", "", "file holding the CA passphrase (else "+deploy.CAPassphraseEnv+" or a prompt)")
	cmd.MarkFlagRequired("dir")
	return cmd
}

func newPKIShowCommand() *cobra.Command {
	var asJSON bool
	cmd := &cobra.Command{
		Use:   "show FILE",
		Short: "Print a summary of a certificate (chain) or a CRL, PEM or DER",
		Example: `  securemedia pki show ca/root.crt
  securemedia pki show ca/crl/intermediate.crl
  securemedia pki show --json server.crt`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			data, err := fsutil.ReadFileLimit(args[0], maxShowFile)
			if err != nil {
				return err
			}
			objects, err := pki.Describe(data)
			if err != nil {
				return fmt.Errorf("%s: %w", args[0], err)
			}
			w := cmd.OutOrStdout()
			if asJSON {
				return writeJSON(w, objects)
			}
			for i, o := range objects {
				if i > 0 {
					fmt.Fprintln(w)
				}
				if o.Certificate != nil {
					printCertificate(w, o.Certificate)
				} else {
					printCRL(w, o.CRL)
				}
			}
			return nil
		},
	}
	cmd.Flags().BoolVar(&asJSON, "json", false, "print a JSON array of the certificates or CRLs")
	return cmd
}

func printCertificate(w io.Writer, c *pki.CertificateSummary) {
	fmt.Fprintf(w, "Certificate\n")
	fmt.Fprintf(w, "  Subject:      %s\n", c.Subject)
	fmt.Fprintf(w, "  Issuer:       %s\n", c.Issuer)
	fmt.Fprintf(w, "  Serial:       %s\n", c.Serial)
	fmt.Fprintf(w, "  Not before:   %s\n", c.NotBefore.Format(time.RFC3339))
	fmt.Fprintf(w, "  Not after:    %s\n", c.NotAfter.Format(time.RFC3339))
	fmt.Fprintf(w, "  Key:          %s\n", c.Key)
	fmt.Fprintf(w, "  Signature:    %s\n", c.Signature)
	if c.CA {
		pathLen := "unlimited"
		if c.PathLen != nil {
			pathLen = fmt.Sprint(*c.PathLen)
		}
		fmt.Fprintf(w, "  CA:           yes, path length %s\n", pathLen)
	}
	fmt.Fprintf(w, "  Key usage:    %s\n", strings.Join(c.KeyUsage, ", "))
	if len(c.ExtKeyUsage) > 0 {
		fmt.Fprintf(w, "  Ext. usage:   %s\n", strings.Join(c.ExtKeyUsage, ", "))
	}
	if len(c.SANs) > 0 {
		fmt.Fprintf(w, "  SANs:         %s\n", strings.Join(c.SANs, ", "))
	}
	for _, dp := range c.CRLDistPoint {
		fmt.Fprintf(w, "  CRL DP:       %s\n", dp)
	}
	fmt.Fprintf(w, "  SHA-256:      %s\n", c.SHA256)
}

func printCRL(w io.Writer, crl *pki.CRLSummary) {
	fmt.Fprintf(w, "CRL\n")
	fmt.Fprintf(w, "  Issuer:       %s\n", crl.Issuer)
	if crl.Number != "" {
		fmt.Fprintf(w, "  Number:       %s\n", crl.Number)
	}
	fmt.Fprintf(w, "  This update:  %s\n", crl.ThisUpdate.Format(time.RFC3339))
	if crl.NextUpdate == nil {
		fmt.Fprintf(w, "  Next update:  none\n")
	} else {
		fmt.Fprintf(w, "  Next update:  %s\n", crl.NextUpdate.Format(time.RFC3339))
	}
	fmt.Fprintf(w, "  Signature:    %s\n", crl.Signature)
	fmt.Fprintf(w, "  Revoked:      %d\n", len(crl.Revoked))
	for _, e := range crl.Revoked {
		fmt.Fprintf(w, "    %s  %s  %s\n", e.Serial, e.Time.Format(time.RFC3339), e.Reason)
	}
}

func newPKIVerifyCommand() *cobra.Command {
	var roots, inters, crls []string
	var at, usageText, name string
	var noRevocation, asJSON bool
	cmd := &cobra.Command{
		Use:   "verify --root FILE [--intermediate FILE ...] [--crl FILE ...] [--at TIME] [--usage USAGE] CERT",
		Short: "Validate a certificate chain with revocation, as the server and client do",
		Long: `Validate CERT (a certificate, or a chain with the leaf first) against the
roots, with the validator the server and the client use (RFC 5280 path
validation and §6.3 revocation). Every file may be PEM or DER. Revocation
checking is on: every certificate below the root needs a fresh CRL from its
issuer. Exits 0 and says "ok: ..." on stderr when the certificate is valid,
and 1 with the reason when it is not. --json prints the verdict on stdout
as well: {"ok", "subject", "serial", "usage", "revocation_checked"}, with
"reason" and "error" when it is not valid.`,
		Example: `  securemedia pki verify --root ca/root.crt --crl ca/crl/root.crl --crl ca/crl/intermediate.crl server.crt
  securemedia pki verify --root ca/root.crt --intermediate ca/intermediate.crt \
      --crl ca/crl/root.crl --crl ca/crl/intermediate.crl --usage client device-1.crt
  securemedia pki verify --root ca/root.crt --crl ca/crl/root.crl --crl ca/crl/intermediate.crl \
      --usage server --name media.example --at 2027-01-01T00:00:00Z server.crt
  securemedia pki verify --root ca/root.crt --no-revocation --json server.crt`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			usage, err := pki.ParseUsage(usageText)
			if err != nil {
				return withHint(err, "use --usage server, client, content, license, user or any")
			}
			if usage == pki.UsageAny && name != "" {
				usage = pki.UsageServer
			}
			now := time.Now
			if at != "" {
				t, err := time.Parse(time.RFC3339, at)
				if err != nil {
					return withHint(fmt.Errorf("--at: %w", err), "use RFC 3339, e.g. 2026-01-02T15:04:05Z")
				}
				now = func() time.Time { return t }
			}
			crlDER, err := pki.LoadCRLs(crls...)
			if err != nil {
				return err
			}
			v, err := deploy.NewValidator(deploy.Trust{Roots: roots, Intermediates: inters, CRLs: crlDER, CheckRevocation: !noRevocation, Now: now})
			if err != nil {
				return err
			}
			chain, err := pki.LoadCertificates(args[0])
			if err != nil {
				return withHint(err, "give the path of a PEM or DER certificate (chain) to verify")
			}
			err = v.VerifyCert(chain[0], chain[1:], usage, name)
			if asJSON {
				verdict := chainVerdictJSON{OK: err == nil, Subject: chain[0].Subject.String(), Serial: chain[0].SerialNumber.Text(16),
					Usage: usage.String(), RevocationChecked: !noRevocation}
				if err != nil {
					verdict.Error = err.Error()
					if r := pki.ReasonOf(err); r != 0 {
						verdict.Reason = r.String()
					}
				}
				if jerr := writeJSON(cmd.OutOrStdout(), verdict); jerr != nil {
					return jerr
				}
			}
			if err != nil {
				switch pki.ReasonOf(err) {
				case pki.ReasonCRLMissing:
					return withHint(err, "give the CRL of every CA in the chain with --crl")
				case pki.ReasonWrongEKU, pki.ReasonWrongKeyUsage:
					return withHint(err, "check --usage: securemedia pki show "+args[0]+" says what the certificate is for")
				case pki.ReasonUnknownAuthority:
					return withHint(err, "give the root it chains to with --root, and its intermediates with --intermediate")
				}
				return err
			}
			msg := fmt.Sprintf("ok: %s serial %s valid for %s use", chain[0].Subject, chain[0].SerialNumber.Text(16), usage)
			if noRevocation {
				msg += " (revocation not checked)"
			}
			fmt.Fprintln(cmd.ErrOrStderr(), msg)
			return nil
		},
	}
	f := cmd.Flags()
	f.StringArrayVar(&roots, "root", nil, "trust anchor certificate file (repeatable, required)")
	f.StringArrayVar(&inters, "intermediate", nil, "intermediate certificate file (repeatable)")
	f.StringArrayVar(&crls, "crl", nil, "CRL file (repeatable)")
	f.StringVar(&at, "at", "", "validate at this time (RFC 3339) instead of now")
	f.StringVar(&usageText, "usage", "any", "server, client, content, license, user or any")
	f.StringVar(&name, "name", "", "server name the certificate must carry (implies --usage server)")
	f.BoolVar(&noRevocation, "no-revocation", false, "skip revocation checking (not recommended)")
	f.BoolVar(&asJSON, "json", false, "print the verdict as JSON on stdout")
	cmd.MarkFlagRequired("root")
	return cmd
}

// chainVerdictJSON is the output of `pki verify --json`.
type chainVerdictJSON struct {
	OK                bool   `json:"ok"`
	Subject           string `json:"subject"`
	Serial            string `json:"serial"`
	Usage             string `json:"usage"`
	RevocationChecked bool   `json:"revocation_checked"`
	Reason            string `json:"reason,omitempty"`
	Error             string `json:"error,omitempty"`
}
