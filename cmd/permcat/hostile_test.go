package main

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// permcatSoon is permcat, failing the test when the run does not end
// within a few seconds (a named pipe used to block it for ever).
func permcatSoon(t *testing.T, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	done := make(chan struct{})
	go func() {
		defer close(done)
		code, stdout, stderr = permcat(t, args...)
	}()
	select {
	case <-done:
	case <-time.After(20 * time.Second):
		t.Fatalf("permcat %q did not return", args)
	}
	return code, stdout, stderr
}

func auditGrants(t *testing.T, grants string) (int, string, string) {
	t.Helper()
	return permcatSoon(t, "audit", "--catalog", "../../examples/metrc", "--profile", "reverse_sync_user", "--grants", grants)
}

// The grants file is read only when it is a regular file, and only up to
// 64 MiB.
func TestAuditRefusesAGrantsFileThatIsNotARegularFileOrTooLarge(t *testing.T) {
	dir := t.TempDir()
	if st, err := os.Stat("/dev/zero"); err == nil && !st.Mode().IsRegular() {
		code, _, stderr := auditGrants(t, "/dev/zero")
		if want := "permcat audit: /dev/zero: not a regular file but a character device; permcat reads only regular files\n"; code != 2 || stderr != want {
			t.Errorf("/dev/zero: exit %d, stderr %q; want 2, %q", code, stderr, want)
		}
	}
	fifo := filepath.Join(dir, "grants.fifo")
	if _, err := exec.LookPath("mkfifo"); err == nil && exec.Command("mkfifo", fifo).Run() == nil {
		code, _, stderr := auditGrants(t, fifo)
		if want := "permcat audit: " + fifo + ": not a regular file but a named pipe (FIFO); permcat reads only regular files\n"; code != 2 || stderr != want {
			t.Errorf("fifo: exit %d, stderr %q; want 2, %q", code, stderr, want)
		}
	}
	big := filepath.Join(dir, "big.txt")
	f, err := os.Create(big)
	if err != nil {
		t.Fatal(err)
	}
	if err := f.Truncate(64<<20 + 1); err != nil { // sparse: costs no disk
		t.Skip("cannot make a sparse file:", err)
	}
	f.Close()
	code, _, stderr := auditGrants(t, big)
	if want := "permcat audit: " + big + ": file is 67108865 bytes; grants files are limited to 67108864 bytes (64 MiB)\n"; code != 2 || stderr != want {
		t.Errorf("big: exit %d, stderr %q; want 2, %q", code, stderr, want)
	}
}

// An entry of a grants file is quoted in an error up to about 80 bytes: a
// file of one 50MB line used to come back whole, four times the size once
// its NULs were escaped.
func TestAuditErrorsQuoteAtMost80BytesOfAnEntry(t *testing.T) {
	dir := t.TempDir()
	long := strings.Repeat("\x00", 1<<20)
	writeFiles(t, dir, map[string]string{
		"line.txt":   "employees.view\n" + long + "\n",
		"scalar.yml": "-" + strings.Repeat("a", 1<<20) + "\n",
		"item.yml":   "- employees.view\n- " + strings.Repeat("b", 300) + "\n",
	})
	for name, want := range map[string]string{
		"line.txt":   filepath.Join(dir, "line.txt") + `:2: unknown permission "` + strings.Repeat(`\x00`, 19) + `…"` + "\n",
		"scalar.yml": filepath.Join(dir, "scalar.yml") + `:1: expected a list of permission keys, found "-` + strings.Repeat("a", 77) + `…" (1048577 bytes)` + "\n",
		"item.yml":   filepath.Join(dir, "item.yml") + `:2: unknown permission "` + strings.Repeat("b", 78) + `…"` + "\n",
	} {
		code, _, stderr := auditGrants(t, filepath.Join(dir, name))
		if code != 1 || stderr != want {
			t.Errorf("%s: exit %d, stderr (%d bytes) %.400q\nwant %q", name, code, len(stderr), stderr, want)
		}
	}
}

// A path with a control character is a usage error as a flag, and an
// error at its position in permcat.gen.yaml; a NUL used to reach the
// system call ("open r15_nul_ts/. .tmp2066137961: invalid argument").
func TestGeneratePathsWithControlCharactersAreRefused(t *testing.T) {
	dir := t.TempDir()
	writeFiles(t, dir, map[string]string{"cat/permcat.yaml": small})
	code, _, stderr := permcat(t, "generate", filepath.Join(dir, "cat"), "--ts", filepath.Join(dir, "p\x1b[2J.ts"))
	if want := "permcat generate: --ts \"" + filepath.Join(dir, `p\x1b[2J.ts`) + "\": the path contains a control character (U+001B); paths must be plain text\n"; code != 2 || stderr != want {
		t.Errorf("flag: exit %d, stderr %q\nwant %q", code, stderr, want)
	}
	writeFiles(t, dir, map[string]string{"cat/permcat.gen.yaml": "ts: \"\\u0000\"\n"})
	code, _, stderr = permcat(t, "generate", filepath.Join(dir, "cat"))
	if want := filepath.Join(dir, "cat", "permcat.gen.yaml") + ":1:5: ts \"" + filepath.Join(dir, "cat") + "/\\x00\": the path contains a control character (U+0000); paths must be plain text [config]\n"; code != 1 || stderr != want {
		t.Errorf("config: exit %d, stderr %q\nwant %q", code, stderr, want)
	}
	if entries, _ := os.ReadDir(filepath.Join(dir, "cat")); len(entries) != 2 {
		t.Errorf("something was written: %v", entries)
	}
}
