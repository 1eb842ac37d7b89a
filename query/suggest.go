package query

import (
	"fmt"
	"sort"
	"strings"
)

// didYouMean returns ` (did you mean "x"?)` for the candidate closest to
// got, or "" when nothing is close. The one candidate whose last segments
// equal got ("metrc.edit" for "integrations.metrc.edit") or that starts
// with got ("reverse_sync" for "reverse_sync_user") counts as close, since
// people leave out the top groups and shorten long keys.
func didYouMean(got string, candidates []string) string {
	if s := closest(got, candidates); s != "" {
		return fmt.Sprintf(" (did you mean %q?)", s)
	}
	return ""
}

// closest picks the best suggestion for got among candidates, or "".
func closest(got string, candidates []string) string {
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
		if d := levenshtein(lower, c, limit); d < bestD {
			best, bestD = c, d
		}
	}
	return best
}

// levenshtein is the edit distance of a and b in bytes, or limit+1 once it
// is certain to exceed limit (which keeps long hostile inputs cheap).
func levenshtein(a, b string, limit int) int {
	if d := len(a) - len(b); d > limit || -d > limit {
		return limit + 1
	}
	prev := make([]int, len(b)+1)
	cur := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		rowMin := i
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
