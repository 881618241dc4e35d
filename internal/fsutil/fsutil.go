// Package fsutil holds the one bounded file reader every component uses
// for the small files it trusts only so far: certificates, CRLs, keys,
// secrets, metadata. A file larger than its limit is refused before it is
// read into memory.
package fsutil

import (
	"fmt"
	"io"
	"os"
)

// ReadFileLimit reads the whole file at path, refusing one larger than
// limit bytes.
func ReadFileLimit(path string, limit int64) ([]byte, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	b, err := io.ReadAll(io.LimitReader(f, limit+1))
	if err != nil {
		return nil, fmt.Errorf("read %s: %w", path, err)
	}
	if int64(len(b)) > limit {
		clear(b) // it may be a secret
		return nil, fmt.Errorf("%s: larger than %d bytes", path, limit)
	}
	return b, nil
}
