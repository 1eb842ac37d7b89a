package schema

import (
	"fmt"
	"math/rand"
	"slices"
	"strings"
	"testing"
	"time"
)

// Tests that hostile but valid catalogs take polynomial (in practice,
// near-linear) time: each ran for minutes, or forever, before its fix.

// within runs f and fails the test when it takes longer than limit (the
// limits are generous: each case takes milliseconds now, and took seconds
// to hours before).
func within(t *testing.T, limit time.Duration, what string, f func()) {
	t.Helper()
	done := make(chan struct{})
	start := time.Now()
	go func() {
		defer close(done)
		f()
	}()
	select {
	case <-done:
		t.Logf("%s: %v", what, time.Since(start))
	case <-time.After(limit):
		t.Fatalf("%s: still running after %v", what, limit)
	}
}

// matchSegsRef is the matcher as it was (exponential in the number of
// `**`), kept as the reference for its semantics.
func matchSegsRef(pat, key []string) bool {
	if len(pat) == 0 {
		return len(key) == 0
	}
	if pat[0] == "**" {
		for k := 1; k <= len(key); k++ {
			if matchSegsRef(pat[1:], key[k:]) {
				return true
			}
		}
		return false
	}
	if len(key) == 0 || pat[0] != "*" && pat[0] != key[0] {
		return false
	}
	return matchSegsRef(pat[1:], key[1:])
}

// seqs calls f with every sequence of up to n items of alphabet.
func seqs(alphabet []string, n int, f func([]string)) {
	var cur []string
	var rec func()
	rec = func() {
		f(cur)
		if len(cur) == n {
			return
		}
		for _, a := range alphabet {
			cur = append(cur, a)
			rec()
			cur = cur[:len(cur)-1]
		}
	}
	rec()
}

func TestMatchSegsAgreesWithReference(t *testing.T) {
	// Exhaustively over small patterns and keys…
	var keys [][]string
	seqs([]string{"a", "b"}, 7, func(k []string) { keys = append(keys, append([]string(nil), k...)) })
	n := 0
	seqs([]string{"a", "b", "*", "**"}, 6, func(pat []string) {
		for _, key := range keys {
			if got, want := matchSegs(pat, key), matchSegsRef(pat, key); got != want {
				t.Fatalf("matchSegs(%q, %q) = %v, want %v", strings.Join(pat, "."), strings.Join(key, "."), got, want)
			}
			n++
		}
	})
	// …and randomly over longer ones.
	rng := rand.New(rand.NewSource(1))
	tokens := []string{"a", "b", "c", "*", "**", "**"}
	for i := 0; i < 200_000; i++ {
		pat := make([]string, 1+rng.Intn(9))
		for j := range pat {
			pat[j] = tokens[rng.Intn(len(tokens))]
		}
		key := make([]string, rng.Intn(14))
		for j := range key {
			key[j] = tokens[rng.Intn(3)]
		}
		if rng.Intn(2) == 0 {
			// A key the pattern is likely to match: its literals filled in.
			key = key[:0]
			for _, s := range pat {
				switch s {
				case "*":
					key = append(key, tokens[rng.Intn(3)])
				case "**":
					for k := 1 + rng.Intn(3); k > 0; k-- {
						key = append(key, tokens[rng.Intn(3)])
					}
				default:
					key = append(key, s)
				}
			}
		}
		if got, want := matchSegs(pat, key), matchSegsRef(pat, key); got != want {
			t.Fatalf("matchSegs(%q, %q) = %v, want %v", strings.Join(pat, "."), strings.Join(key, "."), got, want)
		}
		n++
	}
	t.Logf("%d pairs agree", n)
}

func TestMatchSegsManyDoubleStarsIsFast(t *testing.T) {
	key := strings.Split(strings.Repeat("a.", 59)+"a", ".")
	within(t, 2*time.Second, "20 ** against 60 segments", func() {
		for _, k := range []int{8, 10, 20, 30, 59, 60, 61} {
			pat := strings.Split(strings.Repeat("**.", k)+"zz", ".")
			if matchSegs(pat, key) {
				t.Errorf("%d ** then zz matches a key without zz", k)
			}
			pat = strings.Split(strings.Repeat("**.", k)+"a", ".")
			if got, want := matchSegs(pat, key), k+1 <= len(key); got != want {
				t.Errorf("%d ** then a: %v, want %v", k, got, want)
			}
			pat = strings.Split(strings.Repeat("*.**.", k/2)+"a", ".")
			if got, want := matchSegs(pat, key), k/2*2+1 <= len(key); got != want {
				t.Errorf("%d *.** then a: %v, want %v", k/2, got, want)
			}
		}
	})
}

