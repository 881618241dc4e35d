package postgres

import (
	"context"

	"securemedia/license"
	"securemedia/license/storetest"
)

// OpenAtVersion opens the database at url migrated only to an older
// schema version, as an older release left it (the migration tests).
func OpenAtVersion(ctx context.Context, url string, version int) (license.Store, error) {
	return asStore(open(ctx, url, version, nil))
}

// OpenCounted opens the database at url with its connections counting
// the statements they parse into c.
func OpenCounted(ctx context.Context, url string, c *storetest.ParseCounter) (license.Store, error) {
	return asStore(open(ctx, url, 0, c.Wrap))
}

// asStore returns what open returned as a license.Store: nil on an error,
// not a nil *Store inside the interface.
func asStore(s *Store, err error) (license.Store, error) {
	if err != nil {
		return nil, err
	}
	return s, nil
}
