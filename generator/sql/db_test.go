package sql

import (
	"context"
	dbsql "database/sql"
	"encoding/hex"
	"fmt"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/jackc/pgx/v5"
	_ "modernc.org/sqlite"

	"github.com/permcat/permcat/internal/dbtest"
)

// testDB is a fresh database of one dialect on a real server (or, for
// SQLite, a real database file).
type testDB interface {
	dialect() string
	// exec runs a script. After a failure the open transaction, if any, is
	// rolled back, as a client that stops on the first error would.
	exec(script string) error
	// table returns a table's rows encoded by encodeRow, sorted, reading
	// every column as text exactly as stored.
	table(name string, cols []string) ([]string, error)
	// query runs a query whose columns are all ASCII text and returns its
	// rows in the order the database gives them.
	query(q string) ([][]string, error)
}

// openDB opens a fresh database of dialect d, failing (never skipping) when
// PostgreSQL is missing and skipping loudly only when MariaDB is.
func openDB(t *testing.T, d string) testDB {
	t.Helper()
	switch d {
	case "postgres":
		ctx := context.Background()
		conn, err := pgx.Connect(ctx, dbtest.StartPostgres(t))
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { conn.Close(ctx) })
		return &pgDB{conn: conn}
	case "sqlite":
		db, err := dbsql.Open("sqlite", filepath.Join(t.TempDir(), "app.db"))
		if err != nil {
			t.Fatal(err)
		}
		// One connection: a pragma and a transaction belong to a
		// connection, as they do for an application's.
		db.SetMaxOpenConns(1)
		t.Cleanup(func() { db.Close() })
		return &sqliteDB{db: db}
	case "mysql":
		return &mariaDB{m: dbtest.StartMariaDB(t)}
	}
	t.Fatalf("no test database for dialect %q", d)
	return nil
}

// encodeRow joins cells unambiguously: N for NULL, V and the bytes
// otherwise, separated by NUL (which no stored string holds).
func encodeRow(cells []*string) string {
	parts := make([]string, len(cells))
	for i, c := range cells {
		if c == nil {
			parts[i] = "N"
		} else {
			parts[i] = "V" + *c
		}
	}
	return strings.Join(parts, "\x00")
}

type pgDB struct{ conn *pgx.Conn }

func (d *pgDB) dialect() string { return "postgres" }

func (d *pgDB) exec(script string) error {
	ctx := context.Background()
	_, err := d.conn.Exec(ctx, script)
	if err != nil {
		_, _ = d.conn.Exec(ctx, "ROLLBACK")
	}
	return err
}

func (d *pgDB) table(name string, cols []string) ([]string, error) {
	sel := make([]string, len(cols))
	for i, c := range cols {
		sel[i] = doubleQuoteIdent(c) + "::text"
	}
	return d.rows("SELECT " + strings.Join(sel, ", ") + " FROM " + name)
}

func (d *pgDB) rows(q string) ([]string, error) {
	rs, err := d.query(q)
	if err != nil {
		return nil, err
	}
	out := make([]string, len(rs))
	for i, r := range rs {
		cells := make([]*string, len(r))
		for j := range r {
			if r[j] != "\x00NULL" {
				cells[j] = &r[j]
			}
		}
		out[i] = encodeRow(cells)
	}
	sort.Strings(out)
	return out, nil
}

func (d *pgDB) query(q string) ([][]string, error) {
	rows, err := d.conn.Query(context.Background(), q)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out [][]string
	for rows.Next() {
		n := len(rows.FieldDescriptions())
		ptrs := make([]*string, n)
		dest := make([]any, n)
		for i := range ptrs {
			dest[i] = &ptrs[i]
		}
		if err := rows.Scan(dest...); err != nil {
			return nil, err
		}
		r := make([]string, n)
		for i, p := range ptrs {
			if p == nil {
				r[i] = "\x00NULL"
			} else {
				r[i] = *p
			}
		}
		out = append(out, r)
	}
	return out, rows.Err()
}

type sqliteDB struct{ db *dbsql.DB }

func (d *sqliteDB) dialect() string { return "sqlite" }

func (d *sqliteDB) exec(script string) error {
	_, err := d.db.Exec(script)
	if err != nil {
		_, _ = d.db.Exec("ROLLBACK")
	}
	return err
}

func (d *sqliteDB) table(name string, cols []string) ([]string, error) {
	sel := make([]string, len(cols))
	for i, c := range cols {
		sel[i] = "CAST(" + doubleQuoteIdent(c) + " AS TEXT)"
	}
	rows, err := d.db.Query("SELECT " + strings.Join(sel, ", ") + " FROM " + name)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		vals := make([]dbsql.NullString, len(cols))
		dest := make([]any, len(cols))
		for i := range vals {
			dest[i] = &vals[i]
		}
		if err := rows.Scan(dest...); err != nil {
			return nil, err
		}
		cells := make([]*string, len(cols))
		for i, v := range vals {
			if v.Valid {
				s := v.String
				cells[i] = &s
			}
		}
		out = append(out, encodeRow(cells))
	}
	sort.Strings(out)
	return out, rows.Err()
}

func (d *sqliteDB) query(q string) ([][]string, error) {
	rows, err := d.db.Query(q)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	cols, _ := rows.Columns()
	var out [][]string
	for rows.Next() {
		vals := make([]dbsql.NullString, len(cols))
		dest := make([]any, len(cols))
		for i := range vals {
			dest[i] = &vals[i]
		}
		if err := rows.Scan(dest...); err != nil {
			return nil, err
		}
		r := make([]string, len(cols))
		for i, v := range vals {
			r[i] = v.String
			if !v.Valid {
				r[i] = "\x00NULL"
			}
		}
		out = append(out, r)
	}
	return out, rows.Err()
}

// mariaDB reads through the command-line client; HEX() keeps every byte
// intact through its tab-separated output.
type mariaDB struct{ m *dbtest.MariaDB }

func (d *mariaDB) dialect() string { return "mysql" }

func (d *mariaDB) exec(script string) error { return d.m.Exec(script) }

func (d *mariaDB) table(name string, cols []string) ([]string, error) {
	sel := make([]string, len(cols))
	for i, c := range cols {
		sel[i] = "HEX(CAST(" + backtickIdent(c) + " AS CHAR))"
	}
	rows, err := d.m.Query("SELECT " + strings.Join(sel, ", ") + " FROM " + name)
	if err != nil {
		return nil, err
	}
	var out []string
	for _, r := range rows {
		if len(r) != len(cols) {
			return nil, fmt.Errorf("row %q has %d fields, want %d", r, len(r), len(cols))
		}
		cells := make([]*string, len(cols))
		for i, f := range r {
			if f == "NULL" {
				continue
			}
			b, err := hex.DecodeString(f)
			if err != nil {
				return nil, fmt.Errorf("field %q: %v", f, err)
			}
			s := string(b)
			cells[i] = &s
		}
		out = append(out, encodeRow(cells))
	}
	sort.Strings(out)
	return out, nil
}

func (d *mariaDB) query(q string) ([][]string, error) {
	rows, err := d.m.Query(q)
	for _, r := range rows {
		for i := range r {
			if r[i] == "NULL" {
				r[i] = "\x00NULL"
			}
		}
	}
	return rows, err
}
