package dbtest

import (
	"context"
	"os"
	"testing"

	"github.com/jackc/pgx/v5"
)

func TestMain(m *testing.M) { os.Exit(Run(m)) }

func TestEachPostgresCallGetsItsOwnEmptyDatabase(t *testing.T) {
	ctx := context.Background()
	a, b := StartPostgres(t), StartPostgres(t)
	if a == b {
		t.Fatalf("two calls returned the same database %q", a)
	}
	ca, err := pgx.Connect(ctx, a)
	if err != nil {
		t.Fatal(err)
	}
	defer ca.Close(ctx)
	if _, err := ca.Exec(ctx, "CREATE TABLE x (v text); INSERT INTO x VALUES ('é😀')"); err != nil {
		t.Fatal(err)
	}
	cb, err := pgx.Connect(ctx, b)
	if err != nil {
		t.Fatal(err)
	}
	defer cb.Close(ctx)
	var n int
	if err := cb.QueryRow(ctx, "SELECT count(*) FROM pg_tables WHERE tablename = 'x'").Scan(&n); err != nil {
		t.Fatal(err)
	}
	if n != 0 {
		t.Fatalf("the second database sees the first one's table")
	}
	if out, err := RunPsql(t, a, "SELECT v FROM x;"); err != nil {
		t.Fatalf("psql: %v\n%s", err, out)
	}
	if out, err := RunPsql(t, a, "SELECT nope FROM x;"); err == nil {
		t.Fatalf("psql accepted a bad query:\n%s", out)
	}
}

func TestMariaDBRoundTripsUnicodeAndReportsErrors(t *testing.T) {
	m := StartMariaDB(t)
	if err := m.Exec("CREATE TABLE x (v TEXT); INSERT INTO x VALUES ('é😀');"); err != nil {
		t.Fatal(err)
	}
	rows, err := m.Query("SELECT HEX(v) FROM x")
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) != 1 || rows[0][0] != "C3A9F09F9880" {
		t.Fatalf("rows = %q, want the UTF-8 bytes of é😀", rows)
	}
	if err := m.Exec("SELECT nope FROM x;"); err == nil {
		t.Fatal("a bad query did not fail")
	}
}
