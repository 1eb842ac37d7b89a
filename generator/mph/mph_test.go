package mph

import (
	"errors"
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"
)

// randomKeys returns n distinct keys shaped like permission keys: dotted
// lowercase segments of varied length, so both the word loop and the tail of
// Hash are exercised.
func randomKeys(r *rand.Rand, n int) []string {
	seen := make(map[string]bool, n)
	keys := make([]string, 0, n)
	const alphabet = "abcdefghijklmnopqrstuvwxyz0123456789_"
	for len(keys) < n {
		var b strings.Builder
		segs := 1 + r.IntN(4)
		for s := 0; s < segs; s++ {
			if s > 0 {
				b.WriteByte('.')
			}
			b.WriteByte(alphabet[r.IntN(26)])
			for l := r.IntN(12); l > 0; l-- {
				b.WriteByte(alphabet[r.IntN(len(alphabet))])
			}
		}
		k := b.String()
		if !seen[k] {
			seen[k] = true
			keys = append(keys, k)
		}
	}
	return keys
}

// nearMisses are strings one edit away from key.
func nearMisses(key string) []string {
	out := []string{"", key + "x", key + "\x00"}
	if len(key) > 0 {
		out = append(out, key[:len(key)-1], key[1:])
		for _, i := range []int{0, len(key) / 2, len(key) - 1} {
			b := []byte(key)
			b[i] ^= 1
			out = append(out, string(b))
		}
	}
	return out
}

func checkTable(t *testing.T, keys []string, tab *Table) {
	t.Helper()
	perLen := map[int]int{}
	maxLen := -1
	for _, k := range keys {
		perLen[len(k)]++
		maxLen = max(maxLen, len(k))
	}
	if len(tab.Lengths) != maxLen+1 {
		t.Fatalf("%d lengths for keys of up to %d bytes", len(tab.Lengths), maxLen)
	}
	next := 0
	for n, r := range tab.Lengths {
		if r.Count < perLen[n] || perLen[n] == 0 && r.Count != 0 {
			t.Fatalf("length %d: %d slots for %d keys", n, r.Count, perLen[n])
		}
		if r.Count > 0 && r.Base != next {
			t.Fatalf("length %d: slots start at %d, want %d", n, r.Base, next)
		}
		next += r.Count
	}
	if next != len(tab.Slots) || len(tab.Pilots) != 1<<tab.BucketBits {
		t.Fatalf("%d slots in runs of %d, %d pilots for %d bucket bits", len(tab.Slots), next, len(tab.Pilots), tab.BucketBits)
	}
	isKey := make(map[string]int, len(keys))
	for i, k := range keys {
		isKey[k] = i
	}
	for i, k := range keys {
		got, ok := tab.Lookup(k)
		if !ok || got != i {
			t.Fatalf("Lookup(%q) = %d, %v; want %d, true", k, got, ok, i)
		}
		if s := tab.Slot(k); s < tab.Lengths[len(k)].Base || s >= tab.Lengths[len(k)].Base+tab.Lengths[len(k)].Count {
			t.Fatalf("%q of %d bytes is in slot %d, outside its length's", k, len(k), s)
		}
		for _, miss := range nearMisses(k) {
			want, isAKey := isKey[miss]
			got, ok := tab.Lookup(miss)
			if ok != isAKey || (ok && got != want) {
				t.Fatalf("Lookup(%q) = %d, %v; want %d, %v", miss, got, ok, want, isAKey)
			}
		}
	}
	used := make([]bool, len(keys))
	for _, i := range tab.Slots {
		if i < 0 {
			continue
		}
		if used[i] {
			t.Fatalf("key %q occupies two slots", keys[i])
		}
		used[i] = true
	}
}

func TestEveryKeyFindsItsIndexAndNearMissesAreRejected(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	for _, n := range []int{0, 1, 2, 3, 7, 64, 1000, 20000} {
		for round := 0; round < 3; round++ {
			keys := randomKeys(r, n)
			tab, err := Build(keys)
			if err != nil {
				t.Fatalf("Build(%d keys): %v", n, err)
			}
			checkTable(t, keys, tab)
		}
	}
}

func TestAnEmptyTableRejectsEverything(t *testing.T) {
	tab, err := Build(nil)
	if err != nil {
		t.Fatal(err)
	}
	for _, k := range []string{"", "a", "integrations.metrc.edit"} {
		if _, ok := tab.Lookup(k); ok {
			t.Errorf("empty table found %q", k)
		}
	}
	if tab.Slot("a") != -1 || tab.Slot("") != -1 {
		t.Errorf("empty table gave a slot")
	}
}

func TestTheEmptyStringCanBeAKey(t *testing.T) {
	keys := []string{"", "a", "b"}
	tab, err := Build(keys)
	if err != nil {
		t.Fatal(err)
	}
	checkTable(t, keys, tab)
}

