package build

import (
	"fmt"
	"strings"
	"testing"
)

func TestUnifiedDiffShowsDeletionsBeforeAdditionsWithContext(t *testing.T) {
	a := "a\nb\nc\nd\ne\nf\ng\nh\n"
	b := "a\nb\nc\nD\ne\nf\ng\nh\ni\n"
	got := UnifiedDiff("x", []byte(a), []byte(b))
	want := `--- x (on disk)
+++ x (generated)
@@ -1,8 +1,9 @@
 a
 b
 c
-d
+D
 e
 f
 g
 h
+i
`
	if got != want {
		t.Errorf("got:\n%s\nwant:\n%s", got, want)
	}
	if UnifiedDiff("x", []byte(a), []byte(a)) != "" {
		t.Error("equal inputs must give no diff")
	}
}

func TestUnifiedDiffSplitsDistantChangesIntoHunks(t *testing.T) {
	var a, b []string
	for i := 0; i < 40; i++ {
		a = append(a, fmt.Sprintf("line %d", i))
		b = append(b, fmt.Sprintf("line %d", i))
	}
	b[2], b[35] = "changed", "changed"
	got := UnifiedDiff("x", []byte(strings.Join(a, "\n")), []byte(strings.Join(b, "\n")))
	if n := strings.Count(got, "@@ -"); n != 2 {
		t.Errorf("want 2 hunks, got %d:\n%s", n, got)
	}
	if !strings.Contains(got, "@@ -33,7 +33,7 @@\n line 32\n line 33\n line 34\n-line 35\n+changed\n") {
		t.Errorf("second hunk header wrong:\n%s", got)
	}
}

func TestHugeRewritesStillDiffQuickly(t *testing.T) {
	var a, b strings.Builder
	for i := 0; i < 50000; i++ {
		a.WriteString("old line\n")
		b.WriteString("new line\n")
	}
	got := UnifiedDiff("x", []byte(a.String()), []byte(b.String()))
	if strings.Count(got, "\n-old line") != 50000 {
		t.Error("every old line is shown as removed")
	}
}
