package query

import (
	"fmt"
	"math/rand"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/permcat/permcat/schema"
)

// closestRef is closest as it was: it sorted a copy of the candidates on
// every call and compared got with each.
func closestRef(got string, candidates []string) string {
	if got == "" {
		return ""
	}
	lower := strings.ToLower(got)
	var suffix, prefix []string
	for _, c := range candidates {
		if strings.HasSuffix(c, "."+lower) {
			suffix = append(suffix, c)
		}
		if len(lower) >= 3 && strings.HasPrefix(c, lower) {
			prefix = append(prefix, c)
		}
	}
	if len(suffix) == 1 {
		return suffix[0]
	}
	if len(prefix) == 1 {
		return prefix[0]
	}
	limit := len(got)/3 + 1
	if limit > 3 {
		limit = 3
	}
	best, bestD := "", limit+1
	sorted := append([]string(nil), candidates...)
	sort.Strings(sorted)
	for _, c := range sorted {
		if d := schema.EditDistance(lower, c, limit); d < bestD {
			best, bestD = c, d
		}
	}
	return best
}

func word(rng *rand.Rand, alphabet string, maxLen int) string {
	b := make([]byte, rng.Intn(maxLen+1))
	for i := range b {
		b[i] = alphabet[rng.Intn(len(alphabet))]
	}
	return string(b)
}

func TestClosestAgreesWithReference(t *testing.T) {
	rng := rand.New(rand.NewSource(4))
	for _, alphabet := range []string{"ab.", "abAB.", "abcdefghij_.0123"} {
		for round := 0; round < 500; round++ {
			cands := make([]string, rng.Intn(50))
			for i := range cands {
				cands[i] = word(rng, alphabet, 9)
			}
			for i := 0; i < 100; i++ {
				got := word(rng, alphabet, 9)
				if len(cands) > 0 && rng.Intn(2) == 0 {
					// Close to a candidate: a character changed, added or
					// dropped, or its first segments left out.
					c := []byte(cands[rng.Intn(len(cands))])
					switch j := rng.Intn(len(c) + 1); rng.Intn(4) {
					case 0:
						c = append(c[:j], append([]byte{alphabet[rng.Intn(len(alphabet))]}, c[j:]...)...)
					case 1:
						if j < len(c) {
							c = append(c[:j], c[j+1:]...)
						}
					case 2:
						if j < len(c) {
							c[j] = alphabet[rng.Intn(len(alphabet))]
						}
					default:
						c = c[j:]
					}
					got = string(c)
				}
				if c, want := closest(got, cands), closestRef(got, cands); c != want {
					t.Fatalf("closest(%q, %q) = %q, want %q", got, cands, c, want)
				}
			}
		}
	}
}

// An audit reports up to 100 unknown keys with a hint each; against a
// large catalog each hint sorted a copy of every key.
func TestClosestOverManyCandidatesIsFast(t *testing.T) {
	cands := make([]string, 100_000)
	for i := range cands {
		cands[i] = fmt.Sprintf("group%d.sub%d.perm%d", i%97, i%1009, i)
	}
	rand.New(rand.NewSource(5)).Shuffle(len(cands), func(i, j int) { cands[i], cands[j] = cands[j], cands[i] })
	done := make(chan struct{})
	start := time.Now()
	go func() {
		defer close(done)
		for i := 0; i < 100; i++ {
			if got := closest(fmt.Sprintf("group%d.sub%d.perm%dx", i%97, i%1009, i), cands); got != fmt.Sprintf("group%d.sub%d.perm%d", i%97, i%1009, i) {
				t.Errorf("closest: got %q", got)
			}
		}
	}()
	select {
	case <-done:
		t.Logf("100 hints among %d keys: %v", len(cands), time.Since(start))
	case <-time.After(2 * time.Second):
		t.Fatal("100 hints among 100,000 keys: still running after 2s")
	}
}
