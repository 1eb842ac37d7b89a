package build

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/permcat/permcat/generator"
	"github.com/permcat/permcat/schema"
)

const hostileCatalog = "permcat: 1\ncatalog: shop\ninclude: [\"frags/*.md\"]\ngroups:\n  orders:\n    name: Orders\n    permissions:\n      view: {name: View}\n"

// hostileDir writes a small catalog with a fragment in frags/ whose first
// line happens to be permcat's generated header, and compiles it.
func hostileDir(t *testing.T) (string, *schema.Catalog) {
	t.Helper()
	dir := t.TempDir()
	files := map[string]string{
		"permcat.yaml":   hostileCatalog,
		"frags/notes.md": "# " + generator.Header + "\ngroups:\n  billing:\n    name: Billing\n    permissions:\n      view: {name: View}\n",
	}
	for name, content := range files {
		p := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	cat, errs := schema.Compile(dir, schema.Options{})
	if errs.HasErrors() {
		t.Fatal(errs)
	}
	return dir, cat
}

// soon fails the test when f has not returned within a few seconds:
// opening a named pipe blocks until someone writes to it, and reading
// /dev/zero never ends.
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

// A fragment that lies in an output directory and whose first line holds
// the generated header is a file of the catalog, not an orphan: generate
// used to delete it.
func TestGenerateNeverDeletesAFileOfTheCatalog(t *testing.T) {
	dir, cat := hostileDir(t)
	lock := schema.LockPath(filepath.Join(dir, "permcat.yaml"))
	targets := Targets{DocsDir: filepath.Join(dir, "frags")}
	note := filepath.Join(dir, "frags", "notes.md")
	outs, err := Render(cat, targets)
	if err != nil {
		t.Fatal(err)
	}
	plan, err := MakePlan(cat, outs, targets, lock)
	if err != nil {
		t.Fatal(err)
	}
	if len(plan.Delete) != 0 {
		t.Errorf("the plan deletes %v", plan.Delete)
	}
	if err := Write(cat, targets, lock); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(note); err != nil {
		t.Fatalf("the fragment is gone: %v", err)
	}
	if _, err := os.Stat(filepath.Join(dir, "frags", "permissions.md")); err != nil {
		t.Errorf("the docs were not written: %v", err)
	}
	// A generated file that no target produces any more still goes.
	orphan := filepath.Join(dir, "frags", "old.md")
	if err := os.WriteFile(orphan, []byte("<!-- "+generator.Header+" -->\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := Write(cat, targets, lock); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(orphan); err == nil {
		t.Error("the orphan was kept")
	}
	if _, err := os.Stat(note); err != nil {
		t.Fatalf("the fragment is gone: %v", err)
	}
}

// A lock larger than what the next run reads back is refused, and nothing
// is written: the project would be stuck on a lock it cannot read.
func TestALockTooLargeToReadBackIsNotWritten(t *testing.T) {
	for _, tc := range []struct {
		size, line int
		want       string
	}{
		{size: 64, line: schema.MaxFileSize, want: "and permcat reads a lock of at most 64 bytes, so the next run could not read it"},
		{size: schema.MaxLockSize, line: 16, want: "bytes, and permcat reads lock lines of under 16 bytes, so the next run could not read it"},
	} {
		t.Cleanup(func() { maxLockSize, maxLockLine = schema.MaxLockSize, schema.MaxFileSize })
		maxLockSize, maxLockLine = tc.size, tc.line
		dir, cat := hostileDir(t)
		lock := schema.LockPath(filepath.Join(dir, "permcat.yaml"))
		targets := Targets{TSFile: filepath.Join(dir, "ts", "p.ts")}
		err := Write(cat, targets, lock)
		if err == nil || !strings.Contains(err.Error(), "refusing to write "+lock) || !strings.Contains(err.Error(), tc.want) || !strings.HasSuffix(err.Error(), "(nothing was changed)") {
			t.Errorf("Write: %v", err)
		}
		for _, p := range []string{lock, filepath.Join(dir, "ts")} {
			if _, err := os.Stat(p); err == nil {
				t.Errorf("%s was written", p)
			}
		}
		outs, err := Render(cat, targets)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := MakePlan(cat, outs, targets, lock); err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("MakePlan: %v", err)
		}
	}
}

// An output path that is a named pipe, a device, or a symlink to one is
// refused, and nothing is written: a pipe hung generate, a device was
// replaced by a regular file (--ts /dev/null as root), and --check read
// /dev/zero without end.
func TestOutputsThatAreNotRegularFilesAreRefused(t *testing.T) {
	if st, err := os.Stat("/dev/zero"); err != nil || st.Mode().IsRegular() {
		t.Skip("no /dev/zero here")
	}
	dir, cat := hostileDir(t)
	lock := schema.LockPath(filepath.Join(dir, "permcat.yaml"))
	// Devices are reached through links in dir: a run of this test
	// against code without the check must not replace /dev/null itself
	// when it runs as root (the rename replaces the link instead).
	for _, l := range []string{"zero.ts", "null.ts"} {
		if err := os.Symlink("/dev/"+strings.TrimSuffix(l, ".ts"), filepath.Join(dir, l)); err != nil {
			t.Skip("no symlinks here:", err)
		}
	}
	cases := map[string]string{
		filepath.Join(dir, "null.ts"):  "cannot write " + filepath.Join(dir, "null.ts") + ": it is a character device, not a regular file; permcat writes only regular files: remove it or choose another output",
		filepath.Join(dir, "zero.ts"):  "cannot write " + filepath.Join(dir, "zero.ts") + ": it is a character device, not a regular file; permcat writes only regular files: remove it or choose another output",
		filepath.Join(dir, "fifo.ts"):  "cannot write " + filepath.Join(dir, "fifo.ts") + ": it is a named pipe (FIFO), not a regular file; permcat writes only regular files: remove it or choose another output",
		filepath.Join(dir, "fifo2.ts"): "",
	}
	if _, err := exec.LookPath("mkfifo"); err == nil && exec.Command("mkfifo", filepath.Join(dir, "fifo.ts")).Run() == nil {
		if err := os.Symlink("fifo.ts", filepath.Join(dir, "fifo2.ts")); err != nil {
			t.Fatal(err)
		}
		cases[filepath.Join(dir, "fifo2.ts")] = strings.ReplaceAll(cases[filepath.Join(dir, "fifo.ts")], "fifo.ts", "fifo2.ts")
	} else {
		delete(cases, filepath.Join(dir, "fifo.ts"))
		delete(cases, filepath.Join(dir, "fifo2.ts"))
	}
	for ts, want := range cases {
		targets := Targets{TSFile: ts}
		var err error
		soon(t, "Write "+ts, func() { err = Write(cat, targets, lock) })
		if err == nil || err.Error() != want+" (nothing was changed)" {
			t.Errorf("Write --ts %s: %v\nwant: %s (nothing was changed)", ts, err, want)
		}
		if _, err := os.Stat(lock); err == nil {
			t.Errorf("--ts %s: the lock was written", ts)
		}
		outs, err := Render(cat, targets)
		if err != nil {
			t.Fatal(err)
		}
		soon(t, "MakePlan "+ts, func() { _, err = MakePlan(cat, outs, targets, lock) })
		if err == nil || err.Error() != want {
			t.Errorf("MakePlan --ts %s: %v\nwant: %s", ts, err, want)
		}
	}
	for _, l := range []string{"zero.ts", "null.ts"} {
		if st, err := os.Lstat(filepath.Join(dir, l)); err != nil || st.Mode()&os.ModeSymlink == 0 {
			t.Errorf("%s was replaced: %v", l, err)
		}
	}
}

// A symlink at an output path is not a file permcat wrote: generate does
// not replace it by a file (the rename would), whatever it points to, but
// a link whose file is up to date is left alone without an error.
func TestASymlinkAtAnOutputPathIsNotReplaced(t *testing.T) {
	dir, cat := hostileDir(t)
	lock := schema.LockPath(filepath.Join(dir, "permcat.yaml"))
	real := filepath.Join(dir, "real.ts")
	link := filepath.Join(dir, "link.ts")
	if err := Write(cat, Targets{TSFile: real}, lock); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink("real.ts", link); err != nil {
		t.Skip("no symlinks here:", err)
	}
	targets := Targets{TSFile: link, TSStyle: "enum"}
	// Up to date through the link: nothing to write.
	if err := Write(cat, targets, lock); err != nil {
		t.Fatalf("Write through an up-to-date link: %v", err)
	}
	// Stale: refused, for Write as for --check.
	if err := os.WriteFile(real, []byte("// "+generator.Header+"\nstale\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	want := "refusing to replace " + link + ": it is a symbolic link (to real.ts), and permcat replaces only files it wrote; remove the link, or write the output where it points"
	if err := Write(cat, targets, lock); err == nil || err.Error() != want+" (nothing was changed)" {
		t.Errorf("Write: %v\nwant: %s (nothing was changed)", err, want)
	}
	outs, err := Render(cat, targets)
	if err != nil {
		t.Fatal(err)
	}
	plan, err := MakePlan(cat, outs, targets, lock)
	if err != nil {
		t.Fatal(err)
	}
	if err := CheckOwned(plan); err == nil || err.Error() != want {
		t.Errorf("CheckOwned: %v\nwant: %s", err, want)
	}
	if err := Apply(plan); err == nil || err.Error() != want {
		t.Errorf("Apply: %v\nwant: %s", err, want)
	}
	if st, err := os.Lstat(link); err != nil || st.Mode()&os.ModeSymlink == 0 {
		t.Errorf("the link was replaced: %v", err)
	}
	if b, _ := os.ReadFile(real); !strings.HasSuffix(string(b), "stale\n") {
		t.Errorf("the file the link points to changed")
	}
}

// Output paths with a NUL or another control character are a positioned
// error in permcat.gen.yaml (they used to reach the system call as
// "invalid argument", with no position) and a usage error as flags.
func TestControlCharactersInPathsAreRefused(t *testing.T) {
	for _, setting := range []string{"go", "ts", "sql", "docs"} {
		for _, v := range []string{"a\x00b", "x\n.ts", "\x1b[31m", "p\u0085q"} {
			msg := CheckValue(setting, v)
			if !strings.Contains(msg, "the path contains a control character") {
				t.Errorf("CheckValue(%s, %q) = %q", setting, v, msg)
			}
		}
		if msg := CheckValue(setting, "perms/ü ok"); msg != "" {
			t.Errorf("CheckValue(%s, plain) = %q", setting, msg)
		}
	}
	if got, want := CheckValue("ts", "a\x00"), `ts "a\x00": the path contains a control character (U+0000); paths must be plain text`; got != want {
		t.Errorf("got  %s\nwant %s", got, want)
	}
	dir := t.TempDir()
	root := filepath.Join(dir, "permcat.yaml")
	if err := os.WriteFile(filepath.Join(dir, ConfigFileName), []byte("ts: \"\\u0000\"\ndocs: \"d\\u0007\"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	_, _, errs := LoadConfig(root)
	got := errs.Error()
	want := filepath.Join(dir, ConfigFileName) + `:1:5: ts "` + filepath.Join(dir, "\x00") + `": the path contains a control character (U+0000); paths must be plain text [config]` + "\n" +
		filepath.Join(dir, ConfigFileName) + `:2:7: docs "` + filepath.Join(dir, "d\a") + `": the path contains a control character (U+0007); paths must be plain text [config]`
	want = strings.ReplaceAll(strings.ReplaceAll(want, "\x00", `\x00`), "\a", `\a`)
	if got != want {
		t.Errorf("got:\n%s\nwant:\n%s", got, want)
	}
}

// permcat.gen.yaml is read only when it is a regular file.
func TestAGenerateConfigThatIsNotARegularFileIsRefused(t *testing.T) {
	if st, err := os.Stat("/dev/zero"); err != nil || st.Mode().IsRegular() {
		t.Skip("no /dev/zero here")
	}
	dir := t.TempDir()
	if err := os.Symlink("/dev/zero", filepath.Join(dir, ConfigFileName)); err != nil {
		t.Skip("no symlinks here:", err)
	}
	var errs schema.Errors
	soon(t, "LoadConfig", func() { _, _, errs = LoadConfig(filepath.Join(dir, "permcat.yaml")) })
	want := filepath.Join(dir, ConfigFileName) + ": not a regular file but a character device; permcat reads only regular files [file-read]"
	if got := errs.Error(); got != want {
		t.Errorf("got  %s\nwant %s", got, want)
	}
}

// --check shows no diff of an old output far larger than the new one; it
// used to read it whole, whatever its size.
func TestCheckDoesNotReadAHugeOldOutput(t *testing.T) {
	dir, cat := hostileDir(t)
	lock := schema.LockPath(filepath.Join(dir, "permcat.yaml"))
	ts := filepath.Join(dir, "p.ts")
	f, err := os.Create(ts)
	if err != nil {
		t.Fatal(err)
	}
	f.WriteString("// " + generator.Header + "\n")
	if err := f.Truncate(maxDiffRead + 1); err != nil { // sparse: costs no disk
		t.Skip("cannot make a sparse file:", err)
	}
	f.Close()
	targets := Targets{TSFile: ts}
	outs, err := Render(cat, targets)
	if err != nil {
		t.Fatal(err)
	}
	plan, err := MakePlan(cat, outs, targets, lock)
	if err != nil {
		t.Fatal(err)
	}
	stale := Stale(plan)
	if want := "stale: " + ts + " (67108865 bytes, too large to show a diff)\n"; !strings.Contains(stale, want) || len(stale) > 64<<10 {
		t.Errorf("Stale: %d bytes, starting %.300q; want %q", len(stale), stale, want)
	}
}
