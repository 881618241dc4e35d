// Package sqlstore is the license.Store shared by the SQLite and PostgreSQL
// backends: one set of queries over database/sql, with a Dialect for what
// differs (placeholders, column types, locking, retryable errors).
//
// Concurrency model: every state change runs in one transaction that first
// locks the audit chain head (PostgreSQL: SELECT ... FOR UPDATE; SQLite:
// BEGIN IMMEDIATE takes the database write lock), then re-reads and checks
// the rows it changes, writes them, appends its audit event and moves the
// head. Writers are therefore serialized in the database itself, across
// goroutines, connections and processes: a view is consumed exactly once
// and the audit chain never forks.
package sqlstore

import (
	"database/sql"
	"strconv"
	"strings"
)

// Dialect is what differs between database engines.
type Dialect struct {
	// Name appears in error messages ("sqlite", "postgres").
	Name string
	// Numbered placeholders ($1, $2, ...) instead of "?".
	Numbered bool
	// Blob is the column type of binary values.
	Blob string
	// LockHead is appended to the chain-head SELECT to lock the row
	// ("FOR UPDATE"), empty where the transaction already holds the write
	// lock.
	LockHead string
	// LockRow is appended to a SELECT inside a write transaction to lock
	// the rows it reads against writers that do not take the chain head
	// (progress updates): "FOR UPDATE", or empty where the transaction
	// holds the database write lock.
	LockRow string
	// MigrationLock, if set, runs first in the migration transaction so
	// that concurrent openers migrate one at a time.
	MigrationLock string
	// ListTables lists the names of the tables of the store's database
	// (its schema, for PostgreSQL), one per row.
	ListTables string
	// BinaryCollation follows a text column in ORDER BY to order it by
	// its bytes, as SQLite does by default.
	BinaryCollation string
	// Snapshot is the isolation level of Dump's read-only transaction: one
	// that reads a single snapshot of the whole database (SQLite's
	// default under WAL is one).
	Snapshot sql.IsolationLevel
	// Retryable reports a transient error after which the whole
	// transaction may run again (busy database, serialization failure).
	Retryable func(error) bool
}

// bind rewrites "?" placeholders for the dialect.
func (d Dialect) bind(q string) string {
	if !d.Numbered {
		return q
	}
	var b strings.Builder
	n := 0
	for _, r := range q {
		if r == '?' {
			n++
			b.WriteByte('$')
			b.WriteString(strconv.Itoa(n))
			continue
		}
		b.WriteRune(r)
	}
	return b.String()
}
