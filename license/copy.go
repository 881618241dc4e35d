package license

import (
	"context"
	"errors"
	"fmt"
)

// Copying a whole store to another, of either backend (`license migrate`):
// the source hands out every row of every table from one snapshot (Dump),
// the target takes them in one transaction (Load), and CopyStore checks
// the result by reading it back. Rows travel as they are stored, the audit
// events with their sequence numbers and hashes and the chain head with
// them, so the copy's audit log verifies to the same head.

// PutRow receives one row of a table: its column names and their values
// (nil, int64, float64, bool, string or []byte), which the callee may keep.
type PutRow func(table string, columns []string, values []any) error

// TableSummary is one table of a store's content.
type TableSummary struct {
	Table string
	Rows  int64
	// Digest is SHA-256 over the table's column names and every row in
	// key order, each value tagged with its type: two tables with the same
	// digest hold the same rows.
	Digest [32]byte
}

// Copier is a Store whose whole content can be copied into another:
// license/store/sqlite and license/store/postgres implement it.
type Copier interface {
	Store
	// Dump reads every table of the store in one snapshot (writers go on
	// meanwhile; the snapshot holds what was committed before it began),
	// handing each row to put (nil: summarize only), table by table, rows
	// in key order. It returns the summary of every table.
	Dump(ctx context.Context, put PutRow) ([]TableSummary, error)
	// Load fills the store, which must hold nothing yet
	// (*NotEmptyError), with the rows that fill hands to the PutRow it is
	// given, in one transaction: nothing is written unless all of it is.
	// It returns the summary of every table as written.
	Load(ctx context.Context, fill func(put PutRow) error) ([]TableSummary, error)
}

// ErrNotEmpty is matched by a *NotEmptyError.
var ErrNotEmpty = errors.New("license: the target store is not empty")

// NotEmptyError refuses to load into a store that holds rows already: a
// copy never merges into, nor replaces, another store's content.
type NotEmptyError struct {
	Table string
	Rows  int64
}

func (e *NotEmptyError) Error() string {
	return fmt.Sprintf("license: the target store is not empty: its %s table holds %d rows", e.Table, e.Rows)
}

// Is makes errors.Is(err, ErrNotEmpty) match.
func (e *NotEmptyError) Is(target error) bool { return target == ErrNotEmpty }

// CopyError is a copy that does not read back as the snapshot it was made
// from.
type CopyError struct {
	Table  string
	Reason string
}

func (e *CopyError) Error() string {
	return "license: copy of table " + e.Table + " does not match its source: " + e.Reason
}

// CopyReport is what CopyStore copied and verified.
type CopyReport struct {
	// Tables summarizes every table, as read back from the target.
	Tables []TableSummary
	// Events and Head are the target's audit log as VerifyStore found
	// it: the source's at the snapshot.
	Events int64
	Head   [32]byte
}

// CopyStore copies the whole content of src into dst, which must be empty
// (*NotEmptyError), and verifies the copy: dst read back holds the same
// rows as the snapshot of src (every table's digest) and its audit log
// verifies (VerifyStore). src is only read, and may be in use meanwhile;
// what is written to it after the snapshot is not in the copy.
func CopyStore(ctx context.Context, src, dst Store) (CopyReport, error) {
	from, ok := src.(Copier)
	if !ok {
		return CopyReport{}, fmt.Errorf("license: copy: the source store (%T) cannot be dumped", src)
	}
	to, ok := dst.(Copier)
	if !ok {
		return CopyReport{}, fmt.Errorf("license: copy: the target store (%T) cannot be loaded", dst)
	}
	var dumped []TableSummary
	loaded, err := to.Load(ctx, func(put PutRow) error {
		var err error
		dumped, err = from.Dump(ctx, put)
		return err
	})
	if err != nil {
		return CopyReport{}, err
	}
	if err := sameTables(dumped, loaded); err != nil {
		return CopyReport{}, err
	}
	// Read the target back: what it holds, not what it was given.
	back, err := to.Dump(ctx, nil)
	if err != nil {
		return CopyReport{}, fmt.Errorf("license: copy: read the target back: %w", err)
	}
	if err := sameTables(dumped, back); err != nil {
		return CopyReport{}, err
	}
	n, head, err := VerifyStore(ctx, dst)
	if err != nil {
		return CopyReport{}, fmt.Errorf("license: copy: the target's audit log: %w", err)
	}
	return CopyReport{Tables: back, Events: n, Head: head}, nil
}

// sameTables compares the summaries of a source and of its copy.
func sameTables(src, dst []TableSummary) error {
	byName := make(map[string]TableSummary, len(dst))
	for _, t := range dst {
		byName[t.Table] = t
	}
	for _, s := range src {
		d, ok := byName[s.Table]
		switch {
		case !ok:
			return &CopyError{Table: s.Table, Reason: "missing from the target"}
		case d.Rows != s.Rows:
			return &CopyError{Table: s.Table, Reason: fmt.Sprintf("%d rows, the source %d", d.Rows, s.Rows)}
		case d.Digest != s.Digest:
			return &CopyError{Table: s.Table, Reason: "the rows differ"}
		}
		delete(byName, s.Table)
	}
	for name := range byName {
		return &CopyError{Table: name, Reason: "not in the source"}
	}
	return nil
}
