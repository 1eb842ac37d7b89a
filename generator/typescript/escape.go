package typescript

import (
	"strings"
	"unicode/utf8"
)

// The append* functions write straight into the module being built, so that
// a large catalog costs no string per literal or comment. jsString and jsDoc
// return the same text as strings, for the few values the template prints.

// jsString returns s as a double-quoted JavaScript string literal that
// evaluates to exactly s. Besides quotes, backslashes and control characters
// it escapes U+2028 and U+2029, which end a line inside a string literal in
// older engines and in some tools, and replaces invalid UTF-8 with U+FFFD
// (the resolved model never holds any; this keeps the output valid anyway).
// "${" needs no escape because the literal is not a template literal.
func jsString(s string) string {
	return string(appendJSString(make([]byte, 0, len(s)+2), s))
}

// appendJSString appends jsString(s) to b.
func appendJSString(b []byte, s string) []byte {
	b = append(b, '"')
	done := 0 // s[:done] is already in b
	for i := 0; i < len(s); {
		c := s[i]
		if !jsSpecial[c] {
			i++
			continue
		}
		r, size := rune(c), 1
		if c >= utf8.RuneSelf {
			r, size = utf8.DecodeRuneInString(s[i:])
			if r != 0x2028 && r != 0x2029 && (r != utf8.RuneError || size != 1) {
				i += size
				continue
			}
		}
		b = append(b, s[done:i]...)
		switch {
		case r == utf8.RuneError:
			b = append(b, `\uFFFD`...)
		case r == '"':
			b = append(b, `\"`...)
		case r == '\\':
			b = append(b, `\\`...)
		case r == '\n':
			b = append(b, `\n`...)
		case r == '\r':
			b = append(b, `\r`...)
		case r == '\t':
			b = append(b, `\t`...)
		default:
			b = appendUnicodeEscape(b, r)
		}
		i += size
		done = i
	}
	b = append(b, s[done:]...)
	return append(b, '"')
}

// jsSpecial marks the bytes appendJSString cannot copy as they are: quote,
// backslash, controls, and every non-ASCII byte (which starts a rune that
// may be U+2028, U+2029 or invalid).
var jsSpecial = func() (t [256]bool) {
	for c := range t {
		t[c] = c < 0x20 || c >= 0x7f || c == '"' || c == '\\'
	}
	return t
}()

// appendUnicodeEscape appends r, which is below U+10000, as \uXXXX.
func appendUnicodeEscape(b []byte, r rune) []byte {
	const hex = "0123456789ABCDEF"
	return append(b, '\\', 'u', hex[r>>12&0xF], hex[r>>8&0xF], hex[r>>4&0xF], hex[r&0xF])
}

// jsDoc renders a JSDoc block indented by indent, one paragraph per element
// of paras (empty ones dropped), followed by an @deprecated tag when
// deprecated is not empty. It returns "" when there is nothing to say. The
// text is free catalog prose, so it is made inert: "*/" cannot end the
// comment, a line break of any kind (CR, LF, U+2028, U+2029, U+0085) starts
// a new " * " line, and an "@" that could open a tag is written "\@".
func jsDoc(indent string, paras []string, deprecated string) string {
	return string(appendJSDoc(nil, indent, paras, deprecated))
}

// appendJSDoc appends jsDoc(indent, paras, deprecated) to b.
func appendJSDoc(b []byte, indent string, paras []string, deprecated string) []byte {
	open := false
	for _, p := range paras {
		if strings.TrimSpace(p) == "" {
			continue
		}
		b, open = appendDocSeparator(b, indent, open)
		b = appendDocParagraph(b, indent, "", p)
	}
	if deprecated != "" {
		b, open = appendDocSeparator(b, indent, open)
		b = appendDocParagraph(b, indent, "@deprecated ", deprecated)
	}
	if open {
		b = append(b, indent...)
		b = append(b, " */\n"...)
	}
	return b
}

// appendDocSeparator opens the comment before its first paragraph and
// writes an empty line before every other one.
func appendDocSeparator(b []byte, indent string, open bool) ([]byte, bool) {
	b = append(b, indent...)
	if open {
		return append(b, " *\n"...), true
	}
	return append(b, "/**\n"...), true
}

// appendDocParagraph appends the comment lines of one paragraph, the first
// one starting with prefix.
func appendDocParagraph(b []byte, indent, prefix, s string) []byte {
	// Printable ASCII and tabs are one line with nothing but "*/", "@" and
	// tabs to rewrite: the common case, written as docLines would without
	// building the line first. Whether "/" or "@" needs a backslash depends
	// only on the byte before it, which is written unchanged unless it is a
	// tab, and a tab (written as a space) neither ends "*" nor fails to
	// start a word.
	mark := len(b)
	b = append(b, indent...)
	b = append(b, " * "...)
	b = append(b, prefix...)
	start := len(b)
	done := 0 // s[:done] is in b
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !docSpecial[c] {
			continue
		}
		b = append(b, s[done:i]...)
		done = i + 1
		switch {
		case c == '/':
			if i > 0 && s[i-1] == '*' {
				b = append(b, '\\')
			}
			b = append(b, c)
		case c == '@':
			if i == 0 || s[i-1] == ' ' || s[i-1] == '\t' || s[i-1] == '*' {
				b = append(b, '\\')
			}
			b = append(b, c)
		case c == '\t':
			b = append(b, ' ')
		default:
			return appendDocLines(b[:mark], indent, prefix, s)
		}
	}
	b = append(b, s[done:]...)
	for len(b) > start && b[len(b)-1] == ' ' {
		b = b[:len(b)-1]
	}
	if len(b) == start && prefix == "" {
		b = append(b[:mark], indent...)
		return append(b, " *\n"...)
	}
	return append(b, '\n')
}

// docSpecial marks the bytes appendDocParagraph cannot copy as they are:
// "/", "@", tabs, and what may break a line or need escaping.
var docSpecial = func() (t [256]bool) {
	for c := range t {
		t[c] = c < 0x20 || c >= 0x7f || c == '/' || c == '@'
	}
	return t
}()

// appendDocLines appends the comment lines of any paragraph, the first one
// starting with prefix.
func appendDocLines(b []byte, indent, prefix, s string) []byte {
	for i, l := range docLines(s) {
		if i == 0 {
			l = prefix + l
		}
		b = append(b, indent...)
		if l == "" {
			b = append(b, " *\n"...)
		} else {
			b = append(b, " * "...)
			b = append(b, l...)
			b = append(b, '\n')
		}
	}
	return b
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
			b.Write(appendUnicodeEscape(nil, r))
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
