package docs

import (
	"regexp"
	"strings"
)

// Catalog strings may hold anything, so every one of them passes through
// these helpers before it reaches a Markdown file. The escapes are the
// CommonMark backslash escapes plus HTML entities for <, > and &, which
// GitHub, goldmark (Hugo), kramdown (Jekyll) and Python-Markdown (MkDocs)
// all honour. Braces become entities: Jekyll's Liquid and Hugo's
// shortcodes would otherwise act on `{{ }}` or `{% %}` in a description,
// and they do not know Markdown's backslash.

// normalize makes s valid UTF-8 with \n line ends and no other control
// characters, so output bytes do not depend on how the YAML was saved.
func normalize(s string) string {
	s = strings.ToValidUTF8(s, "\uFFFD")
	s = strings.ReplaceAll(s, "\r\n", "\n")
	s = strings.ReplaceAll(s, "\r", "\n")
	return strings.Map(func(r rune) rune {
		switch {
		case r == '\n':
			return r
		case r == 0:
			return '\uFFFD'
		case r < 0x20 || r == 0x7f || (r >= 0x80 && r < 0xa0):
			return ' '
		case r == '\u2028' || r == '\u2029':
			return '\n'
		}
		return r
	}, s)
}

// escapeChars escapes everything that could start Markdown or HTML syntax
// inside a line. `>` only quotes at the start of a line and `&` only starts
// an entity before a letter or `#`, so elsewhere they stay as written and
// "Backoffice > Settings" reads the same in the raw file.
func escapeChars(s string) string {
	var b strings.Builder
	for i, r := range s {
		switch r {
		case '\\', '`', '*', '_', '[', ']', '~', '|', '$', '#':
			b.WriteByte('\\')
			b.WriteRune(r)
		case '{':
			b.WriteString("&#123;")
		case '}':
			b.WriteString("&#125;")
		case '<':
			b.WriteString("&lt;")
		case '>':
			if i == 0 {
				b.WriteString("&gt;")
			} else {
				b.WriteRune(r)
			}
		case '&':
			if i+1 < len(s) && (isLetter(s[i+1]) || s[i+1] == '#') {
				b.WriteString("&amp;")
			} else {
				b.WriteRune(r)
			}
		default:
			b.WriteRune(r)
		}
	}
	return b.String()
}

