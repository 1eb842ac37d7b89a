package schema

import (
	"bufio"
	"bytes"
	"fmt"
	"math"
	"sort"
	"strconv"
	"strings"
	"unicode"
)

// LockFileName is the lock's name beside the root file.
const LockFileName = "permcat.lock"

const lockHeader = "# permcat.lock: stable permission IDs. Written by `permcat generate`; commit it\n" +
	"# with the catalog. An ID is never changed or reused: removed keys stay as retired.\n" +
	"# Each line: ID KEY [retired] [formerly=OLD,OLD...]\n"

// ParseLock reads a lock file. file names it in errors.
//
// A lock holds one line per permission ever defined, so at 100,000
// permissions it is read while the catalog resolves and must not cost
// more than that: the text is converted to a string once and every key is
// a substring of it, lines are split without allocating, and a duplicate
// ID is looked for in a map only once the IDs stop increasing (a lock
// permcat wrote is sorted).
func ParseLock(file string, data []byte) (*Lock, Errors) {
	var errs Errors
	l := &Lock{}
	text := string(data)
	lines := strings.Count(text, "\n") + 1
	l.Entries = make([]LockEntry, 0, lines)
	entryLine := make([]int, 0, lines) // the line of each entry, for seenID
	var seenID map[uint32]int          // built once the IDs stop increasing
	seenKey := make(map[string]int, lines)
	var fieldBuf [8]string
	at := func(line, col int, rule, format string, args ...any) {
		errs = append(errs, Error{Pos: Pos{File: file, Line: line, Col: col}, Rule: rule, Msg: fmt.Sprintf(format, args...)})
	}
	line := 0
	sawVersion := false
	versionLine := 1 // where a missing `catalog` line is reported
	sawContent := false
	sawCatalog := false
	catalogLine := 0
	sorted := true
	for rest := text; rest != ""; {
		var raw string
		raw, rest, _ = strings.Cut(rest, "\n")
		if len(raw) >= MaxFileSize {
			// What bufio.Scanner said when it read the lock.
			errs = append(errs, Error{Pos: Pos{File: file, Line: line + 1, Col: 1}, Rule: "lock-syntax", Msg: bufio.ErrTooLong.Error()})
			break
		}
		line++
		text := strings.TrimRight(raw, " \t\r")
		// A line of only whitespace (which may be \v, \f or U+0085 besides
		// what TrimRight removed) is blank: it has no first field.
		if t := strings.TrimSpace(text); t == "" || t[0] == '#' {
			continue
		}
		sawContent = true
		fields := lockFields(fieldBuf[:0], text)
		switch fields[0] {
		case "permcat-lock":
			if len(fields) != 2 || fields[1] != "1" {
				at(line, 1, "lock-syntax", "unsupported lock version %q; this permcat reads `permcat-lock 1`", strings.Join(fields[1:], " "))
			}
			if !sawVersion {
				versionLine = line
			}
			sawVersion = true
			continue
		case "catalog":
			if sawCatalog {
				at(line, 1, "lock-syntax", "a second `catalog` line (first on line %d); a lock belongs to one catalog", catalogLine)
				continue
			}
			sawCatalog, catalogLine = true, line
			if len(fields) != 2 {
				at(line, 1, "lock-syntax", "expected `catalog NAME`")
				continue
			}
			l.Catalog = fields[1]
			l.catalogAt = Pos{File: file, Line: line, Col: fieldCol(text, 1)}
			continue
		}
		id, err := strconv.ParseUint(fields[0], 10, 64)
		if err == nil && id > math.MaxUint32-1 || err != nil && err.(*strconv.NumError).Err == strconv.ErrRange {
			at(line, 1, "lock-syntax", "ID %s is too large: an ID is at most %d", fields[0], uint32(math.MaxUint32-1))
			continue
		}
		if err != nil || id == 0 {
			at(line, 1, "lock-syntax", "expected a positive ID, got %q", fields[0])
			continue
		}
		if len(fields) < 2 {
			at(line, fieldCol(text, 0)+len(fields[0]), "lock-syntax", "ID %d has no key", id)
			continue
		}
		e := LockEntry{ID: uint32(id), Key: fields[1]}
		if msg := lockKeyProblem(e.Key); msg != "" {
			at(line, fieldCol(text, 1), "lock-syntax", "%s", msg)
			continue
		}
		for fi, f := range fields[2:] {
			switch {
			case f == "retired" && e.Retired:
				at(line, fieldCol(text, fi+2), "lock-syntax", "`retired` appears twice on this line")
			case f == "retired":
				e.Retired = true
			case strings.HasPrefix(f, "formerly="):
				for more, ks := true, strings.TrimPrefix(f, "formerly="); more; {
					var k string
					k, ks, more = strings.Cut(ks, ",")
					if msg := lockKeyProblem(k); msg != "" {
						at(line, fieldCol(text, fi+2), "lock-syntax", "%s", msg)
						continue
					}
					e.Former = append(e.Former, k)
				}
			default:
				at(line, fieldCol(text, fi+2), "lock-syntax", "unknown lock field %q (expected `retired` or `formerly=…`)", f)
			}
		}
		if n := len(l.Entries); seenID == nil && n > 0 && e.ID <= l.Entries[n-1].ID {
			sorted = false
			seenID = make(map[uint32]int, lines)
			for i, prev := range l.Entries {
				seenID[prev.ID] = entryLine[i]
			}
		}
		if prev, dup := seenID[e.ID]; dup {
			at(line, 1, "lock-duplicate", "ID %d appears twice (first on line %d); the lock is corrupt: restore it from version control (after a merge conflict, take the base branch's lock and run permcat generate, which numbers this branch's new permissions after the base's)", e.ID, prev)
			continue
		}
		if prev, dup := seenKey[e.Key]; dup {
			at(line, fieldCol(text, 1), "lock-duplicate", "key %s appears twice (first on line %d); the lock is corrupt: restore it from version control (after a merge conflict, take the base branch's lock and run permcat generate)", e.Key, prev)
			continue
		}
		if seenID != nil {
			seenID[e.ID] = line
		}
		seenKey[e.Key] = line
		l.Entries = append(l.Entries, e)
		entryLine = append(entryLine, line)
	}
	// A lock file that is there but holds nothing (emptied by a bad merge
	// or a stray `> permcat.lock`) is not a first run: the IDs it held are
	// stored in the users' data, and numbering from 1 again would give
	// them to other permissions.
	if !sawContent && len(errs) == 0 {
		at(1, 1, "lock-empty", "%s", lockEmptyMsg)
	}
	if !sawVersion && len(errs) == 0 && (len(l.Entries) > 0 || sawCatalog) {
		errs = append(errs, Error{Pos: Pos{File: file, Line: 1, Col: 1}, Rule: "lock-syntax", Msg: "missing `permcat-lock 1` line"})
	}
	if sawContent && !sawCatalog {
		at(versionLine, 1, "lock-catalog", "%s", lockNoCatalogMsg)
	}
	// Generated tables are indexed by ID, so an ID far past the others
	// would make every output as large as the ID (a 4GB Go file for an ID
	// of 10^9). permcat gives IDs one after another and never drops one,
	// so only a lock written by hand skips any; it may skip up to
	// MaxIDGap, enough to keep the IDs of an existing table.
	limit := uint64(len(l.Entries)) + MaxIDGap
	for i, e := range l.Entries {
		if uint64(e.ID) > limit {
			n := "entries"
			if len(l.Entries) == 1 {
				n = "entry"
			}
			at(entryLine[i], 1, "lock-id-range", "ID %d is far past the others: the lock holds %d %s, so its IDs go up to %d at most; permcat gives IDs one after another, so this is most likely a typo or a bad merge: restore the line from version control", e.ID, len(l.Entries), n, limit)
		}
	}
	if !sorted {
		sort.Slice(l.Entries, func(i, j int) bool { return l.Entries[i].ID < l.Entries[j].ID })
	}
	return l, errs
}

