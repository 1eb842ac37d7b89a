// Package dbtest starts throwaway database servers for tests: a PostgreSQL
// 15 cluster and, where it is installed, a MariaDB server. Each lives in a
// temp dir, listens on a Unix socket only (no TCP, so it never clashes with a
// system server), and is stopped when the test binary ends. Tests get a fresh
// database per call, which is cheap, instead of a server each.
//
// Use it from TestMain so that one server serves the whole binary:
//
//	func TestMain(m *testing.M) { os.Exit(dbtest.Run(m)) }
//
// Without Run, every Start call starts its own server and stops it in
// t.Cleanup. PostgreSQL missing is a test failure (run `make test` or
// scripts/ensure-postgres.sh); MariaDB missing is the one allowed skip, and
// it says so loudly.
package dbtest

import (
	"fmt"
	"os"
	"os/exec"
	"os/user"
	"strconv"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
)

// shared is set by Run: servers are then started once and stopped after
// every test ran.
var (
	sharedMu sync.Mutex
	shared   bool
	stops    []func()
	dbSeq    atomic.Int64
)

// Run runs the tests with one server per kind for the whole binary and stops
// the servers afterwards.
func Run(m *testing.M) int {
	sharedMu.Lock()
	shared = true
	sharedMu.Unlock()
	code := m.Run()
	sharedMu.Lock()
	for i := len(stops) - 1; i >= 0; i-- {
		stops[i]()
	}
	stops = nil
	sharedMu.Unlock()
	return code
}

func isShared() bool {
	sharedMu.Lock()
	defer sharedMu.Unlock()
	return shared
}

func atExit(stop func()) {
	sharedMu.Lock()
	stops = append(stops, stop)
	sharedMu.Unlock()
}

// nextDBName returns a database name unique within this test binary.
func nextDBName() string {
	return "t" + strconv.FormatInt(dbSeq.Add(1), 10)
}

// serviceUser is the account a server runs as: servers refuse to run as
// root, so as root they run as their packaged system user; otherwise as
// whoever runs the tests.
type serviceUser struct {
	name     string // "" when no switch is needed
	uid, gid int
}

func userFor(name string) (serviceUser, error) {
	if os.Geteuid() != 0 {
		return serviceUser{}, nil
	}
	u, err := user.Lookup(name)
	if err != nil {
		return serviceUser{}, fmt.Errorf("running as root, but the %q system user is missing: %w", name, err)
	}
	uid, _ := strconv.Atoi(u.Uid)
	gid, _ := strconv.Atoi(u.Gid)
	return serviceUser{name: name, uid: uid, gid: gid}, nil
}

// command builds a command that runs as u.
func (u serviceUser) command(name string, args ...string) *exec.Cmd {
	if u.name == "" {
		return exec.Command(name, args...)
	}
	return exec.Command("runuser", append([]string{"-u", u.name, "--", name}, args...)...)
}

// chown hands dir to u so the server can write there.
func (u serviceUser) chown(dir string) error {
	if u.name == "" {
		return nil
	}
	return os.Chown(dir, u.uid, u.gid)
}

// watchdog starts a detached shell that runs stop once this process is gone,
// so a test binary killed by a timeout does not leave a server behind. It
// returns a function that ends the watchdog.
func watchdog(stop string) func() {
	script := fmt.Sprintf("while kill -0 %d 2>/dev/null; do sleep 1; done; %s", os.Getpid(), stop)
	cmd := exec.Command("sh", "-c", script)
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	if err := cmd.Start(); err != nil {
		return func() {}
	}
	go cmd.Wait() //nolint:errcheck // reaped only; its exit status means nothing
	return func() {
		if cmd.Process != nil {
			_ = cmd.Process.Kill()
		}
	}
}

// shellQuote quotes s for sh.
func shellQuote(s string) string {
	out := []byte{'\''}
	for i := 0; i < len(s); i++ {
		if s[i] == '\'' {
			out = append(out, `'\''`...)
		} else {
			out = append(out, s[i])
		}
	}
	return string(append(out, '\''))
}

func shellJoin(args []string) string {
	s := ""
	for i, a := range args {
		if i > 0 {
			s += " "
		}
		s += shellQuote(a)
	}
	return s
}
