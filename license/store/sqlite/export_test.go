package sqlite

import (
	"context"

	"securemedia/license"
)

// OpenAtVersion opens the database at path migrated only to an older
// schema version, as an older release left it (the migration tests).
func OpenAtVersion(ctx context.Context, path string, version int) (license.Store, error) {
	s, err := open(ctx, path, version)
	if err != nil {
		return nil, err
	}
	return s, nil
}
