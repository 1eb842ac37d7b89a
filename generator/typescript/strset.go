package typescript

import (
	"hash/maphash"
	"math/bits"
)

// strSet is a set of numbered strings, for checking 100,000 names or keys
// for repeats. It stores a tag of each string's hash and its number in one
// word, so a lookup reads one small table and looks at a string only when
// the tags match, which a map[string] (16-byte keys, hashed twice for a
// lookup and an insert) cannot do; at that size the checks otherwise cost
// as much as writing the permissions out.
type strSet struct {
	slots []uint64 // 0: empty; else tag<<32 | number+1
	seed  maphash.Seed
	str   func(number int) string
}

// newStrSet makes room for n strings; str returns string number i once it
// has been added.
func newStrSet(n int, str func(i int) string) *strSet {
	size := 1 << bits.Len(uint(2*n)) // at most half full
	return &strSet{slots: make([]uint64, size), seed: maphash.MakeSeed(), str: str}
}

// add adds x as string number i unless the set holds x already, and
// returns -1, or the number of the equal string it holds.
func (s *strSet) add(x string, i int) int {
	h := maphash.String(s.seed, x)
	tag := h >> 32
	mask := uint64(len(s.slots) - 1)
	for j := h & mask; ; j = (j + 1) & mask {
		e := s.slots[j]
		if e == 0 {
			s.slots[j] = tag<<32 | uint64(i+1)
			return -1
		}
		if e>>32 == tag {
			if other := int(uint32(e)) - 1; s.str(other) == x {
				return other
			}
		}
	}
}