func TestADuplicateKeyIsAnError(t *testing.T) {
	for _, keys := range [][]string{
		{"a", "a"},
		{"orders.view", "orders.edit", "orders.view"},
		append(randomKeys(rand.New(rand.NewPCG(3, 4)), 500), "zz.dup", "zz.dup"),
	} {
		_, err := Build(keys)
		if !errors.Is(err, ErrDuplicate) {
			t.Errorf("Build(%d keys with a duplicate) error = %v; want ErrDuplicate", len(keys), err)
		}
	}
}

func TestTheSameKeysAlwaysGiveTheSameTable(t *testing.T) {
	keys := randomKeys(rand.New(rand.NewPCG(5, 6)), 3000)
	a, err := Build(keys)
	if err != nil {
		t.Fatal(err)
	}
	b, err := Build(keys)
	if err != nil {
		t.Fatal(err)
	}
	if a.Seed != b.Seed || fmt.Sprint(a.Pilots) != fmt.Sprint(b.Pilots) || fmt.Sprint(a.Slots) != fmt.Sprint(b.Slots) {
		t.Fatal("two builds over the same keys differ")
	}
}

func TestBuildDoesNotKeepTheCallersSlice(t *testing.T) {
	keys := []string{"a", "b", "c"}
	tab, err := Build(keys)
	if err != nil {
		t.Fatal(err)
	}
	keys[0] = "zzz"
	if i, ok := tab.Lookup("a"); !ok || i != 0 {
		t.Fatalf("Lookup(a) after caller changed its slice = %d, %v", i, ok)
	}
}

func TestHashDependsOnSeedLengthAndEveryByte(t *testing.T) {
	base := "integrations.metrc.batch_mode"
	hs := NewHasher(7, 4)
	h := hs.Hash(base)
	other := NewHasher(8, 4)
	if other.Hash(base) == h {
		t.Error("seed does not change the hash")
	}
	if hs.Hash("a") == hs.Hash("a\x00") || hs.Hash("") == hs.Hash("\x00") {
		t.Error("trailing zero bytes do not change the hash")
	}
	for i := 0; i < len(base); i++ {
		for bit := 0; bit < 8; bit++ {
			b := []byte(base)
			b[i] ^= 1 << bit
			if hs.Hash(string(b)) == h {
				t.Fatalf("flipping bit %d of byte %d does not change the hash", bit, i)
			}
		}
	}
}

// The word loop must read little-endian, since generated code reads bytes
// with explicit shifts and must agree on every platform.
func TestHashReadsWordsLittleEndian(t *testing.T) {
	if got := Word("\x01\x02\x03\x04\x05\x06\x07\x08", 0); got != 0x0807060504030201 {
		t.Fatalf("word = %#x", got)
	}
}

func FuzzBuild(f *testing.F) {
	f.Add("")
	f.Add("a")
	f.Add("a\nb\nc")
	f.Add("a\na")
	f.Add("integrations.metrc.view\nintegrations.metrc.edit\nintegrations.metrc.batch_mode\n")
	f.Fuzz(func(t *testing.T, input string) {
		keys := strings.Split(input, "\n")
		tab, err := Build(keys)
		seen := map[string]bool{}
		dup := false
		for _, k := range keys {
			dup = dup || seen[k]
			seen[k] = true
		}
		if dup {
			if !errors.Is(err, ErrDuplicate) {
				t.Fatalf("keys with a duplicate: error = %v", err)
			}
			return
		}
		if err != nil {
			t.Fatal(err)
		}
		checkTable(t, keys, tab)
	})
}

