// Package mph builds perfect hash tables at generation time, so that
// generated code can map a key to its value with one hash, a pilot read
// from a small table and one record read, without maps and without init
// work.
//
// The hash reads a key as a few overlapping 8-byte words chosen by its
// length (no loop up to 64 bytes) and folds them with 128-bit multiplies,
// as wyhash does. Keys are then placed with hash-and-displace in the style
// of PTHash, one table per key length: keys are split into buckets by the
// top bits of their hash, whatever their length, and every bucket gets a
// one-byte "pilot" chosen so that each of its keys lands in a slot of its
// own length's table that nobody else uses. A slot is the high word of
// the product of a 64-bit number and the table's size (Lemire's
// fastrange), not a power of two, so tables are 97% full.
//
// One table per length is what lets generated code keep each key's bytes
// and value together in a record of fixed size: the slot gives the record's
// place, and the cache line holding it both confirms the key and gives its
// value.
//
// Everything here is deterministic: the same keys, in the same order, always
// give the same table, so generated files never churn.
package mph

import (
	"errors"
	"fmt"
	"math/bits"
)

// The fixed constants of the hash. Generated code repeats the algorithm of
// Hasher.Hash and Table.SlotOf with these exact values; changing any of
// them changes every generated table.
const (
	// LenMul mixes the key's length into its hash, so keys whose words
	// coincide but whose lengths differ still hash apart.
	LenMul = 0x9e3779b97f4a7c15
	// SlotMul remixes the hash and PilotMul spreads a pilot over 64 bits:
	// a key's slot is taken from PilotMix(h, pilot) = h*SlotMul ^
	// pilot*PilotMul, whose first half is computed while the pilot is
	// read. The pilot must not be added in: (h ^ pilot) * SlotMul, say,
	// is h*SlotMul plus a small multiple of SlotMul, so every key would
	// choose among the same 256 evenly spaced places, shifted by its own
	// amount; keys whose shifts nearly agree would compete for nearly the
	// same places, and the last keys placed in a crowded table would find
	// none free (at 100,000 keys no table above 90% full could be built).
	PilotMul = 0x9e3779b97f4a7c15
	SlotMul  = 0x94d049bb133111eb
)

// Tuning of Build.
const (
	// bucketSize is the average number of keys per bucket, at most: the
	// number of buckets is a power of two, so that a bucket is a shift of
	// the hash. Smaller buckets mean a larger pilot table (a byte per
	// bucket) but an easier search, which is what lets tables be 97%
	// full with pilots of a byte: at 4 keys a bucket, a table of 100,000
	// keys finds no pilots above 80% full.
	bucketSize = 2
	// maxPilot bounds a bucket's pilot search: pilots are bytes.
	maxPilot = 255
	// seedsPerLoad is how many seeds Build tries at one load before it
	// tries a lower one. A seed fails when a bucket finds no pilot among
	// 256, or two keys share a 64-bit hash.
	seedsPerLoad = 3
	// lastSeeds is how many more seeds the last load gets.
	lastSeeds = 253
)

// loads are the shares of slots keys may fill, in percent, from the first
// Build tries to the last. Realistic key sets fit the first; the others
// are for unlucky or adversarial ones.
var loads = []int{97, 94, 90, 80, 65, 50, 25}

// PilotMix is what a key's slot among those of its length is taken from,
// given its hash and its bucket's pilot.
func PilotMix(h, pilot uint64) uint64 {
	return h*SlotMul ^ pilot*PilotMul
}

// Mix is the folded multiply the hash is built from: the xor of the high
// and low words of the 128-bit product of a and b.
func Mix(a, b uint64) uint64 {
	hi, lo := bits.Mul64(a, b)
	return hi ^ lo
}

// Reduce maps x to [0, n) by the high word of x*n, which is fair for a
// uniform x and needs no division.
func Reduce(x, n uint64) uint64 {
	hi, _ := bits.Mul64(x, n)
	return hi
}

// Hasher is the keyed hash of one table: eight secrets derived from a
// seed, and how much of a key it reads.
type Hasher struct {
	K [8]uint64
	// Words is how many words of a key of 8 bytes or more the hash folds:
	// 2 reads its first and last 8 bytes, 4 its first and last 16, and 8
	// every byte. Fewer words cost fewer multiplies; Build starts from 2
	// and reads more only when two keys of the table agree on every byte
	// the fewer words cover.
	Words int
}

