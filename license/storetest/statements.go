package storetest

import (
	"context"
	"crypto/rand"
	"database/sql"
	"database/sql/driver"
	"fmt"
	"sync/atomic"
	"time"

	"securemedia/license"
)

// ParseCounter counts the statements that the connections of a wrapped
// connector parse: each prepare, and each statement run as text (parsed
// then and there). Tests hold the store with it to preparing a statement
// once per connection (license/internal/sqlstore/stmts.go); the
// counts are all it changes.
type ParseCounter struct {
	n atomic.Int64
}

// Parses returns the count so far.
func (c *ParseCounter) Parses() int64 { return c.n.Load() }

// Wrap returns a connector whose connections count into c.
func (c *ParseCounter) Wrap(base driver.Connector) driver.Connector {
	return countingConnector{Connector: base, n: &c.n}
}

type countingConnector struct {
	driver.Connector
	n *atomic.Int64
}

func (c countingConnector) Connect(ctx context.Context) (driver.Conn, error) {
	conn, err := c.Connector.Connect(ctx)
	if err != nil {
		return nil, err
	}
	return &countingConn{Conn: conn, n: c.n}, nil
}

// countingConn forwards every optional interface of the drivers' connections
// so that database/sql uses them as it does unwrapped (modernc.org/sqlite's
// NewConnector says which); a method the wrapped connection lacks answers
// driver.ErrSkip where database/sql then falls back as it would.
type countingConn struct {
	driver.Conn
	n *atomic.Int64
}

// Unwrap returns the driver's connection.
func (c *countingConn) Unwrap() driver.Conn { return c.Conn }

func (c *countingConn) Prepare(query string) (driver.Stmt, error) {
	c.n.Add(1)
	return c.Conn.Prepare(query)
}

func (c *countingConn) PrepareContext(ctx context.Context, query string) (driver.Stmt, error) {
	c.n.Add(1)
	if p, ok := c.Conn.(driver.ConnPrepareContext); ok {
		return p.PrepareContext(ctx, query)
	}
	return c.Conn.Prepare(query)
}

func (c *countingConn) QueryContext(ctx context.Context, query string, args []driver.NamedValue) (driver.Rows, error) {
	q, ok := c.Conn.(driver.QueryerContext)
	if !ok {
		return nil, driver.ErrSkip // database/sql prepares: counted there
	}
	c.n.Add(1)
	return q.QueryContext(ctx, query, args)
}

func (c *countingConn) ExecContext(ctx context.Context, query string, args []driver.NamedValue) (driver.Result, error) {
	e, ok := c.Conn.(driver.ExecerContext)
	if !ok {
		return nil, driver.ErrSkip
	}
	c.n.Add(1)
	return e.ExecContext(ctx, query, args)
}

func (c *countingConn) BeginTx(ctx context.Context, opts driver.TxOptions) (driver.Tx, error) {
	if b, ok := c.Conn.(driver.ConnBeginTx); ok {
		return b.BeginTx(ctx, opts)
	}
	return nil, fmt.Errorf("sqlstore: counted connection %T has no BeginTx", c.Conn)
}

func (c *countingConn) Ping(ctx context.Context) error {
	if p, ok := c.Conn.(driver.Pinger); ok {
		return p.Ping(ctx)
	}
	return nil
}

func (c *countingConn) ResetSession(ctx context.Context) error {
	if r, ok := c.Conn.(driver.SessionResetter); ok {
		return r.ResetSession(ctx)
	}
	return nil
}

func (c *countingConn) IsValid() bool {
	if v, ok := c.Conn.(driver.Validator); ok {
		return v.IsValid()
	}
	return true
}

func (c *countingConn) CheckNamedValue(v *driver.NamedValue) error {
	if ch, ok := c.Conn.(driver.NamedValueChecker); ok {
		return ch.CheckNamedValue(v)
	}
	return driver.ErrSkip
}

