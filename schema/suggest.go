package schema

import (
	"fmt"
	"math/bits"
	"sort"
)

// suggest returns ` (did you mean "x"?)` for the closest candidate within a
// small edit distance, or "".
func suggest(got string, candidates []string) string {
	if best, ok := closest(got, candidates); ok {
		return fmt.Sprintf(" (did you mean %q?)", best)
	}
	return ""
}

// suggestLimit is the edit distance within which a candidate is close to
// got: a third of its length, at least 1 and at most 3.
func suggestLimit(got string) int {
	return min(len(got)/3+1, 3)
}

// closest returns the candidate closest to got within a small edit
// distance (the lexically first of equally close ones), if any.
func closest(got string, candidates []string) (string, bool) {
	best, bestD := "", -1
	limit := suggestLimit(got)
	gs := CharClasses(got)
	for _, c := range candidates {
		if abs(len(c)-len(got)) > limit || ClassBound(gs, CharClasses(c)) > limit {
			continue
		}
		d := EditDistance(got, c, limit)
		if d <= limit && (bestD < 0 || d < bestD || d == bestD && c < best) {
			best, bestD = c, d
		}
	}
	return best, bestD >= 0
}

// maxSuggestWork bounds the work one resolve run spends on "did you mean"
// hints, in candidates looked at (a few nanoseconds each; one compared
// closely counts as closeWork): a catalog with tens of thousands of
// unknown references against tens of thousands of keys would otherwise
// spend seconds on them. Once it is spent, errors are still reported, only
// without a hint. It is far above what a catalog with a few mistakes
// spends: about a quarter of a second's work.
const maxSuggestWork = 100_000_000

// closeWork is what comparing got closely with c costs, in candidates
// looked at: the cells of EditDistance's band.
func closeWork(got, c string, limit int) int {
	return 8 + min(len(got), len(c))*(2*limit+1)/3
}

// candidateSet indexes one set of keys (the permissions', the groups', …)
// for closest matches: sorted by length, then key, so that only those of
// about got's length are looked at, each with its character classes.
type candidateSet struct {
	n       int // the size of the map it was built from, to notice growth
	keys    []string
	classes []uint64
}

func newCandidateSet[T any](m map[string]T) *candidateSet {
	cs := &candidateSet{n: len(m), keys: make([]string, 0, len(m))}
	for k := range m {
		cs.keys = append(cs.keys, k)
	}
	sort.Slice(cs.keys, func(i, j int) bool {
		a, b := cs.keys[i], cs.keys[j]
		if len(a) != len(b) {
			return len(a) < len(b)
		}
		return a < b
	})
	cs.classes = make([]uint64, len(cs.keys))
	for i, k := range cs.keys {
		cs.classes[i] = CharClasses(k)
	}
	return cs
}

// closest is closest(got, keys other than skip, if any), adding what it
// spends to *work. It looks at the keys of got's length first, then those
// one longer or shorter, and so on: a key whose length differs by d is at
// least d edits away, so once one is found within bestD edits only keys
// within bestD are left to look at, and only as closely as that.
func (cs *candidateSet) closest(got string, skip []string, work *int) (string, bool) {
	limit := suggestLimit(got)
	gs := CharClasses(got)
	best, bestD := "", -1
	spent := 0
	look := func(lo, hi int) {
		for i := lo; i < hi; i++ {
			spent++
			if ClassBound(gs, cs.classes[i]) > limit {
				continue
			}
			c := cs.keys[i]
			if len(skip) > 0 && c == skip[0] {
				continue
			}
			spent += closeWork(got, c, limit)
			d := EditDistance(got, c, limit)
			if d <= limit && (bestD < 0 || d < bestD || d == bestD && c < best) {
				best, bestD = c, d
				limit = d // only as close or closer is of interest now
			}
		}
	}
	for delta := 0; delta <= limit; delta++ {
		for side, n := range [2]int{len(got) - delta, len(got) + delta} {
			if n < 0 || delta == 0 && side == 1 {
				continue
			}
			lo := sort.Search(len(cs.keys), func(i int) bool { return len(cs.keys[i]) >= n })
			hi := lo + sort.Search(len(cs.keys)-lo, func(i int) bool { return len(cs.keys[lo+i]) > n })
			look(lo, hi)
		}
	}
	*work += spent
	return best, bestD >= 0
}

