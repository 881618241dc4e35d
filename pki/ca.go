package pki

import (
	"crypto"
	"crypto/rand"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/json"
	"encoding/pem"
	"errors"
	"fmt"
	"math/big"
	"os"
	"path/filepath"
	"securemedia/internal/fsutil"
	"time"
)

// File names inside a CA directory (see the package documentation).
const (
	rootCertFile         = "root.crt"
	rootKeyFile          = "root.key"
	intermediateCertFile = "intermediate.crt"
	intermediateKeyFile  = "intermediate.key"
	stateFile            = "ca.json"
	crlDir               = "crl"
	rootCRLFile          = "root.crl"
	intermediateCRLFile  = "intermediate.crl"
	issuedDir            = "issued"
)

// Defaults of InitOptions.
const (
	// DefaultCRLBaseURL is where the server serves CRLs (see CRLHandler).
	DefaultCRLBaseURL = "http://localhost/crl/"
	// DefaultCRLPeriod is the interval between a CRL's thisUpdate and
	// nextUpdate: CRLs must be re-issued at least this often.
	DefaultCRLPeriod = 7 * 24 * time.Hour

	defaultRootValidity         = 20 * 365 * 24 * time.Hour
	defaultIntermediateValidity = 10 * 365 * 24 * time.Hour
	defaultOrganization         = "securemedia"
	// backdate absorbs small clock differences between machines.
	backdate = 5 * time.Minute
)

// InitOptions configure InitCA. The zero value is useful.
type InitOptions struct {
	// KeyAlgorithm of both CA keys; "" means ECDSAP256.
	KeyAlgorithm KeyAlgorithm
	// Passphrase encrypts both CA keys; nil writes them unencrypted.
	Passphrase []byte
	// KDF are the Argon2id costs for Passphrase; zero means DefaultKDFParams.
	KDF KDFParams
	// Organization is the O attribute of every subject; "" means "securemedia".
	Organization string
	// RootValidity and IntermediateValidity default to 20 and 10 years.
	RootValidity, IntermediateValidity time.Duration
	// CRLBaseURL prefixes the CRL distribution points; "" means DefaultCRLBaseURL.
	CRLBaseURL string
	// CRLPeriod is the CRLs' nextUpdate - thisUpdate; 0 means DefaultCRLPeriod.
	CRLPeriod time.Duration
	// Now returns the current time; nil means time.Now.
	Now func() time.Time
}

// caState is ca.json: what the CA must remember between runs.
type caState struct {
	KeyAlgorithm          KeyAlgorithm   `json:"key_algorithm"`
	Organization          string         `json:"organization"`
	CRLBaseURL            string         `json:"crl_base_url"`
	CRLPeriod             string         `json:"crl_period"`
	RootCRLNumber         int64          `json:"root_crl_number"`
	IntermediateCRLNumber int64          `json:"intermediate_crl_number"`
	Revoked               []revokedEntry `json:"revoked"`
}

// revokedEntry is one revocation; Issuer is "root" or "intermediate".
type revokedEntry struct {
	Issuer string    `json:"issuer"`
	Serial string    `json:"serial"`
	Reason int       `json:"reason"`
	Time   time.Time `json:"time"`
}

// CA is an opened CA directory: the root and intermediate with their keys.
// It is offline tooling and not safe for concurrent use.
type CA struct {
	// Now returns the current time; OpenCA sets time.Now.
	Now func() time.Time

	dir                    string
	state                  caState
	crlPeriod              time.Duration
	root, intermediate     *x509.Certificate
	rootKey, intermediateK crypto.Signer
}

// ErrCAExists means InitCA was given a directory that already holds a
// CA: a CA is never overwritten.
var ErrCAExists = errors.New("already holds a CA")

