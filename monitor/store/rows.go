package store

import (
	"context"
	"database/sql"
	"strings"
)

// Writing many rows a statement, and reading a column of IDs.

// insertRows inserts n rows of cols values each, in statements of up to
// 64 rows (see rowGroups).
func (s *Store) insertRows(ctx context.Context, tx *sql.Tx, prefix string, cols, n int, row func(i int, args []any) []any) error {
	return rowGroups(n, func(start, k int) error {
		st, err := s.prepared(ctx, tx, prefix+valuesList(k, cols))
		if err != nil {
			return err
		}
		args := make([]any, 0, k*cols)
		for i := start; i < start+k; i++ {
			args = row(i, args)
		}
		_, err = st.ExecContext(ctx, args...)
		return err
	})
}

// rowGroups calls fn for consecutive groups of n rows whose sizes are
// powers of two up to 64, so that a statement for k rows is prepared
// for seven sizes at most (and a fetch of 50 takes three).
func rowGroups(n int, fn func(start, k int) error) error {
	for start := 0; start < n; {
		k := 64
		for k > n-start {
			k /= 2
		}
		if err := fn(start, k); err != nil {
			return err
		}
		start += k
	}
	return nil
}

// valuesList is k groups of cols placeholders: (?,?),(?,?).
func valuesList(k, cols int) string {
	one := "(" + strings.TrimSuffix(strings.Repeat("?,", cols), ",") + ")"
	return strings.TrimSuffix(strings.Repeat(one+",", k), ",")
}

// scanIDs reads a query's single integer column: scanIDs(q)(fn) calls fn
// for each row.
func scanIDs(rows *sql.Rows, err error) func(fn func(int64)) error {
	return func(fn func(int64)) error {
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var id int64
			if err := rows.Scan(&id); err != nil {
				return err
			}
			fn(id)
		}
		return rows.Err()
	}
}
