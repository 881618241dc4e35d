package postgres_test

import (
	"context"
	"testing"

	"securemedia/license"
	"securemedia/license/store/postgres"
	"securemedia/license/storetest"
)

func newDB(t testing.TB) storetest.DB {
	url := storetest.PostgresURL(t)
	return storetest.NewDB(func(ctx context.Context) (license.Store, error) {
		return postgres.Open(ctx, url)
	}, "pgx", url)
}

func TestStore(t *testing.T) {
	storetest.Run(t, newDB)
}

func BenchmarkPlayAuthorization(b *testing.B) {
	storetest.BenchPlayAuthorization(b, newDB(b).Open(b))
}
