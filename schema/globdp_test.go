package schema

import (
	"strings"
	"testing"
	"time"
)

// The include matchers fill a table over (pattern, path) positions; the
// recursive versions they replaced (below) tried every split for every
// "**" and took exponential time. Every pattern of up to five segments
// over every path of up to five must agree with them.

func globMatchOld(pat, segs []string) bool {
	if len(pat) == 0 {
		return len(segs) == 0
	}
	if pat[0] == "**" {
		for k := 0; k <= len(segs); k++ {
			if k > 0 && hidden(segs[k-1]) {
				return false
			}
			if globMatchOld(pat[1:], segs[k:]) {
				return true
			}
		}
		return false
	}
	if len(segs) == 0 {
		return false
	}
	if !segmentMatch(pat[0], segs[0]) {
		return false
	}
	return globMatchOld(pat[1:], segs[1:])
}

func prefixCanMatchOld(pat, dirs []string) bool {
	if len(dirs) == 0 {
		return true
	}
	if len(pat) == 0 {
		return false
	}
	if pat[0] == "**" {
		return prefixCanMatchOld(pat[1:], dirs) || !hidden(dirs[0]) && prefixCanMatchOld(pat, dirs[1:])
	}
	if len(pat) == 1 {
		return false
	}
	if !segmentMatch(pat[0], dirs[0]) {
		return false
	}
	return prefixCanMatchOld(pat[1:], dirs[1:])
}

func TestGlobMatchersAgreeWithTheRecursiveOnes(t *testing.T) {
	var paths [][]string
	seqs([]string{"a", "b", ".h", "a.yaml"}, 5, func(p []string) { paths = append(paths, append([]string(nil), p...)) })
	seqs([]string{"a", "*", "**", ".*", "*.yaml", "?"}, 5, func(pat []string) {
		for _, p := range paths {
			if g, w := globMatch(pat, p), globMatchOld(pat, p); g != w {
				t.Fatalf("globMatch(%q, %q) = %v, want %v", pat, p, g, w)
			}
			if g, w := prefixCanMatch(pat, p), prefixCanMatchOld(pat, p); g != w {
				t.Fatalf("prefixCanMatch(%q, %q) = %v, want %v", pat, p, g, w)
			}
		}
	})
}

func TestGlobMatchersAreFastOnManyDoubleStars(t *testing.T) {
	start := time.Now()
	pat := strings.Split(strings.Repeat("**/", 30)+"nomatch.yaml", "/")
	dirs := strings.Split(strings.Repeat("a/", 59)+"a", "/")
	for k := 0; k <= len(dirs); k++ {
		prefixCanMatch(pat, dirs[:k])
		globMatch(pat, dirs[:k])
	}
	if d := time.Since(start); d > time.Second {
		t.Fatal(d)
	}
}
