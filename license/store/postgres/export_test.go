package postgres

import (
	"context"

	"securemedia/license"
)

// OpenAtVersion opens the database at url migrated only to an older schema
// version, as an older release left it (the migration tests).
func OpenAtVersion(ctx context.Context, url string, version int) (license.Store, error) {
	s, err := open(ctx, url, version)
	if err != nil {
		return nil, err
	}
	return s, nil
}
