package protocol

import (
	"crypto"
	"crypto/rand"
	"crypto/x509"
	"errors"
	"fmt"
	"io"
	"time"
)

// Config configures one side of a session. The zero value is not usable: a
// side needs its certificate chain, its key and a peer verifier.
type Config struct {
	// Rand is the source of the randoms, the session id and ephemeral
	// private keys. Nil means crypto/rand.Reader.
	Rand io.Reader
	// Now returns the current time (rekey by age). Nil means time.Now.
	Now func() time.Time

	// Suites and Groups in preference order. Empty means every suite or
	// group in the default order. The server picks the first of its own
	// preferences that the client offers (DESIGN.md §4 "Negotiation").
	Suites []SuiteID
	Groups []GroupID
	// KeyShares is how many of the leading Groups the client sends shares
	// for in its first hello (default 1); the server asks for another with
	// a HelloRetryRequest when needed.
	KeyShares int

	// Certificate is this side's chain, DER, leaf first.
	Certificate [][]byte
	// PrivateKey is the key of the leaf certificate.
	PrivateKey crypto.Signer

	// VerifyPeer validates the peer's chain (DER, leaf first) and returns
	// the leaf. The client checks the server with it, the server the client
	// device. It is where the PKI's validator with revocation plugs in.
	// On the client, crls are the CRLs the server stapled to its signed
	// flight (DESIGN.md §4 "Stapled CRLs"), DER, to be checked and used
	// beside the local ones; it is called only once the server's signature
	// over the flight verified under the leaf's key. On the server, crls is
	// always nil: clients staple nothing.
	VerifyPeer func(chain, crls [][]byte) (*x509.Certificate, error)

	// User, on the client, authenticates the person (an identity card or
	// another token) inside the handshake. Nil sends no user.
	User *UserCredentials
	// WebAuthn, on the client, authenticates the person with a WebAuthn
	// authenticator instead (DESIGN.md §11): it is given the handshake's
	// challenge (webauthn.go) and returns the authenticator's assertion
	// over it. Nil sends none; at most one of User and WebAuthn is set.
	WebAuthn func(challenge []byte) (*WebAuthnAssertion, error)
	// VerifyUser, on the server, validates a user chain and returns the
	// leaf. Nil refuses any user authentication by certificate.
	VerifyUser func(chain [][]byte) (*x509.Certificate, error)
	// VerifyWebAuthn, on the server, checks a WebAuthn assertion against
	// challenge (the credential, the client data's type, challenge and
	// origin, the RP ID hash, the flags, the signature, the sign counter)
	// and that the person may log in from the device whose certificate's
	// SubjectPublicKeyInfo hashes (SHA-256) to deviceSPKIHash; it returns
	// the user's id. Its error is a refusal: the server shows the peer only
	// the error's text, so that text names no identity. Nil refuses any
	// WebAuthn login.
	VerifyWebAuthn func(challenge []byte, a WebAuthnAssertion, deviceSPKIHash [32]byte) (user string, err error)
	// RequireUser makes the server refuse a handshake without a user.
	RequireUser bool
	// AdmitPeer, on the server, has the last word on the device and the
	// user together, once each verified and before the server's
	// Finished: an error refuses the handshake as a certificate refusal
	// (its text, which names no identity, may reach the peer). When set
	// it decides instead of RequireUser, a handshake without a user too,
	// so that a server can admit some devices without a user (a browser
	// device that comes to register its user, DESIGN.md §11). Nil applies
	// RequireUser.
	AdmitPeer func(peer *PeerInfo) error

	// Rekey thresholds; zero fields take the defaults.
	Rekey RekeyPolicy

	// StapledCRLs, on the server, returns the current CRLs of its own
	// chain (DER), which the server flight carries inside the signed
	// transcript (DESIGN.md §4 "Stapled CRLs"): at most MaxStapledCRLs,
	// MaxStapledCRLBytes in all. It is called once per handshake and must
	// be cheap. Nil staples none.
	StapledCRLs func() [][]byte
	// Replica, on the server, is the name of this server among replicas
	// (DESIGN.md §10), carried in ServerHello so that the client routes
	// its session requests to /v1/session/<replica>.<hex>: 1..
	// MaxReplicaName bytes of [a-z0-9-], or empty for a single server.
	Replica string
	// CookieKey, on the server, is the HMAC key of HelloRetryRequest
	// cookies (at least MinCookieKeySize random bytes; replicas behind one
	// balancer share it). Nil means the server cannot ask for a cookie.
	CookieKey []byte
}