// A catalog whose grant, except and profile patterns have runs of `**`
// and a 60-segment key took 19 s for eight `**`; ten ran for minutes.
func TestDoubleStarPatternsOnDeepKeysCompileFast(t *testing.T) {
	var b strings.Builder
	b.WriteString("permcat: 1\ncatalog: x\ngroups:\n")
	ind := ""
	for i := 0; i < 59; i++ {
		fmt.Fprintf(&b, "%s  a:\n%s    name: A\n", ind, ind)
		if i < 58 {
			fmt.Fprintf(&b, "%s    groups:\n", ind)
			ind += "    "
		}
	}
	fmt.Fprintf(&b, "%s    permissions:\n%s      a: {name: A}\n", ind, ind)
	stars := strings.Repeat("**.", 12)
	fmt.Fprintf(&b, "roles:\n  r:\n    name: R\n    grants: [\"%sa\", \"%szz\"]\n    except: [\"%szz\"]\n", stars, stars, stars)
	fmt.Fprintf(&b, "profiles:\n  p:\n    name: P\n    requires: [\"%sa\", \"%szz\"]\n", stars, stars)
	var errs Errors
	within(t, 5*time.Second, "compile", func() {
		_, errs, _ = compileText(t, map[string]string{"permcat.yaml": b.String()})
	})
	nomatch := 0
	for _, e := range errs {
		if e.Rule == "pattern-no-match" && strings.Contains(e.Msg, ".zz") {
			nomatch++
		}
	}
	if nomatch != 3 || len(errs) != 3 {
		t.Errorf("want the three patterns ending in zz reported, and nothing else, got:\n%v", errs)
	}
}

// editDistanceRef is EditDistance as it was: the full table.
func editDistanceRef(a, b string, limit int) int {
	if d := len(a) - len(b); d > limit || -d > limit {
		return limit + 1
	}
	if len(a) > 256 || len(b) > 256 {
		if a == b {
			return 0
		}
		return limit + 1
	}
	prev := make([]int, len(b)+1)
	cur := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		rowMin := cur[0]
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
			rowMin = min(rowMin, cur[j])
		}
		if rowMin > limit {
			return limit + 1
		}
		prev, cur = cur, prev
	}
	return prev[len(b)]
}

// closestRef is closest as it was, over every candidate.
func closestRef(got string, candidates []string) (string, bool) {
	best, bestD := "", -1
	limit := len(got)/3 + 1
	if limit > 3 {
		limit = 3
	}
	for _, c := range candidates {
		if abs(len(c)-len(got)) > limit {
			continue
		}
		d := editDistanceRef(got, c, limit)
		if d <= limit && (bestD < 0 || d < bestD || d == bestD && c < best) {
			best, bestD = c, d
		}
	}
	return best, bestD >= 0
}

func randWord(rng *rand.Rand, alphabet string, maxLen int) string {
	b := make([]byte, rng.Intn(maxLen+1))
	for i := range b {
		b[i] = alphabet[rng.Intn(len(alphabet))]
	}
	return string(b)
}

// mutate makes a few random edits to s.
func mutate(rng *rand.Rand, s, alphabet string) string {
	b := []byte(s)
	for k := rng.Intn(5); k > 0; k-- {
		c := alphabet[rng.Intn(len(alphabet))]
		switch i := rng.Intn(len(b) + 1); rng.Intn(3) {
		case 0:
			b = append(b[:i], append([]byte{c}, b[i:]...)...)
		case 1:
			if i < len(b) {
				b = append(b[:i], b[i+1:]...)
			}
		default:
			if i < len(b) {
				b[i] = c
			}
		}
	}
	return string(b)
}

func TestEditDistanceAgreesWithReference(t *testing.T) {
	rng := rand.New(rand.NewSource(2))
	for _, alphabet := range []string{"ab", "abc.", "abcdefghij_.0123456789", "aA-\x00\xff"} {
		for i := 0; i < 200_000; i++ {
			a := randWord(rng, alphabet, 12)
			b := mutate(rng, a, alphabet)
			if rng.Intn(4) == 0 {
				b = randWord(rng, alphabet, 12)
			}
			limit := rng.Intn(7) - 1
			got, want := EditDistance(a, b, limit), editDistanceRef(a, b, limit)
			if got != want && (got <= limit || want <= limit) {
				t.Fatalf("EditDistance(%q, %q, %d) = %d, want %d", a, b, limit, got, want)
			}
			if got > limit+1 {
				t.Fatalf("EditDistance(%q, %q, %d) = %d, beyond limit+1", a, b, limit, got)
			}
		}
	}
	long := strings.Repeat("a", 300)
	for _, c := range [][2]string{{long, long}, {long, long + "b"}, {strings.Repeat("ab", 128), strings.Repeat("ba", 128)}, {strings.Repeat("ab", 128), strings.Repeat("ba", 127) + "bb"}} {
		for limit := 0; limit < 5; limit++ {
			if got, want := EditDistance(c[0], c[1], limit), editDistanceRef(c[0], c[1], limit); got != want && (got <= limit || want <= limit) {
				t.Errorf("EditDistance of %d and %d bytes, limit %d: %d, want %d", len(c[0]), len(c[1]), limit, got, want)
			}
		}
	}
}

