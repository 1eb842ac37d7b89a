package schema

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// The YAML library counts U+2028, U+2029 and U+0085 as line breaks (YAML
// 1.1); editors, grep and CI annotations do not, so positions after one
// are corrected. A lone CR is a line break for both, and positions
// computed from the bytes count it too.
func TestPositionsCountLinesAsEditorsDo(t *testing.T) {
	for name, c := range map[string]struct{ yaml, want string }{
		"line separators in a quoted string": {
			"permcat: 1\ncatalog: x\ngroups:\n  g:\n    name: \"\u2028\u2029\u0085\"\n    permissions:\n      v: {name: V, requires: [nope]}\n",
			"permcat.yaml:7:31: requires \"nope\": no permission g.nope",
		},
		"a line separator before the mistake on its line": {
			"permcat: 1\ncatalog: x\ngroups:\n  g:\n    name: G\n    permissions:\n      v: {name: \"a\u2028b\", requires: [nope]}\n",
			"permcat.yaml:7:35: requires \"nope\": no permission g.nope",
		},
		"lone CRs, a semantic error": {
			"permcat: 1\rcatalog: x\rgroups:\r  g:\r    name: G\r    permissions:\r      v: {name: V, requires: [nope]}\r",
			"permcat.yaml:7:31: requires \"nope\": no permission g.nope",
		},
		"lone CRs, a syntax error": {
			"permcat: 1\rcatalog: x\rgroups:\r  g:\r    name: G\r    permissions:\r      v: {name: [V}\r",
			"permcat.yaml:7:",
		},
		"CRLF stays as it was": {
			"permcat: 1\r\ncatalog: x\r\ngroups:\r\n  g:\r\n    name: G\r\n    permissions:\r\n      v: {name: V, requires: [nope]}\r\n",
			"permcat.yaml:7:31: requires \"nope\": no permission g.nope",
		},
	} {
		t.Run(name, func(t *testing.T) {
			dir := t.TempDir()
			if err := os.WriteFile(filepath.Join(dir, "permcat.yaml"), []byte(c.yaml), 0o644); err != nil {
				t.Fatal(err)
			}
			_, errs := Compile(dir, Options{})
			got := strings.ReplaceAll(errs.Error(), dir+string(filepath.Separator), "")
			if !strings.Contains(got, c.want) {
				t.Errorf("got:\n%s\nwant a finding starting %q", got, c.want)
			}
		})
	}
}

func TestLoneCRToLF(t *testing.T) {
	for in, want := range map[string]string{
		"a\rb":         "a\nb",
		"a\r\nb\rc\r":  "a\r\nb\nc\n",
		"a\r\r\nb":     "a\n\r\nb",
		"no breaks":    "no breaks",
		"crlf\r\nonly": "crlf\r\nonly",
	} {
		if got := string(loneCRToLF([]byte(in))); got != want {
			t.Errorf("loneCRToLF(%q) = %q; want %q", in, got, want)
		}
	}
}