// NewHasher derives a Hasher's secrets from a seed with splitmix64.
func NewHasher(seed uint64, words int) Hasher {
	h := Hasher{Words: words}
	x := seed
	for i := range h.K {
		x += 0x9e3779b97f4a7c15
		z := x
		z = (z ^ z>>30) * 0xbf58476d1ce4e5b9
		z = (z ^ z>>27) * 0x94d049bb133111eb
		h.K[i] = z ^ z>>31
	}
	return h
}

// Hash hashes a key. It reads a key as overlapping little-endian words at
// offsets computed without a branch, so that keys of mixed lengths cost no
// mispredictions. From 8 bytes on, with m = len-8:
//
//	2 words: 0, m
//	4 words: 0, min(8, m), max(len-16, 0), m
//	8 words: 0, min(8, m), min(16, m), min(24, m),
//	         max(len-32, 0), max(len-24, 0), max(len-16, 0), m
//
// Two words cover the first and last 8 bytes, four the first and last 16,
// eight the first and last 32, so eight read every byte up to 64 bytes and
// fold longer keys 32 bytes at a time into a chained accumulator first.
// Each word is xored with its own secret, pairs are folded with Mix, and
// the results are xored together with len*LenMul. Shorter keys fold one
// word: bytes 0, len/2 and len-1 up to 3 bytes, the 4-byte words at 0 and
// len-4 up to 7. Keys the hash reads differently give different inputs to
// the folds, so for a random seed they collide with probability about
// 2^-64.
func (hs *Hasher) Hash(s string) uint64 {
	k := &hs.K
	n := len(s)
	ln := uint64(n) * LenMul
	switch {
	case n < 4:
		if n == 0 {
			return Mix(k[0], k[1])
		}
		return Mix((uint64(s[0])<<16|uint64(s[n>>1])<<8|uint64(s[n-1]))^k[0], k[1]) ^ ln
	case n < 8:
		return Mix((Word32(s, 0)<<32|Word32(s, n-4))^k[0], k[1]) ^ ln
	case hs.Words == 2:
		return Mix(Word(s, 0)^k[0], Word(s, n-8)^k[1]) ^ ln
	case hs.Words == 4:
		m := n - 8
		return Mix(Word(s, 0)^k[0], Word(s, min(8, m))^k[1]) ^ Mix(Word(s, max(n-16, 0))^k[2], Word(s, m)^k[3]) ^ ln
	case n <= 64:
		m := n - 8
		return Mix(Word(s, 0)^k[0], Word(s, min(8, m))^k[1]) ^ Mix(Word(s, min(16, m))^k[2], Word(s, min(24, m))^k[3]) ^
			Mix(Word(s, max(n-32, 0))^k[4], Word(s, max(n-24, 0))^k[5]) ^ Mix(Word(s, max(n-16, 0))^k[6], Word(s, m)^k[7]) ^ ln
	}
	acc := k[7]
	i := 0
	for ; n-i > 32; i += 32 {
		acc = Mix(acc^Word(s, i)^k[0], Word(s, i+8)^k[1]) ^ Mix(Word(s, i+16)^k[2], Word(s, i+24)^k[3])
	}
	return acc ^ Mix(Word(s, n-32)^k[4], Word(s, n-24)^k[5]) ^ Mix(Word(s, n-16)^k[6], Word(s, n-8)^k[7]) ^ ln
}

// twins reports whether a hash of the given words reads the same bytes
// of two keys, so that no seed can tell them apart.
func twins(a, b string, words int) bool {
	n := len(a)
	if n != len(b) || n < 8 || words >= 8 {
		return false
	}
	c := min(4*words, n) // bytes covered at each end
	return a[:c] == b[:c] && a[n-c:] == b[n-c:]
}

// wordsFor is the fewest words that tell every two keys apart, checking
// every pair: for small sets only.
func wordsFor(keys []string) int {
	words := 2
	for i, a := range keys {
		for _, b := range keys[:i] {
			for words < 8 && twins(a, b, words) {
				words *= 2
			}
		}
	}
	return words
}