// lockEmptyMsg is the finding about a lock file that holds nothing but
// blank lines and comments.
const lockEmptyMsg = "the lock is empty; permission IDs are stored by the programs and databases that use this catalog, " +
	"so permcat will not assign them afresh: restore permcat.lock from version control " +
	"(to really start over with new IDs, delete the file)"

// lockNoCatalogMsg is the finding about a lock without its `catalog` line.
const lockNoCatalogMsg = "missing `catalog NAME` line (the lock says which catalog it belongs to): " +
	"add `catalog NAME` after `permcat-lock 1`, with NAME the root file's `catalog:`"

// lockKeyProblem says why k cannot be a key in the lock ("" when it can):
// a permission key is at least two segments joined by `.` (a group and
// the permission), each a lower-case letter then letters, digits and
// `_`, and at most MaxKeyLength bytes, as the catalog requires.
func lockKeyProblem(k string) string {
	switch {
	case !validKey(k):
		return fmt.Sprintf("%q is not a permission key", k)
	case strings.IndexByte(k, '.') < 0:
		return fmt.Sprintf("%q is not a permission key: a key has at least two segments (group.permission)", k)
	case len(k) > MaxKeyLength:
		short := k[:40] + "…" // validKey made k ASCII
		return fmt.Sprintf("%q is not a permission key: it is %d bytes long, and keys are limited to %d", short, len(k), MaxKeyLength)
	}
	return ""
}

