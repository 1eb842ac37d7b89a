package build

import (
	"bytes"
	"fmt"
	"strings"
)

// UnifiedDiff renders a unified diff of two texts with three lines of
// context. Common leading and trailing lines are trimmed first; the middle
// uses an LCS table when small and a plain replace when huge, so a diff of
// a 100k-line file stays fast.
func UnifiedDiff(name string, a, b []byte) string {
	if bytes.Equal(a, b) {
		return ""
	}
	al, bl := splitLines(a), splitLines(b)
	pre := 0
	for pre < len(al) && pre < len(bl) && al[pre] == bl[pre] {
		pre++
	}
	suf := 0
	for suf < len(al)-pre && suf < len(bl)-pre && al[len(al)-1-suf] == bl[len(bl)-1-suf] {
		suf++
	}
	am, bm := al[pre:len(al)-suf], bl[pre:len(bl)-suf]
	type op struct {
		kind byte
		text string
	}
	var ops []op
	if len(am)*len(bm) <= 4_000_000 {
		n, m := len(am), len(bm)
		t := make([][]int32, n+1)
		for i := range t {
			t[i] = make([]int32, m+1)
		}
		for i := n - 1; i >= 0; i-- {
			for j := m - 1; j >= 0; j-- {
				if am[i] == bm[j] {
					t[i][j] = t[i+1][j+1] + 1
				} else {
					t[i][j] = max(t[i+1][j], t[i][j+1])
				}
			}
		}
		i, j := 0, 0
		for i < n || j < m {
			switch {
			case i < n && j < m && am[i] == bm[j]:
				ops = append(ops, op{' ', am[i]})
				i++
				j++
			case i < n && (j == m || t[i+1][j] >= t[i][j+1]):
				ops = append(ops, op{'-', am[i]})
				i++
			default:
				ops = append(ops, op{'+', bm[j]})
				j++
			}
		}
	} else {
		for _, l := range am {
			ops = append(ops, op{'-', l})
		}
		for _, l := range bm {
			ops = append(ops, op{'+', l})
		}
	}
	// Surround with context from the trimmed parts.
	var all []op
	for _, l := range al[:pre] {
		all = append(all, op{' ', l})
	}
	all = append(all, ops...)
	for _, l := range al[len(al)-suf:] {
		all = append(all, op{' ', l})
	}
	var out strings.Builder
	fmt.Fprintf(&out, "--- %s (on disk)\n+++ %s (generated)\n", name, name)
	const ctx = 3
	aLine, bLine := 1, 1
	for i := 0; i < len(all); {
		if all[i].kind == ' ' {
			i++
			aLine++
			bLine++
			continue
		}
		// Hunk: from i-ctx to the last change followed by ctx equal lines.
		start := max(i-ctx, 0)
		end := i
		for k := i; k < len(all); k++ {
			if all[k].kind != ' ' {
				end = k
			} else if k-end > 2*ctx {
				break
			}
		}
		end = min(end+ctx+1, len(all))
		as, bs := aLine-(i-start), bLine-(i-start)
		var ac, bc int
		var body strings.Builder
		for k := start; k < end; k++ {
			body.WriteByte(all[k].kind)
			body.WriteString(all[k].text)
			body.WriteByte('\n')
			switch all[k].kind {
			case ' ':
				ac++
				bc++
			case '-':
				ac++
			case '+':
				bc++
			}
		}
		fmt.Fprintf(&out, "@@ -%d,%d +%d,%d @@\n", as, ac, bs, bc)
		out.WriteString(body.String())
		for k := i; k < end; k++ {
			switch all[k].kind {
			case ' ':
				aLine++
				bLine++
			case '-':
				aLine++
			case '+':
				bLine++
			}
		}
		i = end
	}
	return out.String()
}

func splitLines(b []byte) []string {
	s := string(b)
	s = strings.TrimSuffix(s, "\n")
	if s == "" {
		return nil
	}
	return strings.Split(s, "\n")
}