// InitCA creates a root CA and an intermediate CA (pathLen 0 under the
// root) in dir, with a first CRL for each. It refuses to overwrite a CA.
func InitCA(dir string, o InitOptions) error {
	now := time.Now
	if o.Now != nil {
		now = o.Now
	}
	alg := o.KeyAlgorithm
	if alg == "" {
		alg = ECDSAP256
	}
	if _, err := ParseKeyAlgorithm(string(alg)); err != nil {
		return err
	}
	if o.Organization == "" {
		o.Organization = defaultOrganization
	}
	if o.RootValidity == 0 {
		o.RootValidity = defaultRootValidity
	}
	if o.IntermediateValidity == 0 {
		o.IntermediateValidity = defaultIntermediateValidity
	}
	if o.IntermediateValidity > o.RootValidity {
		return errors.New("pki init: the intermediate cannot outlive the root")
	}
	if o.CRLBaseURL == "" {
		o.CRLBaseURL = DefaultCRLBaseURL
	}
	if o.CRLPeriod == 0 {
		o.CRLPeriod = DefaultCRLPeriod
	}
	if o.CRLPeriod < time.Minute {
		return errors.New("pki init: crl period below one minute")
	}
	kdf := o.KDF
	if kdf == (KDFParams{}) {
		kdf = DefaultKDFParams()
	}
	if _, err := os.Stat(filepath.Join(dir, rootCertFile)); err == nil {
		return fmt.Errorf("pki init: %s %w", dir, ErrCAExists)
	}
	for _, d := range []string{dir, filepath.Join(dir, crlDir), filepath.Join(dir, issuedDir)} {
		if err := os.MkdirAll(d, 0o700); err != nil {
			return fmt.Errorf("pki init: %w", err)
		}
	}
	t := now()
	rootKey, err := GenerateKey(alg)
	if err != nil {
		return fmt.Errorf("pki init: root key: %w", err)
	}
	rootTmpl := &x509.Certificate{
		Subject:               pkix.Name{Organization: []string{o.Organization}, CommonName: o.Organization + " Root CA"},
		NotBefore:             t.Add(-backdate),
		NotAfter:              t.Add(o.RootValidity),
		KeyUsage:              x509.KeyUsageCertSign | x509.KeyUsageCRLSign,
		BasicConstraintsValid: true,
		IsCA:                  true,
		MaxPathLen:            1,
		SignatureAlgorithm:    signatureAlgorithm(rootKey.Public()),
	}
	root, err := createCert(rootTmpl, rootTmpl, rootKey.Public(), rootKey)
	if err != nil {
		return fmt.Errorf("pki init: root: %w", err)
	}
	intKey, err := GenerateKey(alg)
	if err != nil {
		return fmt.Errorf("pki init: intermediate key: %w", err)
	}
	intTmpl := &x509.Certificate{
		Subject:               pkix.Name{Organization: []string{o.Organization}, CommonName: o.Organization + " Intermediate CA"},
		NotBefore:             t.Add(-backdate),
		NotAfter:              t.Add(o.IntermediateValidity),
		KeyUsage:              x509.KeyUsageCertSign | x509.KeyUsageCRLSign,
		BasicConstraintsValid: true,
		IsCA:                  true,
		MaxPathLen:            0,
		MaxPathLenZero:        true,
		CRLDistributionPoints: []string{o.CRLBaseURL + rootCRLFile},
		SignatureAlgorithm:    signatureAlgorithm(rootKey.Public()),
	}
	inter, err := createCert(intTmpl, root, intKey.Public(), rootKey)
	if err != nil {
		return fmt.Errorf("pki init: intermediate: %w", err)
	}
	pass := o.Passphrase
	if err := WriteSignerWithParams(filepath.Join(dir, rootKeyFile), rootKey, pass, kdf); err != nil {
		return fmt.Errorf("pki init: %w", err)
	}
	if err := WriteSignerWithParams(filepath.Join(dir, intermediateKeyFile), intKey, pass, kdf); err != nil {
		return fmt.Errorf("pki init: %w", err)
	}
	if err := fsutil.WriteFileAtomic(filepath.Join(dir, rootCertFile), certPEM(root), 0o644); err != nil {
		return fmt.Errorf("pki init: %w", err)
	}
	if err := fsutil.WriteFileAtomic(filepath.Join(dir, intermediateCertFile), certPEM(inter), 0o644); err != nil {
		return fmt.Errorf("pki init: %w", err)
	}
	ca := &CA{
		Now: now, dir: dir, crlPeriod: o.CRLPeriod,
		root: root, intermediate: inter, rootKey: rootKey, intermediateK: intKey,
		state: caState{KeyAlgorithm: alg, Organization: o.Organization, CRLBaseURL: o.CRLBaseURL, CRLPeriod: o.CRLPeriod.String()},
	}
	if _, err := ca.CRLs(); err != nil {
		return fmt.Errorf("pki init: %w", err)
	}
	return nil
}

