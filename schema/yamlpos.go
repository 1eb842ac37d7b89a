package schema

import (
	"bytes"
	"errors"
	"io"
	"sort"
	"strings"
	"unicode/utf8"

	"go.yaml.in/yaml/v3"
)

// The YAML library reports a syntax error with a line and no column, and
// the line is often where the enclosing mapping began rather than where
// the mistake is: a key indented one space too few under `groups:` is
// reported at `groups:`. locateYAMLError finds the place itself, from the
// fact that a block-style document is valid up to its first mistake: the
// first line whose addition makes the library fail with the same message
// is where the mistake is, and within that line, the first byte whose
// addition does.
//
// Each probe parses a document again. On a large file the search first
// narrows the document down: complete entries of a block mapping or
// sequence parse the same with or without their siblings, so entries are
// tried in batches under the keys that lead to them, and only the batch
// that fails on its own is searched line by line. The search stops when
// it has parsed yamlLocateBudget bytes and the library's line is kept.

const (
	yamlLocateBudget = 32 << 20
	yamlBatch        = 32 << 10 // bytes of entries tried together
)

// yamlProblem parses doc as parseYAML does (one document, then a check
// for a second) and returns the library's message without its "yaml: line
// N:" prefix, or "" when doc parses.
func yamlProblem(doc []byte) string {
	dec := yaml.NewDecoder(bytes.NewReader(doc))
	var n yaml.Node
	err := dec.Decode(&n)
	if err == nil {
		var extra yaml.Node
		err = dec.Decode(&extra)
	}
	if err == nil || errors.Is(err, io.EOF) {
		return ""
	}
	_, msg := yamlLineRe(err.Error())
	return msg
}

type yamlLocator struct {
	data  []byte
	msg   string
	lines []int // lines[i] is where line i+1 begins
	spent int
	buf   []byte
}

// fails reports whether head followed by data[a:b] fails with the message
// being located.
func (l *yamlLocator) fails(head []byte, a, b int) bool {
	l.buf = append(append(l.buf[:0], head...), l.data[a:b]...)
	l.spent += len(l.buf)
	return yamlProblem(l.buf) == l.msg
}

func (l *yamlLocator) broke() bool { return l.spent > yamlLocateBudget }

// lineOf returns the 0-based line holding offset off.
func (l *yamlLocator) lineOf(off int) int {
	return sort.Search(len(l.lines), func(i int) bool { return l.lines[i] > off }) - 1
}

// end returns where line i (0-based) ends, after its newline.
func (l *yamlLocator) end(i int) int {
	if i+1 < len(l.lines) {
		return l.lines[i+1]
	}
	return len(l.data)
}