func TestClosestAgreesWithReference(t *testing.T) {
	rng := rand.New(rand.NewSource(3))
	for _, alphabet := range []string{"ab.", "abcdefghij_.0123456789", "aA-\x00\xff"} {
		for round := 0; round < 300; round++ {
			m := map[string]bool{}
			for i := rng.Intn(60); i > 0; i-- {
				m[randWord(rng, alphabet, 10)] = true
			}
			keys := keysOf(m)
			r := &resolver{}
			for i := 0; i < 100; i++ {
				got := randWord(rng, alphabet, 10)
				if len(keys) > 0 && rng.Intn(2) == 0 {
					got = mutate(rng, keys[rng.Intn(len(keys))], alphabet)
				}
				want, wok := closestRef(got, keys)
				if c, ok := closest(got, keys); c != want || ok != wok {
					t.Fatalf("closest(%q, %q) = %q, %v; want %q, %v", got, keys, c, ok, want, wok)
				}
				if c, ok := closestKey(r, "k", got, m); c != want || ok != wok {
					t.Fatalf("closestKey(%q, %q) = %q, %v; want %q, %v", got, keys, c, ok, want, wok)
				}
				if len(keys) > 0 {
					skip := keys[rng.Intn(len(keys))]
					others := slices.DeleteFunc(slices.Clone(keys), func(k string) bool { return k == skip })
					want, wok := closestRef(got, others)
					if c, ok := closestKey(r, "k", got, m, skip); c != want || ok != wok {
						t.Fatalf("closestKey(%q, %q but %q) = %q, %v; want %q, %v", got, keys, skip, c, ok, want, wok)
					}
				}
			}
		}
	}
}

// 20,000 unknown `requires`, each close to some of 20,000 keys: every
// hint compared the reference with every key (and sorted them all first),
// over a minute; the hints now look only at keys of about the reference's
// length and character set, and stop once the run's budget is spent.
func TestManyUnknownReferencesHintFast(t *testing.T) {
	const n = 20_000
	var b strings.Builder
	b.WriteString("permcat: 1\ncatalog: x\ngroups:\n  g:\n    name: G\n    permissions:\n")
	for i := 0; i < n; i++ {
		fmt.Fprintf(&b, "      p%d: {name: P, requires: [q%d]}\n", i, i)
	}
	var errs Errors
	within(t, 5*time.Second, "compile", func() {
		_, errs, _ = compileText(t, map[string]string{"permcat.yaml": b.String()})
	})
	unknown, hinted := 0, 0
	for _, e := range errs {
		if e.Rule != "unknown-reference" {
			continue
		}
		unknown++
		if strings.Contains(e.Msg, "did you mean") {
			hinted++
		}
	}
	if unknown != n {
		t.Fatalf("want %d unknown references, got %d", n, unknown)
	}
	// The first are hinted as ever ("g.q7": "g.p7" is the lexically
	// first of the keys one edit away).
	if want := `requires "q7": no permission g.q7 (did you mean "g.p7"?)`; !slices.ContainsFunc(errs, func(e Error) bool { return e.Msg == want }) {
		t.Errorf("want %s among the findings", want)
	}
	if hinted < 1000 {
		t.Errorf("only %d of the first references hinted", hinted)
	}
	t.Logf("%d of %d hinted", hinted, unknown)
}

// closuresRef is closures as it was: a walk from every permission.
func closuresRef(perms []*Permission) [][]*Permission {
	out := make([][]*Permission, len(perms))
	mark := make([]int, len(perms))
	gen := 0
	for _, p := range perms {
		if len(p.Implies) == 0 {
			continue
		}
		gen++
		mark[p.Index] = gen
		var idx []int
		stack := append([]*Permission(nil), p.Implies...)
		for len(stack) > 0 {
			q := stack[len(stack)-1]
			stack = stack[:len(stack)-1]
			if mark[q.Index] == gen {
				continue
			}
			mark[q.Index] = gen
			idx = append(idx, q.Index)
			stack = append(stack, q.Implies...)
		}
		slices.Sort(idx)
		for _, i := range idx {
			out[p.Index] = append(out[p.Index], perms[i])
		}
	}
	return out
}

