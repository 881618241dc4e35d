package provision

import (
	"crypto"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"math/big"
	"os"
	"path/filepath"
	"strings"
	"time"

	"securemedia/internal/fsutil"
	"securemedia/pki"
)

// CitizenCA is a throwaway identity-card PKI for demos and tests: a root CA
// and an authentication sub-CA, as the card issuer has. It is not the
// server's PKI, and its keys are software keys in files.
type CitizenCA struct {
	// ID tells this CA from every other demo citizen CA: it ends the
	// common names of both its certificates and names its files, so that
	// a server can trust several (a validator keys CRLs by issuer name).
	ID       string
	Root     *x509.Certificate
	RootKey  crypto.Signer
	SubCA    *x509.Certificate
	SubCAKey crypto.Signer
}

// caValidity is how long the throwaway CAs live: longer than any card they
// issue in a test.
const caValidity = 20 * 365 * 24 * time.Hour

// NewCitizenCA creates the root and sub-CA, valid from an hour before now,
// under a new random ID.
func NewCitizenCA(now time.Time) (*CitizenCA, error) {
	id := make([]byte, citizenCAIDSize)
	rand.Read(id)
	ca := &CitizenCA{ID: hex.EncodeToString(id)}
	rootKey, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return nil, err
	}
	subKey, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return nil, err
	}
	notBefore, notAfter := now.Add(-time.Hour), now.Add(caValidity)
	rootTmpl := &x509.Certificate{
		Subject:               pkix.Name{CommonName: "securemedia Demo Citizen Root CA " + ca.ID, Organization: []string{"securemedia demo"}, Country: []string{"PT"}},
		NotBefore:             notBefore,
		NotAfter:              notAfter,
		KeyUsage:              x509.KeyUsageCertSign | x509.KeyUsageCRLSign,
		BasicConstraintsValid: true,
		IsCA:                  true,
		MaxPathLen:            1,
	}
	root, err := issue(rootTmpl, rootTmpl, rootKey.Public(), rootKey)
	if err != nil {
		return nil, fmt.Errorf("citizen root CA: %w", err)
	}
	subTmpl := &x509.Certificate{
		Subject:               pkix.Name{CommonName: "securemedia Demo Citizen Authentication Sub CA " + ca.ID, Organization: []string{"securemedia demo"}, Country: []string{"PT"}},
		NotBefore:             notBefore,
		NotAfter:              notAfter,
		KeyUsage:              x509.KeyUsageCertSign | x509.KeyUsageCRLSign,
		BasicConstraintsValid: true,
		IsCA:                  true,
		MaxPathLenZero:        true,
	}
	sub, err := issue(subTmpl, root, subKey.Public(), rootKey)
	if err != nil {
		return nil, fmt.Errorf("citizen sub-CA: %w", err)
	}
	ca.Root, ca.RootKey, ca.SubCA, ca.SubCAKey = root, rootKey, sub, subKey
	return ca, nil
}

// citizenCAIDSize is the size of a CA's random ID, in bytes.
const citizenCAIDSize = 6

// IssueUser issues an authentication certificate for pub as the card
// carries it: subject CN=holder and serialNumber=citizenID,
// digitalSignature, clientAuth.
func (ca *CitizenCA) IssueUser(pub crypto.PublicKey, holder, citizenID string, notBefore, notAfter time.Time) (*x509.Certificate, error) {
	if holder == "" || citizenID == "" {
		return nil, errors.New("citizen certificate: holder name and citizen id are required")
	}
	if !notAfter.After(notBefore) {
		return nil, errors.New("citizen certificate: validity ends before it starts")
	}
	tmpl := &x509.Certificate{
		Subject: pkix.Name{
			CommonName:   holder,
			SerialNumber: citizenID,
			Country:      []string{"PT"},
		},
		NotBefore:             notBefore,
		NotAfter:              notAfter,
		KeyUsage:              x509.KeyUsageDigitalSignature,
		ExtKeyUsage:           []x509.ExtKeyUsage{x509.ExtKeyUsageClientAuth},
		BasicConstraintsValid: true,
	}
	return issue(tmpl, ca.SubCA, pub, ca.SubCAKey)
}

// SubCACRL is a CRL of the sub-CA revoking the given certificates.
func (ca *CitizenCA) SubCACRL(revoked []*x509.Certificate, thisUpdate, nextUpdate time.Time) ([]byte, error) {
	return makeCRL(ca.SubCA, ca.SubCAKey, revoked, thisUpdate, nextUpdate)
}