// CheckStatements holds a store to the statement cache of
// license/internal/sqlstore (stmts.go), on
// stores that open calls on one database with their connections counting
// into the counter it is given: once a few plays have prepared every
// statement of a play, more plays parse none (none is prepared again on
// each call, or run as text); and many plays at once on a store just
// opened, more than its connections, each meeting statements not prepared
// yet inside its transaction, all end (a statement prepared on the
// database from inside a transaction waits for a connection that the
// others hold).
func CheckStatements(ctx context.Context, open func(*ParseCounter) (license.Store, error)) error {
	var c ParseCounter
	s, err := open(&c)
	if err != nil {
		return err
	}
	defer s.Close()
	// Two rounds: the first issues the license, the second finds it.
	if err := playRounds(ctx, s, "warm", 2); err != nil {
		return err
	}
	const rounds = 10
	before := c.Parses()
	if err := playRounds(ctx, s, "steady", rounds); err != nil {
		return err
	}
	if n := c.Parses() - before; n != 0 {
		return fmt.Errorf("%d plays after the first ones parsed %d statements, want none (%d in all)", rounds, n, c.Parses())
	}
	cold, err := open(&ParseCounter{})
	if err != nil {
		return err
	}
	defer cold.Close()
	// The deadline ends a deadlock; nothing is timed.
	ctx, cancel := context.WithTimeout(ctx, time.Minute)
	defer cancel()
	if err := coldStart(ctx, cold, 64); err != nil {
		return fmt.Errorf("plays at once on a store just opened: %w", err)
	}
	// The connections those plays opened stay in the pool: one closed when
	// idle takes its prepared statements with it, and its replacement
	// prepares them all again.
	withDB, ok := cold.(interface{ DB() *sql.DB })
	if !ok {
		return fmt.Errorf("the store %T does not expose its database", cold)
	}
	if st := withDB.DB().Stats(); st.MaxIdleClosed != 0 {
		return fmt.Errorf("%d of %d connections closed when idle after plays at once", st.MaxIdleClosed, st.MaxIdleClosed+int64(st.OpenConnections))
	}
	return nil
}

// coldStart starts n plays at once on s for a new user.
func coldStart(ctx context.Context, s license.Store, n int) error {
	now := time.Now()
	if err := s.AddUser(ctx, license.User{ID: "cold", Name: "cold", Added: now}); err != nil {
		return err
	}
	errs := make(chan error, n)
	for i := range n {
		go func() {
			np := license.NewPlay{UserID: "cold", MediaID: fmt.Sprintf("media%d", i), Session: "cold", Chunks: 1, ExpiresAt: now.Add(time.Hour)}
			_, _, err := s.StartPlay(ctx, np, now)
			errs <- err
		}()
	}
	var first error
	for range n {
		if err := <-errs; err != nil && first == nil {
			first = err
		}
	}
	return first
}

// playRounds runs rounds of what a whole play asks of the store on a
// licensed server — the user lookup of a login, the start, a fetch's read,
// the count, progress and the completion — for a new user (its id:
// user), and returns the first error.
func playRounds(ctx context.Context, s license.Store, user string, rounds int) error {
	now := time.Now()
	if err := s.AddUser(ctx, license.User{ID: user, Name: user, Added: now}); err != nil {
		return err
	}
	for i := range rounds {
		if _, err := s.GetUser(ctx, user); err != nil {
			return err
		}
		np := license.NewPlay{UserID: user, MediaID: "media", Session: fmt.Sprintf("s%d", i), Chunks: 4, ExpiresAt: now.Add(time.Hour)}
		rand.Read(np.ResumeHash[:])
		p, _, err := s.StartPlay(ctx, np, now)
		if err != nil {
			return err
		}
		if _, err := s.GetPlayRecord(ctx, p.ID); err != nil {
			return err
		}
		if _, _, err := s.CountPlay(ctx, p.ID, np.Session, now); err != nil {
			return err
		}
		for _, next := range []uint32{2, 4} {
			if _, err := s.RecordProgress(ctx, p.ID, next, now); err != nil {
				return err
			}
		}
		if p, err = s.GetPlay(ctx, p.ID); err != nil {
			return err
		}
		if p.State != license.PlayCompleted {
			return fmt.Errorf("play %s is %s after its last chunk", p.ID, p.State)
		}
	}
	return nil
}