func TestClosuresAgreeWithReference(t *testing.T) {
	rng := rand.New(rand.NewSource(6))
	for round := 0; round < 3000; round++ {
		n := 1 + rng.Intn(14)
		perms := make([]*Permission, n)
		for i := range perms {
			perms[i] = &Permission{Key: fmt.Sprint("p", i), Index: i}
		}
		// Sparse or dense; chains forward and back; cycles now and then.
		density := rng.Float64() * 0.4
		for _, p := range perms {
			for _, q := range rng.Perm(n) {
				if q != p.Index && rng.Float64() < density {
					p.Implies = append(p.Implies, perms[q])
				}
			}
		}
		if round%3 == 0 {
			for i := 0; i+1 < n; i++ {
				a, b := perms[i], perms[i+1]
				if round%2 == 0 {
					a, b = b, a
				}
				if !slices.Contains(a.Implies, b) {
					a.Implies = append(a.Implies, b)
				}
			}
		}
		want := closuresRef(perms)
		r := &resolver{cat: &Catalog{Permissions: perms}}
		r.closures()
		// What a role's except removes is looked for in each closure.
		for k := 0; k < 5; k++ {
			var removed []*Permission
			for _, q := range perms {
				if rng.Intn(2+5*k) == 0 { // a half of them down to one in 22
					removed = append(removed, q)
				}
			}
			for _, p := range perms {
				var got []*Permission
				r.impliedAmong(p, removed, func(q *Permission) { got = append(got, q) })
				if w := among(want[p.Index], removed); !slices.Equal(got, w) {
					t.Fatalf("round %d: p%d implies %v of %v, want %v", round, p.Index, keysOfPerms(got), keysOfPerms(removed), keysOfPerms(w))
				}
			}
		}
		got := make([][]*Permission, n)
		for _, p := range perms {
			got[p.Index] = r.closure(p)
		}
		for i := range perms {
			if !slices.Equal(got[i], want[i]) || (got[i] == nil) != (want[i] == nil) {
				t.Fatalf("round %d: closure of p%d = %v, want %v", round, i, keysOfPerms(got[i]), keysOfPerms(want[i]))
			}
		}
		// Closures may share an array: appending to one leaves the others,
		// and the catalog's permissions, alone.
		for i := range got {
			_ = append(got[i], &Permission{Key: "x"})
		}
		for i := range perms {
			if !slices.Equal(got[i], want[i]) || perms[i].Index != i {
				t.Fatalf("round %d: appending to a closure changed another", round)
			}
		}
	}
}

// among is what of closure is in removed, in order.
func among(closure, removed []*Permission) []*Permission {
	var out []*Permission
	for _, q := range closure {
		if slices.Contains(removed, q) {
			out = append(out, q)
		}
	}
	return out
}

func keysOfPerms(ps []*Permission) []string {
	var out []string
	for _, p := range ps {
		out = append(out, p.Key)
	}
	return out
}

// implyingChain is a catalog of n permissions, each implying the one
// before (or, reversed, the one after; or, cyclic, the one after and the
// last the first), and a role granting the last.
func implyingChain(n int, reversed, cyclic bool) string {
	var b strings.Builder
	b.WriteString("permcat: 1\ncatalog: x\ngroups:\n  g:\n    name: G\n    permissions:\n")
	for i := 0; i < n; i++ {
		j := i - 1
		if reversed || cyclic {
			j = i + 1
		}
		if cyclic && j == n {
			j = 0
		}
		if j < 0 || j == n {
			fmt.Fprintf(&b, "      p%d: {name: P}\n", i)
		} else {
			fmt.Fprintf(&b, "      p%d: {name: P, implies: [p%d]}\n", i, j)
		}
	}
	fmt.Fprintf(&b, "roles:\n  r: {name: R, grants: [g.p%d]}\n", n-1)
	return b.String()
}

