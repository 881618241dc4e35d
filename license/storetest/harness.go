// Package storetest is the one test suite that every license.Store must
// pass (license/store/sqlite and license/store/postgres run it), plus the
// helpers those tests share: fresh databases, a license-signing key, an
// injectable clock and the play benchmark.
package storetest

import (
	"context"
	"crypto"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509"
	"crypto/x509/pkix"
	"database/sql"
	"encoding/hex"
	"errors"
	"math/big"
	"net/url"
	"os"
	"path/filepath"
	"sync"
	"testing"
	"time"

	_ "github.com/jackc/pgx/v5/stdlib" // database/sql driver "pgx" for Exec
	_ "modernc.org/sqlite"             // database/sql driver "sqlite" for Exec

	"securemedia/license"
)

// DB is one fresh database for a test.
type DB struct {
	// Open opens a new Store on the database; each call is a separate
	// instance (as another server process or replica would be). The store
	// is closed at the end of the test.
	Open func(t testing.TB) license.Store
	// OpenSchema opens a store on the database migrated only to an older
	// schema version, as an older release left it; only the operations of
	// that schema's tables work on it. Open then migrates the rest.
	OpenSchema func(t testing.TB, version int) license.Store
	// Exec runs a statement directly on the database, bypassing the store
	// (to tamper with rows).
	Exec func(t testing.TB, query string)
}

// PostgresEnv names the environment variable that overrides the URL of the
// PostgreSQL server the tests use.
const PostgresEnv = "SECUREMEDIA_TEST_POSTGRES"

// defaultPostgres is the machine's PostgreSQL (trust auth, database test).
const defaultPostgres = "postgres://postgres@127.0.0.1:5432/test?sslmode=disable&connect_timeout=3"

// SQLitePath returns the path of a fresh SQLite database file.
func SQLitePath(t testing.TB) string {
	return filepath.Join(t.TempDir(), "licenses.db")
}

// PostgresURL creates a fresh schema on the test PostgreSQL server and
// returns a URL whose search_path points at it; the schema is dropped when
// the test ends. The test is skipped, saying so, when no server answers.
func PostgresURL(t testing.TB) string {
	t.Helper()
	base := os.Getenv(PostgresEnv)
	if base == "" {
		base = defaultPostgres
	}
	admin, err := sql.Open("pgx", base)
	if err != nil {
		t.Fatalf("postgres url from %s: %v", PostgresEnv, err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if err := admin.PingContext(ctx); err != nil {
		admin.Close()
		t.Skipf("skipping: no PostgreSQL server reachable (%v); set %s to a postgres:// URL to run these tests", err, PostgresEnv)
	}
	var rnd [8]byte
	rand.Read(rnd[:])
	schema := "lic_" + hex.EncodeToString(rnd[:])
	if _, err := admin.ExecContext(ctx, "CREATE SCHEMA "+schema); err != nil {
		admin.Close()
		t.Fatalf("create schema: %v", err)
	}
	t.Cleanup(func() {
		if _, err := admin.Exec("DROP SCHEMA " + schema + " CASCADE"); err != nil {
			t.Errorf("drop schema %s: %v", schema, err)
		}
		admin.Close()
	})
	u, err := url.Parse(base)
	if err != nil {
		t.Fatalf("postgres url: %v", err)
	}
	q := u.Query()
	q.Set("search_path", schema)
	u.RawQuery = q.Encode()
	return u.String()
}

// NewDB builds a DB from an opener (migrating to a schema version, 0 for
// the latest) and a database/sql driver name and DSN for direct
// statements.
func NewDB(open func(ctx context.Context, version int) (license.Store, error), driver, dsn string) DB {
	openAt := func(t testing.TB, version int) license.Store {
		t.Helper()
		s, err := open(context.Background(), version)
		if err != nil {
			t.Fatalf("open store: %v", err)
		}
		t.Cleanup(func() { s.Close() })
		return s
	}
	return DB{
		Open:       func(t testing.TB) license.Store { t.Helper(); return openAt(t, 0) },
		OpenSchema: openAt,
		Exec: func(t testing.TB, query string) {
			t.Helper()
			db, err := sql.Open(driver, dsn)
			if err != nil {
				t.Fatalf("open %s: %v", driver, err)
			}
			defer db.Close()
			if _, err := db.Exec(query); err != nil {
				t.Fatalf("exec %q: %v", query, err)
			}
		},
	}
}

// NewSigner returns a fresh ECDSA P-256 license-signing key and its
// self-signed certificate as a one-element chain.
func NewSigner(t testing.TB) (crypto.Signer, [][]byte) {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{
		SerialNumber: big.NewInt(1),
		Subject:      pkix.Name{CommonName: "test license signing"},
		NotBefore:    time.Now().Add(-time.Hour),
		NotAfter:     time.Now().Add(time.Hour),
		KeyUsage:     x509.KeyUsageDigitalSignature,
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, key.Public(), key)
	if err != nil {
		t.Fatal(err)
	}
	return key, [][]byte{der}
}

// TrustLeaf is a token chain verifier for tests that trust the signer:
// it returns the chain's parsed leaf (the signature is still checked).
func TrustLeaf(chain [][]byte) (*x509.Certificate, error) {
	if len(chain) == 0 {
		return nil, errors.New("empty chain")
	}
	return x509.ParseCertificate(chain[0])
}

// Clock is a settable clock for tests.
type Clock struct {
	mu  sync.Mutex
	now time.Time
}

// NewClock returns a clock stopped at a fixed instant.
func NewClock() *Clock {
	return &Clock{now: time.Date(2030, 1, 2, 3, 4, 5, 0, time.UTC)}
}

// Now returns the clock's time.
func (c *Clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

// Advance moves the clock forward.
func (c *Clock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = c.now.Add(d)
}
