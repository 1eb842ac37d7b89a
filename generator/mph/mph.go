// Package mph builds minimal perfect hash tables at generation time, so that
// generated code can map a key to its value with one hash, two array reads
// and one string compare, without maps and without init work.
//
// The scheme is hash-and-displace in the style of PTHash: keys are hashed
// once with a seed, split into buckets, and every bucket gets a small
// "pilot" number chosen so that its keys land in slots nobody else uses.
// Looking a key up recomputes the key's hash, reads its bucket's pilot and
// derives the slot; the caller then compares the key stored there.
//
// Everything here is deterministic: the same keys, in the same order, always
// give the same table, so generated files never churn.
package mph

import (
	"errors"
	"fmt"
	"math/bits"
)

// The constants of the hash. Generated code repeats the algorithm of Hash and
// Table.Slot with these exact values; changing any of them changes every
// generated table.
const (
	// HashLenMul mixes the key's length into the seed, so keys that differ
	// only by trailing zero bytes hash differently.
	HashLenMul = 0x9e3779b97f4a7c15
	// HashWordMul is multiplied in after every 8-byte word.
	HashWordMul = 0xff51afd7ed558ccd
	// HashFinalMul1 and HashFinalMul2 are the finaliser of MurmurHash3, which
	// makes every output bit depend on every input bit.
	HashFinalMul1 = 0xc4ceb9fe1a85ec53
	HashFinalMul2 = 0xbf58476d1ce4e5b9
	// PilotMul spreads a pilot over 64 bits before it is mixed with a key's
	// hash; consecutive pilots give well-separated slots.
	PilotMul = 0x9e3779b97f4a7c15
	// SlotMul drives the folded multiply that turns (hash, pilot) into a
	// slot. Folding is what keeps keys of one bucket from moving in lockstep
	// as the pilot changes.
	SlotMul = 0x94d049bb133111eb
)

// bucketSize is the average number of keys per bucket. Fewer, larger buckets
// mean a shorter pilot array in generated code but a longer search here;
// four keeps 100k keys well under the build budget.
const bucketSize = 4

// maxAttempts bounds the seeds Build tries. A seed only fails when two keys
// share a 64-bit hash or a bucket's pilot search runs out, each of which is
// astronomically rare, so a handful of attempts is plenty.
const maxAttempts = 64

// Hash is the keyed hash every table is built on: a multiply-xorshift over
// the key's 8-byte little-endian words, then a full-avalanche finaliser.
func Hash(seed uint64, s string) uint64 {
	h := seed ^ uint64(len(s))*HashLenMul
	for ; len(s) >= 8; s = s[8:] {
		h ^= word(s)
		h *= HashWordMul
		h ^= h >> 32
	}
	if len(s) > 0 {
		var w uint64
		for i := len(s) - 1; i >= 0; i-- {
			w = w<<8 | uint64(s[i])
		}
		h ^= w
		h *= HashWordMul
		h ^= h >> 32
	}
	h ^= h >> 33
	h *= HashFinalMul1
	h ^= h >> 29
	h *= HashFinalMul2
	h ^= h >> 32
	return h
}

// word reads the first 8 bytes of s as a little-endian integer. The compiler
// merges these shifts into a single load.
func word(s string) uint64 {
	_ = s[7]
	return uint64(s[0]) | uint64(s[1])<<8 | uint64(s[2])<<16 | uint64(s[3])<<24 |
		uint64(s[4])<<32 | uint64(s[5])<<40 | uint64(s[6])<<48 | uint64(s[7])<<56
}

// FastRange maps x uniformly onto [0, n) with a multiply instead of a
// division: the high word of the 128-bit product x*n.
func FastRange(x, n uint64) uint64 {
	hi, _ := bits.Mul64(x, n)
	return hi
}

// SlotHash combines a key's hash with its bucket's pilot; FastRange of the
// result over the table size is the key's slot.
func SlotHash(h uint64, pilot uint32) uint64 {
	hi, lo := bits.Mul64(h^uint64(pilot)*PilotMul, SlotMul)
	return hi ^ lo
}

