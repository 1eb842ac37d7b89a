package schema

import (
	"bufio"
	"bytes"
	"fmt"
	"math"
	"reflect"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"testing"
)

// parseLockReference is ParseLock as it was written first, line by line
// with bufio.Scanner and strings.Fields, with only the blank-line fix
// applied and the checks added since (an empty lock, a lock without its
// `catalog` line, keys of one segment or too long): the faster ParseLock
// must agree with it on every input.
func parseLockReference(file string, data []byte) (*Lock, Errors) {
	var errs Errors
	l := &Lock{}
	seenID := map[uint32]int{}
	seenKey := map[string]int{}
	sc := bufio.NewScanner(bytes.NewReader(data))
	sc.Buffer(make([]byte, 64*1024), MaxFileSize)
	line := 0
	sawVersion := false
	var lines []string // the lines that are not blank or comments
	var versionAt []int
	catalogs, firstCatalog := 0, 0
	for sc.Scan() {
		line++
		text := strings.TrimRight(sc.Text(), " \t\r")
		if strings.TrimSpace(text) == "" || strings.HasPrefix(strings.TrimSpace(text), "#") {
			continue
		}
		at := func(col int, rule, format string, args ...any) {
			errs = append(errs, Error{Pos: Pos{File: file, Line: line, Col: col}, Rule: rule, Msg: fmt.Sprintf(format, args...)})
		}
		lines = append(lines, text)
		fields := strings.Fields(text)
		switch fields[0] {
		case "permcat-lock":
			if len(fields) != 2 || fields[1] != "1" {
				at(1, "lock-syntax", "unsupported lock version %q; this permcat reads `permcat-lock 1`", strings.Join(fields[1:], " "))
			}
			sawVersion = true
			versionAt = append(versionAt, line)
			continue
		case "catalog":
			catalogs++
			if catalogs > 1 {
				at(1, "lock-syntax", "a second `catalog` line (first on line %d); a lock belongs to one catalog", firstCatalog)
				continue
			}
			firstCatalog = line
			if len(fields) != 2 {
				at(1, "lock-syntax", "expected `catalog NAME`")
				continue
			}
			l.Catalog = fields[1]
			continue
		}
		id, err := strconv.ParseUint(fields[0], 10, 64)
		if err == nil && id > math.MaxUint32-1 || err != nil && err.(*strconv.NumError).Err == strconv.ErrRange {
			at(1, "lock-syntax", "ID %s is too large: an ID is at most %d", fields[0], uint32(math.MaxUint32-1))
			continue
		}
		if err != nil || id == 0 {
			at(1, "lock-syntax", "expected a positive ID, got %q", fields[0])
			continue
		}
		if len(fields) < 2 {
			at(fieldCol(text, 0)+len(fields[0]), "lock-syntax", "ID %d has no key", id)
			continue
		}
		e := LockEntry{ID: uint32(id), Key: fields[1]}
		if msg := referenceKeyProblem(e.Key); msg != "" {
			at(fieldCol(text, 1), "lock-syntax", "%s", msg)
			continue
		}
		for fi, f := range fields[2:] {
			switch {
			case f == "retired" && e.Retired:
				at(fieldCol(text, fi+2), "lock-syntax", "`retired` appears twice on this line")
			case f == "retired":
				e.Retired = true
			case strings.HasPrefix(f, "formerly="):
				for _, k := range strings.Split(strings.TrimPrefix(f, "formerly="), ",") {
					if msg := referenceKeyProblem(k); msg != "" {
						at(fieldCol(text, fi+2), "lock-syntax", "%s", msg)
						continue
					}
					e.Former = append(e.Former, k)
				}
			default:
				at(fieldCol(text, fi+2), "lock-syntax", "unknown lock field %q (expected `retired` or `formerly=…`)", f)
			}
		}
		if prev, dup := seenID[e.ID]; dup {
			at(1, "lock-duplicate", "ID %d appears twice (first on line %d); the lock is corrupt: restore it from version control (after a merge conflict, take the base branch's lock and run permcat generate, which numbers this branch's new permissions after the base's)", e.ID, prev)
			continue
		}
		if prev, dup := seenKey[e.Key]; dup {
			at(fieldCol(text, 1), "lock-duplicate", "key %s appears twice (first on line %d); the lock is corrupt: restore it from version control (after a merge conflict, take the base branch's lock and run permcat generate)", e.Key, prev)
			continue
		}
		seenID[e.ID] = line
		seenKey[e.Key] = line
		l.Entries = append(l.Entries, e)
	}
	if err := sc.Err(); err != nil {
		errs = append(errs, Error{Pos: Pos{File: file, Line: line + 1, Col: 1}, Rule: "lock-syntax", Msg: err.Error()})
	}
	if len(lines) == 0 && len(errs) == 0 {
		errs = append(errs, Error{Pos: Pos{File: file, Line: 1, Col: 1}, Rule: "lock-empty", Msg: "the lock is empty; permission IDs are stored by the programs and databases that use this catalog, so permcat will not assign them afresh: restore permcat.lock from version control (to really start over with new IDs, delete the file)"})
	}
	if !sawVersion && len(errs) == 0 && (len(l.Entries) > 0 || catalogs > 0) {
		errs = append(errs, Error{Pos: Pos{File: file, Line: 1, Col: 1}, Rule: "lock-syntax", Msg: "missing `permcat-lock 1` line"})
	}
	if len(lines) > 0 && catalogs == 0 {
		at := 1
		if len(versionAt) > 0 {
			at = versionAt[0]
		}
		errs = append(errs, Error{Pos: Pos{File: file, Line: at, Col: 1}, Rule: "lock-catalog", Msg: "missing `catalog NAME` line (the lock says which catalog it belongs to): add `catalog NAME` after `permcat-lock 1`, with NAME the root file's `catalog:`"})
	}
	for _, e := range l.Entries {
		if int(e.ID) > len(l.Entries)+MaxIDGap {
			n := "entries"
			if len(l.Entries) == 1 {
				n = "entry"
			}
			errs = append(errs, Error{Pos: Pos{File: file, Line: seenID[e.ID], Col: 1}, Rule: "lock-id-range", Msg: fmt.Sprintf("ID %d is far past the others: the lock holds %d %s, so its IDs go up to %d at most; permcat gives IDs one after another, so this is most likely a typo or a bad merge: restore the line from version control", e.ID, len(l.Entries), n, len(l.Entries)+MaxIDGap)})
		}
	}
	sort.Slice(l.Entries, func(i, j int) bool { return l.Entries[i].ID < l.Entries[j].ID })
	return l, errs
}

