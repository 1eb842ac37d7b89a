package dbtest

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"
)

// mariadbMissing is the loud message of the one allowed skip.
const mariadbMissing = `
######################################################################
# MariaDB is not installed on this machine (and scripts/ensure-mariadb.sh
# could not install it): the MySQL-dialect tests are SKIPPED.
# Install it with: apt-get install -y mariadb-server
######################################################################`

// MariaDB is a fresh database on a throwaway MariaDB server. There is no
// MySQL driver among the project's dependencies, so it is driven through the
// mariadb command-line client over the server's socket: a real server, read
// back as the client's tab-separated batch output.
type MariaDB struct {
	client string
	socket string
	DB     string
}

type mariaServer struct {
	client string // mariadb (or mysql) client binary
	dir    string
	socket string
	pid    string // pid file
	proc   *os.Process
	exited chan error
	stopWD func()
}

var (
	mariaOnce    sync.Once
	mariaShared  *mariaServer
	mariaErr     error
	errNoMariaDB = errors.New("mariadb not installed")
)

// StartMariaDB returns a fresh, empty database on a throwaway MariaDB server
// (root without password over a Unix socket, no networking). When MariaDB is
// not installed the test is skipped with a loud message; when it is
// installed but fails to start, the test fails.
func StartMariaDB(t testing.TB) *MariaDB {
	t.Helper()
	var srv *mariaServer
	if !isShared() {
		s, err := startMariaDB()
		if errors.Is(err, errNoMariaDB) {
			t.Skip(mariadbMissing)
		}
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(s.stop)
		srv = s
	} else {
		mariaOnce.Do(func() {
			mariaShared, mariaErr = startMariaDB()
			if mariaErr == nil {
				atExit(mariaShared.stop)
			} else if errors.Is(mariaErr, errNoMariaDB) {
				fmt.Fprintln(os.Stderr, mariadbMissing)
			}
		})
		if errors.Is(mariaErr, errNoMariaDB) {
			t.Skip(mariadbMissing)
		}
		if mariaErr != nil {
			t.Fatal(mariaErr)
		}
		srv = mariaShared
	}
	m := &MariaDB{client: srv.client, socket: srv.socket, DB: nextDBName()}
	if out, err := m.run("", "CREATE DATABASE "+m.DB+" CHARACTER SET utf8mb4 COLLATE utf8mb4_bin"); err != nil {
		t.Fatalf("dbtest: creating database %s: %v\n%s", m.DB, err, out)
	}
	return m
}

// Exec runs a script through the client, stopping at the first error (the
// client then disconnects, so an open transaction rolls back). The error
// carries the client's message.
func (m *MariaDB) Exec(script string) error {
	out, err := m.run(m.DB, script)
	if err != nil {
		return fmt.Errorf("%v: %s", err, strings.TrimSpace(out))
	}
	return nil
}

// Query runs one query and returns its rows, each a slice of the client's
// batch-mode fields. The client escapes tabs, newlines and backslashes in
// that mode and prints NULL as NULL; select HEX(col) to read strings back
// byte for byte.
func (m *MariaDB) Query(query string) ([][]string, error) {
	out, err := m.run(m.DB, query, "-N", "-B")
	if err != nil {
		return nil, fmt.Errorf("%v: %s", err, strings.TrimSpace(out))
	}
	var rows [][]string
	for _, line := range strings.Split(out, "\n") {
		if line == "" {
			continue
		}
		rows = append(rows, strings.Split(line, "\t"))
	}
	return rows, nil
}

func (m *MariaDB) run(db, script string, extra ...string) (string, error) {
	args := []string{"--no-defaults", "--socket=" + m.socket, "-u", "root", "--default-character-set=utf8mb4"}
	args = append(args, extra...)
	if db != "" {
		args = append(args, db)
	}
	cmd := exec.Command(m.client, args...)
	cmd.Stdin = strings.NewReader(script)
	var stdout, stderr bytes.Buffer
	cmd.Stdout = &stdout
	cmd.Stderr = &stderr
	err := cmd.Run()
	if err != nil {
		return stderr.String() + stdout.String(), err
	}
	return stdout.String(), nil
}

