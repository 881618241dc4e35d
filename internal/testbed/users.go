package testbed

import (
	"bytes"
	"context"
	"crypto"
	"crypto/rand"
	"crypto/sha256"
	"crypto/x509"
	"encoding/json"
	"os"
	"path/filepath"
	"strconv"
	"sync"
	"testing"
	"time"

	"securemedia/client"
	"securemedia/internal/setup"
	"securemedia/license"
	"securemedia/license/store"
	"securemedia/license/storetest"
	"securemedia/media"
	"securemedia/pki"
	"securemedia/server"
	"securemedia/token"
)

// UsersOptions enable identity-card login and licenses in a bed: a
// throwaway citizen CA, a registered user with a card, the [users] trust
// on the server, a license store and the license service signing with the
// workspace's license-signing key.
type UsersOptions struct {
	// Postgres puts the license store in a fresh PostgreSQL schema (the
	// test is skipped when no server answers); otherwise SQLite in the
	// bed's data directory.
	Postgres bool
	// SoftHSM makes the registered user's card a SoftHSM2 demo card (the
	// test is skipped when SoftHSM2 is not installed); otherwise a software
	// card.
	SoftHSM bool
	// Now is the license clock, also the server's (nil = time.Now).
	Now func() time.Time
	// DefaultPolicy for media without one (nil = license.DefaultPolicy).
	DefaultPolicy *license.Policy
}

// UsersBed is the user and license side of a bed.
type UsersBed struct {
	CA *token.CitizenCA
	// Card is the registered user's card and Auth the opened token.
	Card *token.DemoCard
	Auth token.Authenticator
	// Store and Service are the license store and service the server uses.
	Store   license.Store
	Service *license.Service

	o           UsersOptions
	bed         *Bed
	database    string
	validator   *pki.Validator
	signerKey   crypto.Signer
	signerChain [][]byte
	mu          sync.Mutex
	revoked     []*x509.Certificate
	cards       int
}

func newUsersBed(t testing.TB, b *Bed, o UsersOptions) *UsersBed {
	t.Helper()
	u := &UsersBed{o: o, bed: b}
	if o.Postgres {
		u.database = storetest.PostgresURL(t)
	}
	ca, err := token.NewCitizenCA(time.Now())
	if err != nil {
		t.Fatal(err)
	}
	u.CA = ca
	u.validator, err = pki.NewValidator(pki.ValidatorOptions{Roots: []*x509.Certificate{ca.Root},
		Intermediates: []*x509.Certificate{ca.SubCA}, CRLs: u.crls(t), CheckRevocation: true})
	if err != nil {
		t.Fatal(err)
	}
	u.openStore(t)
	if o.SoftHSM {
		if _, ok := token.SoftHSMModule(); !ok {
			t.Skip("SoftHSM2 is not installed (apt-get install softhsm2); skipping the identity-card test")
		}
		t.Setenv(token.SoftHSMConfigEnv, "")
		card, err := token.CreateDemoCard(filepath.Join(b.Dir, "softhsm"), token.DemoCardOptions{
			KeyType: "p256", CA: ca, SerialNumber: "BI100000001", HolderName: "Maria Demo", PIN: []byte("246810")})
		if err != nil {
			t.Fatal(err)
		}
		u.Card = card
	} else {
		u.Card = u.NewCard(t, token.DemoCardOptions{SerialNumber: "BI100000001", HolderName: "Maria Demo"})
	}
	u.Register(t, u.Card)
	auth, err := u.Card.Open()
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { auth.Close() })
	u.Auth = auth
	return u
}

