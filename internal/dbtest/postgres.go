package dbtest

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
)

// postgresHint is what a test says when PostgreSQL is missing: it never
// skips, because `make test` installs it.
const postgresHint = "PostgreSQL 15 binaries (initdb, pg_ctl) not found: run make test or scripts/ensure-postgres.sh"

type pgServer struct {
	bin    string // directory holding initdb, pg_ctl, psql
	dir    string // temp dir: data/, socket, log
	socket string
	user   serviceUser
	stopWD func()
}

var (
	pgOnce   sync.Once
	pgShared *pgServer
	pgErr    error
)

// StartPostgres returns the DSN of a fresh, empty database on a throwaway
// PostgreSQL server (user postgres, trust auth, Unix socket only).
func StartPostgres(t testing.TB) (dsn string) {
	t.Helper()
	srv := postgresServer(t)
	name := nextDBName()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	conn, err := pgx.Connect(ctx, srv.dsn("postgres"))
	if err != nil {
		t.Fatalf("dbtest: connecting to the throwaway PostgreSQL: %v", err)
	}
	defer conn.Close(ctx)
	if _, err := conn.Exec(ctx, "CREATE DATABASE "+name+" ENCODING 'UTF8' TEMPLATE template0"); err != nil {
		t.Fatalf("dbtest: creating database %s: %v", name, err)
	}
	return srv.dsn(name)
}

// RunPsql runs script through psql against dsn (as returned by
// StartPostgres), stopping at the first error, the way a user would apply
// the generated files. It returns psql's combined output.
func RunPsql(t testing.TB, dsn, script string) (string, error) {
	t.Helper()
	srv := postgresServer(t)
	cmd := exec.Command(filepath.Join(srv.bin, "psql"), "-X", "-q", "-v", "ON_ERROR_STOP=1", "-d", dsn)
	cmd.Stdin = strings.NewReader(script)
	cmd.Env = append(os.Environ(), "PGCLIENTENCODING=UTF8")
	out, err := cmd.CombinedOutput()
	return string(out), err
}

func postgresServer(t testing.TB) *pgServer {
	t.Helper()
	if !isShared() {
		srv, err := startPostgres()
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(srv.stop)
		return srv
	}
	pgOnce.Do(func() {
		pgShared, pgErr = startPostgres()
		if pgErr == nil {
			atExit(pgShared.stop)
		}
	})
	if pgErr != nil {
		t.Fatal(pgErr)
	}
	return pgShared
}

func (s *pgServer) dsn(db string) string {
	return fmt.Sprintf("host=%s user=postgres dbname=%s sslmode=disable", s.socket, db)
}

// postgresBin finds the PostgreSQL 15 binaries the way Debian installs them.
func postgresBin() (string, error) {
	out, err := exec.Command("dpkg", "-L", "postgresql-15").Output()
	if err == nil {
		for _, line := range strings.Split(string(out), "\n") {
			if strings.HasSuffix(line, "/bin/initdb") {
				return filepath.Dir(line), nil
			}
		}
	}
	const fallback = "/usr/lib/postgresql/15/bin"
	if _, err := os.Stat(filepath.Join(fallback, "initdb")); err == nil {
		return fallback, nil
	}
	return "", errors.New(postgresHint)
}

func startPostgres() (*pgServer, error) {
	bin, err := postgresBin()
	if err != nil {
		return nil, err
	}
	u, err := userFor("postgres")
	if err != nil {
		return nil, err
	}
	// Not t.TempDir: its parents are private to root, and the server runs
	// as postgres.
	dir, err := os.MkdirTemp("", "permcat-pg-")
	if err != nil {
		return nil, err
	}
	if err := u.chown(dir); err != nil {
		os.RemoveAll(dir)
		return nil, err
	}
	s := &pgServer{bin: bin, dir: dir, socket: dir, user: u}
	data := filepath.Join(dir, "data")
	if out, err := s.run("initdb", "-D", data, "-U", "postgres", "--auth=trust", "-E", "UTF8", "--locale=C", "--no-sync"); err != nil {
		os.RemoveAll(dir)
		return nil, fmt.Errorf("dbtest: initdb failed: %v\n%s", err, out)
	}
	opts := "-c listen_addresses='' -k " + dir + " -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=40 -c shared_buffers=16MB"
	if out, err := s.run("pg_ctl", "-D", data, "-l", filepath.Join(dir, "log"), "-w", "-t", "60", "-o", opts, "start"); err != nil {
		log, _ := os.ReadFile(filepath.Join(dir, "log"))
		os.RemoveAll(dir)
		return nil, fmt.Errorf("dbtest: starting PostgreSQL failed: %v\n%s\n%s", err, out, log)
	}
	stop := s.user.command(filepath.Join(bin, "pg_ctl"), "-D", data, "-m", "immediate", "stop").Args
	s.stopWD = watchdog(shellJoin(stop) + " >/dev/null 2>&1; rm -rf " + shellQuote(dir))
	return s, nil
}

func (s *pgServer) run(tool string, args ...string) ([]byte, error) {
	cmd := s.user.command(filepath.Join(s.bin, tool), args...)
	cmd.Dir = s.dir
	var buf bytes.Buffer
	cmd.Stdout = &buf
	cmd.Stderr = &buf
	err := cmd.Run()
	return buf.Bytes(), err
}

func (s *pgServer) stop() {
	_, _ = s.run("pg_ctl", "-D", filepath.Join(s.dir, "data"), "-m", "immediate", "stop")
	s.stopWD()
	os.RemoveAll(s.dir)
}
