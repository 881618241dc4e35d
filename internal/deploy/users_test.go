package deploy_test

import (
	"context"
	"crypto/sha256"
	"crypto/x509"
	"crypto/x509/pkix"
	"errors"
	"testing"
	"time"

	"securemedia/internal/config"
	"securemedia/internal/deploy"
	"securemedia/license"
)

func TestAnAuthenticationCertificateRegistersItsHolder(t *testing.T) {
	cert := &x509.Certificate{Raw: []byte("der"), Subject: pkix.Name{CommonName: "Ana Silva", SerialNumber: "PT-12345678"}}
	now := time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)
	u, err := deploy.UserFromCertificate(cert, "", now)
	if err != nil || u.ID != "PT-12345678" || u.Name != "Ana Silva" || u.CertSHA256 != sha256.Sum256(cert.Raw) || !u.Added.Equal(now) {
		t.Fatalf("UserFromCertificate = %+v, %v", u, err)
	}
	if u, err := deploy.UserFromCertificate(cert, "Ana", now); err != nil || u.Name != "Ana" {
		t.Fatalf("a given name: %+v, %v", u, err)
	}
	device := &x509.Certificate{Subject: pkix.Name{CommonName: "device-1"}}
	if _, err := deploy.UserFromCertificate(device, "", now); !errors.Is(err, deploy.ErrNoUserID) {
		t.Fatalf("a certificate without a serialNumber: %v", err)
	}
}

func TestALicenseIsFoundByItsIDOrByItsUserAndMedia(t *testing.T) {
	ctx := context.Background()
	cfg := (&config.Server{}).InDir(t.TempDir())
	s, err := deploy.OpenLicenseStore(ctx, cfg)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	l, err := s.Grant(ctx, "u1", "m1", license.Policy{Views: 3}, time.Now())
	if err != nil {
		t.Fatal(err)
	}
	for _, ref := range []deploy.LicenseRef{{ID: l.ID}, {User: "u1", Media: "m1"}, {ID: l.ID, User: "ignored"}} {
		if got, err := deploy.FindLicense(ctx, s, ref); err != nil || got.ID != l.ID {
			t.Errorf("FindLicense(%+v) = %s, %v", ref, got.ID, err)
		}
	}
	for _, ref := range []deploy.LicenseRef{{}, {User: "u1"}, {Media: "m1"}} {
		if _, err := deploy.FindLicense(ctx, s, ref); !errors.Is(err, deploy.ErrNoLicenseRef) {
			t.Errorf("FindLicense(%+v) = %v, want ErrNoLicenseRef", ref, err)
		}
	}
	if _, err := deploy.FindLicense(ctx, s, deploy.LicenseRef{User: "u1", Media: "m2"}); !errors.Is(err, license.ErrNotFound) {
		t.Errorf("FindLicense of no license = %v, want license.ErrNotFound", err)
	}
}
