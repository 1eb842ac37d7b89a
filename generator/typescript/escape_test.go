package typescript

import (
	"encoding/json"
	"strings"
	"testing"
	"unicode/utf8"
)

func TestStringLiteralsEscapeWhatJavaScriptWouldMisread(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{`plain`, `"plain"`},
		{`say "hi"`, `"say \"hi\""`},
		{`C:\path\`, `"C:\\path\\"`},
		{"${notATemplate} `tick`", "\"${notATemplate} `tick`\""},
		{"*/ and /*", `"*/ and /*"`},
		{"a\nb\rc\td", `"a\nb\rc\td"`},
		{"line\u2028sep\u2029para", `"line\u2028sep\u2029para"`},
		{"nul\x00bell\x07del\x7f", `"nul\u0000bell\u0007del\u007F"`},
		{"emoji 🔐 é", `"emoji 🔐 é"`},
		{"bad \xff byte", `"bad \uFFFD byte"`},
		{`\u2028 written out`, `"\\u2028 written out"`},
	} {
		if got := jsString(tc.in); got != tc.want {
			t.Errorf("jsString(%q) = %s, want %s", tc.in, got, tc.want)
		}
	}
}

// A JavaScript string literal as jsString writes it is also a JSON string,
// so decoding it as JSON must give back the input, and it must not hold a
// raw character that ends a line.
func FuzzStringLiteralsRoundTrip(f *testing.F) {
	for _, s := range []string{"", `"\`, "${x}", "*/", "\u2028\u2029", "🔐", "\x00\x1f\x7f", "\r\n", "\u0085"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if !utf8.ValidString(s) {
			s = strings.ToValidUTF8(s, "\uFFFD")
		}
		lit := jsString(s)
		if strings.ContainsAny(lit, "\n\r\u2028\u2029") {
			t.Fatalf("jsString(%q) = %s holds a raw line terminator", s, lit)
		}
		var back string
		if err := json.Unmarshal([]byte(lit), &back); err != nil {
			t.Fatalf("jsString(%q) = %s is not a valid literal: %v", s, lit, err)
		}
		if back != s {
			t.Fatalf("jsString(%q) = %s reads back as %q", s, lit, back)
		}
	})
}

func TestDocCommentsCannotBeClosedOrTaggedByCatalogText(t *testing.T) {
	got := jsDoc("  ", []string{
		"Edit */ it",
		"Line one\r\nline two\u2028line three\u2029line four\nfive",
		"@deprecated not really; mail a@b.c",
		"",
		"tab\there, bell\x07",
	}, "Use x */ instead.\n@see y")
	want := `  /**
   * Edit *\/ it
   *
   * Line one
   * line two
   * line three
   * line four
   * five
   *
   * \@deprecated not really; mail a@b.c
   *
   * tab here, bell\u0007
   *
   * @deprecated Use x *\/ instead.
   * \@see y
   */
`
	if got != want {
		t.Errorf("jsDoc =\n%s\nwant\n%s", got, want)
	}
	if got := jsDoc("", []string{"", " "}, ""); got != "" {
		t.Errorf("jsDoc of nothing = %q, want no comment", got)
	}
}

// Whatever the text, the comment jsDoc writes ends exactly once, at its
// end, has one " * " line per line, and no tag but the @deprecated it adds.
func FuzzDocCommentsStayClosed(f *testing.F) {
	for _, s := range []string{"*/", "**/", "*\u2028/", "@a", " @b", "\r\r\n", "/*/", "*", "\x00"} {
		f.Add(s, s)
	}
	f.Fuzz(func(t *testing.T, text, deprecated string) {
		doc := jsDoc("", []string{text}, deprecated)
		if doc == "" {
			if strings.TrimSpace(text) != "" || deprecated != "" {
				t.Fatalf("jsDoc(%q, %q) wrote no comment", text, deprecated)
			}
			return
		}
		if strings.Index(doc, "*/") != len(doc)-3 {
			t.Fatalf("jsDoc(%q, %q) closes early:\n%s", text, deprecated, doc)
		}
		if strings.ContainsAny(doc, "\r\u2028\u2029\u0085") {
			t.Fatalf("jsDoc(%q, %q) holds a raw line terminator:\n%s", text, deprecated, doc)
		}
		lines := strings.Split(strings.TrimSuffix(doc, "\n"), "\n")
		tags := 0
		for i, l := range lines[1 : len(lines)-1] {
			if l != " *" && !strings.HasPrefix(l, " * ") {
				t.Fatalf("line %d of jsDoc(%q, %q) is not a comment line: %q", i+2, text, deprecated, l)
			}
			for _, w := range strings.Fields(l) {
				if strings.HasPrefix(w, "@") || strings.HasPrefix(w, "*@") {
					tags++
				}
			}
		}
		if want := map[bool]int{true: 1, false: 0}[deprecated != ""]; tags != want {
			t.Fatalf("jsDoc(%q, %q) has %d tags, want %d:\n%s", text, deprecated, tags, want, doc)
		}
	})
}