// Word reads the 8 bytes of s at i as a little-endian integer. The compiler
// merges these shifts into a single load; generated code reads the same
// way, so tables agree on every platform.
func Word(s string, i int) uint64 {
	_ = s[i+7]
	return uint64(s[i]) | uint64(s[i+1])<<8 | uint64(s[i+2])<<16 | uint64(s[i+3])<<24 |
		uint64(s[i+4])<<32 | uint64(s[i+5])<<40 | uint64(s[i+6])<<48 | uint64(s[i+7])<<56
}

// Word32 reads the 4 bytes of s at i as a little-endian integer.
func Word32(s string, i int) uint64 {
	_ = s[i+3]
	return uint64(s[i]) | uint64(s[i+1])<<8 | uint64(s[i+2])<<16 | uint64(s[i+3])<<24
}

// Table is a perfect hash over a fixed set of keys. Keys of each length
// have a table of their own, a run of Slots; every key has its own slot in
// its length's run, and no two keys share one.
type Table struct {
	// Seed is the seed the Hasher was derived from.
	Seed uint64
	// Hasher hashes keys for this table.
	Hasher Hasher
	// BucketBits is log2 of the number of buckets: a key's bucket is the
	// top BucketBits bits of its hash h, and its slot among the Count of
	// its length Reduce(PilotMix(h, pilot), Count).
	BucketBits uint
	// Pilots holds each bucket's pilot.
	Pilots []uint8
	// Lengths has an entry for every length up to the longest key's: the
	// run of Slots that keys of that length occupy, empty for a length
	// no key has.
	Lengths []Run
	// Slots maps each slot, the runs one after the other by length, to
	// the index in Keys of the key that occupies it, or -1 when it is
	// free.
	Slots []int
	// Keys are the keys in the order given to Build.
	Keys []string
}

// Run is the slots of the keys of one length: Slots[Base:Base+Count].
type Run struct {
	Base, Count int
}

// SlotOf maps a hash of a key of n bytes to its slot, or to -1 when no key
// has n bytes. It is the reference for generated code.
func (t *Table) SlotOf(h uint64, n int) int {
	if n >= len(t.Lengths) || t.Lengths[n].Count == 0 {
		return -1
	}
	r := t.Lengths[n]
	pilot := t.Pilots[h>>(64-t.BucketBits)]
	return r.Base + int(Reduce(PilotMix(h, uint64(pilot)), uint64(r.Count)))
}

// Slot returns the slot key hashes to: for a key of the table its own slot,
// for any other key of a length some key has some slot of that length, and
// -1 for any other length.
func (t *Table) Slot(key string) int {
	return t.SlotOf(t.Hasher.Hash(key), len(key))
}

