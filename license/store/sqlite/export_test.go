package sqlite

import (
	"context"

	"securemedia/license"
	"securemedia/license/storetest"
)

// OpenAtVersion opens the database at path migrated only to an older
// schema version, as an older release left it (the migration tests).
func OpenAtVersion(ctx context.Context, path string, version int) (license.Store, error) {
	return asStore(open(ctx, path, version, nil))
}

// OpenCounted opens the database at path with its connections counting
// the statements they parse into c.
func OpenCounted(ctx context.Context, path string, c *storetest.ParseCounter) (license.Store, error) {
	return asStore(open(ctx, path, 0, c.Wrap))
}

// asStore returns what open returned as a license.Store: nil on an error,
// not a nil *Store inside the interface.
func asStore(s *Store, err error) (license.Store, error) {
	if err != nil {
		return nil, err
	}
	return s, nil
}