// RootCRL is a CRL of the root revoking the given certificates.
func (ca *CitizenCA) RootCRL(revoked []*x509.Certificate, thisUpdate, nextUpdate time.Time) ([]byte, error) {
	return makeCRL(ca.Root, ca.RootKey, revoked, thisUpdate, nextUpdate)
}

func makeCRL(issuer *x509.Certificate, key crypto.Signer, revoked []*x509.Certificate, thisUpdate, nextUpdate time.Time) ([]byte, error) {
	entries := make([]x509.RevocationListEntry, 0, len(revoked))
	for _, c := range revoked {
		entries = append(entries, x509.RevocationListEntry{SerialNumber: c.SerialNumber, RevocationTime: thisUpdate})
	}
	// The CRL number only has to grow; the issue time in nanoseconds does.
	return signCRL(issuer, key, entries, big.NewInt(thisUpdate.UnixNano()), thisUpdate, nextUpdate)
}

func signCRL(issuer *x509.Certificate, key crypto.Signer, entries []x509.RevocationListEntry, number *big.Int, thisUpdate, nextUpdate time.Time) ([]byte, error) {
	der, err := x509.CreateRevocationList(rand.Reader, &x509.RevocationList{
		Number:                    number,
		ThisUpdate:                thisUpdate,
		NextUpdate:                nextUpdate,
		RevokedCertificateEntries: entries,
	}, issuer, key)
	if err != nil {
		return nil, fmt.Errorf("CRL of %s: %w", issuer.Subject.CommonName, err)
	}
	return der, nil
}

// issue signs tmpl with a fresh random serial number and parses the result.
func issue(tmpl, parent *x509.Certificate, pub crypto.PublicKey, key crypto.Signer) (*x509.Certificate, error) {
	serial, err := rand.Int(rand.Reader, new(big.Int).Lsh(big.NewInt(1), 127))
	if err != nil {
		return nil, err
	}
	tmpl.SerialNumber = serial.Add(serial, big.NewInt(1))
	der, err := x509.CreateCertificate(rand.Reader, tmpl, parent, pub, key)
	if err != nil {
		return nil, err
	}
	return x509.ParseCertificate(der)
}

// CitizenCAFiles are where a citizen CA's files are in a directory.
type CitizenCAFiles struct {
	RootCert, RootKey, RootCRL    string
	SubCACert, SubCAKey, SubCACRL string
}

// citizenCAFilePrefix starts the name of every file of a citizen CA; the ID
// and the role follow ("citizen-ca-<ID>-root.pem").
const citizenCAFilePrefix = "citizen-ca-"

// Files names the CA's files in dir.
func (ca *CitizenCA) Files(dir string) CitizenCAFiles {
	base := filepath.Join(dir, citizenCAFilePrefix+ca.ID)
	return CitizenCAFiles{
		RootCert: base + "-root.pem", RootKey: base + "-root.key", RootCRL: base + "-root.crl",
		SubCACert: base + "-sub.pem", SubCAKey: base + "-sub.key", SubCACRL: base + "-sub.crl",
	}
}

// crlValidity is the nextUpdate of the CRLs written with a new CA.
const crlValidity = 7 * 24 * time.Hour

// WriteFiles writes the certificates (PEM), the keys (PKCS#8 PEM, 0600,
// unencrypted: this PKI is throwaway) and empty CRLs (DER, valid seven
// days) to dir, refusing to overwrite existing files.
func (ca *CitizenCA) WriteFiles(dir string, now time.Time) error {
	rootCRL, err := ca.RootCRL(nil, now, now.Add(crlValidity))
	if err != nil {
		return err
	}
	subCRL, err := ca.SubCACRL(nil, now, now.Add(crlValidity))
	if err != nil {
		return err
	}
	f := ca.Files(dir)
	for _, w := range []func() error{
		func() error { return writeCertificates(f.RootCert, ca.Root.Raw) },
		func() error { return writeKey(f.RootKey, ca.RootKey) },
		func() error { return writeCertificates(f.SubCACert, ca.SubCA.Raw) },
		func() error { return writeKey(f.SubCAKey, ca.SubCAKey) },
		func() error { return writeNew(f.RootCRL, rootCRL, 0o644) },
		func() error { return writeNew(f.SubCACRL, subCRL, 0o644) },
	} {
		if err := w(); err != nil {
			return err
		}
	}
	return nil
}

