package query

import (
	"fmt"
	"sort"
	"strings"

	"github.com/permcat/permcat/schema"
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
		if d := schema.EditDistance(lower, c, limit); d < bestD {
			best, bestD = c, d
		}
	}
	return best
}
