package build

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/permcat/permcat/schema"
)

// overlapping are target settings, relative to the catalog's directory,
// where one target's file stands where another needs a directory, or two
// targets write one file. want is what the error must mention.
var overlapping = []struct {
	name    string
	targets Targets
	want    []string
}{
	{"the TypeScript file is the Go directory",
		Targets{TSFile: "o/x.ts", GoDir: "o/x.ts", GoPackage: "rx"}, []string{"ts target", "go target", "o/x.ts"}},
	{"the TypeScript file is above the Go directory",
		Targets{TSFile: "o/x.ts", GoDir: "o/x.ts/deeper", GoPackage: "rx"}, []string{"ts target", "go target", "o/x.ts"}},
	{"a docs file is the Go directory",
		Targets{DocsDir: "out", GoDir: "out/roles.md", GoPackage: "rx"}, []string{"docs target", "go target", "out/roles.md"}},
	{"the TypeScript file is an SQL dialect's directory",
		Targets{SQLDir: "s", TSFile: "s/postgres"}, []string{"ts target", "sql target", "s/postgres"}},
	{"the lock is the Go directory",
		Targets{GoDir: "permcat.lock", GoPackage: "rx"}, []string{"lock", "go target", "permcat.lock"}},
	{"the TypeScript file is the lock",
		Targets{TSFile: "permcat.lock"}, []string{"lock", "ts target", "permcat.lock"}},
	{"a path spelled differently is the same path",
		Targets{TSFile: "o/../o/x.ts", GoDir: "o//x.ts/", GoPackage: "rx"}, []string{"ts target", "go target", "x.ts"}},
	{"two targets write the same file",
		Targets{TSFile: "o/roles.md", DocsDir: "o"}, []string{"ts target", "docs target", "o/roles.md"}},
}

// rooted puts the targets' paths under dir as they are, uncleaned.
func rooted(dir string, t Targets) Targets {
	for _, p := range []*string{&t.GoDir, &t.TSFile, &t.SQLDir, &t.DocsDir} {
		if *p != "" {
			*p = dir + string(filepath.Separator) + filepath.FromSlash(*p)
		}
	}
	return t
}

// temporaries lists every file under dir that looks like a temporary
// file of a write.
func temporaries(t *testing.T, dir string) []string {
	t.Helper()
	var out []string
	filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		if err == nil && strings.Contains(d.Name(), ".tmp") {
			out = append(out, path)
		}
		return nil
	})
	return out
}

// staleLock stands in for a lock from an earlier run: every run here
// would rewrite it, so finding it intact shows that it was left alone.
const staleLock = "permcat-lock 1\ncatalog metrc\n"

func TestWriteRejectsOverlappingTargetsBeforeChangingAnything(t *testing.T) {
	for _, tc := range overlapping {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			cat := compileExample(t, "metrc", dir)
			lockPath := schema.LockPath(filepath.Join(dir, "permcat.yaml"))
			if err := os.WriteFile(lockPath, []byte(staleLock), 0o644); err != nil {
				t.Fatal(err)
			}
			before := tree(t, dir)
			targets := rooted(dir, tc.targets)
			err := Write(cat, targets, lockPath)
			if err == nil {
				t.Fatal("Write succeeded")
			}
			for _, w := range tc.want {
				if !strings.Contains(err.Error(), filepath.FromSlash(w)) {
					t.Errorf("error %q does not mention %q", err, w)
				}
			}
			after := tree(t, dir)
			for path := range after {
				if _, ok := before[path]; !ok {
					t.Errorf("%s was left behind", path)
				}
			}
			for path, content := range before {
				if after[path] != content {
					t.Errorf("%s changed", path)
				}
			}
			if tmps := temporaries(t, dir); len(tmps) > 0 {
				t.Errorf("temporary files left behind: %v", tmps)
			}
		})
	}
}

func TestRenderAndPlanRejectOverlappingTargets(t *testing.T) {
	for _, tc := range overlapping {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			cat := compileExample(t, "metrc", dir)
			lockPath := schema.LockPath(filepath.Join(dir, "permcat.yaml"))
			targets := rooted(dir, tc.targets)
			outs, err := Render(cat, targets)
			if err == nil {
				_, err = MakePlan(cat, outs, targets, lockPath)
			}
			if err == nil {
				t.Fatal("Render and MakePlan succeeded")
			}
			for _, w := range tc.want {
				if !strings.Contains(err.Error(), filepath.FromSlash(w)) {
					t.Errorf("error %q does not mention %q", err, w)
				}
			}
		})
	}
}

func TestApplyRejectsAPlanWhoseFilesOverlap(t *testing.T) {
	dir := t.TempDir()
	p := &Plan{Write: []Output{
		{Path: filepath.Join(dir, "a"), Content: []byte("a"), Target: "ts"},
		{Path: filepath.Join(dir, "a", "b.go"), Content: []byte("b"), Target: "go"},
	}}
	if err := Apply(p); err == nil || !strings.Contains(err.Error(), "needs as a directory") {
		t.Fatalf("Apply = %v; want an overlap error", err)
	}
	if entries, _ := os.ReadDir(dir); len(entries) != 0 {
		t.Errorf("Apply left %d entries", len(entries))
	}
}

func TestTargetsSideBySideDoNotOverlap(t *testing.T) {
	dir := t.TempDir()
	cat := compileExample(t, "metrc", dir)
	// A shared directory, and names that merely start like another's.
	targets := Targets{GoDir: filepath.Join(dir, "out"), GoPackage: "perms", DocsDir: filepath.Join(dir, "out"),
		TSFile: filepath.Join(dir, "out.ts"), SQLDir: filepath.Join(dir, "out.ts.d")}
	if err := Write(cat, targets, schema.LockPath(filepath.Join(dir, "permcat.yaml"))); err != nil {
		t.Fatal(err)
	}
}

func TestAFailedRenameLeavesNoTemporaryFilesNorTheLock(t *testing.T) {
	dir := t.TempDir()
	cat := compileExample(t, "metrc", dir)
	lockPath := schema.LockPath(filepath.Join(dir, "permcat.yaml"))
	if err := os.WriteFile(lockPath, []byte(staleLock), 0o644); err != nil {
		t.Fatal(err)
	}
	// The second rename fails, after the first output is in place and
	// with the lock's temporary file still waiting for its turn.
	renames := 0
	rename = func(from, to string) error {
		if renames++; renames == 2 {
			return &os.LinkError{Op: "rename", Old: from, New: to, Err: errors.New("injected failure")}
		}
		return os.Rename(from, to)
	}
	t.Cleanup(func() { rename = os.Rename })
	err := Write(cat, allTargets(dir), lockPath)
	if err == nil || !strings.Contains(err.Error(), "injected failure") {
		t.Fatalf("Write = %v; want the rename's error", err)
	}
	if tmps := temporaries(t, dir); len(tmps) > 0 {
		t.Errorf("temporary files left behind: %v", tmps)
	}
	if b, _ := os.ReadFile(lockPath); string(b) != staleLock {
		t.Error("the lock was changed by a run that failed")
	}
}