// Table is a minimal perfect hash over a fixed set of keys: every key has
// exactly one slot in [0, len(Keys)) and no two keys share one.
type Table struct {
	// Seed is the Hash seed the table was built with.
	Seed uint64
	// NumBuckets is how many buckets the keys were split into; a key's
	// bucket is FastRange(Hash(Seed, key), NumBuckets).
	NumBuckets int
	// Pilots holds each bucket's pilot.
	Pilots []uint32
	// MaxPilot is the largest value in Pilots (0 when there is none), so an
	// emitter can pick the narrowest integer type for them.
	MaxPilot uint32
	// Slots maps each slot to the index in Keys of the key that occupies it.
	Slots []int
	// Keys are the keys in the order given to Build.
	Keys []string
}

// seedFor is the fixed seed schedule: attempt i always uses the same seed.
func seedFor(attempt int) uint64 {
	x := uint64(attempt+1) * 0x9e3779b97f4a7c15
	x ^= x >> 30
	x *= 0xbf58476d1ce4e5b9
	x ^= x >> 27
	x *= 0x94d049bb133111eb
	x ^= x >> 31
	return x
}

// Build returns a minimal perfect hash table over keys. It fails when a key
// occurs twice. Zero and one key are fine.
func Build(keys []string) (*Table, error) {
	n := len(keys)
	own := append([]string(nil), keys...)
	if n == 0 {
		return &Table{Seed: seedFor(0), Keys: own}, nil
	}
	m := (n + bucketSize - 1) / bucketSize
	b := &builder{
		keys:    own,
		n:       uint64(n),
		m:       uint64(m),
		hashes:  make([]uint64, n),
		bucket:  make([]uint32, n),
		start:   make([]int32, m+1),
		order:   make([]int32, n),
		taken:   make([]uint64, (n+63)/64),
		slots:   make([]int, n),
		pilots:  make([]uint32, m),
		bySize:  make([]int32, m),
		scratch: make([]uint64, 0, 64),
	}
	// A bucket with one key left and one free slot needs about n tries on
	// average; this limit is many times that, so running out means the seed
	// is bad, not that the table is full.
	b.maxPilot = uint64(n)*64 + 1<<16
	if b.maxPilot > 1<<32-1 {
		b.maxPilot = 1<<32 - 1
	}
	for attempt := 0; attempt < maxAttempts; attempt++ {
		seed := seedFor(attempt)
		ok, err := b.try(seed)
		if err != nil {
			return nil, err
		}
		if ok {
			t := &Table{Seed: seed, NumBuckets: m, Pilots: b.pilots, Slots: b.slots, Keys: own}
			for _, p := range t.Pilots {
				t.MaxPilot = max(t.MaxPilot, p)
			}
			return t, nil
		}
	}
	return nil, fmt.Errorf("mph: no perfect hash found for %d keys after %d seeds", n, maxAttempts)
}

type builder struct {
	keys     []string
	n, m     uint64
	maxPilot uint64
	hashes   []uint64
	bucket   []uint32
	start    []int32 // start[b]..start[b+1] index order for bucket b
	order    []int32 // key indexes grouped by bucket
	taken    []uint64
	slots    []int
	pilots   []uint32
	bySize   []int32 // buckets, largest first
	scratch  []uint64
}