// hintKey returns ` (did you mean "x"?)` for the key of m (other than skip,
// if given) closest to got, or "". kind names m ("permission", "group", …): the keys
// are indexed once per kind and run, and the run's suggestion work is
// bounded (see maxSuggestWork).
func hintKey[T any](r *resolver, kind, got string, m map[string]T, skip ...string) string {
	if best, ok := closestKey(r, kind, got, m, skip...); ok {
		return fmt.Sprintf(" (did you mean %q?)", best)
	}
	return ""
}

// closestKey is closest(got, keys of m other than skip, if given), within
// the run's budget (see hintKey).
func closestKey[T any](r *resolver, kind, got string, m map[string]T, skip ...string) (string, bool) {
	if r.suggestWork >= maxSuggestWork || len(m) == 0 {
		return "", false
	}
	cs := r.candidates[kind]
	if cs == nil || cs.n != len(m) {
		if r.candidates == nil {
			r.candidates = map[string]*candidateSet{}
		}
		cs = newCandidateSet(m)
		r.candidates[kind] = cs
		r.suggestWork += len(m)
	}
	return cs.closest(got, skip, &r.suggestWork)
}

// CharClasses is the set of character classes s has, one bit each:
// lowercase letters and digits a class of their own, the rest sharing.
func CharClasses(s string) uint64 {
	var m uint64
	for i := 0; i < len(s); i++ {
		m |= 1 << charClass[s[i]]
	}
	return m
}

var charClass = func() (t [256]uint8) {
	for c := range t {
		switch {
		case c >= 'a' && c <= 'z':
			t[c] = uint8(c - 'a')
		case c >= '0' && c <= '9':
			t[c] = uint8(26 + c - '0')
		case c == '_':
			t[c] = 36
		case c == '.':
			t[c] = 37
		default:
			t[c] = uint8(38 + c%26)
		}
	}
	return
}()

// ClassBound is a lower bound of the edit distance of strings with
// character classes a and b: a character of a class one lacks is edited
// away (substituted or deleted), one edit per class at least, and an
// edit changes a single character of each.
func ClassBound(a, b uint64) int {
	return max(bits.OnesCount64(a&^b), bits.OnesCount64(b&^a))
}

func abs(x int) int {
	if x < 0 {
		return -x
	}
	return x
}

// EditDistance is the Levenshtein distance of a and b in bytes, or
// limit+1 once it is certain to exceed limit. Strings longer than any key
// (256 bytes) are only compared for equality, which keeps long hostile
// inputs cheap.
//
// Only the band of cells within limit of the diagonal is computed (a cell
// outside it exceeds limit), after the common prefix and suffix are
// dropped, without allocating: a few hundred nanoseconds at most.
func EditDistance(a, b string, limit int) int {
	if d := len(a) - len(b); d > limit || -d > limit {
		return limit + 1
	}
	if len(a) > 256 || len(b) > 256 {
		if a == b {
			return 0
		}
		return limit + 1
	}
	for len(a) > 0 && len(b) > 0 && a[0] == b[0] {
		a, b = a[1:], b[1:]
	}
	for len(a) > 0 && len(b) > 0 && a[len(a)-1] == b[len(b)-1] {
		a, b = a[:len(a)-1], b[:len(b)-1]
	}
	if len(a) == 0 || len(b) == 0 {
		return len(a) + len(b) // within limit: the lengths differ by no more
	}
	big := int32(limit) + 1
	var rows [2][258]int32
	prev, cur := &rows[0], &rows[1]
	for j := 0; j <= len(b); j++ {
		prev[j] = min(int32(j), big)
	}
	for i := 1; i <= len(a); i++ {
		lo, hi := max(1, i-limit), min(len(b), i+limit)
		if lo == 1 {
			cur[0] = min(int32(i), big)
		} else {
			cur[lo-1] = big
		}
		rowMin := cur[lo-1]
		ai := a[i-1]
		for j := lo; j <= hi; j++ {
			v := prev[j-1]
			if ai != b[j-1] {
				v++
			}
			v = min(v, prev[j]+1, cur[j-1]+1, big)
			cur[j] = v
			rowMin = min(rowMin, v)
		}
		if hi < len(b) {
			cur[hi+1] = big
		}
		if rowMin >= big {
			return limit + 1
		}
		prev, cur = cur, prev
	}
	return int(prev[len(b)])
}