// mariaTool finds the first of names on PATH or in the sbin directories
// (mariadbd lives in /usr/sbin, not always on PATH).
func mariaTool(names ...string) string {
	for _, n := range names {
		if p, err := exec.LookPath(n); err == nil {
			return p
		}
		for _, dir := range []string{"/usr/sbin", "/usr/local/sbin", "/usr/libexec"} {
			p := filepath.Join(dir, n)
			if st, err := os.Stat(p); err == nil && !st.IsDir() {
				return p
			}
		}
	}
	return ""
}

func startMariaDB() (*mariaServer, error) {
	server := mariaTool("mariadbd", "mysqld")
	install := mariaTool("mariadb-install-db", "mysql_install_db")
	client := mariaTool("mariadb", "mysql")
	if server == "" || install == "" || client == "" {
		return nil, errNoMariaDB
	}
	u, err := userFor("mysql")
	if err != nil {
		return nil, err
	}
	dir, err := os.MkdirTemp("", "permcat-maria-")
	if err != nil {
		return nil, err
	}
	if err := u.chown(dir); err != nil {
		os.RemoveAll(dir)
		return nil, err
	}
	data := filepath.Join(dir, "data")
	s := &mariaServer{client: client, dir: dir, socket: filepath.Join(dir, "sock"), pid: filepath.Join(dir, "pid")}
	userArg := []string{}
	if u.name != "" {
		userArg = []string{"--user=" + u.name}
	}
	installArgs := append([]string{"--no-defaults", "--datadir=" + data, "--auth-root-authentication-method=normal",
		"--skip-test-db", "--skip-name-resolve"}, userArg...)
	cmd := exec.Command(install, installArgs...)
	if out, err := cmd.CombinedOutput(); err != nil {
		os.RemoveAll(dir)
		return nil, fmt.Errorf("dbtest: %s failed: %v\n%s", filepath.Base(install), err, out)
	}
	serverArgs := append([]string{"--no-defaults", "--datadir=" + data, "--socket=" + s.socket,
		"--skip-networking", "--pid-file=" + s.pid, "--log-error=" + filepath.Join(dir, "log"),
		"--innodb-buffer-pool-size=32M", "--innodb-log-file-size=16M", "--innodb-flush-log-at-trx-commit=0",
		"--innodb-doublewrite=0", "--innodb-use-native-aio=0", "--skip-log-bin", "--performance-schema=OFF",
		"--character-set-server=utf8mb4", "--collation-server=utf8mb4_bin"}, userArg...)
	srvCmd := exec.Command(server, serverArgs...)
	if err := srvCmd.Start(); err != nil {
		os.RemoveAll(dir)
		return nil, fmt.Errorf("dbtest: starting %s: %v", server, err)
	}
	exited := make(chan error, 1)
	go func() { exited <- srvCmd.Wait() }()
	s.proc, s.exited = srvCmd.Process, exited
	s.stopWD = watchdog(fmt.Sprintf("kill -9 %d 2>/dev/null; rm -rf %s", srvCmd.Process.Pid, shellQuote(dir)))

	m := &MariaDB{client: client, socket: s.socket}
	deadline := time.Now().Add(60 * time.Second)
	for {
		if _, err := m.run("", "SELECT 1"); err == nil {
			break
		}
		select {
		case err := <-exited:
			log, _ := os.ReadFile(filepath.Join(dir, "log"))
			s.stopWD()
			os.RemoveAll(dir)
			return nil, fmt.Errorf("dbtest: mariadbd exited during startup: %v\n%s", err, log)
		default:
		}
		if time.Now().After(deadline) {
			log, _ := os.ReadFile(filepath.Join(dir, "log"))
			s.stop()
			return nil, fmt.Errorf("dbtest: mariadbd did not answer within 60s\n%s", log)
		}
		time.Sleep(200 * time.Millisecond)
	}
	return s, nil
}

// stop kills the server outright: its data is thrown away anyway.
func (s *mariaServer) stop() {
	_ = s.proc.Kill()
	select {
	case <-s.exited:
	case <-time.After(10 * time.Second):
	}
	s.stopWD()
	os.RemoveAll(s.dir)
}
