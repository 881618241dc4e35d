package sqlstore

import (
	"context"
	"strings"

	"securemedia/license"
)

// conditions collects the WHERE clause of a listing.
type conditions struct {
	where []string
	args  []any
}

// add appends a condition with its arguments.
func (c *conditions) add(cond string, args ...any) {
	c.where = append(c.where, cond)
	c.args = append(c.args, args...)
}

// equal appends "column = v" when v is set (an empty filter field matches
// everything).
func (c *conditions) equal(column, v string) {
	if v != "" {
		c.add(column+" = ?", v)
	}
}

// clause returns the WHERE clause, or nothing without conditions.
func (c *conditions) clause() string {
	if len(c.where) == 0 {
		return ""
	}
	return " WHERE " + strings.Join(c.where, " AND ")
}

// listLimit bounds a listing: 0 or too many means license.MaxListed.
func listLimit(n int) int {
	if n <= 0 || n > license.MaxListed {
		return license.MaxListed
	}
	return n
}

// queryAll runs query on q and scans every row with scan; op names the
// operation in errors.
func queryAll[T any](ctx context.Context, q querier, op, query string, args []any, scan func(scanner) (T, error)) ([]T, error) {
	s := q.s
	rows, err := q.rows(ctx, query, args...)
	if err != nil {
		return nil, s.wrap(op, err)
	}
	defer rows.Close()
	var out []T
	for rows.Next() {
		v, err := scan(rows)
		if err != nil {
			return nil, s.wrap(op, err)
		}
		out = append(out, v)
	}
	return out, s.wrap(op, rows.Err())
}
