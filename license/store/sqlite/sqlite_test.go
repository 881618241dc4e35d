package sqlite_test

import (
	"context"
	"testing"

	"securemedia/license"
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

// TestStatements: sqlstore's prepared statements (storetest.CheckStatements).
func TestStatements(t *testing.T) {
	ctx := context.Background()
	path := storetest.SQLitePath(t)
	err := storetest.CheckStatements(ctx, func(c *storetest.ParseCounter) (license.Store, error) {
		return sqlite.OpenCounted(ctx, path, c)
	})
	if err != nil {
		t.Fatal(err)
	}
}
