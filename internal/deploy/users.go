package deploy

import (
	"context"
	"crypto/sha256"
	"crypto/x509"
	"errors"
	"fmt"
	"time"

	"securemedia/internal/config"
	"securemedia/license"
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