// ErrNoCitizenCA means a directory holds no citizen CA written by WriteFiles.
var ErrNoCitizenCA = errors.New("no demo citizen CA in the directory")

// LoadCitizenCAs reads every CA WriteFiles wrote to dir (a demo card's
// directory holds one per card made without a shared CA), so that tests and
// operators can issue more cards, revoke them or refresh the CRLs.
func LoadCitizenCAs(dir string) ([]*CitizenCA, error) {
	entries, err := os.ReadDir(dir)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, fmt.Errorf("%w: %w", ErrNoCitizenCA, err)
	}
	if err != nil {
		return nil, err
	}
	var out []*CitizenCA
	for _, e := range entries {
		id, ok := strings.CutPrefix(e.Name(), citizenCAFilePrefix)
		if id, ok = strings.CutSuffix(id, "-root.pem"); !ok || !isCitizenCAID(id) {
			continue
		}
		ca, err := loadCitizenCA(dir, id)
		if err != nil {
			return nil, err
		}
		out = append(out, ca)
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("%s: %w", dir, ErrNoCitizenCA)
	}
	return out, nil
}

func isCitizenCAID(s string) bool {
	b, err := hex.DecodeString(s)
	return err == nil && len(b) == citizenCAIDSize && hex.EncodeToString(b) == s
}

func loadCitizenCA(dir, id string) (*CitizenCA, error) {
	ca := &CitizenCA{ID: id}
	f := ca.Files(dir)
	var err error
	if ca.Root, err = loadCertificate(f.RootCert); err != nil {
		return nil, err
	}
	if ca.SubCA, err = loadCertificate(f.SubCACert); err != nil {
		return nil, err
	}
	if ca.RootKey, err = pki.LoadSigner(f.RootKey, nil); err != nil {
		return nil, err
	}
	if ca.SubCAKey, err = pki.LoadSigner(f.SubCAKey, nil); err != nil {
		return nil, err
	}
	return ca, nil
}

// RefreshCRLs re-issues the CRLs of every citizen CA in dir (see
// LoadCitizenCAs), as "securemedia pki crl --dir" does for a demo card's
// directory: each new CRL revokes what the current one does, takes a higher
// CRL number, and is valid from now for a week. It returns the paths it
// wrote. A CRL file that does not parse or is not signed by its CA is an
// error, and no later file is touched.
func RefreshCRLs(dir string, now time.Time) ([]string, error) {
	cas, err := LoadCitizenCAs(dir)
	if err != nil {
		return nil, err
	}
	var written []string
	for _, ca := range cas {
		f := ca.Files(dir)
		for _, c := range []struct {
			path   string
			issuer *x509.Certificate
			key    crypto.Signer
		}{{f.RootCRL, ca.Root, ca.RootKey}, {f.SubCACRL, ca.SubCA, ca.SubCAKey}} {
			if err := refreshCRL(c.path, c.issuer, c.key, now); err != nil {
				return written, err
			}
			written = append(written, c.path)
		}
	}
	return written, nil
}

// refreshCRL replaces the CRL at path by a fresh one from issuer.
func refreshCRL(path string, issuer *x509.Certificate, key crypto.Signer, now time.Time) error {
	ders, err := pki.LoadCRLs(path)
	if err != nil {
		return err
	}
	old, err := x509.ParseRevocationList(ders[0])
	if err != nil {
		return fmt.Errorf("%s: %w", path, err)
	}
	if err := old.CheckSignatureFrom(issuer); err != nil {
		return fmt.Errorf("%s: not a CRL of %s: %w", path, issuer.Subject.CommonName, err)
	}
	// One more than the last number, or the issue time in nanoseconds as
	// the CRLs written with the CA have, whichever is higher.
	number := big.NewInt(1)
	if old.Number != nil {
		number.Add(old.Number, number)
	}
	if n := big.NewInt(now.UnixNano()); n.Cmp(number) > 0 {
		number = n
	}
	der, err := signCRL(issuer, key, old.RevokedCertificateEntries, number, now, now.Add(crlValidity))
	if err != nil {
		return err
	}
	return fsutil.WriteFileAtomic(path, der, 0o644)
}

// loadCertificate reads the first certificate of a PEM or DER file.
func loadCertificate(path string) (*x509.Certificate, error) {
	cs, err := pki.LoadCertificates(path)
	if err != nil {
		return nil, err
	}
	return cs[0], nil
}
