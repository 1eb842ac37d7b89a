package docs

import (
	"regexp"
	"slices"
	"sort"
	"strings"
	"testing"

	"github.com/permcat/permcat/generator"
	"github.com/permcat/permcat/schema"
)

func sortedNames(m map[string]string) []string {
	var names []string
	for n := range m {
		names = append(names, n)
	}
	sort.Strings(names)
	return names
}

func TestDocsMatchTheGoldenFiles(t *testing.T) {
	for _, name := range sortedNames(catalogs) {
		t.Run(name, func(t *testing.T) {
			files := renderPath(t, catalogs[name])
			if got := sortedNames(files); !slices.Equal(got, []string{"permissions.md", "roles.md"}) {
				t.Fatalf("files = %v, want permissions.md and roles.md", got)
			}
			for _, f := range sortedNames(files) {
				golden(t, name+"/"+f, files[f])
			}
		})
	}
}

func TestTheSameCatalogRendersTheSameBytes(t *testing.T) {
	for _, name := range sortedNames(catalogs) {
		first := renderPath(t, catalogs[name])
		second := renderPath(t, catalogs[name])
		for f := range first {
			if first[f] != second[f] {
				t.Errorf("%s/%s differs between two compiles of the same catalog", name, f)
			}
		}
	}
}

func TestEveryFileSaysItIsGenerated(t *testing.T) {
	files := renderPath(t, catalogs["metrc"])
	for name, content := range files {
		if first, _, _ := strings.Cut(content, "\n"); first != "<!-- "+generator.Header+" -->" {
			t.Errorf("%s starts with %q", name, first)
		}
		if !strings.HasSuffix(content, "\n") || strings.HasSuffix(content, "\n\n") {
			t.Errorf("%s does not end with exactly one newline", name)
		}
		if strings.Contains(content, "\n\n\n") {
			t.Errorf("%s has runs of blank lines", name)
		}
	}
}

var (
	anchorIDs = regexp.MustCompile(`<a id="([^"]+)"></a>`)
	linkRefs  = regexp.MustCompile(`\]\(((?:permissions|roles)\.md)?#([^)]+)\)`)
)

// Links within and between the two files must land on an anchor: a broken
// link in a generated reference is a bug nobody notices until a reader
// clicks it.
func TestEveryLinkLandsOnAnAnchor(t *testing.T) {
	for _, name := range sortedNames(catalogs) {
		files := renderPath(t, catalogs[name])
		ids := map[string]map[string]int{}
		for f, content := range files {
			ids[f] = map[string]int{}
			for _, m := range anchorIDs.FindAllStringSubmatch(content, -1) {
				ids[f][m[1]]++
			}
			for id, n := range ids[f] {
				if n > 1 {
					t.Errorf("%s/%s: anchor %q appears %d times", name, f, id, n)
				}
			}
		}
		for f, content := range files {
			for _, m := range linkRefs.FindAllStringSubmatch(content, -1) {
				target := f
				if m[1] != "" {
					target = m[1]
				}
				if ids[target][m[2]] == 0 {
					t.Errorf("%s/%s links to %s#%s, which has no such anchor", name, f, target, m[2])
				}
			}
		}
	}
}

func TestEveryKeyHasAStableAnchor(t *testing.T) {
	cat := compile(t, catalogs["dutchie"])
	files := render(t, cat)
	for _, p := range cat.Permissions {
		if !strings.Contains(files["permissions.md"], `<a id="perm-`+p.Key+`"></a>`) {
			t.Errorf("no anchor for permission %s", p.Key)
		}
	}
	for _, g := range cat.Groups {
		if !strings.Contains(files["permissions.md"], `<a id="group-`+g.Key+`"></a>`) {
			t.Errorf("no anchor for group %s", g.Key)
		}
	}
	for _, r := range cat.Roles {
		if !strings.Contains(files["roles.md"], `<a id="role-`+r.Key+`"></a>`) {
			t.Errorf("no anchor for role %s", r.Key)
		}
	}
}

// Catalog strings full of pipes, newlines, HTML, Liquid and Markdown
// syntax must stay text: each table row keeps its column count, nothing
// becomes a heading, list, quote or tag the generator did not write.
func TestHostileStringsStayText(t *testing.T) {
	files := renderPath(t, catalogs["hostile"])
	for name, doc := range files {
		for _, tb := range tables(doc) {
			for i, r := range tb.rows {
				if len(r) != len(tb.header) {
					t.Errorf("%s: row %q has %d cells, header %d", name, tb.lines[i], len(r), len(tb.header))
				}
			}
		}
		for _, bad := range []string{"<script", "<b>", "<crew>", "<list>", "{{", "{%", "$x$", "&copy;", "~~"} {
			if strings.Contains(doc, bad) {
				t.Errorf("%s contains %q unescaped", name, bad)
			}
		}
		for _, line := range strings.Split(doc, "\n") {
			ours := line == "" || line == "## Contents" ||
				strings.HasPrefix(line, "<!-- ") ||
				strings.HasPrefix(line, "# ") && strings.Contains(line, ": ") ||
				regexp.MustCompile(`^#{2,6} <a id="[^"]+"></a>`).MatchString(line) ||
				regexp.MustCompile(`^ *- (\[|\*\*)`).MatchString(line) ||
				regexp.MustCompile(`^[0-9]+\. <a id="note-`).MatchString(line) ||
				strings.HasPrefix(line, "|") ||
				regexp.MustCompile(`^([\\A-Za-z&]|[0-9]+\\[.)])`).MatchString(line)
			if !ours {
				t.Errorf("%s: line %q starts a block the generator did not write", name, line)
			}
		}
	}
	if !strings.Contains(files["roles.md"], "| Works nights<br>second line \\| with pipe |") {
		t.Errorf("a multi-line condition description is not kept on one line with <br>")
	}
}

