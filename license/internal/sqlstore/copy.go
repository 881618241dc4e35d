package sqlstore

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/binary"
	"fmt"
	"hash"
	"math"
	"slices"

	"securemedia/license"
)

var _ license.Copier = (*Store)(nil)

// Dump reads every table of tables() in one read-only snapshot and hands
// each row to put (nil: summarize only), table by table, rows in key
// order. A database holding a table that tables() does not list is
// refused: copying it would leave rows behind.
func (s *Store) Dump(ctx context.Context, put license.PutRow) ([]license.TableSummary, error) {
	tx, err := s.db.BeginTx(ctx, &sql.TxOptions{ReadOnly: true, Isolation: s.d.Snapshot})
	if err != nil {
		return nil, s.wrap("dump: begin", err)
	}
	defer tx.Rollback()
	if err := s.checkTables(ctx, tx); err != nil {
		return nil, s.wrap("dump", err)
	}
	out := make([]license.TableSummary, 0, len(tables()))
	for _, t := range tables() {
		sum, err := dumpTable(ctx, tx, s.d, t, put)
		if err != nil {
			return nil, s.wrap("dump "+t.name, err)
		}
		out = append(out, sum)
	}
	return out, nil
}

// dumpTable reads the rows of t in key order.
func dumpTable(ctx context.Context, tx *sql.Tx, d Dialect, t table, put license.PutRow) (license.TableSummary, error) {
	rows, err := tx.QueryContext(ctx, `SELECT * FROM `+t.name+` ORDER BY `+t.orderBy(d))
	if err != nil {
		return license.TableSummary{}, err
	}
	defer rows.Close()
	cols, err := rows.Columns()
	if err != nil {
		return license.TableSummary{}, err
	}
	digest := newTableDigest(t.name, cols)
	for rows.Next() {
		vals := make([]any, len(cols))
		ptrs := make([]any, len(cols))
		for i := range vals {
			ptrs[i] = &vals[i]
		}
		// Scanning into *any copies a []byte the driver lends.
		if err := rows.Scan(ptrs...); err != nil {
			return license.TableSummary{}, err
		}
		if err := digest.add(vals); err != nil {
			return license.TableSummary{}, err
		}
		if put != nil {
			if err := put(t.name, cols, vals); err != nil {
				return license.TableSummary{}, err
			}
		}
	}
	if err := rows.Err(); err != nil {
		return license.TableSummary{}, err
	}
	return digest.summary(), nil
}

// orderBy is the ORDER BY of a dump of t: its key, text in byte order on
// every backend (a locale's collation would order a dump of PostgreSQL
// unlike one of SQLite).
func (t table) orderBy(d Dialect) string {
	if t.kind == keyText {
		return t.key + d.BinaryCollation
	}
	return t.key
}

// checkTables compares the tables of the database with tables(): each
// must be there, and nothing else but the schema version.
func (s *Store) checkTables(ctx context.Context, tx *sql.Tx) error {
	rows, err := tx.QueryContext(ctx, s.d.ListTables)
	if err != nil {
		return fmt.Errorf("list tables: %w", err)
	}
	defer rows.Close()
	present := map[string]bool{}
	for rows.Next() {
		var name string
		if err := rows.Scan(&name); err != nil {
			return fmt.Errorf("list tables: %w", err)
		}
		present[name] = true
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("list tables: %w", err)
	}
	delete(present, versionTable)
	for _, t := range tables() {
		if !present[t.name] {
			return fmt.Errorf("the database has no %s table (an older schema?)", t.name)
		}
		delete(present, t.name)
	}
	if len(present) > 0 {
		extra := make([]string, 0, len(present))
		for name := range present {
			extra = append(extra, name)
		}
		slices.Sort(extra)
		return fmt.Errorf("the database holds tables this program does not copy: %v", extra)
	}
	return nil
}