// Lookup returns the index in Keys of key, and whether key is one of the
// table's keys. It is the reference for what generated code does.
func (t *Table) Lookup(key string) (index int, ok bool) {
	s := t.Slot(key)
	if s < 0 || t.Slots[s] < 0 {
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

// log2Ceil is the smallest b with 1<<b >= n.
func log2Ceil(n int) uint {
	if n <= 1 {
		return 0
	}
	return uint(bits.Len(uint(n - 1)))
}

// Build returns a perfect hash table over keys. It fails when a key occurs
// twice. Zero and one key are fine.
func Build(keys []string) (*Table, error) {
	n := len(keys)
	own := append([]string(nil), keys...)
	if n == 0 {
		return &Table{Seed: seedFor(0), Hasher: NewHasher(seedFor(0), 2), BucketBits: 1, Pilots: []uint8{0, 0}, Keys: own}, nil
	}
	maxLen := 0
	for _, k := range own {
		maxLen = max(maxLen, len(k))
	}
	perLen := make([]int, maxLen+1)
	for _, k := range own {
		perLen[len(k)]++
	}
	bucketBits := max(log2Ceil((n+bucketSize-1)/bucketSize), 1)
	m := 1 << bucketBits
	b := &builder{
		keys:       own,
		hashes:     make([]uint64, n),
		bucketBits: bucketBits,
		start:      make([]int32, m+1),
		order:      make([]int32, n),
		pilots:     make([]uint8, m),
		bySize:     make([]int32, m),
		runs:       make([]Run, maxLen+1),
		scratch:    make([]int, 0, 64),
	}
	words := 2
	// Each load is tried with seedsPerLoad seeds; the last, with
	// lastSeeds more. A pilot is mixed in after the key's multiply, so
	// two keys of a bucket whose products agree in their top bits land
	// together whatever the pilot: only another seed parts them. That
	// takes more seeds where a length has few slots (a fuzzer found five
	// short keys that the first 21 tries could not place).
	for li, load := range loads {
		seeds := seedsPerLoad
		if li == len(loads)-1 {
			seeds += lastSeeds
		}
		total := 0
		for l, c := range perLen {
			// At least one free slot per length from 10 keys on, so that
			// the last buckets placed are not left hunting for the one
			// slot that fits.
			count := max(c*100/load, c+min(c/10, 1))
			if c == 0 {
				count = 0
			}
			b.runs[l] = Run{Base: total, Count: count}
			total += count
		}
		b.taken = make([]uint64, (total+63)/64)
		b.slots = make([]int, total)
		for attempt := 0; attempt < seeds; attempt++ {
			seed := seedFor(attempt)
			hs := NewHasher(seed, words)
			ok, err := b.try(&hs)
			if errors.Is(err, errTwins) {
				// Start over reading more of each key: the seeds tried so
				// far failed for a reason no seed could fix.
				words, attempt = 2*words, -1
				continue
			}
			if err != nil {
				return nil, err
			}
			if ok {
				return &Table{Seed: seed, Hasher: hs, BucketBits: bucketBits, Pilots: b.pilots, Lengths: b.runs, Slots: b.slots, Keys: own}, nil
			}
		}
	}
	return nil, fmt.Errorf("mph: no perfect hash found for %d keys", n)
}

// errTwins is what try reports for two keys its hash cannot tell apart.
var errTwins = errors.New("keys agree on every byte the hash reads")

type builder struct {
	keys       []string
	hashes     []uint64
	bucketBits uint
	start      []int32 // start[b]..start[b+1] index order for bucket b
	order      []int32 // key indexes grouped by bucket
	runs       []Run   // by length
	taken      []uint64
	slots      []int
	pilots     []uint8
	bySize     []int32 // buckets, largest first
	scratch    []int
}

// try builds the table with one hasher. It reports false when the seed
// does not work, and an error when no seed can: a duplicate key, or
// errTwins.
func (b *builder) try(hs *Hasher) (bool, error) {
	m := len(b.pilots)
	clear(b.start)
	shift := 64 - b.bucketBits
	for i, k := range b.keys {
		h := hs.Hash(k)
		b.hashes[i] = h
		b.start[h>>shift+1]++
	}
	maxSize := int32(0)
	for i := 1; i <= m; i++ {
		maxSize = max(maxSize, b.start[i])
		b.start[i] += b.start[i-1]
	}
	// Counting sort keys by bucket, the bucket order doubling as the
	// cursors meanwhile.
	fill := b.bySize
	copy(fill, b.start[:m])
	for i := range b.keys {
		bk := b.hashes[i] >> shift
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
				kx, ky := b.keys[ks[x]], b.keys[ks[y]]
				if kx == ky {
					return false, fmt.Errorf("mph: %w %q", ErrDuplicate, kx)
				}
				if twins(kx, ky, hs.Words) {
					return false, errTwins
				}
				collision = true
			}
		}
	}
	if collision {
		return false, nil
	}
	// Place the largest buckets first, while the tables are still empty;
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
	clear(b.taken)
	for i := range b.slots {
		b.slots[i] = -1
	}
	for _, bk := range b.bySize {
		ks := b.order[b.start[bk]:b.start[bk+1]]
		b.pilots[bk] = 0
		if len(ks) == 0 {
			continue
		}
		if !b.place(bk, ks) {
			return false, nil
		}
	}
	return true, nil
}

// place searches the smallest pilot that sends every key of the bucket to a
// free slot of its length, distinct from each other, and claims those
// slots.
func (b *builder) place(bk int32, ks []int32) bool {
	if len(ks) > cap(b.scratch) {
		b.scratch = make([]int, len(ks))
	}
	pos := b.scratch[:len(ks)]
search:
	for pilot := uint64(0); pilot <= maxPilot; pilot++ {
		for j, k := range ks {
			r := b.runs[len(b.keys[k])]
			p := r.Base + int(Reduce(PilotMix(b.hashes[k], pilot), uint64(r.Count)))
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
		b.pilots[bk] = uint8(pilot)
		return true
	}
	return false
}