func BenchmarkBuild(b *testing.B) {
	for _, n := range []int{1000, 10000, 100000} {
		keys := randomKeys(rand.New(rand.NewPCG(uint64(n), 9)), n)
		b.Run(fmt.Sprint(n), func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if _, err := Build(keys); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

func BenchmarkLookup(b *testing.B) {
	keys := randomKeys(rand.New(rand.NewPCG(11, 12)), 10000)
	tab, err := Build(keys)
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		if _, ok := tab.Lookup(keys[i]); !ok {
			b.Fatal("miss")
		}
		i++
		if i == len(keys) {
			i = 0
		}
	}
}

// Keys of one length that agree on the bytes a hash of few words reads
// look alike to it whatever the seed; Build must notice and read more.
func TestKeysAHashCannotTellApartMakeItReadMore(t *testing.T) {
	cases := []struct {
		twins []string
		words int
	}{
		{[]string{"reports.sales.export", "reports.taxes.export"}, 4},
		{[]string{"integrations.metrc.licenses.facility.view", "integrations.metrc.licences.facility.view"}, 8},
		{[]string{"integrations.metrc.view", "integrations.other.view"}, 2},
	}
	for _, c := range cases {
		for _, n := range []int{2, 100, 5000} {
			keys := append(randomKeys(rand.New(rand.NewPCG(uint64(n), 1)), n), c.twins...)
			tab, err := Build(keys)
			if err != nil {
				t.Fatalf("%d keys: %v", len(keys), err)
			}
			if tab.Hasher.Words != c.words {
				t.Errorf("%d keys with %q: the hash reads %d words, want %d", len(keys), c.twins, tab.Hasher.Words, c.words)
			}
			checkTable(t, keys, tab)
		}
	}
}

func TestEachHashReadsTheBytesItShouldAndOnlyThose(t *testing.T) {
	r := rand.New(rand.NewPCG(7, 7))
	for n := 0; n <= 130; n++ {
		key := make([]byte, n)
		for i := range key {
			key[i] = byte('a' + r.IntN(26))
		}
		for _, words := range []int{2, 4, 8} {
			hs := NewHasher(uint64(n), words)
			h := hs.Hash(string(key))
			for i := range key {
				b := append([]byte(nil), key...)
				b[i] ^= 0x20
				read := words == 8 || n < 8 || i < 4*words || i >= n-4*words
				if changed := hs.Hash(string(b)) != h; changed != read {
					t.Fatalf("len %d, %d words: changing byte %d changes the hash: %v, want %v", n, words, i, changed, read)
				}
			}
		}
	}
}

// Keys are placed one table per length, and a key of a length no key has
// has no slot at all: generated code rejects it before reading any table.
func TestEachLengthHasItsOwnSlotsAndOtherLengthsNone(t *testing.T) {
	keys := []string{"a", "bb", "cc", "orders.view", "orders.edit", strings.Repeat("x", 70)}
	tab, err := Build(keys)
	if err != nil {
		t.Fatal(err)
	}
	checkTable(t, keys, tab)
	for _, k := range []string{"", "abc", "orders.vie", strings.Repeat("x", 69), strings.Repeat("x", 71)} {
		if s := tab.Slot(k); s != -1 {
			t.Errorf("Slot(%q) = %d; want -1: no key has %d bytes", k, s, len(k))
		}
	}
	for n, want := range map[int]int{1: 1, 2: 2, 11: 2, 70: 1} {
		if got := tab.Lengths[n].Count; got != want {
			t.Errorf("length %d: %d slots, want %d: a table of fewer than 10 keys is full", n, got, want)
		}
	}
}

func TestKeysOfOneLengthOnly(t *testing.T) {
	r := rand.New(rand.NewPCG(8, 8))
	for _, n := range []int{1, 2, 9, 500, 5000} {
		for _, size := range []int{3, 8, 20, 64, 65, 100} {
			seen := map[string]bool{}
			var keys []string
			for len(keys) < n {
				b := make([]byte, size)
				for i := range b {
					b[i] = byte('a' + r.IntN(26))
				}
				if k := string(b); !seen[k] {
					seen[k] = true
					keys = append(keys, k)
				}
			}
			tab, err := Build(keys)
			if err != nil {
				t.Fatalf("%d keys of %d bytes: %v", n, size, err)
			}
			checkTable(t, keys, tab)
		}
	}
}

// Every short key (the hash reads them with no 8-byte word) of up to 4
// bytes over a small alphabet, and of 5 to 7 bytes enough to crowd their
// lengths.
func TestShortKeys(t *testing.T) {
	var keys []string
	const alphabet = "ab.z"
	var add func(prefix string, n int)
	add = func(prefix string, n int) {
		if n == 0 {
			keys = append(keys, prefix)
			return
		}
		for i := range alphabet {
			add(prefix+alphabet[i:i+1], n-1)
		}
	}
	for n := 0; n <= 4; n++ {
		add("", n)
	}
	r := rand.New(rand.NewPCG(4, 7))
	seen := map[string]bool{}
	for n := 5; n <= 7; n++ {
		for added := 0; added < 300; {
			b := make([]byte, n)
			for i := range b {
				b[i] = alphabet[r.IntN(len(alphabet))]
			}
			if !seen[string(b)] {
				seen[string(b)] = true
				keys = append(keys, string(b))
				added++
			}
		}
	}
	tab, err := Build(keys)
	if err != nil {
		t.Fatal(err)
	}
	checkTable(t, keys, tab)
}

// A bucket's pilot moves each of its keys by its own amount: with the
// pilot xored into the hash unspread, every key would choose among the
// same 256 places shifted, and tables of realistic keys this full would
// find no pilots (see PilotMix).
func TestLargeTablesAreDenseWithBytePilots(t *testing.T) {
	keys := randomKeys(rand.New(rand.NewPCG(100, 1)), 100_000)
	tab, err := Build(keys)
	if err != nil {
		t.Fatal(err)
	}
	if load := float64(len(keys)) / float64(len(tab.Slots)); load < 0.9 {
		t.Errorf("100,000 keys fill %.1f%% of %d slots; want at least 90%%", 100*load, len(tab.Slots))
	}
	if len(tab.Pilots) > 1<<16 {
		t.Errorf("%d pilots for 100,000 keys", len(tab.Pilots))
	}
	checkTable(t, keys, tab)
}
