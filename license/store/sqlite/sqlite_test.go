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
	return storetest.NewDB(func(ctx context.Context) (license.Store, error) {
		return sqlite.Open(ctx, path)
	}, "sqlite", path)
}

func TestStore(t *testing.T) {
	storetest.Run(t, newDB)
}

func BenchmarkPlayAuthorization(b *testing.B) {
	storetest.BenchPlayAuthorization(b, newDB(b).Open(b))
}