// referenceKey is the catalog's key syntax: segments joined by `.`.
var referenceKey = regexp.MustCompile(`^[a-z][a-z0-9_]*(\.[a-z][a-z0-9_]*)*$`)

// referenceKeyProblem is lockKeyProblem by regular expression.
func referenceKeyProblem(k string) string {
	switch {
	case !referenceKey.MatchString(k):
		return fmt.Sprintf("%q is not a permission key", k)
	case !strings.Contains(k, "."):
		return fmt.Sprintf("%q is not a permission key: a key has at least two segments (group.permission)", k)
	case len(k) > 255:
		return fmt.Sprintf("%q is not a permission key: it is %d bytes long, and keys are limited to 255", k[:40]+"…", len(k))
	}
	return ""
}

func checkLockAgrees(t *testing.T, data []byte) {
	t.Helper()
	got, gerrs := ParseLock("permcat.lock", data)
	want, werrs := parseLockReference("permcat.lock", data)
	if !reflect.DeepEqual(gerrs, werrs) {
		t.Fatalf("ParseLock(%q) errors:\n%v\nwant:\n%v", data, gerrs, werrs)
	}
	if got.Catalog != want.Catalog || len(got.Entries) != len(want.Entries) {
		t.Fatalf("ParseLock(%q) = %+v, want %+v", data, got, want)
	}
	for i := range got.Entries {
		if !reflect.DeepEqual(got.Entries[i], want.Entries[i]) {
			t.Fatalf("ParseLock(%q) entry %d = %+v, want %+v", data, i, got.Entries[i], want.Entries[i])
		}
	}
}

var lockCases = []string{
	"",
	"\n\n",
	"\v\n",
	"  \f \n# c\n",
	"\u00a0\n",
	"\u0085x\n",
	"permcat-lock 1\ncatalog x\n1 a.b\n2 a.c retired formerly=a.d,a.e\n",
	"permcat-lock 1\r\ncatalog x\r\n1 a.b\r\n2 a.c\r\n",
	"permcat-lock 1\n1 a.b\n1 a.c\n",               // duplicate ID
	"permcat-lock 1\n1 a.b\n2 a.b\n",               // duplicate key
	"permcat-lock 1\n3 a.b\n1 a.c\n2 a.d\n3 a.e\n", // unsorted, then a duplicate of the first
	"permcat-lock 1\n2 a.b\n2 a.b\n1 a.b\n",
	"permcat-lock 1\n1\n0 a.b\n-1 a.b\n4294967295 a.b\n4294967294 a.b\nx a.b\n",
	"permcat-lock 1\n1 A.b\n2 a.b frob\n3 a.c formerly=,a.d,B\n",
	"permcat-lock 2\ncatalog\ncatalog a b\n",
	"1 a.b\n",
	"1\ta.b\t retired\n2 a.c\vretired\n3 a.d \u00a0retired\n",
	"permcat-lock 1\n1 a.b\n# 2 a.c\n   # x\n2 a.c",
	"permcat-lock 1\n1 a.b\n65538 a.c\n65539 a.d\n",     // three entries: IDs up to 65539 are fine
	"permcat-lock 1\n4000000000 a.b\n1 a.c\n9999 a.d\n", // far past, unsorted
	"# only a comment\n",
	"catalog x\n",                                    // no version line
	"permcat-lock 1\n",                               // no catalog line
	"# c\n\npermcat-lock 1\npermcat-lock 1\n1 a.b\n", // no catalog line, the version twice
	"permcat-lock 1\ncatalog x\n1 a\n2 a.b formerly=c,a.c\n",
	"permcat-lock 1\ncatalog x\n1 a." + strings.Repeat("b", 253) + "\n2 a." + strings.Repeat("c", 254) + " formerly=a." + strings.Repeat("d", 254) + "\n",
}