// OpenCA opens the CA in dir. passphrase is called (once per encrypted
// key) only when the keys are encrypted.
func OpenCA(dir string, passphrase func() ([]byte, error)) (*CA, error) {
	raw, err := fsutil.ReadFileLimit(filepath.Join(dir, stateFile), maxCertFile)
	if err != nil {
		return nil, fmt.Errorf("open ca: %w", err)
	}
	ca := &CA{Now: time.Now, dir: dir}
	if err := json.Unmarshal(raw, &ca.state); err != nil {
		return nil, fmt.Errorf("open ca: %s: %w", stateFile, err)
	}
	if ca.crlPeriod, err = time.ParseDuration(ca.state.CRLPeriod); err != nil || ca.crlPeriod < time.Minute {
		return nil, fmt.Errorf("open ca: %s: bad crl_period %q", stateFile, ca.state.CRLPeriod)
	}
	if ca.root, err = loadOne(filepath.Join(dir, rootCertFile)); err != nil {
		return nil, fmt.Errorf("open ca: %w", err)
	}
	if ca.intermediate, err = loadOne(filepath.Join(dir, intermediateCertFile)); err != nil {
		return nil, fmt.Errorf("open ca: %w", err)
	}
	if ca.rootKey, err = loadMatchingKey(filepath.Join(dir, rootKeyFile), ca.root, passphrase); err != nil {
		return nil, fmt.Errorf("open ca: %w", err)
	}
	if ca.intermediateK, err = loadMatchingKey(filepath.Join(dir, intermediateKeyFile), ca.intermediate, passphrase); err != nil {
		return nil, fmt.Errorf("open ca: %w", err)
	}
	return ca, nil
}

// Root returns the root CA certificate.
func (ca *CA) Root() *x509.Certificate { return ca.root }

// Intermediate returns the intermediate CA certificate.
func (ca *CA) Intermediate() *x509.Certificate { return ca.intermediate }

// Dir returns the CA directory.
func (ca *CA) Dir() string { return ca.dir }

// RootPath and IntermediatePath return the CA certificate files.
func (ca *CA) RootPath() string { return filepath.Join(ca.dir, rootCertFile) }

// IntermediatePath returns the intermediate certificate file.
func (ca *CA) IntermediatePath() string { return filepath.Join(ca.dir, intermediateCertFile) }

// CRLPaths returns the files CRLs writes: the root's and the intermediate's.
func (ca *CA) CRLPaths() []string {
	return []string{filepath.Join(ca.dir, crlDir, rootCRLFile), filepath.Join(ca.dir, crlDir, intermediateCRLFile)}
}

// KeyAlgorithm returns the CA's key algorithm.
func (ca *CA) KeyAlgorithm() KeyAlgorithm { return ca.state.KeyAlgorithm }

// Revoke records the revocation of the certificate with serial, with an RFC
// 5280 reason code. The intermediate is revoked on the root's CRL, any
// certificate issued by this CA on the intermediate's. The revocation takes
// effect with the next CRLs.
func (ca *CA) Revoke(serial *big.Int, reason int) error {
	if serial == nil {
		return errors.New("revoke: no serial number")
	}
	if _, ok := revocationReasons[reason]; !ok || reason == 8 {
		return fmt.Errorf("revoke: invalid reason code %d", reason)
	}
	hex := serialKey(serial)
	issuer := "intermediate"
	switch {
	case serial.Cmp(ca.root.SerialNumber) == 0:
		return errors.New("revoke: the root cannot be revoked; distribute a new root instead")
	case serial.Cmp(ca.intermediate.SerialNumber) == 0:
		issuer = "root"
	default:
		if _, err := os.Stat(filepath.Join(ca.dir, issuedDir, hex+".crt")); err != nil {
			return fmt.Errorf("revoke: serial %s was not issued by this CA", hex)
		}
	}
	for _, r := range ca.state.Revoked {
		if r.Serial == hex && r.Issuer == issuer {
			return fmt.Errorf("revoke: serial %s is already revoked", hex)
		}
	}
	ca.state.Revoked = append(ca.state.Revoked, revokedEntry{Issuer: issuer, Serial: hex, Reason: reason, Time: ca.Now().UTC()})
	return ca.saveState()
}