// locateYAMLError returns the 1-based line and column (in characters, as
// the library counts them) of the syntax error the library reported as
// msg at line from (0 when it gave none); ok is false when the search gave
// up or found nothing consistent.
func locateYAMLError(data []byte, msg string, from int) (line, col int, ok bool) {
	if strings.Contains(msg, "UTF-8") {
		// The reader reports a bad byte once it has read past it; the
		// first byte that is not UTF-8 is the place.
		for i := 0; i < len(data); {
			r, size := utf8.DecodeRune(data[i:])
			if r == utf8.RuneError && size <= 1 {
				start := bytes.LastIndexByte(data[:i], '\n') + 1
				return bytes.Count(data[:i], []byte("\n")) + 1, utf8.RuneCount(bytes.TrimPrefix(data[start:i], bom)) + 1, true
			}
			i += size
		}
	}
	if bytes.Contains(bytes.ReplaceAll(data, []byte("\r\n"), nil), []byte("\r")) {
		// A lone CR breaks lines for the library but not for the search,
		// whose lines are LF's: keep the library's line.
		return 0, 0, false
	}
	l := &yamlLocator{data: data, msg: msg, lines: []int{0}}
	for i, c := range data {
		if c == '\n' && i+1 < len(data) {
			l.lines = append(l.lines, i+1)
		}
	}
	head, a, b := l.narrow()
	if l.broke() {
		return 0, 0, false
	}
	first, last := l.lineOf(a), l.lineOf(b-1)
	// The mistake is at or after the line reported, which is where the
	// construct that failed began, when that is in what is left.
	lo := first
	if from-1 > first && from-1 <= last {
		lo = from - 1
		if l.fails(head, a, l.lines[lo]) {
			lo = first // the lines before it already fail: search them all
		}
	}
	// The smallest i in [lo, last] whose prefix through line i+1 fails;
	// all of it fails. Mistakes are usually a few lines into the construct
	// reported, so the search gallops forward before it bisects.
	hi := last
	for step := 1; lo+step-1 < last; step *= 2 {
		if l.broke() {
			return 0, 0, false
		}
		if probe := lo + step - 1; l.fails(head, a, min(l.end(probe), b)) {
			hi = probe
			break
		} else {
			lo = probe + 1
		}
	}
	for lo < hi {
		if l.broke() {
			return 0, 0, false
		}
		mid := lo + (hi-lo)/2
		if l.fails(head, a, min(l.end(mid), b)) {
			hi = mid
		} else {
			lo = mid + 1
		}
	}
	i := lo
	// Within the line, the first byte whose addition fails.
	start, stop := max(l.lines[i], a), min(l.end(i), b)
	blo, bhi := start+1, stop
	for blo < bhi {
		if l.broke() {
			return 0, 0, false
		}
		mid := blo + (bhi-blo)/2
		if l.fails(head, a, mid) {
			bhi = mid
		} else {
			blo = mid + 1
		}
	}
	at := blo - 1 // the byte whose addition made it fail
	if at >= stop || data[at] == '\n' || data[at] == '\r' {
		// Only the line's end made it fail: point past its last character.
		at = start + len(bytes.TrimRight(data[start:stop], "\r\n"))
	}
	lineStart := l.lines[i]
	// The library does not count a byte order mark as a column.
	return i + 1, utf8.RuneCount(bytes.TrimPrefix(data[lineStart:at], bom)) + 1, true
}

var bom = []byte("\xef\xbb\xbf")

// narrow returns a document that fails as data does, as a head (the key
// lines leading to the part kept) followed by data[a:b]. Without anything
// large to narrow, it is all of data.
func (l *yamlLocator) narrow() (head []byte, a, b int) {
	a, b = 0, len(l.data)
	for b-a > yamlBatch && !l.broke() {
		entries := l.entries(a, b)
		if len(entries) == 1 {
			// One entry: go into it when it is a key whose value is the
			// block below it.
			key := l.end(l.lineOf(entries[0]))
			line := bytes.TrimRight(l.data[entries[0]:key], " \t\r\n")
			if key >= b || !bytes.HasSuffix(line, []byte(":")) || bytes.ContainsAny(line, "\"'{}[]#&*!|>") {
				break
			}
			head = append(head, l.data[entries[0]:key]...)
			a = key
			continue
		}
		// Batches of entries, in order; the first that fails on its own
		// holds the mistake.
		entryEnd := func(j int) int {
			if j+1 < len(entries) {
				return entries[j+1]
			}
			return b
		}
		found := false
		for i := 0; i < len(entries) && !found; {
			j := i + 1
			for j < len(entries) && entryEnd(j)-entries[i] <= yamlBatch {
				j++
			}
			if l.fails(head, entries[i], entryEnd(j-1)) {
				a, b, found = entries[i], entryEnd(j-1), true
			}
			i = j
		}
		if !found || len(entries) > 1 && b-a <= yamlBatch {
			break
		}
	}
	return head, a, b
}

// entries returns where each entry of the block collection in data[a:b]
// begins: lines indented as its first line. A line indented less is a
// mistake (the collection's key is above the region), so it stays with
// the entry before it, which then fails on its own. Lines before the
// first entry (blank or comments) belong to it.
func (l *yamlLocator) entries(a, b int) []int {
	indent := -1
	var out []int
	for i := l.lineOf(a); i < len(l.lines) && l.lines[i] < b; i++ {
		s := l.data[l.lines[i]:min(l.end(i), b)]
		t := bytes.TrimLeft(s, " ")
		if c := bytes.TrimSpace(t); len(c) == 0 || c[0] == '#' {
			continue
		}
		n := len(s) - len(t)
		if indent < 0 {
			indent = n
			out = append(out, a)
			continue
		}
		if n == indent {
			out = append(out, l.lines[i])
		}
	}
	return out
}