func TestParseLockAgreesWithTheReference(t *testing.T) {
	for _, c := range lockCases {
		checkLockAgrees(t, []byte(c))
	}
	// A lock as permcat writes it, and the same shuffled.
	var b bytes.Buffer
	b.WriteString("permcat-lock 1\ncatalog big\n")
	for i := 1; i <= 3000; i++ {
		fmt.Fprintf(&b, "%d g_%d.p_%d", i, i%97, i)
		if i%7 == 0 {
			b.WriteString(" retired")
		}
		if i%11 == 0 {
			fmt.Fprintf(&b, " formerly=old_%d.p,old_%d.q", i, i)
		}
		b.WriteByte('\n')
	}
	checkLockAgrees(t, b.Bytes())
	lines := strings.Split(b.String(), "\n")
	for i := range lines {
		j := (i * 7919) % len(lines)
		lines[i], lines[j] = lines[j], lines[i]
	}
	checkLockAgrees(t, []byte(strings.Join(lines, "\n")))
}

func TestParseLockAllocations(t *testing.T) {
	var b bytes.Buffer
	b.WriteString("permcat-lock 1\ncatalog big\n")
	for i := 1; i <= 10000; i++ {
		fmt.Fprintf(&b, "%d g_%d.p_%d\n", i, i%97, i)
	}
	data := b.Bytes()
	allocs := testing.AllocsPerRun(5, func() { ParseLock("permcat.lock", data) })
	// The string, the entries, the line numbers, the key map's tables
	// (one per 1,024 slots) and the Lock: a few dozen, not one per line.
	if allocs > 100 {
		t.Errorf("ParseLock of 10,000 lines: %v allocations, want under 100", allocs)
	}
}

// FuzzParseLockAgrees: the fast lock parser reads every input as the
// reference does.
func FuzzParseLockAgrees(f *testing.F) {
	for _, c := range lockCases {
		f.Add([]byte(c))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		checkLockAgrees(t, data)
	})
}

func BenchmarkParseLock(b *testing.B) {
	var buf bytes.Buffer
	buf.WriteString("permcat-lock 1\ncatalog big\n")
	for i := 1; i <= 100000; i++ {
		fmt.Fprintf(&buf, "%d group_%d.sub_%d.perm_%d", i, i%997, i%31, i)
		if i%14 == 0 {
			fmt.Fprintf(&buf, " formerly=old_%d.perm", i)
		}
		buf.WriteByte('\n')
	}
	data := buf.Bytes()
	b.Run("impl=permcat", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			ParseLock("permcat.lock", data)
		}
	})
	b.Run("impl=reference", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			parseLockReference("permcat.lock", data)
		}
	})
}

func TestLockFindingsPointAtTheirField(t *testing.T) {
	_, errs := ParseLock("permcat.lock", []byte("permcat-lock 1\ncatalog cat\n12 2\n  7\n3 a.b a.b.c frob\n"))
	got := ""
	for _, e := range errs {
		got += e.Error() + "\n"
	}
	for _, want := range []string{
		"permcat.lock:3:4: \"2\" is not a permission key",
		"permcat.lock:4:4: ID 7 has no key",
		"permcat.lock:5:13: unknown lock field \"frob\"",
	} {
		if !strings.Contains(got, want) {
			t.Errorf("want %q among:\n%s", want, got)
		}
	}
	l, _ := ParseLock("permcat.lock", []byte("permcat-lock 1\ncatalog log\n"))
	if l.catalogAt.Col != 9 {
		t.Errorf("catalog name at column %d, want 9", l.catalogAt.Col)
	}
}