// try builds the table with one seed. It reports false when the seed does
// not work, and an error when no seed can (a duplicate key).
func (b *builder) try(seed uint64) (bool, error) {
	m := int(b.m)
	for i := range b.start {
		b.start[i] = 0
	}
	for i, k := range b.keys {
		h := Hash(seed, k)
		b.hashes[i] = h
		bk := uint32(FastRange(h, b.m))
		b.bucket[i] = bk
		b.start[bk+1]++
	}
	maxSize := int32(0)
	for i := 1; i <= m; i++ {
		maxSize = max(maxSize, b.start[i])
		b.start[i] += b.start[i-1]
	}
	// Counting sort keys by bucket. The slots slice (n >= m long, and fully
	// rewritten by placement) serves as the bucket cursors meanwhile.
	fill := b.slots[:m]
	for i := 0; i < m; i++ {
		fill[i] = int(b.start[i])
	}
	for i := range b.keys {
		bk := b.bucket[i]
		b.order[fill[bk]] = int32(i)
		fill[bk]++
	}
	// Keys of one bucket with equal hashes are either the same key (an
	// error whatever the seed) or a rare collision (try another seed).
	collision := false
	for bk := 0; bk < m; bk++ {
		ks := b.order[b.start[bk]:b.start[bk+1]]
		for x := 0; x < len(ks); x++ {
			for y := x + 1; y < len(ks); y++ {
				if b.hashes[ks[x]] != b.hashes[ks[y]] {
					continue
				}
				kx, ky := ks[x], ks[y]
				if b.keys[kx] == b.keys[ky] {
					return false, fmt.Errorf("mph: %w %q", ErrDuplicate, b.keys[kx])
				}
				collision = true
			}
		}
	}
	if collision {
		return false, nil
	}
	// Place the largest buckets first, while the table is still empty;
	// ties keep bucket order so the result is deterministic.
	count := make([]int32, maxSize+2)
	for bk := 0; bk < m; bk++ {
		count[maxSize-(b.start[bk+1]-b.start[bk])+1]++
	}
	for i := 1; i < len(count); i++ {
		count[i] += count[i-1]
	}
	for bk := 0; bk < m; bk++ {
		s := maxSize - (b.start[bk+1] - b.start[bk])
		b.bySize[count[s]] = int32(bk)
		count[s]++
	}
	for i := range b.taken {
		b.taken[i] = 0
	}
	for _, bk := range b.bySize {
		ks := b.order[b.start[bk]:b.start[bk+1]]
		if len(ks) == 0 {
			b.pilots[bk] = 0
			continue
		}
		if !b.place(bk, ks) {
			return false, nil
		}
	}
	return true, nil
}

// place searches the smallest pilot that sends every key of the bucket to a
// free slot, distinct from each other, and claims those slots.
func (b *builder) place(bk int32, ks []int32) bool {
	if len(ks) > cap(b.scratch) {
		b.scratch = make([]uint64, len(ks))
	}
	pos := b.scratch[:len(ks)]
	if len(ks) == 1 {
		h := b.hashes[ks[0]]
		for pilot := uint64(0); pilot < b.maxPilot; pilot++ {
			p := FastRange(SlotHash(h, uint32(pilot)), b.n)
			if b.taken[p>>6]&(1<<(p&63)) == 0 {
				b.taken[p>>6] |= 1 << (p & 63)
				b.slots[p] = int(ks[0])
				b.pilots[bk] = uint32(pilot)
				return true
			}
		}
		return false
	}
search:
	for pilot := uint64(0); pilot < b.maxPilot; pilot++ {
		for j, k := range ks {
			p := FastRange(SlotHash(b.hashes[k], uint32(pilot)), b.n)
			if b.taken[p>>6]&(1<<(p&63)) != 0 {
				continue search
			}
			for _, q := range pos[:j] {
				if q == p {
					continue search
				}
			}
			pos[j] = p
		}
		for j, p := range pos {
			b.taken[p>>6] |= 1 << (p & 63)
			b.slots[p] = int(ks[j])
		}
		b.pilots[bk] = uint32(pilot)
		return true
	}
	return false
}

// Slot returns the slot key hashes to. For a key of the table it is the
// key's own slot; for any other key it is some slot in range, or -1 when the
// table is empty.
func (t *Table) Slot(key string) int {
	if len(t.Slots) == 0 {
		return -1
	}
	h := Hash(t.Seed, key)
	pilot := t.Pilots[FastRange(h, uint64(t.NumBuckets))]
	return int(FastRange(SlotHash(h, pilot), uint64(len(t.Slots))))
}

// Lookup returns the index in Keys of key, and whether key is one of the
// table's keys. It is the reference for what generated code does.
func (t *Table) Lookup(key string) (index int, ok bool) {
	s := t.Slot(key)
	if s < 0 {
		return 0, false
	}
	i := t.Slots[s]
	if t.Keys[i] != key {
		return 0, false
	}
	return i, true
}

// ErrDuplicate is wrapped by the error Build returns for a repeated key.
var ErrDuplicate = errors.New("duplicate key")
