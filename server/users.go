package server

import (
	"context"
	"crypto/sha256"
	"crypto/subtle"
	"crypto/x509"
	"errors"
	"log/slog"
	"time"

	"securemedia/license"
	"securemedia/pki"
)

// userLookupTimeout bounds the registry lookup inside a handshake.
const userLookupTimeout = 5 * time.Second

// userRefusedError is why a user identity was refused. Its text is a fixed
// reason ("user not registered", "user certificate revoked", ...) that
// reaches the client in the 403 problem detail: it tells the person what to
// fix and names no identity, since the problem document travels in clear
// while the user's certificate travelled encrypted (DESIGN.md §2, 1).
type userRefusedError struct {
	reason string
	err    error
	// unavailable: the registry did not answer; the login may succeed
	// when it does (503, not a refusal of the person).
	unavailable bool
}

func (e *userRefusedError) Error() string { return e.reason }

func (e *userRefusedError) Unwrap() error { return e.err }

// NewUserVerifier returns the handshake's user verifier (protocol.Config
// VerifyUser, DESIGN.md §6): it validates the user's chain with v (the
// identity-card issuer's anchors and CRLs, kept apart from the server PKI;
// identity cards carry clientAuth, hence pki.UsageClient), then maps the
// leaf to a registered user in store by the subject's serialNumber, and
// refuses unregistered or disabled users and certificates other than the
// registered one. Refusals are logged with the identity; the returned
// error carries only the reason.
func NewUserVerifier(v *pki.Validator, store license.Store, log *slog.Logger) func(chain [][]byte) (*x509.Certificate, error) {
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	return func(chain [][]byte) (*x509.Certificate, error) {
		leaf, err := v.Verify(chain, pki.UsageClient, "")
		if err != nil {
			log.Info("user certificate refused", "err", err)
			return nil, &userRefusedError{reason: userCertificateReason(err), err: err}
		}
		id := leaf.Subject.SerialNumber
		ctx, cancel := context.WithTimeout(context.Background(), userLookupTimeout)
		defer cancel()
		if err := checkRegistered(ctx, store, id, leaf); err != nil {
			log.Info("user refused", "user", id, "user_name", leaf.Subject.CommonName, "reason", err.Error(), "err", errors.Unwrap(err))
			return nil, err
		}
		return leaf, nil
	}
}

// checkRegistered maps a validated leaf to an enabled registered user.
func checkRegistered(ctx context.Context, store license.Store, id string, leaf *x509.Certificate) error {
	if license.CheckID("user id", id) != nil {
		return &userRefusedError{reason: "user certificate carries no usable serialNumber"}
	}
	u, err := store.GetUser(ctx, id)
	switch {
	case errors.Is(err, license.ErrUnknownUser):
		return &userRefusedError{reason: "user not registered", err: err}
	case err != nil:
		return &userRefusedError{reason: "user registry unavailable", err: err, unavailable: true}
	case u.Disabled:
		return &userRefusedError{reason: "user disabled", err: license.ErrUserDisabled}
	}
	// The registered certificate, not just the identity, must match: a
	// re-issued or replaced card (a new key under the same citizen id) is
	// a new credential the operator has not seen, so it must be
	// re-registered before it can rent or play.
	sum := sha256.Sum256(leaf.Raw)
	if subtle.ConstantTimeCompare(sum[:], u.CertSHA256[:]) != 1 {
		return &userRefusedError{reason: "user certificate is not the registered one (register the new card)"}
	}
	return nil
}

// userCertificateReason names a chain refusal for the person: revoked,
// expired, not yet valid, or refused.
func userCertificateReason(err error) string {
	switch r := pki.ReasonOf(err); r {
	case pki.ReasonRevoked, pki.ReasonExpired, pki.ReasonNotYetValid, pki.ReasonUnknownAuthority, pki.ReasonWrongEKU:
		return "user " + r.String()
	}
	return "user certificate refused"
}