// MaxIDGap is how far past the number of its entries a lock's IDs may go.
const MaxIDGap = 1 << 16

// fieldCol is the 1-based column of field n of text, fields split as
// strings.Fields splits them (only findings need it).
func fieldCol(text string, n int) int {
	inField := false
	for i, c := range text {
		switch space := unicode.IsSpace(c); {
		case !space && !inField:
			if n == 0 {
				return i + 1
			}
			n--
			inField = true
		case space:
			inField = false
		}
	}
	return len(text) + 1
}

// lockFields is strings.Fields(s) appended to dst, without allocating
// when s is printable ASCII separated by spaces and tabs, as every lock
// line permcat writes is.
func lockFields(dst []string, s string) []string {
	for i := 0; i < len(s); i++ {
		if c := s[i]; (c < '!' || c > '~') && c != ' ' && c != '\t' {
			return append(dst, strings.Fields(s)...)
		}
	}
	for s != "" {
		i := 0
		for i < len(s) && (s[i] == ' ' || s[i] == '\t') {
			i++
		}
		s = s[i:]
		j := 0
		for j < len(s) && s[j] != ' ' && s[j] != '\t' {
			j++
		}
		if j > 0 {
			dst = append(dst, s[:j])
		}
		s = s[j:]
	}
	return dst
}

// Format renders the lock deterministically.
func (l *Lock) Format() []byte {
	var b bytes.Buffer
	b.WriteString(lockHeader)
	b.WriteString("permcat-lock 1\n")
	fmt.Fprintf(&b, "catalog %s\n", l.Catalog)
	for _, e := range l.Entries {
		fmt.Fprintf(&b, "%d %s", e.ID, e.Key)
		if e.Retired {
			b.WriteString(" retired")
		}
		if len(e.Former) > 0 {
			b.WriteString(" formerly=")
			b.WriteString(strings.Join(e.Former, ","))
		}
		b.WriteByte('\n')
	}
	return b.Bytes()
}

// Equal reports whether two locks hold the same content.
func (l *Lock) Equal(o *Lock) bool {
	if l == nil || o == nil {
		return l == o
	}
	return bytes.Equal(l.Format(), o.Format())
}

func validKey(k string) bool {
	if k == "" {
		return false
	}
	for more := true; more; {
		var s string
		s, k, more = strings.Cut(k, ".")
		if !validSegment(s) {
			return false
		}
	}
	return true
}

func validSegment(s string) bool {
	if s == "" || s[0] < 'a' || s[0] > 'z' {
		return false
	}
	for i := 1; i < len(s); i++ {
		c := s[i]
		if !(c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '_') {
			return false
		}
	}
	return true
}