// UserCredentials is the person's certificate chain and the token key that
// signs the transcript.
type UserCredentials struct {
	Chain  [][]byte
	Signer crypto.Signer
	// AllowPKCS1 lets an RSA token sign with PKCS#1 v1.5 (identity cards
	// whose middleware cannot do PSS, DESIGN.md §4 "Signatures").
	AllowPKCS1 bool
}

// RekeyPolicy says when an epoch's keys are retired (DESIGN.md §4 "Rekey").
type RekeyPolicy struct {
	Chunks int
	Bytes  int64
	Age    time.Duration
}

func (p RekeyPolicy) withDefaults() RekeyPolicy {
	if p.Chunks <= 0 {
		p.Chunks = DefaultRekeyChunks
	}
	if p.Bytes <= 0 {
		p.Bytes = DefaultRekeyBytes
	}
	if p.Age <= 0 {
		p.Age = DefaultRekeyAge
	}
	return p
}

func (c *Config) rand() io.Reader {
	if c.Rand != nil {
		return c.Rand
	}
	return rand.Reader
}

func (c *Config) now() time.Time { return c.clock()() }

// clock is the configured clock (Now, else time.Now), resolved once for a
// session, which reads it for every record.
func (c *Config) clock() func() time.Time {
	if c.Now != nil {
		return c.Now
	}
	return time.Now
}

func (c *Config) suites() []SuiteID {
	if len(c.Suites) > 0 {
		return c.Suites
	}
	return DefaultSuites()
}

func (c *Config) groups() []GroupID {
	if len(c.Groups) > 0 {
		return c.Groups
	}
	return DefaultGroups()
}

func (c *Config) check() error {
	if len(c.Certificate) == 0 || c.PrivateKey == nil {
		return errors.New("protocol: config has no certificate or key")
	}
	if c.VerifyPeer == nil {
		return errors.New("protocol: config has no peer verifier")
	}
	for _, s := range c.Suites {
		if suiteByID(s) == nil {
			return errors.New("protocol: config names an unknown suite")
		}
	}
	for _, g := range c.Groups {
		if groupByID(g) == nil {
			return errors.New("protocol: config names an unknown group")
		}
	}
	if c.Replica != "" {
		if err := CheckReplicaName(c.Replica); err != nil {
			return err
		}
	}
	return nil
}

// CheckReplicaName reports whether name can name a replica: 1 to
// MaxReplicaName bytes of lower-case letters, digits and '-', so that it
// is safe in a URL path and in a balancer's routing rule as it is.
func CheckReplicaName(name string) error {
	if name == "" || len(name) > MaxReplicaName {
		return fmt.Errorf("protocol: replica name of %d bytes, want 1 to %d", len(name), MaxReplicaName)
	}
	for i := 0; i < len(name); i++ {
		if c := name[i]; !(c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '-') {
			return fmt.Errorf("protocol: replica name %q: only a-z, 0-9 and '-' are allowed", name)
		}
	}
	return nil
}

// PeerInfo is what the handshake established about the peer.
type PeerInfo struct {
	// Certificate is the peer's validated leaf (device or server).
	Certificate *x509.Certificate
	// User is the validated user leaf, nil when no user authenticated
	// with a certificate.
	User *x509.Certificate
	// WebAuthnUser is the id of the user who logged in with WebAuthn, as
	// VerifyWebAuthn returned it; empty otherwise.
	WebAuthnUser string
}