// A chain of 10,000 permissions each implying the next took 5 s and
// 790 MB to validate, 20,000 over two minutes; a cycle of 10,000, 46 s.
func TestLongImpliesChainsCompileFast(t *testing.T) {
	const n = 20_000
	for _, c := range []struct {
		name             string
		reversed, cyclic bool
	}{{"chain", false, false}, {"reversed chain", true, false}, {"cycle", false, true}} {
		src := implyingChain(n, c.reversed, c.cyclic)
		var cat *Catalog
		var errs Errors
		within(t, 5*time.Second, c.name, func() {
			cat, errs, _ = compileText(t, map[string]string{"permcat.yaml": src})
		})
		if c.cyclic {
			if len(errs) != 1 || errs[0].Rule != "cycle-implies" || strings.Count(errs[0].Msg, "→") != n {
				t.Errorf("%s: want the cycle reported once, got %d findings", c.name, len(errs))
			}
			continue
		}
		if errs.HasErrors() {
			t.Fatalf("%s: %v", c.name, errs)
		}
		for i, p := range cat.Permissions {
			want := i
			if c.reversed {
				want = n - 1 - i
			}
			if len(p.ImpliesClosure) != want {
				t.Fatalf("%s: p%d implies %d, want %d", c.name, i, len(p.ImpliesClosure), want)
			}
		}
		if last := cat.Permissions[n-1]; c.reversed && len(last.ImpliesClosure) != 0 || !c.reversed && len(cat.Roles[0].Effective) != n {
			t.Errorf("%s: the role holds %d", c.name, len(cat.Roles[0].Effective))
		}
	}
}

// Every permission of a chain also implying the first closes a cycle
// each: printing every one took time and room quadratic in the chain.
func TestManyImpliesCyclesAreCounted(t *testing.T) {
	const n = 5_000
	var b strings.Builder
	b.WriteString("permcat: 1\ncatalog: x\ngroups:\n  g:\n    name: G\n    permissions:\n")
	for i := 0; i < n; i++ {
		fmt.Fprintf(&b, "      p%d: {name: P, implies: [p%d, p0]}\n", i, (i+1)%n)
	}
	var errs Errors
	within(t, 5*time.Second, "compile", func() {
		_, errs, _ = compileText(t, map[string]string{"permcat.yaml": b.String()})
	})
	cycles, more := 0, ""
	for _, e := range errs {
		if e.Rule == "cycle-implies" {
			cycles++
			if strings.Contains(e.Msg, "more cycles") {
				more = e.Msg
			}
		}
	}
	if cycles != maxCycles+1 || !strings.HasPrefix(more, fmt.Sprintf("%d more cycles in `implies`, not printed: one is closed by g.p", n-1-maxCycles)) {
		t.Errorf("want %d cycles printed, then how many more; got %d: %s", maxCycles, cycles, more)
	}
}

// A role granting every permission of a long implies chain added each
// permission's whole closure to what the role holds: time quadratic in
// the chain, bound to a scope or not, with an except or not.
func TestRoleHoldingALongImpliesChainIsFast(t *testing.T) {
	const n = 20_000
	for _, c := range []struct{ name, grant string }{
		{"everything", `"**"`},
		{"everything, except one", `"**"], except: [g.p5`},
		{"everything per store", `{"**": {scope: store}}`},
		{"everything when on", `{"**": {when: on}}`},
	} {
		src := strings.Replace(implyingChain(n, false, false), fmt.Sprintf("grants: [g.p%d]", n-1), "grants: ["+c.grant+"]", 1)
		src = strings.Replace(src, "groups:", "scopes:\n  store: {description: S}\n  fac: {description: F}\nconditions:\n  on: {description: C}\ngroups:", 1)
		src = strings.Replace(src, "p0: {name: P}", "p0: {name: P, scope: fac}", 1)
		var cat *Catalog
		var errs Errors
		within(t, 5*time.Second, c.name, func() {
			cat, errs, _ = compileText(t, map[string]string{"permcat.yaml": src})
		})
		switch {
		case strings.Contains(c.name, "except"):
			still := 0
			for _, e := range errs {
				if e.Rule == "except-still-implied" {
					still++
				}
			}
			if still != n-6 {
				t.Errorf("%s: want every permission after g.p5 reported as implying it, got %d", c.name, still)
			}
		case strings.Contains(c.name, "store"):
			if !errs.HasErrors() { // binding g.p0 to store conflicts with its own scope
				t.Errorf("%s: want a scope-conflict", c.name)
			}
		case errs.HasErrors():
			t.Errorf("%s: %v", c.name, errs[0])
		default:
			eff := cat.Roles[0].Effective
			if len(eff) != n || len(eff[0].Sources) != 16 || len(eff[n-1].Sources) != 1 {
				t.Errorf("%s: want %d held, the first for 16 reasons, the last for its grant", c.name, n)
			}
		}
	}
}
