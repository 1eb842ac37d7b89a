package query

import (
	"fmt"
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
	dotted := "." + lower
	var suffix, prefix string
	suffixes, prefixes := 0, 0
	for _, c := range candidates {
		if strings.HasSuffix(c, dotted) {
			if suffixes++; suffixes == 1 {
				suffix = c
			}
		}
		if len(lower) >= 3 && strings.HasPrefix(c, lower) {
			if prefixes++; prefixes == 1 {
				prefix = c
			}
		}
	}
	if suffixes == 1 {
		return suffix
	}
	if prefixes == 1 {
		return prefix
	}
	limit := len(got)/3 + 1
	if limit > 3 {
		limit = 3
	}
	// The lexically first of the closest within limit, in one pass with
	// no copy to sort: a candidate is of interest only when closer than
	// the best so far, or as close and lexically before it, and one whose
	// length, or set of characters, differs by more than that is not
	// compared closely.
	best, bestD := "", limit+1
	lc := schema.CharClasses(lower)
	for _, c := range candidates {
		n := len(c) - len(lower)
		if n > bestD || -n > bestD {
			continue
		}
		within := bestD - 1
		if bestD <= limit && c < best {
			within = bestD
		}
		if n > within || -n > within {
			continue
		}
		if schema.ClassBound(lc, schema.CharClasses(c)) > within {
			continue
		}
		if d := schema.EditDistance(lower, c, within); d <= within {
			best, bestD = c, d
		}
	}
	return best
}
