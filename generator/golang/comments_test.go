package golang

import (
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"
)

// referenceDoc is the doc comment writer as first written: plain, slow and
// obviously right. deprecatedDoc must give exactly its output.
func referenceDoc(reason string, paras ...string) string {
	var lines []string
	add := func(p string, mayDeprecate bool) {
		for _, para := range strings.Split(referenceClean(p), "\n\n") {
			para = strings.Trim(para, "\n ")
			if para == "" {
				continue
			}
			if !mayDeprecate && strings.HasPrefix(para, "Deprecated:") {
				para = "Deprecated -" + strings.TrimPrefix(para, "Deprecated:")
			}
			var out []string
			for _, l := range strings.Split(para, "\n") {
				out = append(out, referenceWrap(strings.TrimSpace(l))...)
			}
			if len(out) == 1 {
				out[0] = notHeading(out[0])
			}
			if len(lines) > 0 {
				lines = append(lines, "//")
			}
			for _, l := range out {
				lines = append(lines, "// "+l)
			}
		}
	}
	for _, p := range paras {
		add(p, false)
	}
	if reason != "" {
		add("Deprecated: "+reason, true)
	}
	return strings.Join(lines, "\n")
}

func referenceClean(s string) string {
	s = strings.ToValidUTF8(s, "\uFFFD")
	s = strings.ReplaceAll(s, "\r\n", "\n")
	return strings.Map(func(r rune) rune {
		switch {
		case r == '\n':
			return r
		case r == '\uFEFF':
			return -1
		case r == '\t', unicode.IsControl(r):
			return ' '
		}
		return r
	}, s)
}

func referenceWrap(line string) []string {
	words := strings.Fields(line)
	if len(words) == 0 {
		return nil
	}
	var out []string
	cur := words[0]
	for _, w := range words[1:] {
		if utf8.RuneCountInString(cur)+1+utf8.RuneCountInString(w) > commentWidth && !special(w) {
			out = append(out, cur)
			cur = w
			continue
		}
		cur += " " + w
	}
	return append(out, cur)
}

var docSamples = []string{
	"",
	"View packages.",
	"Lets a manager edit every package of the facility, including the ones received from other licensees over the last ninety days, without asking.",
	"Two  spaces, a\ttab, and a trailing space ",
	"First paragraph.\n\nSecond paragraph that is quite a bit longer than the first one, so that it wraps onto another line.",
	"Deprecated: not really",
	"- a list\n- of items\n1. numbered",
	"word " + strings.Repeat("x", 90) + " - dash 1. one [ref]: http://x",
	"Ünïcödé wörds " + strings.Repeat("é", 80) + "\u00a0nbsp\u2003em space",
	"\r\n\r\ncrlf\r\nlines\u0007bell\ufeffbom\xff bad",
	"\n\n\n",
	"\u00a0",
	"ends with a digit 7",
}

func TestDocCommentsAreExactlyTheReferenceOutput(t *testing.T) {
	for _, a := range docSamples {
		for _, b := range docSamples {
			for _, reason := range []string{"", "use orders.edit", b} {
				if got, want := deprecatedDoc(reason, a, b), referenceDoc(reason, a, b); got != want {
					t.Errorf("deprecatedDoc(%q, %q, %q) =\n%s\nwant\n%s", reason, a, b, got, want)
				}
			}
		}
	}
}

func FuzzDocComments(f *testing.F) {
	for _, s := range docSamples {
		f.Add(s, "Deprecated: x")
	}
	f.Fuzz(func(t *testing.T, text, reason string) {
		if got, want := deprecatedDoc(reason, text, text), referenceDoc(reason, text, text); got != want {
			t.Fatalf("deprecatedDoc(%q, %q) =\n%s\nwant\n%s", reason, text, got, want)
		}
	})
}
