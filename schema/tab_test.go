package schema

import (
	"strings"
	"testing"
)

// A tab where YAML wants spaces is named as such, at the tab, whatever
// the library calls it; other characters that cannot start a token keep
// the library's message.
func TestYAMLTabIsNamedAtTheTab(t *testing.T) {
	const indents = "a tab indents this line; YAML indents with spaces only"
	cases := []struct{ doc, want string }{
		{"a:\n\tb: 1\n", "f.yaml:2:1: " + indents},
		// A tab after spaces: at the tab, not at the line's start.
		{"a:\n  b: 1\n  \t  c: 2\n", "f.yaml:3:3: " + indents},
		{"a:\n  b: 1\n\tc: 2\n", "f.yaml:3:1: " + indents},       // "tab character that violates indentation"
		{"a:\n  - 1\n\t- 2\n", "f.yaml:3:1: " + indents},         // in a sequence
		{"a: |\n\tfoo\n", "f.yaml:2:1: " + indents},              // "where an indentation space is expected"
		{"a: 1\n\t# c\n", "f.yaml:2:1: " + indents},              // before a comment
		{"a:\r\n  b: 1\r\n\tc: 2\r\n", "f.yaml:3:1: " + indents}, // CRLF
		{"\xef\xbb\xbfa:\n\tb: 1\n", "f.yaml:2:1: " + indents},   // BOM
		{"\ta: 1\n", "f.yaml:1:1: " + indents},
		{"\xef\xbb\xbf  \ta: 1\n", "f.yaml:1:3: " + indents},
		// After a sequence's dash: not the line's indentation.
		{"a:\n  - \tb: 1\n", "f.yaml:2:5: a tab stands where YAML expects spaces; YAML indents with spaces only"},
		// A tab inside a flow collection is allowed; the @ is the mistake.
		{"a: [1,\n\t@2]\n", "f.yaml:2:2: found character that cannot start any token"},
		{"a: `x`\n", "f.yaml:1:4: found character that cannot start any token"},
	}
	for _, c := range cases {
		_, errs := parseYAML("f.yaml", []byte(c.doc))
		if len(errs) != 1 || errs[0].Rule != "yaml-syntax" {
			t.Errorf("%q: want one yaml-syntax error, got %v", c.doc, errs)
			continue
		}
		got := strings.Replace(strings.TrimSuffix(errs[0].Error(), " [yaml-syntax]"), "invalid YAML: ", "", 1)
		if got != c.want {
			t.Errorf("%q:\n got %s\nwant %s", c.doc, got, c.want)
		}
	}
	// Tabs elsewhere are fine.
	for _, doc := range []string{"a:\tb\n", "a: \"x\ty\"\n", "a: [1,\n\t2]\n"} {
		if _, errs := parseYAML("f.yaml", []byte(doc)); len(errs) != 0 {
			t.Errorf("%q: want no errors, got %v", doc, errs)
		}
	}
}
