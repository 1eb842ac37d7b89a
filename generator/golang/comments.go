package golang

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// commentWidth is where doc comment lines are wrapped (text after "// ").
const commentWidth = 76

// doc renders paragraphs as a Go doc comment ("// " lines, paragraphs
// separated by "//"). Catalog text goes in literally, but made safe: a
// comment must be valid UTF-8 without control characters to compile, and
// gofmt's doc comment rules must not turn it into something else.
func doc(paras ...string) string {
	return deprecatedDoc("", paras...)
}

// deprecatedDoc is doc plus, when reason is not empty, the "Deprecated:"
// paragraph that go doc, gopls and staticcheck recognise.
func deprecatedDoc(reason string, paras ...string) string {
	var lines []string
	add := func(p string, mayDeprecate bool) {
		for _, para := range strings.Split(clean(p), "\n\n") {
			para = strings.Trim(para, "\n ")
			if para == "" {
				continue
			}
			if !mayDeprecate && strings.HasPrefix(para, "Deprecated:") {
				// Only the catalog's deprecated field may deprecate.
				para = "Deprecated -" + strings.TrimPrefix(para, "Deprecated:")
			}
			var out []string
			for _, l := range strings.Split(para, "\n") {
				out = append(out, wrap(strings.TrimSpace(l))...)
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

// notHeading ends a one-line paragraph with a period when it ends in a
// letter or digit: gofmt would otherwise take a capitalised one, such as a
// description written without a final period, for a section heading.
func notHeading(line string) string {
	r, _ := utf8.DecodeLastRuneInString(line)
	if unicode.IsLetter(r) || unicode.IsDigit(r) {
		return line + "."
	}
	return line
}

// clean makes catalog text safe inside a comment.
func clean(s string) string {
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

// wrap breaks a line at spaces near commentWidth. A word that would start a
// line and read as a list marker, heading or link definition to gofmt's doc
// comment parser stays on the line before instead.
func wrap(line string) []string {
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

func special(w string) bool {
	switch w[0] {
	case '-', '*', '+', '#':
		return true
	case '[':
		return strings.HasSuffix(w, "]:")
	}
	if strings.HasPrefix(w, "•") {
		return true
	}
	// "1." and "2)" start numbered lists.
	i := 0
	for i < len(w) && w[i] >= '0' && w[i] <= '9' {
		i++
	}
	return i > 0 && i < len(w) && (w[i] == '.' || w[i] == ')')
}
