package deploy

import (
	"context"
	"crypto/sha256"
	"crypto/x509"
	"errors"
	"fmt"
	"log/slog"
	"time"

	"securemedia/internal/config"
	"securemedia/license"
	"securemedia/pki"
)

// ErrNoUserID means a certificate's subject has no serialNumber attribute:
// it is not an authentication certificate, which carries its holder's
// identity number there.
var ErrNoUserID = errors.New("no serialNumber attribute in its subject")

// UserFromCertificate is the user an authentication certificate registers
// (DESIGN.md §6): the subject's serialNumber is the id, as the identity card
// carries it; name, when empty, is the subject's common name.
func UserFromCertificate(cert *x509.Certificate, name string, added time.Time) (license.User, error) {
	if cert.Subject.SerialNumber == "" {
		return license.User{}, ErrNoUserID
	}
	if name == "" {
		name = cert.Subject.CommonName
	}
	return license.User{ID: cert.Subject.SerialNumber, Name: name, CertSHA256: sha256.Sum256(cert.Raw), Added: added}, nil
}

// userTrust loads what [users] trusts, the identity-card issuer's roots,
// sub-CAs and CRLs (kept apart from the server PKI), into the validator of
// user logins; crls is nil when revocation checking is off, which log is
// told. Revocation is on by default, and then CRLs are required.
func userTrust(c *config.Server, log *slog.Logger) (crls *pki.CRLSet, v *pki.Validator, err error) {
	file := c.File()
	if len(c.Users.TrustAnchors) == 0 {
		return nil, nil, configError(file, errors.New("users: [users] trust_anchors is empty: no identity card would log in"), "[users] trust_anchors")
	}
	var ders [][]byte
	switch {
	case len(c.Users.CRLs) > 0:
		if crls, err = pki.NewCRLSet(c.Paths(c.Users.CRLs)); err != nil {
			return nil, nil, configError(file, fmt.Errorf("users: %w", err), "[users] crls")
		}
		ders = crls.Bytes()
	case c.Users.RevocationEnabled():
		// Fail closed: without CRLs a revoked identity card would log in.
		return nil, nil, configError(file, errors.New("users: [users] crls is empty; give the card issuer's CRLs, or set [users] check_revocation = false to accept that revoked cards are not detected"),
			"[users] crls", "[users] check_revocation")
	default:
		log.Warn("users: revocation checking is off ([users] check_revocation = false); revoked identity cards are not detected")
	}
	v, err = NewValidator(Trust{Roots: c.Paths(c.Users.TrustAnchors), Intermediates: c.Paths(c.Users.Intermediates), CRLs: ders, CheckRevocation: crls != nil})
	if err != nil {
		return nil, nil, configError(file, fmt.Errorf("users: %w", err), "[users] trust_anchors", "[users] intermediates")
	}
	return crls, v, nil
}

// UserCertificateError is an authentication certificate that the server
// would refuse at login: it does not chain to [users] trust_anchors, or
// it is revoked, expired or not for client authentication.
type UserCertificateError struct {
	File string
	Err  error
}

func (e *UserCertificateError) Error() string {
	return "the certificate does not validate against [users] in " + e.File + ": " + e.Err.Error()
}
func (e *UserCertificateError) Unwrap() error { return e.Err }

// VerifyUserCertificate validates an authentication certificate, with the
// chain that came with it (leaf first), as the server validates a login
// against [users]: chain, usage and revocation. Registering a user whose
// card the server would refuse is a mistake caught here.
func VerifyUserCertificate(c *config.Server, chain []*x509.Certificate) error {
	if len(chain) == 0 {
		return errors.New("no certificate")
	}
	_, v, err := userTrust(c, slog.New(slog.DiscardHandler))
	if err != nil {
		return err
	}
	if err := v.VerifyCert(chain[0], chain[1:], pki.UsageClient, ""); err != nil {
		return &UserCertificateError{File: c.File(), Err: err}
	}
	return nil
}

// LicenseRef names one license for an operator command: by its id, or by
// its user and media.
type LicenseRef struct {
	ID, User, Media string
}

// ErrNoLicenseRef means a LicenseRef names no license: no id, and not
// both a user and a media id.
var ErrNoLicenseRef = errors.New("no license named: give its id, or its user and media")

// FindLicense returns the license ref names; license.ErrNotFound when
// there is none.
func FindLicense(ctx context.Context, s license.Store, ref LicenseRef) (license.License, error) {
	switch {
	case ref.ID != "":
		return s.Get(ctx, ref.ID)
	case ref.User != "" && ref.Media != "":
		return s.Find(ctx, ref.User, ref.Media)
	}
	return license.License{}, ErrNoLicenseRef
}

// registerCardHolder registers the holder of the workspace's demo card in
// the license store of c; a holder already registered is left as is.
func registerCardHolder(ctx context.Context, c *config.Server, cert *x509.Certificate) error {
	u, err := UserFromCertificate(cert, "", time.Now())
	if err != nil {
		return fmt.Errorf("register the demo user: %w", err)
	}
	lic, err := OpenLicenseStore(ctx, c)
	if err != nil {
		return err
	}
	defer lic.Close()
	if err := lic.AddUser(ctx, u); err != nil && !errors.Is(err, license.ErrUserExists) {
		return fmt.Errorf("register the demo user: %w", err)
	}
	return nil
}
