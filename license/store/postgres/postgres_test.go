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
	return storetest.NewDB(func(ctx context.Context, version int) (license.Store, error) {
		return postgres.OpenAtVersion(ctx, url, version)
	}, "pgx", url)
}

func TestStore(t *testing.T) {
	storetest.Run(t, newDB)
}

// BenchmarkLicense: go test -run '^$' -bench . ./license/store/postgres
func BenchmarkLicense(b *testing.B) {
	storetest.Bench(b, newDB)
}

// TestStatements: sqlstore's prepared statements (storetest.CheckStatements).
func TestStatements(t *testing.T) {
	ctx := context.Background()
	url := storetest.PostgresURL(t)
	err := storetest.CheckStatements(ctx, func(c *storetest.ParseCounter) (license.Store, error) {
		return postgres.OpenCounted(ctx, url, c)
	})
	if err != nil {
		t.Fatal(err)
	}
}