// openStore opens the license store and builds the service on it.
func (u *UsersBed) openStore(t testing.TB) {
	t.Helper()
	s, err := store.Open(context.Background(), u.database, u.bed.Dir)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	chain, key, err := setup.LoadIdentity(u.bed.WS.LicenseChain, u.bed.WS.LicenseKey, nil)
	if err != nil {
		t.Fatal(err)
	}
	grants, err := license.NewGrants(rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	u.Store = s
	u.Service = license.NewService(s, key, chain, grants, u.o.Now)
	u.signerKey, u.signerChain = key, chain
}

// configure adds users and licenses to a server config.
func (u *UsersBed) configure(cfg *server.Config) {
	cfg.Protocol.VerifyUser = server.NewUserVerifier(u.validator, u.Store, cfg.Logger)
	cfg.Protocol.RequireUser = true
	cfg.Licenses, cfg.LicenseStore = u.Service, u.Store
	cfg.LicenseSigner, cfg.LicenseChain = u.signerKey, u.signerChain
	cfg.DefaultPolicy = u.o.DefaultPolicy
	if u.o.Now != nil {
		cfg.Now = u.o.Now // the remaining time a play reports follows the license clock
	}
}

// crls are the citizen CA's current CRLs (root's and sub-CA's), the
// sub-CA's listing the revoked cards.
func (u *UsersBed) crls(t testing.TB) [][]byte {
	t.Helper()
	now := time.Now()
	root, err := u.CA.RootCRL(nil, now.Add(-time.Minute), now.Add(24*time.Hour))
	if err != nil {
		t.Fatal(err)
	}
	u.mu.Lock()
	revoked := append([]*x509.Certificate(nil), u.revoked...)
	u.mu.Unlock()
	sub, err := u.CA.SubCACRL(revoked, now.Add(-time.Minute), now.Add(24*time.Hour))
	if err != nil {
		t.Fatal(err)
	}
	return [][]byte{root, sub}
}

// NewCard issues a software card (P-256 unless o says otherwise) from the
// bed's citizen CA; it is not registered.
func (u *UsersBed) NewCard(t testing.TB, o token.DemoCardOptions) *token.DemoCard {
	t.Helper()
	u.mu.Lock()
	u.cards++
	dir := filepath.Join(u.bed.Dir, "cards", strconv.Itoa(u.cards))
	u.mu.Unlock()
	if err := os.MkdirAll(dir, 0o700); err != nil {
		t.Fatal(err)
	}
	o.CA = u.CA
	if o.KeyType == "" {
		o.KeyType = "p256"
	}
	card, err := token.CreateSoftwareCard(dir, o)
	if err != nil {
		t.Fatal(err)
	}
	return card
}

// Register registers card's holder in the license store, as `user add`
// does.
func (u *UsersBed) Register(t testing.TB, card *token.DemoCard) {
	t.Helper()
	err := u.Store.AddUser(context.Background(), license.User{ID: card.SerialNumber, Name: card.UserCert.Subject.CommonName,
		CertSHA256: sha256.Sum256(card.UserCert.Raw), Added: time.Now()})
	if err != nil {
		t.Fatal(err)
	}
}

// Revoke publishes a sub-CA CRL that revokes cert and hands it to the
// server's user validator (as a CRL reload does).
func (u *UsersBed) Revoke(t testing.TB, cert *x509.Certificate) {
	t.Helper()
	u.mu.Lock()
	u.revoked = append(u.revoked, cert)
	u.mu.Unlock()
	time.Sleep(time.Millisecond) // the CRL number is the issue time in ns: it must grow
	if err := u.validator.SetCRLs(u.crls(t)); err != nil {
		t.Fatal(err)
	}
}

// ClientConfig is the bed's client configuration logging in with auth.
func (u *UsersBed) ClientConfig(t testing.TB, auth token.Authenticator) client.Config {
	t.Helper()
	cfg := u.bed.ClientConfig(t)
	cfg.Protocol.User = client.UserCredentials(auth)
	return cfg
}

// OpenCard opens a software card's token.
func (u *UsersBed) OpenCard(t testing.TB, card *token.DemoCard) token.Authenticator {
	t.Helper()
	a, err := card.Open()
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { a.Close() })
	return a
}

// Restart stops the server, closes the license store, opens it again on
// the same database and starts a new server (new URL, new grant key, no
// sessions): what a server restart keeps is what the store kept.
func (b *Bed) Restart(t testing.TB) {
	t.Helper()
	b.HTTP.Close()
	if b.Users != nil {
		if err := b.Users.Store.Close(); err != nil {
			t.Fatal(err)
		}
		b.Users.openStore(t)
	}
	b.start(t)
}

// AddMediaWithPolicy adds data under title with a license policy, as
// `media add --views N --period D` does.
func (b *Bed) AddMediaWithPolicy(t testing.TB, title string, data []byte, p license.Policy) string {
	t.Helper()
	raw, err := json.Marshal(p)
	if err != nil {
		t.Fatal(err)
	}
	info, err := b.Store.Add(bytes.NewReader(data), media.AddOptions{Title: title, ContentType: "audio/wav",
		ChunkSize: b.chunkSize, Policy: raw})
	if err != nil {
		t.Fatal(err)
	}
	return info.ID.String()
}