func isLetter(c byte) bool { return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' }

// A catalog has hundreds of thousands of names and descriptions, nearly
// all of them one line of printable ASCII, and the general path costs
// several allocations each. For such a line inline, heading and block come
// down to escapeChars, and most lines do not even need that.
type shape int

const (
	plainLine   shape = iota // the helpers leave it as it is
	escapedLine              // one line of printable ASCII: escapeChars alone renders it
	otherText                // anything else takes the general path
)

// plainByte marks the printable ASCII that starts no Markdown, HTML or
// Liquid syntax anywhere in a line. `>` and `&` are left out although only
// some positions need them escaped.
var plainByte = func() (t [256]bool) {
	for c := 0x20; c < 0x7f; c++ {
		t[c] = !strings.ContainsRune("\\`*_[]~|$#{}<>&", rune(c))
	}
	return t
}()

func shapeOf(s string) shape {
	if s == "" {
		return plainLine
	}
	if s[0] == ' ' || s[len(s)-1] == ' ' {
		return otherText
	}
	sh := plainLine
	for i := 0; i < len(s); i++ {
		if c := s[i]; !plainByte[c] {
			if c < 0x20 || c >= 0x7f {
				return otherText
			}
			sh = escapedLine
		}
	}
	return sh
}

// writeInline writes inline(s) and reports whether that is not empty.
func writeInline(w *page, s string) bool {
	switch shapeOf(s) {
	case plainLine:
		w.WriteString(s)
	case escapedLine:
		writeEscaped(w, s)
	default:
		t := inline(s)
		w.WriteString(t)
		return t != ""
	}
	return s != ""
}

// writeEscaped writes escapeChars(s) for printable ASCII s.
func writeEscaped(w *page, s string) {
	done := 0
	for i := 0; i < len(s); i++ {
		c := s[i]
		if plainByte[c] {
			continue
		}
		var esc string
		switch c {
		case '{':
			esc = "&#123;"
		case '}':
			esc = "&#125;"
		case '<':
			esc = "&lt;"
		case '>':
			if i != 0 {
				continue
			}
			esc = "&gt;"
		case '&':
			if i+1 >= len(s) || !isLetter(s[i+1]) && s[i+1] != '#' {
				continue
			}
			esc = "&amp;"
		default: // a backslash escape; c goes out with the next run
			w.WriteString(s[done:i])
			w.WriteByte('\\')
			done = i
			continue
		}
		w.WriteString(s[done:i])
		w.WriteString(esc)
		done = i + 1
	}
	w.WriteString(s[done:])
}

// inline renders s for a single-line context: a table cell, a heading, a
// list item or link text. Line breaks become <br>, which is the only way to
// break a line inside a GFM table cell.
func inline(s string) string {
	switch shapeOf(s) {
	case plainLine:
		return s
	case escapedLine:
		return escapeChars(s)
	}
	lines := strings.Split(normalize(s), "\n")
	var out []string
	for _, l := range lines {
		out = append(out, escapeChars(strings.TrimSpace(l)))
	}
	for len(out) > 0 && out[0] == "" {
		out = out[1:]
	}
	for len(out) > 0 && out[len(out)-1] == "" {
		out = out[:len(out)-1]
	}
	return strings.Join(out, "<br>")
}

// heading renders s for a heading, where a line break would end it.
func heading(s string) string {
	switch shapeOf(s) {
	case plainLine:
		return s
	case escapedLine:
		return escapeChars(s) // it has no line to break: no <br>
	}
	return strings.ReplaceAll(inline(s), "<br>", " ")
}

var orderedListStart = regexp.MustCompile(`^([0-9]+)([.)])`)

// block renders s as one or more paragraphs. Lines are kept as soft
// breaks; what would start a block (a list, a heading underline, a
// definition) is escaped at the start of each line, and indentation is
// dropped so nothing becomes a code block.
func block(s string) string {
	// A line that starts none of those blocks is what inline makes of it.
	if sh := shapeOf(s); sh != otherText && (s == "" || !strings.ContainsRune("-+=:0123456789", rune(s[0]))) {
		if sh == escapedLine {
			return escapeChars(s)
		}
		return s
	}
	var paras []string
	var cur []string
	flush := func() {
		if len(cur) > 0 {
			paras = append(paras, strings.Join(cur, "\n"))
			cur = nil
		}
	}
	for _, l := range strings.Split(normalize(s), "\n") {
		l = strings.TrimSpace(l)
		if l == "" {
			flush()
			continue
		}
		l = escapeChars(l)
		switch {
		case strings.HasPrefix(l, "-"), strings.HasPrefix(l, "+"), strings.HasPrefix(l, "="), strings.HasPrefix(l, ":"):
			l = `\` + l
		case orderedListStart.MatchString(l):
			l = orderedListStart.ReplaceAllString(l, `$1\$2`)
		}
		cur = append(cur, l)
	}
	flush()
	return strings.Join(paras, "\n\n")
}

var plainCode = regexp.MustCompile(`^[A-Za-z0-9_.*:/-]+$`)

// code renders a key or pattern as inline code. Keys of a compiled catalog
// always qualify; anything else falls back to escaped text rather than
// risk a backtick or pipe breaking out of the code span.
func code(s string) string {
	if isPlainCode(s) {
		return "`" + s + "`"
	}
	return inline(s)
}

// isPlainCode is plainCode.MatchString without the regexp machinery, which
// shows up in profiles at one key per table cell.
func isPlainCode(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		if !codeByte[s[i]] {
			return false
		}
	}
	return true
}

var codeByte = func() (t [256]bool) {
	for c := 0; c < 256; c++ {
		t[c] = plainCode.MatchString(string(rune(c)))
	}
	return t
}()

// writeCode writes code(s) without building the string.
func writeCode(w *page, s string) {
	if isPlainCode(s) {
		w.WriteByte('`')
		w.WriteString(s)
		w.WriteByte('`')
		return
	}
	writeInline(w, s)
}

// anchorID builds an explicit HTML id ("perm-integrations.metrc.edit").
// Renderers each slug headings their own way; an explicit id gives every
// key one stable link target everywhere.
func anchorID(prefix, key string) string {
	w := page{make([]byte, 0, len(prefix)+1+len(key))}
	writeAnchorID(&w, prefix, key)
	return string(w.b)
}

// writeAnchorID writes anchorID(prefix, key) without building the string.
func writeAnchorID(w *page, prefix, key string) {
	w.WriteString(prefix)
	w.WriteByte('-')
	i := 0
	for i < len(key) && idByte[key[i]] {
		i++
	}
	w.WriteString(key[:i]) // the whole of a compiled catalog's lower-case keys
	for _, r := range key[i:] {
		switch {
		case r >= 'a' && r <= 'z', r >= '0' && r <= '9', r == '.', r == '_', r == '-':
		case r >= 'A' && r <= 'Z':
			r = r - 'A' + 'a'
		default:
			r = '-'
		}
		w.WriteByte(byte(r))
	}
}

// idByte marks the bytes an anchor ID keeps as they are.
var idByte = func() (t [256]bool) {
	for c := 0; c < 256; c++ {
		t[c] = c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '.' || c == '_' || c == '-'
	}
	return t
}()

// anchor is the inline HTML that places an id.
func anchor(id string) string { return `<a id="` + id + `"></a>` }

// link renders a Markdown link with already-escaped text.
func link(text, target string) string { return "[" + text + "](" + target + ")" }

var superscripts = [10]string{"⁰", "¹", "²", "³", "⁴", "⁵", "⁶", "⁷", "⁸", "⁹"}

// superscript writes n with Unicode superscript digits: plain text that
// reads as a footnote mark in every renderer and in the raw file.
func superscript(n int) string {
	var w page
	writeSuperscript(&w, n)
	return string(w.b)
}

func writeSuperscript(w *page, n int) {
	if n < 0 {
		n = -n
	}
	var digits [20]byte
	i := len(digits)
	for {
		i--
		digits[i] = byte(n % 10)
		n /= 10
		if n == 0 {
			break
		}
	}
	for _, d := range digits[i:] {
		w.WriteString(superscripts[d])
	}
}

// row formats table cells as one GFM table row.
func row(cells []string) string {
	var b strings.Builder
	b.WriteString("|")
	for _, c := range cells {
		b.WriteString(" ")
		b.WriteString(c)
		if c != "" {
			b.WriteString(" ")
		}
		b.WriteString("|")
	}
	return b.String()
}

// page is the Markdown file being written, by text/template and by the
// functions here. Its methods append without bytes.Buffer's bookkeeping,
// so they inline: a large catalog makes millions of small writes.
type page struct{ b []byte }

func (p *page) Write(b []byte) (int, error) {
	p.b = append(p.b, b...)
	return len(b), nil
}

func (p *page) WriteString(s string) (int, error) {
	p.b = append(p.b, s...)
	return len(s), nil
}

func (p *page) WriteByte(c byte) error {
	p.b = append(p.b, c)
	return nil
}

func (p *page) Len() int { return len(p.b) }

// Rows with one cell per permission or role are written straight into the
// page by Go code rather than built as []string for row: at a hundred
// thousand permissions the cells and text/template's reflection over them
// cost more than everything else. beginCell and endCell give such a row
// the exact spacing row gives its cells.

func beginCell(w *page) int {
	w.WriteByte(' ')
	return w.Len()
}

func endCell(w *page, start int) {
	if w.Len() > start {
		w.WriteByte(' ')
	}
	w.WriteByte('|')
}

// headerRow and delimiter rows for a table; align is "l" or "c" per column.
func tableHead(cells []string, align string) string {
	var d strings.Builder
	d.WriteString("|")
	for i := range cells {
		if i < len(align) && align[i] == 'c' {
			d.WriteString(" :-: |")
		} else {
			d.WriteString(" --- |")
		}
	}
	return row(cells) + "\n" + d.String()
}
