package schema

import (
	"bytes"
	"fmt"
	"strings"
	"testing"
)

// Where a YAML syntax error is reported: at the mistake, not where the
// mapping around it began.
func TestYAMLSyntaxErrorsPointAtTheMistake(t *testing.T) {
	cases := []struct{ doc, want string }{
		// A key indented one space too few (the library says line 3).
		{"permcat: 1\ncatalog: shop\ngroups:\n  orders:\n    name: Orders\n   permissions:\n      view: {name: View}\n",
			"f.yaml:6:4: invalid YAML: did not find expected key"},
		{"permcat: 1\ngroups:\n\torders:\n    name: x\n",
			"f.yaml:3:1: invalid YAML: a tab indents this line; YAML indents with spaces only"},
		{"permcat: 1\ncatalog: shop\ngroups:\n  orders:\n    name: a: b\n",
			"f.yaml:5:12: invalid YAML: mapping values are not allowed in this context"},
		// An unclosed quote: where the string began.
		{"permcat: 1\ncatalog: shop\ngroups:\n  orders:\n    name: \"Orders\n    description: x\n  other:\n    name: y\n",
			"f.yaml:5:11: invalid YAML: found unexpected end of stream"},
		{"permcat: 1\ngroups:\n  orders:\n    name: 'It''s\n",
			"f.yaml:4:11: invalid YAML: found unexpected end of stream"},
		// An unclosed flow mapping: on its line.
		{"permcat: 1\ncatalog: shop\ngroups:\n  orders:\n    name: Orders\n    permissions:\n      view: {name: View\n      edit: {name: Edit}\n",
			"f.yaml:7:20: invalid YAML: did not find expected ',' or '}'"},
		{"permcat: 1\nroles:\n  admin:\n    grants:\n      - a.b\n     - c.d\n",
			"f.yaml:6:6: invalid YAML: did not find expected key"},
		{"permcat: 1\ncatalog: x\n---\ncatalog: y\n  z: 1\n",
			"f.yaml:5:4: invalid YAML: mapping values are not allowed in this context"},
		// Columns count characters, as the library's do.
		{"permcat: 1\ngroups:\n  orders: {name: x, permissions: {view: {name: \"é\", x: @y}}}\n",
			"f.yaml:3:56: invalid YAML: found character that cannot start any token"},
		{"a: b\n- c\n", "f.yaml:2:1: invalid YAML: did not find expected key"},
		{"a: |\n  x\n b\n", "f.yaml:3:2: invalid YAML: did not find expected key"},
		{"a: `x`\n", "f.yaml:1:4: invalid YAML: found character that cannot start any token"},
		{"a: b\r\n  c: d\r\n", "f.yaml:2:4: invalid YAML: mapping values are not allowed in this context"},
	}
	for _, c := range cases {
		_, errs := parseYAML("f.yaml", []byte(c.doc))
		if len(errs) != 1 || errs[0].Rule != "yaml-syntax" {
			t.Errorf("%q: want one yaml-syntax error, got %v", c.doc, errs)
			continue
		}
		if got := strings.TrimSuffix(errs[0].Error(), " [yaml-syntax]"); got != c.want {
			t.Errorf("%q:\n got %s\nwant %s", c.doc, got, c.want)
		}
	}
}

// On a large file the search narrows down to the entries that fail; the
// mistake is found wherever it is.
func TestYAMLSyntaxErrorsInLargeFiles(t *testing.T) {
	for _, n := range []int{2000, 60000} {
		for _, at := range []int{0, n / 3, n - 1} {
			var b strings.Builder
			b.WriteString("permcat: 1\ncatalog: shop\ngroups:\n")
			line := 3
			want := 0
			for i := 0; i < n; i++ {
				fmt.Fprintf(&b, "  group_%d:\n    name: Group\n", i)
				line += 2
				if i == at {
					b.WriteString("    permissions:\n      view: {name: View}\n   bad: 1\n")
					line += 3
					want = line
				}
			}
			b.WriteString("roles: {}\n")
			_, errs := parseYAML("f.yaml", []byte(b.String()))
			wantErr := fmt.Sprintf("f.yaml:%d:4: invalid YAML: did not find expected key [yaml-syntax]", want)
			if len(errs) != 1 || errs[0].Error() != wantErr {
				t.Errorf("%d groups, mistake after group %d: got %v, want %s", n, at, errs, wantErr)
			}
		}
	}
}

