package typescript

import (
	"fmt"
	"strings"
	"unicode/utf8"
)

// jsString returns s as a double-quoted JavaScript string literal that
// evaluates to exactly s. Besides quotes, backslashes and control characters
// it escapes U+2028 and U+2029, which end a line inside a string literal in
// older engines and in some tools, and replaces invalid UTF-8 with U+FFFD
// (the resolved model never holds any; this keeps the output valid anyway).
// "${" needs no escape because the literal is not a template literal.
func jsString(s string) string {
	var b strings.Builder
	b.Grow(len(s) + 2)
	b.WriteByte('"')
	for i := 0; i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		i += size
		switch {
		case r == utf8.RuneError && size == 1:
			b.WriteString(`\uFFFD`)
		case r == '"':
			b.WriteString(`\"`)
		case r == '\\':
			b.WriteString(`\\`)
		case r == '\n':
			b.WriteString(`\n`)
		case r == '\r':
			b.WriteString(`\r`)
		case r == '\t':
			b.WriteString(`\t`)
		case r < 0x20 || r == 0x7f || r == 0x2028 || r == 0x2029:
			fmt.Fprintf(&b, `\u%04X`, r)
		default:
			b.WriteRune(r)
		}
	}
	b.WriteByte('"')
	return b.String()
}

// jsDoc renders a JSDoc block indented by indent, one paragraph per element
// of paras (empty ones dropped), followed by an @deprecated tag when
// deprecated is not empty. It returns "" when there is nothing to say. The
// text is free catalog prose, so it is made inert: "*/" cannot end the
// comment, a line break of any kind (CR, LF, U+2028, U+2029, U+0085) starts
// a new " * " line, and an "@" that could open a tag is written "\@".
func jsDoc(indent string, paras []string, deprecated string) string {
	var lines []string
	for _, p := range paras {
		if strings.TrimSpace(p) == "" {
			continue
		}
		if len(lines) > 0 {
			lines = append(lines, "")
		}
		lines = append(lines, docLines(p)...)
	}
	if deprecated != "" {
		if len(lines) > 0 {
			lines = append(lines, "")
		}
		dl := docLines(deprecated)
		dl[0] = "@deprecated " + dl[0]
		lines = append(lines, dl...)
	}
	if len(lines) == 0 {
		return ""
	}
	var b strings.Builder
	b.WriteString(indent + "/**\n")
	for _, l := range lines {
		if l == "" {
			b.WriteString(indent + " *\n")
		} else {
			b.WriteString(indent + " * " + l + "\n")
		}
	}
	b.WriteString(indent + " */\n")
	return b.String()
}

// docLines splits prose into escaped comment lines (at least one).
func docLines(s string) []string {
	var lines []string
	var b strings.Builder
	flush := func() {
		lines = append(lines, strings.TrimRight(b.String(), " \t"))
		b.Reset()
	}
	for i := 0; i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		i += size
		switch {
		case r == utf8.RuneError && size == 1:
			b.WriteRune(utf8.RuneError)
		case r == '\r':
			if i < len(s) && s[i] == '\n' {
				i++
			}
			flush()
		case r == '\n' || r == 0x2028 || r == 0x2029 || r == 0x85:
			flush()
		case r == '/' && strings.HasSuffix(b.String(), "*"):
			b.WriteString(`\/`)
		case r == '@' && atWordStart(b.String()):
			b.WriteString(`\@`)
		case r == '\t':
			b.WriteByte(' ')
		case r < 0x20 || r == 0x7f:
			fmt.Fprintf(&b, `\u%04X`, r)
		default:
			b.WriteRune(r)
		}
	}
	flush()
	return lines
}

// atWordStart reports whether an "@" written after line would start a word,
// where JSDoc parsers look for tags.
func atWordStart(line string) bool {
	if line == "" {
		return true
	}
	last := line[len(line)-1]
	return last == ' ' || last == '\t' || last == '*'
}
