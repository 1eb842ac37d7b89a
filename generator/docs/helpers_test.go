package docs

import (
	"bytes"
	"flag"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/permcat/permcat/schema"
)

var update = flag.Bool("update", false, "rewrite golden files")

// catalogs are the inputs with golden output: the three examples and a
// catalog full of strings that Markdown would misread.
var catalogs = map[string]string{
	"cutdry":  "../../examples/cutdry",
	"metrc":   "../../examples/metrc",
	"dutchie": "../../examples/dutchie",
	"hostile": "testdata/hostile",
}

func compile(t *testing.T, path string) *schema.Catalog {
	t.Helper()
	cat, errs := schema.Compile(path, schema.Options{})
	if errs.HasErrors() {
		t.Fatalf("compiling %s:\n%v", path, errs)
	}
	return cat
}

// render generates the docs and returns them by path.
func render(t *testing.T, cat *schema.Catalog) map[string]string {
	t.Helper()
	files, err := Generate(cat, Options{})
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]string{}
	for _, f := range files {
		out[f.Path] = string(f.Content)
	}
	return out
}

func renderPath(t *testing.T, path string) map[string]string {
	t.Helper()
	return render(t, compile(t, path))
}

func golden(t *testing.T, name, got string) {
	t.Helper()
	path := filepath.Join("testdata", "golden", name)
	if *update {
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test -update to create it)", err)
	}
	if !bytes.Equal(want, []byte(got)) {
		t.Errorf("%s is stale; run go test ./generator/docs -update and review the diff\n%s", path, firstDiff(string(want), got))
	}
}

func firstDiff(want, got string) string {
	wl, gl := strings.Split(want, "\n"), strings.Split(got, "\n")
	for i := 0; i < len(wl) || i < len(gl); i++ {
		var w, g string
		if i < len(wl) {
			w = wl[i]
		}
		if i < len(gl) {
			g = gl[i]
		}
		if w != g {
			return "line " + strconv.Itoa(i+1) + ":\n  want: " + w + "\n  got:  " + g
		}
	}
	return ""
}

// splitRow splits a GFM table row into its cells at the pipes that are not
// escaped, the way GitHub does.
func splitRow(line string) []string {
	line = strings.TrimSpace(line)
	line = strings.TrimPrefix(line, "|")
	if strings.HasSuffix(line, "|") && !strings.HasSuffix(line, `\|`) {
		line = line[:len(line)-1]
	}
	var cells []string
	var cur strings.Builder
	for i := 0; i < len(line); i++ {
		switch {
		case line[i] == '\\' && i+1 < len(line):
			cur.WriteByte(line[i])
			cur.WriteByte(line[i+1])
			i++
		case line[i] == '|':
			cells = append(cells, strings.TrimSpace(cur.String()))
			cur.Reset()
		default:
			cur.WriteByte(line[i])
		}
	}
	return append(cells, strings.TrimSpace(cur.String()))
}

// table is a GFM table found in a document.
type table struct {
	header []string
	rows   [][]string
	lines  []string // the raw body lines
}

// tables finds every table: a row followed by a delimiter row, then rows
// until the first line that does not start with a pipe.
func tables(doc string) []table {
	lines := strings.Split(doc, "\n")
	var out []table
	for i := 0; i+1 < len(lines); i++ {
		if !strings.HasPrefix(lines[i], "|") || !strings.HasPrefix(lines[i+1], "| ---") && !strings.HasPrefix(lines[i+1], "| :-:") {
			continue
		}
		tb := table{header: splitRow(lines[i])}
		j := i + 2
		for ; j < len(lines) && strings.HasPrefix(lines[j], "|"); j++ {
			tb.rows = append(tb.rows, splitRow(lines[j]))
			tb.lines = append(tb.lines, lines[j])
		}
		out = append(out, tb)
		i = j
	}
	return out
}

// findTable returns the first table whose header starts with the given
// columns.
func findTable(t *testing.T, doc string, columns ...string) table {
	t.Helper()
	for _, tb := range tables(doc) {
		if len(tb.header) >= len(columns) && slices.Equal(tb.header[:len(columns)], columns) {
			return tb
		}
	}
	t.Fatalf("no table with columns %q", columns)
	return table{}
}

var (
	linkText      = regexp.MustCompile(`\[((?:[^\]\\]|\\.)*)\]\([^)]*\)`)
	anchorTag     = regexp.MustCompile(`<a id="[^"]*"></a>`)
	superscriptsR = regexp.MustCompile(`[⁰¹²³⁴⁵⁶⁷⁸⁹,]+$`)
)

// plain turns rendered inline Markdown back into the text a reader sees.
func plain(s string) string {
	s = anchorTag.ReplaceAllString(s, "")
	s = linkText.ReplaceAllString(s, "$1")
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		if s[i] == '\\' && i+1 < len(s) {
			i++
		}
		b.WriteByte(s[i])
	}
	s = b.String()
	s = strings.NewReplacer("&lt;", "<", "&gt;", ">", "&amp;", "&", "&#123;", "{", "&#125;", "}", "<br>", "\n", "**", "").Replace(s)
	return strings.TrimSpace(s)
}

// label is the text of a matrix row label without its note marks.
func label(s string) string {
	s = strings.TrimSuffix(strings.TrimSpace(superscriptsR.ReplaceAllString(s, "")), "*(deprecated)*")
	return plain(s)
}

// footnoteRefs returns the note numbers a label or mark ends with.
func footnoteRefs(s string) []int {
	sup := superscriptsR.FindString(s)
	var out []int
	for _, part := range strings.Split(sup, ",") {
		n := 0
		for _, r := range part {
			n = n*10 + slices.Index([]rune("⁰¹²³⁴⁵⁶⁷⁸⁹"), r)
		}
		if part != "" {
			out = append(out, n)
		}
	}
	return out
}
