package schema

import (
	"bufio"
	"bytes"
	"fmt"
	"math"
	"sort"
	"strconv"
	"strings"
)

// LockFileName is the lock's name beside the root file.
const LockFileName = "permcat.lock"

const lockHeader = "# permcat.lock: stable permission IDs. Written by `permcat generate`; commit it\n" +
	"# with the catalog. An ID is never changed or reused: removed keys stay as retired.\n" +
	"# Each line: ID KEY [retired] [formerly=OLD,OLD...]\n"

// ParseLock reads a lock file. file names it in errors.
func ParseLock(file string, data []byte) (*Lock, Errors) {
	var errs Errors
	l := &Lock{}
	seenID := map[uint32]int{}
	seenKey := map[string]int{}
	sc := bufio.NewScanner(bytes.NewReader(data))
	sc.Buffer(make([]byte, 64*1024), MaxFileSize)
	line := 0
	sawVersion := false
	for sc.Scan() {
		line++
		text := strings.TrimRight(sc.Text(), " \t\r")
		if text == "" || strings.HasPrefix(strings.TrimSpace(text), "#") {
			continue
		}
		at := func(col int, rule, format string, args ...any) {
			errs = append(errs, Error{Pos: Pos{File: file, Line: line, Col: col}, Rule: rule, Msg: fmt.Sprintf(format, args...)})
		}
		fields := strings.Fields(text)
		switch fields[0] {
		case "permcat-lock":
			if len(fields) != 2 || fields[1] != "1" {
				at(1, "lock-syntax", "unsupported lock version %q; this permcat reads `permcat-lock 1`", strings.Join(fields[1:], " "))
			}
			sawVersion = true
			continue
		case "catalog":
			if len(fields) != 2 {
				at(1, "lock-syntax", "expected `catalog NAME`")
				continue
			}
			l.Catalog = fields[1]
			continue
		}
		id, err := strconv.ParseUint(fields[0], 10, 32)
		if err != nil || id == 0 || id > math.MaxUint32-1 {
			at(1, "lock-syntax", "expected a positive ID, got %q", fields[0])
			continue
		}
		if len(fields) < 2 {
			at(len(fields[0])+1, "lock-syntax", "ID %d has no key", id)
			continue
		}
		e := LockEntry{ID: uint32(id), Key: fields[1]}
		if !validKey(e.Key) {
			at(strings.Index(text, fields[1])+1, "lock-syntax", "%q is not a permission key", e.Key)
			continue
		}
		for _, f := range fields[2:] {
			switch {
			case f == "retired":
				e.Retired = true
			case strings.HasPrefix(f, "formerly="):
				for _, k := range strings.Split(strings.TrimPrefix(f, "formerly="), ",") {
					if !validKey(k) {
						at(strings.Index(text, f)+1, "lock-syntax", "%q is not a permission key", k)
						continue
					}
					e.Former = append(e.Former, k)
				}
			default:
				at(strings.Index(text, f)+1, "lock-syntax", "unknown lock field %q (expected `retired` or `formerly=…`)", f)
			}
		}
		if prev, dup := seenID[e.ID]; dup {
			at(1, "lock-duplicate", "ID %d appears twice (first on line %d); the lock is corrupt: restore it from version control", e.ID, prev)
			continue
		}
		if prev, dup := seenKey[e.Key]; dup {
			at(strings.Index(text, fields[1])+1, "lock-duplicate", "key %s appears twice (first on line %d); the lock is corrupt: restore it from version control", e.Key, prev)
			continue
		}
		seenID[e.ID] = line
		seenKey[e.Key] = line
		l.Entries = append(l.Entries, e)
	}
	if err := sc.Err(); err != nil {
		errs = append(errs, Error{Pos: Pos{File: file, Line: line + 1, Col: 1}, Rule: "lock-syntax", Msg: err.Error()})
	}
	if !sawVersion && len(errs) == 0 && len(l.Entries) > 0 {
		errs = append(errs, Error{Pos: Pos{File: file, Line: 1, Col: 1}, Rule: "lock-syntax", Msg: "missing `permcat-lock 1` line"})
	}
	sort.Slice(l.Entries, func(i, j int) bool { return l.Entries[i].ID < l.Entries[j].ID })
	return l, errs
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
