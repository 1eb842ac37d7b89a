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
// paragraph that go doc, gopls and staticcheck recognise. It runs once per
// permission, so it writes into one builder and wraps lines by slicing
// them rather than by concatenating words.
func deprecatedDoc(reason string, paras ...string) string {
	var d docWriter
	d.write(reason, paras)
	return string(d.b)
}

// appendDocBlock appends the same comment as deprecatedDoc, each line
// indented by a tab and ending in a newline, as in a const block.
func appendDocBlock(dst []byte, reason string, paras []string) []byte {
	d := docWriter{b: dst, block: true}
	d.write(reason, paras)
	return d.b
}

// docWriter accumulates comment lines: "\n"-separated, or in block mode
// each indented by a tab and ended by "\n".
type docWriter struct {
	b     []byte
	block bool
	lines int
	out   []string // a paragraph's wrapped lines, reused
}

func (d *docWriter) write(reason string, paras []string) {
	for _, p := range paras {
		d.paragraphs(p, false)
	}
	if reason != "" {
		d.paragraphs("Deprecated: "+reason, true)
	}
}

func (d *docWriter) line(prefix, text string) {
	if d.block {
		d.b = append(d.b, '\t')
	} else if d.lines > 0 {
		d.b = append(d.b, '\n')
	}
	d.b = append(d.b, prefix...)
	d.b = append(d.b, text...)
	if d.block {
		d.b = append(d.b, '\n')
	}
	d.lines++
}

// paragraphs writes the blank-line-separated paragraphs of p. Only the
// catalog's deprecated field may deprecate: a description paragraph that
// starts with "Deprecated:" is defused.
func (d *docWriter) paragraphs(p string, mayDeprecate bool) {
	rest := clean(p)
	for more := true; more; {
		var para string
		para, rest, more = strings.Cut(rest, "\n\n")
		para = strings.Trim(para, "\n ")
		if para == "" {
			continue
		}
		if !mayDeprecate && strings.HasPrefix(para, "Deprecated:") {
			para = "Deprecated -" + strings.TrimPrefix(para, "Deprecated:")
		}
		d.out = d.out[:0]
		for lines := true; lines; {
			var l string
			l, para, lines = strings.Cut(para, "\n")
			d.out = appendWrapped(d.out, strings.TrimSpace(l))
		}
		if len(d.out) == 1 {
			d.out[0] = notHeading(d.out[0])
		}
		if d.lines > 0 {
			d.line("//", "")
		}
		for _, l := range d.out {
			d.line("// ", l)
		}
	}
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
	plain := true
	for i := 0; i < len(s); i++ {
		if c := s[i]; (c < 0x20 && c != '\n') || c >= 0x7f {
			plain = false
			break
		}
	}
	if plain {
		return s
	}
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
	return appendWrapped(nil, line)
}

// appendWrapped appends wrap(line) to dst. The words are joined by single
// spaces first (usually they already are, and the lines are slices of
// line itself).
func appendWrapped(dst []string, line string) []string {
	norm := line
	if !singleSpaced(line) {
		norm = strings.Join(strings.Fields(line), " ")
	}
	if norm == "" {
		return dst
	}
	end := strings.IndexByte(norm, ' ')
	if end < 0 {
		return append(dst, norm)
	}
	start, width := 0, runes(norm[:end])
	for i := end; i < len(norm); {
		next := strings.IndexByte(norm[i+1:], ' ')
		if next < 0 {
			next = len(norm)
		} else {
			next += i + 1
		}
		w := norm[i+1 : next]
		if n := runes(w); width+1+n > commentWidth && !special(w) {
			dst = append(dst, norm[start:i])
			start, width = i+1, n
		} else {
			width += 1 + n
		}
		i = next
	}
	return append(dst, norm[start:])
}

// singleSpaced reports whether line is ASCII words separated by single
// spaces, the form strings.Fields and a join would give it.
func singleSpaced(line string) bool {
	if line == "" || line[0] == ' ' || line[len(line)-1] == ' ' {
		return line == ""
	}
	for i := 0; i < len(line); i++ {
		c := line[i]
		if c >= 0x80 || c == '\t' || c == '\n' || c == '\v' || c == '\f' || c == '\r' || (c == ' ' && line[i+1] == ' ') {
			return false
		}
	}
	return true
}

func runes(s string) int {
	for i := 0; i < len(s); i++ {
		if s[i] >= 0x80 {
			return utf8.RuneCountInString(s)
		}
	}
	return len(s)
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