// FuzzYAMLSyntaxErrorPositions: whatever the input, a syntax error is
// reported inside the file.
func FuzzYAMLSyntaxErrorPositions(f *testing.F) {
	f.Add([]byte("a: b\n  c: d\n"))
	f.Add([]byte("a:\n  - b\n  c: d\n"))
	f.Add([]byte("a: {b: c\nd: e\n"))
	f.Add([]byte("a: \"x\n\n\n"))
	f.Add([]byte("\t\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		if len(data) > 1<<16 {
			return
		}
		_, errs := parseYAML("f.yaml", data)
		// YAML breaks lines at \n, \r\n and a lone \r.
		lines := bytes.Count(bytes.ReplaceAll(data, []byte("\r\n"), []byte("\n")), []byte("\n")) + bytes.Count(bytes.ReplaceAll(data, []byte("\r\n"), nil), []byte("\r")) + 1
		for _, e := range errs {
			if e.Rule != "yaml-syntax" {
				continue
			}
			if e.Pos.Line < 1 || e.Pos.Line > lines || e.Pos.Col < 1 {
				t.Fatalf("%q: error outside the file: %v", data, e)
			}
		}
	})
}

// A key indented less than its siblings, in a file large enough to be
// narrowed: it must stay with the entry before it, wherever the batches
// fall.
func TestADedentedKeyInALargeFile(t *testing.T) {
	// Entries of about 11KB: three to a batch, so every position below
	// falls at the start, middle or end of one.
	pad := strings.Repeat("x", 11000)
	for at := 1; at < 12; at++ {
		var b strings.Builder
		b.WriteString("permcat: 1\ncatalog: shop\ngroups:\n")
		line, want := 3, 0
		for i := 0; i < 12; i++ {
			indent := "  "
			if i == at {
				indent, want = " ", line+1
			}
			fmt.Fprintf(&b, "%sg%d:\n    name: Group %d\n    description: %s\n    permissions:\n      p: {name: P}\n", indent, i, i, pad)
			line += 5
		}
		_, errs := parseYAML("f.yaml", []byte(b.String()))
		if len(errs) != 1 || errs[0].Pos.Line != want {
			t.Errorf("group %d indented by one: got %v, want line %d", at, errs, want)
		}
	}
}

// In a JSON-style file a prefix that ends inside any object fails with
// the same message as the real mistake; the place reported is never
// before the line the library names (8, the end of g1).
func TestAMissingCommaInJSONIsNotReportedEarlier(t *testing.T) {
	doc := `{
  "permcat": 1,
  "catalog": "shop",
  "groups": {
    "g1": {
      "name": "Group 1",
      "permissions": {"view": {"name": "View"}}
    },
    "g2": {
      "name": "Group 2"
      "permissions": {"view": {"name": "View"}}
    }
  }
}
`
	_, errs := parseYAML("f.yaml", []byte(doc))
	if len(errs) != 1 || errs[0].Pos.Line < 8 || errs[0].Pos.Line > 11 {
		t.Errorf("got %v, want a line from 8 to 11, not inside g1", errs)
	}
}

func TestYAMLErrorsCountColumnsAsTheLibraryDoes(t *testing.T) {
	for doc, want := range map[string]string{
		"permcat: 1\ncatalog: shop\ngroups:\n  orders:\n    name: Orders\xe9\n    permissions:\n": "f.yaml:5:17:",
		"permcat: 1\ngroups:\n  orders:\n    name: Or\xc3\xa9\xe9ders\n":                          "f.yaml:4:14:",
		"\xef\xbb\xbfpermcat: 1: x\n": "f.yaml:1:11:",
	} {
		_, errs := parseYAML("f.yaml", []byte(doc))
		if len(errs) != 1 || !strings.HasPrefix(errs[0].Error(), want) {
			t.Errorf("%q: got %v, want %s…", doc, errs, want)
		}
	}
}
