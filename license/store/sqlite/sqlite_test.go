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