func TestANoteOnAGrantAndAConditionShareTheMatrixNotes(t *testing.T) {
	doc := renderPath(t, catalogs["hostile"])["roles.md"]
	m := findTable(t, doc, "Permission")
	marks := map[string][]string{}
	for _, r := range m.rows {
		marks[label(r[0])] = r[1:]
	}
	for _, want := range []string{"Manage", "Edit {name}", "View | list (`ops.view`)", "View | list (`other.view`)"} {
		if len(marks[want]) != 2 {
			t.Fatalf("matrix row %q = %q, want two role cells; rows: %v", want, marks[want], m.lines)
		}
	}
	// Night holds ops.manage (set per store) when night_shift is on, with a
	// note; it holds ops.edit through that, per store, and on its own,
	// everywhere, when a manager is on duty: the note says which is which.
	if got := marks["Manage"][1]; got != "X*²,⁵" {
		t.Errorf("Night's Manage mark = %q, want X*²,⁵ (condition, then note)", got)
	}
	if got := marks["Edit {name}"][1]; got != "X*²,³,⁴" {
		t.Errorf("Night's Edit mark = %q, want X*²,³,⁴ (either condition, then where each holds)", got)
	}
	if !strings.Contains(doc, "Held when [`night_shift`](#cond-night_shift) per [`store`](permissions.md#scope-store); when [`manager_on_duty`](#cond-manager_on_duty) everywhere.") {
		t.Errorf("the note on a grant bound in one way only is missing")
	}
	if got := marks["View | list (`ops.view`)"]; !slices.Equal(got, []string{"X", "X"}) {
		t.Errorf("View marks = %q; Night inherits Base's grant", got)
	}
	if got := marks["View | list (`other.view`)"][1]; got != "X⁶" {
		t.Errorf("a grant bound to a scope the permission lacks is marked %q, want a note", got)
	}
}

func TestMarkdownHelpers(t *testing.T) {
	for _, c := range []struct{ in, want string }{
		{"a|b", `a\|b`},
		{"one\ntwo", "one<br>two"},
		{"one\r\ntwo\r", "one<br>two"},
		{"`x`", "\\`x\\`"},
		{"<tag> & &amp; a>b", "&lt;tag> & &amp;amp; a>b"},
		{"> quoted", "&gt; quoted"},
		{"# h", `\# h`},
		{"{{x}} {%", `&#123;&#123;x&#125;&#125; &#123;%`},
		{"bad\x00\x07byte\xff", "bad\uFFFD byte\uFFFD"},
	} {
		if got := inline(c.in); got != c.want {
			t.Errorf("inline(%q) = %q, want %q", c.in, got, c.want)
		}
	}
	if got := block("1. one\n- two\n\n===\n    code"); got != "1\\. one\n\\- two\n\n\\===\ncode" {
		t.Errorf("block = %q", got)
	}
	if got := superscript(1) + superscript(10) + superscript(4); got != "¹¹⁰⁴" {
		t.Errorf("superscripts = %q", got)
	}
	if got := code("integrations.*.view"); got != "`integrations.*.view`" {
		t.Errorf("code = %q", got)
	}
	if got := code("a`b|c"); got != "a\\`b\\|c" {
		t.Errorf("code of a string with a backtick = %q", got)
	}
	if got := anchorID("perm", "Odd Key!"); got != "perm-odd-key-" {
		t.Errorf("anchorID = %q", got)
	}
}

func TestANilCatalogIsAnError(t *testing.T) {
	if _, err := Generate(nil, Options{}); err == nil {
		t.Error("Generate(nil) returned no error")
	}
}

func TestACatalogWithNothingInItStillRenders(t *testing.T) {
	files := render(t, &schema.Catalog{Name: "empty"})
	if !strings.Contains(files["roles.md"], "The catalog defines no roles.") {
		t.Errorf("roles.md of an empty catalog:\n%s", files["roles.md"])
	}
	if !strings.Contains(files["permissions.md"], "Catalog `empty`: 0 permissions in 0 groups.") {
		t.Errorf("permissions.md of an empty catalog:\n%s", files["permissions.md"])
	}
}