// CRLs issues fresh CRLs for the root and the intermediate (CRLNumber
// incremented, nextUpdate = now + the CRL period), writes them to the
// files of CRLPaths and returns their DER, root's first.
func (ca *CA) CRLs() ([][]byte, error) {
	now := ca.Now()
	ca.state.RootCRLNumber++
	ca.state.IntermediateCRLNumber++
	rootCRL, err := ca.makeCRL(ca.root, ca.rootKey, "root", ca.state.RootCRLNumber, now)
	if err != nil {
		return nil, err
	}
	intCRL, err := ca.makeCRL(ca.intermediate, ca.intermediateK, "intermediate", ca.state.IntermediateCRLNumber, now)
	if err != nil {
		return nil, err
	}
	// Save the numbers first: a crash must never reuse a CRLNumber.
	if err := ca.saveState(); err != nil {
		return nil, err
	}
	paths := ca.CRLPaths()
	for i, der := range [][]byte{rootCRL, intCRL} {
		if err := fsutil.WriteFileAtomic(paths[i], der, 0o644); err != nil {
			return nil, fmt.Errorf("write crl: %w", err)
		}
	}
	return [][]byte{rootCRL, intCRL}, nil
}

func (ca *CA) makeCRL(issuer *x509.Certificate, key crypto.Signer, name string, number int64, now time.Time) ([]byte, error) {
	var entries []x509.RevocationListEntry
	for _, r := range ca.state.Revoked {
		if r.Issuer != name {
			continue
		}
		serial, ok := new(big.Int).SetString(r.Serial, 16)
		if !ok {
			return nil, fmt.Errorf("%s: bad serial %q", stateFile, r.Serial)
		}
		entries = append(entries, x509.RevocationListEntry{SerialNumber: serial, RevocationTime: r.Time, ReasonCode: r.Reason})
	}
	der, err := x509.CreateRevocationList(rand.Reader, &x509.RevocationList{
		Number:                    big.NewInt(number),
		ThisUpdate:                now.Add(-backdate),
		NextUpdate:                now.Add(ca.crlPeriod),
		RevokedCertificateEntries: entries,
		SignatureAlgorithm:        signatureAlgorithm(key.Public()),
	}, issuer, key)
	if err != nil {
		return nil, fmt.Errorf("%s crl: %w", name, err)
	}
	return der, nil
}

func (ca *CA) saveState() error {
	b, err := json.MarshalIndent(ca.state, "", "  ")
	if err != nil {
		return err
	}
	return fsutil.WriteFileAtomic(filepath.Join(ca.dir, stateFile), append(b, '\n'), 0o600)
}

func createCert(tmpl, parent *x509.Certificate, pub crypto.PublicKey, key crypto.Signer) (*x509.Certificate, error) {
	if tmpl.SerialNumber == nil {
		s, err := randomSerial()
		if err != nil {
			return nil, err
		}
		tmpl.SerialNumber = s
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, parent, pub, key)
	if err != nil {
		return nil, err
	}
	return x509.ParseCertificate(der)
}

// randomSerial returns a random positive serial of at most 128 bits.
func randomSerial() (*big.Int, error) {
	b := make([]byte, 16)
	for {
		if _, err := rand.Read(b); err != nil {
			return nil, err
		}
		if s := new(big.Int).SetBytes(b); s.Sign() > 0 {
			return s, nil
		}
	}
}

func certPEM(certs ...*x509.Certificate) []byte {
	var out []byte
	for _, c := range certs {
		out = append(out, pem.EncodeToMemory(&pem.Block{Type: pemCertificate, Bytes: c.Raw})...)
	}
	return out
}

func loadOne(path string) (*x509.Certificate, error) {
	certs, err := LoadCertificates(path)
	if err != nil {
		return nil, err
	}
	if len(certs) != 1 {
		return nil, fmt.Errorf("%s: want one certificate, found %d", path, len(certs))
	}
	return certs[0], nil
}

// loadMatchingKey loads a key and checks it belongs to cert.
func loadMatchingKey(path string, cert *x509.Certificate, passphrase func() ([]byte, error)) (crypto.Signer, error) {
	k, err := LoadSigner(path, passphrase)
	if err != nil {
		return nil, err
	}
	type equaler interface{ Equal(crypto.PublicKey) bool }
	if eq, ok := k.Public().(equaler); !ok || !eq.Equal(cert.PublicKey) {
		return nil, fmt.Errorf("%s: key does not match %s", path, describe(cert))
	}
	return k, nil
}
