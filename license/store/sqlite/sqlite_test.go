package sqlite_test

import (
	"context"
	"testing"

	"securemedia/license"
	"securemedia/license/internal/sqlstore"
	"securemedia/license/store/sqlite"
	"securemedia/license/storetest"
)

func newDB(t testing.TB) storetest.DB {
	path := storetest.SQLitePath(t)
	return storetest.NewDB(func(ctx context.Context, version int) (license.Store, error) {
		return sqlite.OpenAtVersion(ctx, path, version)
	}, "sqlite", path)
}

func TestStore(t *testing.T) {
	storetest.Run(t, newDB)
}

// BenchmarkLicense: go test -run '^$' -bench . ./license/store/sqlite
func BenchmarkLicense(b *testing.B) {
	storetest.Bench(b, newDB)
}

// TestStatements: sqlstore's prepared statements (sqlstore.CheckStatements).
func TestStatements(t *testing.T) {
	ctx := context.Background()
	path := storetest.SQLitePath(t)
	err := sqlstore.CheckStatements(ctx, func(c *sqlstore.ParseCounter) (license.Store, error) {
		return sqlite.OpenCounted(ctx, path, c)
	})
	if err != nil {
		t.Fatal(err)
	}
}
