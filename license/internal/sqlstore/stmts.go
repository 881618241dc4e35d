package sqlstore

import (
	"context"
	"database/sql"
	"sync"
)

// Prepared statements. Every statement the store runs has a fixed text
// (only its arguments vary), and parsing it again on each call was a third
// of the CPU of a play start on SQLite. So each text is prepared once per
// database handle, lazily, and kept on the Store until Close; database/sql
// then prepares it once on each pooled connection that runs it, and a
// transaction reuses the one already prepared on its connection
// (Tx.StmtContext). Listings whose WHERE clause follows a filter run as
// text (querier.adhoc): they are rare, and their texts are many.
//
// A statement is prepared on the database only by a goroutine that holds
// none of the pool's connections: a transaction that meets a statement not
// prepared yet runs it as text, as before, and the store prepares it after
// the transaction (Store.write). Preparing from inside a transaction would
// wait for a second connection, and with every connection held by a
// transaction waiting on the chain-head lock that wait never ends.

// maxStatements bounds the cache. The store's statements are fewer (the
// texts are fixed in the code); past the bound a statement runs as text.
const maxStatements = 128

// stmtCache holds the prepared statements of one database handle, by their
// text as the store writes it ("?" placeholders).
type stmtCache struct {
	db   *sql.DB
	bind func(string) string

	mu     sync.Mutex
	ready  map[string]*sql.Stmt
	wanted map[string]bool // met in a transaction, to prepare after it
	busy   map[string]bool // being prepared
	closed bool
}

func newStmtCache(db *sql.DB, bind func(string) string) *stmtCache {
	return &stmtCache{db: db, bind: bind, ready: map[string]*sql.Stmt{}, wanted: map[string]bool{}, busy: map[string]bool{}}
}

// get returns the prepared statement of q, or nil while it has none. With
// free set the caller holds no connection, and get prepares q if need be;
// otherwise it notes q for prepareWanted.
func (c *stmtCache) get(ctx context.Context, q string, free bool) *sql.Stmt {
	c.mu.Lock()
	st := c.ready[q]
	if st != nil || c.closed || c.busy[q] || len(c.ready)+len(c.busy) >= maxStatements {
		c.mu.Unlock()
		return st
	}
	if !free {
		c.wanted[q] = true
		c.mu.Unlock()
		return nil
	}
	c.busy[q] = true
	c.mu.Unlock()
	return c.prepare(ctx, q)
}

// prepareWanted prepares the statements that transactions ran as text; the
// caller holds no connection.
func (c *stmtCache) prepareWanted(ctx context.Context) {
	c.mu.Lock()
	var qs []string
	for q := range c.wanted {
		delete(c.wanted, q)
		if c.ready[q] == nil && !c.busy[q] && !c.closed && len(c.ready)+len(c.busy) < maxStatements {
			c.busy[q] = true
			qs = append(qs, q)
		}
	}
	c.mu.Unlock()
	for _, q := range qs {
		c.prepare(ctx, q)
	}
}

// prepare prepares q, which the caller marked busy. A failure is not kept:
// the statement runs as text, which reports the error where it always did,
// and a later call prepares it again.
func (c *stmtCache) prepare(ctx context.Context, q string) *sql.Stmt {
	st, err := c.db.PrepareContext(ctx, c.bind(q))
	c.mu.Lock()
	defer c.mu.Unlock()
	delete(c.busy, q)
	if err != nil {
		return nil
	}
	if c.closed {
		st.Close()
		return nil
	}
	c.ready[q] = st
	return st
}

// close closes the statements; later calls run as text.
func (c *stmtCache) close() error {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.closed = true
	var first error
	for q, st := range c.ready {
		if err := st.Close(); err != nil && first == nil {
			first = err
		}
		delete(c.ready, q)
	}
	return first
}

// querier runs the store's statements, written with "?" placeholders, on
// the database (tx nil) or in a write transaction; it is the one place
// that binds them for the dialect.
type querier struct {
	s  *Store
	tx *sql.Tx
	// adhoc runs the text without preparing it: a listing's WHERE clause.
	adhoc bool
}

// onDB returns the querier of plain reads and single-statement writes.
func (s *Store) onDB() querier { return querier{s: s} }

// listing returns the querier of a listing built from a filter.
func (s *Store) listing() querier { return querier{s: s, adhoc: true} }

// stmt returns q's prepared statement, for the transaction if there is
// one, or nil to run the text.
func (q querier) stmt(ctx context.Context, query string) *sql.Stmt {
	if q.adhoc {
		return nil
	}
	st := q.s.stmts.get(ctx, query, q.tx == nil)
	if st != nil && q.tx != nil {
		st = q.tx.StmtContext(ctx, st)
	}
	return st
}

// text is where a statement runs as text.
func (q querier) text() interface {
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
	ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error)
} {
	if q.tx != nil {
		return q.tx
	}
	return q.s.db
}

// prepareHere prepares a statement on the transaction alone, not kept
// after it (a bulk load's insert into one table).
func (q querier) prepareHere(ctx context.Context, query string) (*sql.Stmt, error) {
	return q.tx.PrepareContext(ctx, q.s.d.bind(query))
}

// row runs a query of one row.
func (q querier) row(ctx context.Context, query string, args ...any) *sql.Row {
	if st := q.stmt(ctx, query); st != nil {
		return st.QueryRowContext(ctx, args...)
	}
	return q.text().QueryRowContext(ctx, q.s.d.bind(query), args...)
}

// rows runs a query.
func (q querier) rows(ctx context.Context, query string, args ...any) (*sql.Rows, error) {
	if st := q.stmt(ctx, query); st != nil {
		return st.QueryContext(ctx, args...)
	}
	return q.text().QueryContext(ctx, q.s.d.bind(query), args...)
}

// exec runs a statement that returns no rows.
func (q querier) exec(ctx context.Context, query string, args ...any) (sql.Result, error) {
	if st := q.stmt(ctx, query); st != nil {
		return st.ExecContext(ctx, args...)
	}
	return q.text().ExecContext(ctx, q.s.d.bind(query), args...)
}