// tabAt recognises a tab where YAML wants spaces, which the library
// reports as a character that cannot start a token or as a tab that
// violates indentation: when the character at pos is a tab, or a tab is
// in the indentation of pos's line, it returns the tab's column and a
// message that says so.
func tabAt(data []byte, msg string, pos Pos) (col int, what string, ok bool) {
	if !strings.Contains(msg, "cannot start any token") && !strings.Contains(msg, "tab character") {
		return 0, "", false
	}
	line := data
	for i := 1; i < pos.Line; i++ {
		nl := bytes.IndexByte(line, '\n')
		if nl < 0 {
			return 0, "", false
		}
		line = line[nl+1:]
	}
	if nl := bytes.IndexByte(line, '\n'); nl >= 0 {
		line = line[:nl]
	}
	if pos.Line == 1 {
		line = bytes.TrimPrefix(line, bom)
	}
	runes := []rune(strings.TrimSuffix(string(line), "\r"))
	indent := len(runes) - len(strings.TrimLeft(string(runes), " \t"))
	tab := pos.Col - 1 // 0-based
	if tab < 0 || tab >= len(runes) || runes[tab] != '\t' {
		// Not at the place itself: a tab counts when the place is
		// within the indentation (or was not found, column 1), where it
		// is the first tab.
		if tab >= indent {
			return 0, "", false
		}
		tab = strings.IndexByte(string(runes[:indent]), '\t')
		if tab < 0 {
			return 0, "", false
		}
	}
	if tab < indent {
		return tab + 1, "a tab indents this line; YAML indents with spaces only", true
	}
	return tab + 1, "a tab stands where YAML expects spaces; YAML indents with spaces only", true
}

// missingColon recognises a `key value` line that lost its colon. YAML
// reads it as a plain scalar that runs on over the lines below it, and
// fails only at the first `key: value` among them ("mapping values are
// not allowed in this context"), where nothing is wrong. When the plain
// scalar the error at line is in began on an earlier line that has no
// ":" at all, the first of a mapping's entries (after a line ending in
// ":") or a list item, it returns that line's number and its text.
func missingColon(data []byte, msg string, line int) (n int, text string, ok bool) {
	if msg != "mapping values are not allowed in this context" || line < 2 ||
		bytes.Contains(bytes.ReplaceAll(data, []byte("\r\n"), nil), []byte("\r")) {
		return 0, "", false
	}
	lines := strings.Split(string(bytes.TrimPrefix(data, bom)), "\n")
	if line > len(lines) {
		return 0, "", false
	}
	content := func(i int) string { return strings.TrimSpace(lines[i]) }
	// The error's line continues a scalar: no mapping or list indicator
	// comes before its first ":".
	cur := content(line - 1)
	if i := strings.IndexByte(cur, ':'); i <= 0 || strings.HasPrefix(cur, "- ") || strings.HasPrefix(cur, "? ") {
		return 0, "", false
	}
	// Back over the lines it continues (blank ones, and ones without ":"),
	// to the first.
	start := -1
	i := line - 2
	for ; i >= 0; i-- {
		t := content(i)
		if t == "" {
			continue
		}
		if strings.ContainsRune(t, ':') || t[0] == '#' {
			break
		}
		start = i
		if strings.HasPrefix(t, "- ") {
			i-- // a list item begins a scalar
			break
		}
	}
	if start < 0 {
		return 0, "", false
	}
	text = content(start)
	scalar := strings.TrimPrefix(text, "- ")
	if scalar == "" || strings.ContainsRune("\"'{[]}&*!|>%@`#-?,", rune(scalar[0])) || strings.Contains(scalar, " #") {
		return 0, "", false
	}
	// What it follows: nothing, a key whose value it is, or it is a list
	// item.
	for ; i >= 0; i-- {
		if t := content(i); t != "" && t[0] != '#' {
			break
		}
	}
	if i >= 0 && !strings.HasPrefix(text, "- ") {
		t := content(i)
		if c := strings.Index(t, " #"); c >= 0 {
			t = strings.TrimSpace(t[:c])
		}
		if !strings.HasSuffix(t, ":") {
			return 0, "", false
		}
	}
	if r := []rune(text); len(r) > 60 {
		text = string(r[:59]) + "…"
	}
	return start + 1, text, true
}
