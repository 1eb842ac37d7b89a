package sql

import (
	"regexp"
	"strings"
	"testing"
)

// keyRE is the key grammar validKey implements by hand.
var keyRE = regexp.MustCompile(`^[a-z][a-z0-9_]*(\.[a-z][a-z0-9_]*)*$`)

var keyCases = []string{
	"", "a", "z9", "a_", "a.b", "a.b.c_1", "ab.cd_ef.g0",
	".", "a.", ".a", "a..b", "_a", "0a", "a._b", "a.0", "A", "a.B", "a-b", "a b", "ä", "a.b.", "a\x00",
}

func TestValidKeyFollowsTheKeyGrammar(t *testing.T) {
	for _, k := range keyCases {
		if got, want := validKey(k), keyRE.MatchString(k); got != want {
			t.Errorf("validKey(%q) = %v, want %v", k, got, want)
		}
	}
}

func FuzzValidKey(f *testing.F) {
	for _, k := range keyCases {
		f.Add(k)
	}
	f.Fuzz(func(t *testing.T, k string) {
		if got, want := validKey(k), keyRE.MatchString(k); got != want {
			t.Errorf("validKey(%q) = %v, want %v", k, got, want)
		}
	})
}

// Text is written once for all dialects whenever it needs no dialect's own
// escapes; that must be exactly what each dialect writes.
func TestSharedLiteralsAreEachDialectsLiterals(t *testing.T) {
	for _, s := range append(hostileStrings, "plain", "it's", "''", "a'b'c", "ü 😀", `back\slash`, "tab\there") {
		checkSharedLiteral(t, s)
	}
}

func FuzzSharedLiteral(f *testing.F) {
	for _, s := range hostileStrings {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		s = strings.ToValidUTF8(strings.ReplaceAll(s, "\x00", ""), "?")
		checkSharedLiteral(t, s)
	})
}

func checkSharedLiteral(t *testing.T, s string) {
	t.Helper()
	for _, d := range allDialects {
		if got, want := string(d.appendLiteral([]byte("x"), s)), "x"+d.literal(s); got != want {
			t.Errorf("%s: appendLiteral(%q) = %q, want %q", d.name, s, got, want)
		}
		shared, common := appendTuple(nil, nil, []cell{text(s)})
		if !common {
			continue
		}
		if own, _ := appendTuple(nil, d, []cell{text(s)}); string(shared) != string(own) {
			t.Errorf("%s: shared tuple %q, own %q", d.name, shared, own)
		}
	}
}
