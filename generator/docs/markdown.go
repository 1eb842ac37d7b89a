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

// inline renders s for a single-line context: a table cell, a heading, a
// list item or link text. Line breaks become <br>, which is the only way to
// break a line inside a GFM table cell.
func inline(s string) string {
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
	return strings.ReplaceAll(inline(s), "<br>", " ")
}

var orderedListStart = regexp.MustCompile(`^([0-9]+)([.)])`)

// block renders s as one or more paragraphs. Lines are kept as soft
// breaks; what would start a block (a list, a heading underline, a
// definition) is escaped at the start of each line, and indentation is
// dropped so nothing becomes a code block.
func block(s string) string {
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
	if plainCode.MatchString(s) {
		return "`" + s + "`"
	}
	return inline(s)
}

// anchorID builds an explicit HTML id ("perm-integrations.metrc.edit").
// Renderers each slug headings their own way; an explicit id gives every
// key one stable link target everywhere.
func anchorID(prefix, key string) string {
	return prefix + "-" + strings.Map(func(r rune) rune {
		switch {
		case r >= 'a' && r <= 'z', r >= '0' && r <= '9', r == '.', r == '_', r == '-':
			return r
		case r >= 'A' && r <= 'Z':
			return r - 'A' + 'a'
		}
		return '-'
	}, key)
}

// anchor is the inline HTML that places an id.
func anchor(id string) string { return `<a id="` + id + `"></a>` }

// link renders a Markdown link with already-escaped text.
func link(text, target string) string { return "[" + text + "](" + target + ")" }

// bold wraps already-escaped text in strong emphasis.
func bold(text string) string {
	if text == "" {
		return ""
	}
	return "**" + text + "**"
}

var superscripts = []rune("⁰¹²³⁴⁵⁶⁷⁸⁹")

// superscript writes n with Unicode superscript digits: plain text that
// reads as a footnote mark in every renderer and in the raw file.
func superscript(n int) string {
	if n < 0 {
		n = -n
	}
	digits := []rune{}
	for {
		digits = append([]rune{superscripts[n%10]}, digits...)
		n /= 10
		if n == 0 {
			break
		}
	}
	return string(digits)
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