// Load fills the store, which must hold no row, with the rows that fill
// puts, in one transaction under the chain-head lock (no writer of the
// target slips in between the emptiness check and the copy). The rows of
// a seeded table (the chain head) replace those the schema made. Rows of a
// table come in key order and tables one after the other, as Dump hands
// them out.
func (s *Store) Load(ctx context.Context, fill func(put license.PutRow) error) ([]license.TableSummary, error) {
	var out []license.TableSummary
	err := s.write(ctx, func(ctx context.Context, w *writeTx) error {
		if err := s.checkTables(ctx, w.tx); err != nil {
			return err
		}
		for _, t := range tables() {
			if t.seeded {
				if _, err := w.tx.ExecContext(ctx, `DELETE FROM `+t.name); err != nil {
					return fmt.Errorf("clear %s: %w", t.name, err)
				}
				continue
			}
			var n int64
			if err := w.tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM `+t.name).Scan(&n); err != nil {
				return fmt.Errorf("count %s: %w", t.name, err)
			}
			if n > 0 {
				return &license.NotEmptyError{Table: t.name, Rows: n}
			}
		}
		l := &loader{ctx: ctx, w: w, digests: map[string]*tableDigest{}}
		defer l.close()
		if err := fill(l.put); err != nil {
			return err
		}
		var err error
		out, err = l.summaries()
		return err
	})
	if err != nil {
		return nil, s.wrap("load", err)
	}
	return out, nil
}

// isIdentifier reports whether a column name copied between databases
// looks like one of the schema's (lower-case letters, digits and '_',
// not too long): it is spliced into a statement.
func isIdentifier(s string) bool {
	if s == "" || len(s) > 63 || s[0] >= '0' && s[0] <= '9' {
		return false
	}
	for _, r := range s {
		if (r < 'a' || r > 'z') && (r < '0' || r > '9') && r != '_' {
			return false
		}
	}
	return true
}

// loader inserts the rows of a Load, one prepared statement per table.
type loader struct {
	ctx     context.Context
	w       *writeTx
	digests map[string]*tableDigest
	table   string
	columns []string
	stmt    *sql.Stmt
}

// put inserts one row.
func (l *loader) put(name string, cols []string, vals []any) error {
	if len(cols) != len(vals) || len(cols) == 0 {
		return fmt.Errorf("load %s: %d columns, %d values", name, len(cols), len(vals))
	}
	if name != l.table || !slices.Equal(cols, l.columns) {
		if err := l.prepare(name, cols); err != nil {
			return err
		}
	}
	if err := l.digests[name].add(vals); err != nil {
		return fmt.Errorf("load %s: %w", name, err)
	}
	if _, err := l.stmt.ExecContext(l.ctx, vals...); err != nil {
		return fmt.Errorf("load %s: %w", name, err)
	}
	return nil
}

// prepare moves the loader to the next table.
func (l *loader) prepare(name string, cols []string) error {
	if !slices.ContainsFunc(tables(), func(t table) bool { return t.name == name }) {
		return fmt.Errorf("load: %q is not a table of the store", name)
	}
	if name != l.table && l.digests[name] != nil {
		return fmt.Errorf("load %s: its rows come in two runs", name)
	}
	for _, c := range cols {
		if !isIdentifier(c) {
			return fmt.Errorf("load %s: column name %q", name, c)
		}
	}
	l.close()
	marks := make([]byte, 0, 2*len(cols))
	for i := range cols {
		if i > 0 {
			marks = append(marks, ',')
		}
		marks = append(marks, '?')
	}
	stmt, err := l.w.prepareHere(l.ctx, `INSERT INTO `+name+` (`+joinColumns(cols)+`) VALUES (`+string(marks)+`)`)
	if err != nil {
		return fmt.Errorf("load %s: %w", name, err)
	}
	if l.digests[name] == nil {
		l.digests[name] = newTableDigest(name, cols)
	}
	l.table, l.columns, l.stmt = name, slices.Clone(cols), stmt
	return nil
}

func (l *loader) close() {
	if l.stmt != nil {
		l.stmt.Close()
		l.stmt = nil
	}
}

// summaries returns what was loaded, every table of tables() in order
// (an empty one for a table that received no row).
func (l *loader) summaries() ([]license.TableSummary, error) {
	out := make([]license.TableSummary, 0, len(tables()))
	for _, t := range tables() {
		d := l.digests[t.name]
		if d == nil {
			// No row: the digest of an empty table needs its columns.
			cols, err := l.columnsOf(t.name)
			if err != nil {
				return nil, err
			}
			d = newTableDigest(t.name, cols)
		}
		out = append(out, d.summary())
	}
	return out, nil
}

// columnsOf returns the column names of a table, as SELECT * has them.
func (l *loader) columnsOf(name string) ([]string, error) {
	rows, err := l.w.tx.QueryContext(l.ctx, `SELECT * FROM `+name+` WHERE 1 = 0`)
	if err != nil {
		return nil, fmt.Errorf("columns of %s: %w", name, err)
	}
	defer rows.Close()
	return rows.Columns()
}

func joinColumns(cols []string) string {
	var b []byte
	for i, c := range cols {
		if i > 0 {
			b = append(b, ", "...)
		}
		b = append(b, c...)
	}
	return string(b)
}

// Value tags of the table digest: a value's type is part of what is
// compared, so a column read back as text where the source had bytes
// shows.
const (
	tagNull byte = iota
	tagInt
	tagFloat
	tagBool
	tagText
	tagBytes
)

// tableDigest hashes a table's column names and its rows, each value
// tagged with its type and length-prefixed, the columns taken in name
// order (so that two backends that order a table's columns differently
// agree).
type tableDigest struct {
	name  string
	h     hash.Hash
	order []int
	rows  int64
	buf   []byte
}

func newTableDigest(name string, cols []string) *tableDigest {
	d := &tableDigest{name: name, h: sha256.New(), order: make([]int, len(cols))}
	for i := range d.order {
		d.order[i] = i
	}
	slices.SortFunc(d.order, func(a, b int) int {
		switch {
		case cols[a] < cols[b]:
			return -1
		case cols[a] > cols[b]:
			return 1
		}
		return 0
	})
	d.field(tagText, []byte(name))
	for _, i := range d.order {
		d.field(tagText, []byte(cols[i]))
	}
	return d
}

// field writes one tagged, length-prefixed value.
func (d *tableDigest) field(tag byte, b []byte) {
	d.buf = append(d.buf[:0], tag)
	d.buf = binary.BigEndian.AppendUint32(d.buf, uint32(len(b)))
	d.h.Write(d.buf)
	d.h.Write(b)
}

// add hashes one row.
func (d *tableDigest) add(vals []any) error {
	if len(vals) != len(d.order) {
		return fmt.Errorf("a row of %d values for %d columns", len(vals), len(d.order))
	}
	var n [8]byte
	for _, i := range d.order {
		switch v := vals[i].(type) {
		case nil:
			d.field(tagNull, nil)
		case int64:
			d.field(tagInt, binary.BigEndian.AppendUint64(n[:0], uint64(v)))
		case int32:
			d.field(tagInt, binary.BigEndian.AppendUint64(n[:0], uint64(int64(v))))
		case float64:
			d.field(tagFloat, binary.BigEndian.AppendUint64(n[:0], math.Float64bits(v)))
		case bool:
			b := byte(0)
			if v {
				b = 1
			}
			d.field(tagBool, []byte{b})
		case string:
			d.field(tagText, []byte(v))
		case []byte:
			d.field(tagBytes, v)
		default:
			return fmt.Errorf("a value of type %T cannot be copied", v)
		}
	}
	d.rows++
	return nil
}

func (d *tableDigest) summary() license.TableSummary {
	out := license.TableSummary{Table: d.name, Rows: d.rows}
	copy(out.Digest[:], d.h.Sum(nil))
	return out
}
