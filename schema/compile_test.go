package schema

import (
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

var update = flag.Bool("update", false, "rewrite golden files")

// relErrors prints findings with paths relative to dir, one per line.
func relErrors(dir string, errs Errors) string {
	var b strings.Builder
	for _, e := range errs {
		if r, err := filepath.Rel(dir, e.Pos.File); err == nil {
			e.Pos.File = filepath.ToSlash(r)
		}
		b.WriteString(e.Error())
		b.WriteByte('\n')
	}
	return b.String()
}

func golden(t *testing.T, path string, got []byte) {
	t.Helper()
	if *update {
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test -update to create it)", err)
	}
	if string(want) != string(got) {
		t.Errorf("%s differs from the golden file (go test -update rewrites it)\n--- want\n%s\n--- got\n%s", path, want, got)
	}
}

// Each directory under testdata/errors is a bad catalog; stderr.txt holds
// exactly what permcat reports for it.
func TestBadCatalogsReportEveryErrorAtItsPlace(t *testing.T) {
	dirs, err := filepath.Glob("testdata/errors/*")
	if err != nil || len(dirs) < 40 {
		t.Fatalf("expected at least 40 bad-input cases, found %d (%v)", len(dirs), err)
	}
	for _, dir := range dirs {
		t.Run(filepath.Base(dir), func(t *testing.T) {
			cat, errs := Compile(dir, Options{})
			warnOnly := strings.HasPrefix(filepath.Base(dir), "warnings_")
			if warnOnly {
				if errs.HasErrors() || cat == nil || len(errs) == 0 {
					t.Errorf("want warnings and no errors, got:\n%s", errs)
				}
			} else {
				if !errs.HasErrors() {
					t.Fatalf("want errors, got none")
				}
				if cat != nil {
					t.Errorf("a catalog with errors must not be returned")
				}
			}
			for _, e := range errs {
				if e.Pos.Line == 0 && e.Rule != "file-read" && e.Rule != "file-too-large" {
					t.Errorf("finding without line: %v", e)
				}
				if e.Rule == "" {
					t.Errorf("finding without rule ID: %v", e)
				}
			}
			golden(t, filepath.Join(dir, "stderr.txt"), []byte(relErrors(dir, errs)))
		})
	}
}
