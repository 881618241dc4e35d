package protocol

import (
	"crypto"
	"crypto/rand"
	"crypto/x509"
	"errors"
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
	VerifyPeer func(chain [][]byte) (*x509.Certificate, error)

	// User, on the client, authenticates the person (an identity card or
	// another token) inside the handshake. Nil sends no user.
	User *UserCredentials
	// VerifyUser, on the server, validates a user chain and returns the
	// leaf. Nil refuses any user authentication.
	VerifyUser func(chain [][]byte) (*x509.Certificate, error)
	// RequireUser makes the server refuse a handshake without a user.
	RequireUser bool

	// Rekey thresholds; zero fields take the defaults.
	Rekey RekeyPolicy
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
	return nil
}

// PeerInfo is what the handshake established about the peer.
type PeerInfo struct {
	// Certificate is the peer's validated leaf (device or server).
	Certificate *x509.Certificate
	// User is the validated user leaf, nil when no user authenticated.
	User *x509.Certificate
}
