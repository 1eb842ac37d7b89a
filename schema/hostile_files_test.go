package schema

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// soon runs f and fails the test when it has not returned within a few
// seconds: reading a named pipe or a device used to block or never end.
func soon(t *testing.T, what string, f func()) {
	t.Helper()
	done := make(chan struct{})
	go func() {
		defer close(done)
		f()
	}()
	select {
	case <-done:
	case <-time.After(10 * time.Second):
		t.Fatalf("%s did not return", what)
	}
}

// mkfifo makes a named pipe at path, or skips the test where it cannot.
func mkfifo(t *testing.T, path string) {
	t.Helper()
	if _, err := exec.LookPath("mkfifo"); err != nil {
		t.Skip("no mkfifo here")
	}
	if out, err := exec.Command("mkfifo", path).CombinedOutput(); err != nil {
		t.Skipf("mkfifo: %v: %s", err, out)
	}
}

func needDevZero(t *testing.T) {
	t.Helper()
	if st, err := os.Stat("/dev/zero"); err != nil || st.Mode().IsRegular() {
		t.Skip("no /dev/zero here")
	}
}

const secret = "root:$6$saltsalt$hashhashhash:19000:0:99999:7:::\n"

// An include that climbs out of the root file's directory is an error at
// the pattern; the file it names is not read, so none of its lines come
// back in a syntax error.
func TestAnIncludeThatLeavesTheCatalogDirectoryIsRejected(t *testing.T) {
	for _, pat := range []string{"../secret", "../../../../../../../../secret", "sub/../../secret", "../*", "..", "../cat/../secret"} {
		dir := t.TempDir()
		writeTree(t, dir, map[string]string{
			"secret":           secret,
			"cat/permcat.yaml": "permcat: 1\ncatalog: shop\ninclude: [\"" + pat + "\"]\n" + group("orders"),
		})
		_, errs := Compile(filepath.Join(dir, "cat"), Options{})
		got := relErrors(dir, errs)
		want := `cat/permcat.yaml:3:11: include "` + pat + `" leads outside the catalog: patterns are relative to the root file's directory (` + filepath.Join(dir, "cat") + `) and must stay inside it [include-outside]` + "\n"
		if got != want {
			t.Errorf("include %q:\ngot:\n%s\nwant:\n%s", pat, got, want)
		}
		if strings.Contains(got, "root:") || strings.Contains(got, "saltsalt") {
			t.Errorf("include %q: the file outside was read: %s", pat, got)
		}
	}
}

// A `..` that climbs back into the directory stays inside it.
func TestAnIncludeThatClimbsBackInIsRead(t *testing.T) {
	dir := t.TempDir()
	writeTree(t, dir, map[string]string{
		"cat/permcat.yaml": "permcat: 1\ncatalog: shop\ninclude: [\"../cat/frags/*.yaml\", \"frags/../frags/b.yaml\"]\n" + group("orders"),
		"cat/frags/b.yaml": group("billing"),
	})
	cat, errs := Compile(filepath.Join(dir, "cat"), Options{})
	if errs.HasErrors() {
		t.Fatalf("unexpected errors:\n%s", relErrors(dir, errs))
	}
	if got := strings.Join(fragmentsOf(t, filepath.Join(dir, "cat"), cat), " "); got != "frags/b.yaml" {
		t.Errorf("fragments: %s", got)
	}
}

// A fragment that a symlink takes outside the root file's directory is
// not read: the error is at the pattern and names the file by the path
// the glob matched.
func TestAFragmentASymlinkTakesOutsideIsNotRead(t *testing.T) {
	dir := t.TempDir()
	writeTree(t, dir, map[string]string{
		"outside/sub/leak.yaml": "password: [hunter2\n",
		"outside/sub/two.yaml":  group("two"),
		"cat/permcat.yaml":      "permcat: 1\ncatalog: shop\ninclude: [\"ext/sub/*.yaml\", \"frags/*.yaml\"]\n" + group("orders"),
		"cat/frags/b.yaml":      group("billing"),
	})
	if err := os.Symlink(filepath.Join(dir, "outside"), filepath.Join(dir, "cat", "ext")); err != nil {
		t.Skipf("no symlinks here: %v", err)
	}
	_, errs := Compile(filepath.Join(dir, "cat"), Options{})
	got := relErrors(dir, errs)
	want := `cat/permcat.yaml:3:11: include "ext/sub/*.yaml" matches ext/sub/leak.yaml (and 1 more), which a symlink leads outside the root file's directory (` + filepath.Join(dir, "cat") + `); permcat reads no file outside it [include-outside]` + "\n"
	if got != want {
		t.Errorf("got:\n%s\nwant:\n%s", got, want)
	}
}

