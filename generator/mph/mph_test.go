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
	if len(tab.Slots) != len(keys) {
		t.Fatalf("table has %d slots for %d keys", len(tab.Slots), len(keys))
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
	if tab.Slot("a") != -1 {
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
	h := Hash(7, base)
	if Hash(8, base) == h {
		t.Error("seed does not change the hash")
	}
	if Hash(7, "a") == Hash(7, "a\x00") || Hash(7, "") == Hash(7, "\x00") {
		t.Error("trailing zero bytes do not change the hash")
	}
	for i := 0; i < len(base); i++ {
		for bit := 0; bit < 8; bit++ {
			b := []byte(base)
			b[i] ^= 1 << bit
			if Hash(7, string(b)) == h {
				t.Fatalf("flipping bit %d of byte %d does not change the hash", bit, i)
			}
		}
	}
}

// The word loop must read little-endian, since generated code reads bytes
// with explicit shifts and must agree on every platform.
func TestHashReadsWordsLittleEndian(t *testing.T) {
	if got := word("\x01\x02\x03\x04\x05\x06\x07\x08"); got != 0x0807060504030201 {
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
