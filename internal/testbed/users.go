package testbed

import (
	"bytes"
	"context"
	"crypto/x509"
	"encoding/json"
	"encoding/pem"
	"os"
	"path/filepath"
	"strconv"
	"sync"
	"testing"
	"time"

	"securemedia/client"
	"securemedia/internal/config"
	"securemedia/internal/deploy"
	"securemedia/license"
	"securemedia/license/storetest"
	"securemedia/media"
	"securemedia/token"
	"securemedia/token/provision"
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
	// Web lets browser viewers in ([web] rp_id WebRPID, origins
	// WebOrigin; browser.go).
	Web bool
}

// UsersBed is the user and license side of a bed.
type UsersBed struct {
	CA *provision.CitizenCA
	// Card is the registered user's card and Auth the opened token.
	Card *provision.DemoCard
	Auth token.Authenticator
	// Store and Service are the license store and service the running
	// server uses (they change with Restart).
	Store   license.Store
	Service *license.Service

	o      UsersOptions
	bed    *Bed
	subCRL string // the sub-CA's CRL file, listed in [users] crls
	mu     sync.Mutex
	// revoked are the cards the sub-CA's CRL lists.
	revoked []*x509.Certificate
	cards   int
}

// newUsersBed creates the citizen CA and the registered user's card, and
// fills the [users] and [license] sections of cfg: the CA's certificates
// and CRLs as files, the license store (SQLite in the bed, or a fresh
// PostgreSQL schema) and the workspace's license-signing identity.
func newUsersBed(t testing.TB, b *Bed, o UsersOptions, cfg *config.Server) *UsersBed {
	t.Helper()
	u := &UsersBed{o: o, bed: b}
	ca, err := provision.NewCitizenCA(time.Now())
	if err != nil {
		t.Fatal(err)
	}
	u.CA = ca
	dir := filepath.Join(b.Dir, "citizen-ca")
	if err := os.MkdirAll(dir, 0o700); err != nil {
		t.Fatal(err)
	}
	rootCert, subCert := filepath.Join(dir, "root.pem"), filepath.Join(dir, "sub.pem")
	rootCRL, subCRL := filepath.Join(dir, "root.crl"), filepath.Join(dir, "sub.crl")
	writePEM(t, rootCert, ca.Root.Raw)
	writePEM(t, subCert, ca.SubCA.Raw)
	u.subCRL = subCRL
	u.writeCRLs(t, rootCRL)
	cfg.Users = config.UsersSection{TrustAnchors: []string{rootCert}, Intermediates: []string{subCert}, CRLs: []string{rootCRL, subCRL}}
	cfg.License = config.LicenseSection{SigningCertificate: b.WS.LicenseChain, SigningKey: b.WS.LicenseKey,
		Database: filepath.Join(b.Dir, "licenses.db")}
	cfg.License.Database = "sqlite:" + cfg.License.Database
	if o.Postgres {
		cfg.License.Database = storetest.PostgresURL(t)
	}
	if o.Web {
		cfg.Web = config.WebSection{RPID: WebRPID, Origins: []string{WebOrigin}}
	}
	if p := o.DefaultPolicy; p != nil {
		views := p.Views
		cfg.License.DefaultViews = &views
		if p.Period != 0 {
			cfg.License.DefaultPeriod = p.Period.String()
		}
	}
	if o.SoftHSM {
		if _, ok := provision.SoftHSMModule(); !ok {
			t.Skip("SoftHSM2 is not installed (apt-get install softhsm2); skipping the identity-card test")
		}
		t.Setenv(token.SoftHSMConfigEnv, "")
		card, err := provision.CreateDemoCard(filepath.Join(b.Dir, "softhsm"), provision.DemoCardOptions{
			KeyType: "p256", CA: ca, SerialNumber: "BI100000001", HolderName: "Maria Demo", PIN: []byte("246810")})
		if err != nil {
			t.Fatal(err)
		}
		u.Card = card
	} else {
		u.Card = u.NewCard(t, provision.DemoCardOptions{SerialNumber: "BI100000001", HolderName: "Maria Demo"})
	}
	auth, err := u.Card.Open()
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { auth.Close() })
	u.Auth = auth
	return u
}

// attach takes the license store and service of the assembled server
// (the first time, it registers the bed's user, as `user add` does).
func (u *UsersBed) attach(t testing.TB, d *deploy.Server) {
	t.Helper()
	first := u.Store == nil
	u.Store, u.Service = d.LicenseStore, d.Config.Licenses
	if first {
		u.Register(t, u.Card)
	}
}

func writePEM(t testing.TB, path string, der []byte) {
	t.Helper()
	if err := os.WriteFile(path, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der}), 0o600); err != nil {
		t.Fatal(err)
	}
}

// writeCRLs writes the citizen CA's current CRLs: the root's (when
// rootPath is set) and the sub-CA's, which lists the revoked cards.
func (u *UsersBed) writeCRLs(t testing.TB, rootPath string) {
	t.Helper()
	now := time.Now()
	if rootPath != "" {
		root, err := u.CA.RootCRL(nil, now.Add(-time.Minute), now.Add(24*time.Hour))
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(rootPath, root, 0o600); err != nil {
			t.Fatal(err)
		}
	}
	u.mu.Lock()
	revoked := append([]*x509.Certificate(nil), u.revoked...)
	u.mu.Unlock()
	sub, err := u.CA.SubCACRL(revoked, now.Add(-time.Minute), now.Add(24*time.Hour))
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(u.subCRL, sub, 0o600); err != nil {
		t.Fatal(err)
	}
}

// NewCard issues a software card (P-256 unless o says otherwise) from the
// bed's citizen CA; it is not registered.
func (u *UsersBed) NewCard(t testing.TB, o provision.DemoCardOptions) *provision.DemoCard {
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
	card, err := provision.CreateSoftwareCard(dir, o)
	if err != nil {
		t.Fatal(err)
	}
	return card
}

// Register registers card's holder in the license store, as `user add`
// does.
func (u *UsersBed) Register(t testing.TB, card *provision.DemoCard) {
	t.Helper()
	if err := u.register(card); err != nil {
		t.Fatal(err)
	}
}

func (u *UsersBed) register(card *provision.DemoCard) error {
	user, err := deploy.UserFromCertificate(card.UserCert, "", time.Now())
	if err != nil {
		return err
	}
	return u.Store.AddUser(context.Background(), user)
}

// Revoke publishes a sub-CA CRL that revokes cert and has the server
// reload its CRLs.
func (u *UsersBed) Revoke(t testing.TB, cert *x509.Certificate) {
	t.Helper()
	u.mu.Lock()
	u.revoked = append(u.revoked, cert)
	u.mu.Unlock()
	time.Sleep(time.Millisecond) // the CRL number is the issue time in ns: it must grow
	u.writeCRLs(t, "")
	u.bed.ReloadCRLs(t)
}

// ClientConfig is the bed's client configuration logging in with auth.
func (u *UsersBed) ClientConfig(t testing.TB, auth token.Authenticator) client.Config {
	t.Helper()
	cfg := u.bed.ClientConfig(t)
	cfg.Protocol.User = client.UserCredentials(auth)
	return cfg
}

// OpenCard opens a software card's token.
func (u *UsersBed) OpenCard(t testing.TB, card *provision.DemoCard) token.Authenticator {
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
	if err := b.Deploy.Close(); err != nil {
		t.Fatal(err)
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