// Catalog files, the lock and the generate config are read only when they
// are regular files: a named pipe used to block for ever, and a device
// such as /dev/zero to eat memory until the process died.
func TestSpecialFilesAreRefusedBeforeTheyAreOpened(t *testing.T) {
	needDevZero(t)
	dir := t.TempDir()
	mkfifo(t, filepath.Join(dir, "fifo.yaml"))
	writeTree(t, dir, map[string]string{
		"lockzero/permcat.yaml": "permcat: 1\ncatalog: shop\n" + group("orders"),
		"lockfifo/permcat.yaml": "permcat: 1\ncatalog: shop\n" + group("orders"),
	})
	mkfifo(t, filepath.Join(dir, "lockfifo", LockFileName))
	if err := os.Symlink("/dev/zero", filepath.Join(dir, "lockzero", LockFileName)); err != nil {
		t.Skipf("no symlinks here: %v", err)
	}
	for _, tc := range []struct{ path, want string }{
		{"/dev/zero", "/dev/zero: not a regular file but a character device; permcat reads only regular files [file-read]\n"},
		{filepath.Join(dir, "fifo.yaml"), "fifo.yaml: not a regular file but a named pipe (FIFO); permcat reads only regular files [file-read]\n"},
		{filepath.Join(dir, "lockzero"), "lockzero/permcat.lock: not a regular file but a character device; permcat reads only regular files [file-read]\n"},
		{filepath.Join(dir, "lockfifo"), "lockfifo/permcat.lock: not a regular file but a named pipe (FIFO); permcat reads only regular files [file-read]\n"},
	} {
		var errs Errors
		soon(t, "Compile "+tc.path, func() { _, errs = Compile(tc.path, Options{}) })
		got := errs.Error() + "\n"
		if strings.HasPrefix(tc.path, dir) {
			got = relErrors(dir, errs)
		}
		if got != tc.want {
			t.Errorf("Compile(%s):\ngot:  %swant: %s", tc.path, got, tc.want)
		}
	}
}

// A file whose size the system does not know in advance (those under
// /proc say 0) is still cut off at the limit.
func TestReadRegularFileCutsOffAFileLongerThanItsSize(t *testing.T) {
	const name = "/proc/self/status"
	if st, err := os.Stat(name); err != nil || st.Size() != 0 {
		t.Skip("no /proc here")
	}
	_, err := ReadRegularFile(name, 16, "test files")
	if err == nil || err.Error() != "file is over 16 bytes; test files are limited to 16 bytes (16 bytes)" {
		t.Errorf("err = %v", err)
	}
	if data, err := ReadRegularFile(name, 1<<20, "test files"); err != nil || len(data) == 0 {
		t.Errorf("read %d bytes, err %v", len(data), err)
	}
}

// permcat.lock has its own limit, far above a catalog file's: a lock of a
// catalog with many former keys outgrows 8 MiB, and a run that could not
// read back the lock generate wrote left the project stuck.
func TestALockLargerThanACatalogFileIsRead(t *testing.T) {
	dir := t.TempDir()
	var b strings.Builder
	b.WriteString("permcat-lock 1\ncatalog shop\n1 orders.view\n")
	for b.Len() <= MaxFileSize+1024 {
		b.WriteString("# a comment line that pads the lock past the limit of a catalog file\n")
	}
	writeTree(t, dir, map[string]string{
		"permcat.yaml": "permcat: 1\ncatalog: shop\n" + group("orders"),
		LockFileName:   b.String(),
	})
	cat, errs := Compile(dir, Options{})
	if errs.HasErrors() {
		t.Fatalf("unexpected errors:\n%s", relErrors(dir, errs))
	}
	if p := cat.PermissionByKey("orders.view"); p == nil || p.ID != 1 {
		t.Errorf("orders.view: %+v", p)
	}
}

// Inside a repository (a directory holding .git), include patterns may
// reach shared fragments beside the catalog, and nothing above the
// repository.
func TestIncludeStaysInsideTheRepository(t *testing.T) {
	top := t.TempDir()
	repo := filepath.Join(top, "repo")
	writeTree(t, repo, map[string]string{
		".git/HEAD":         "ref: refs/heads/main\n",
		"cat/permcat.yaml":  "permcat: 1\ncatalog: shop\ninclude: [\"../shared/*.yaml\"]\n" + group("orders"),
		"shared/roles.yaml": group("billing"),
	})
	if _, errs := Compile(filepath.Join(repo, "cat"), Options{}); errs.HasErrors() {
		t.Fatalf("a shared fragment inside the repository: %v", errs)
	}
	writeTree(t, top, map[string]string{"secret.yaml": "groups: {}\n"})
	writeTree(t, repo, map[string]string{"cat/permcat.yaml": "permcat: 1\ncatalog: shop\ninclude: [\"../../*.yaml\"]\n" + group("orders")})
	_, errs := Compile(filepath.Join(repo, "cat"), Options{})
	if !strings.Contains(errs.Error(), `include "../../*.yaml" leads outside the catalog`) || !strings.Contains(errs.Error(), "must stay inside the repository holding it ("+repo+")") {
		t.Errorf("a pattern above the repository: %v", errs)
	}
}
