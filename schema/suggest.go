package schema

import "fmt"

// suggest returns ` (did you mean "x"?)` for the closest candidate within a
// small edit distance, or "".
func suggest(got string, candidates []string) string {
	if best, ok := closest(got, candidates); ok {
		return fmt.Sprintf(" (did you mean %q?)", best)
	}
	return ""
}

// closest returns the candidate closest to got within a small edit
// distance (the lexically first of equally close ones), if any.
func closest(got string, candidates []string) (string, bool) {
	best, bestD := "", -1
	limit := len(got)/3 + 1
	if limit > 3 {
		limit = 3
	}
	for _, c := range candidates {
		if abs(len(c)-len(got)) > limit {
			continue
		}
		d := EditDistance(got, c, limit)
		if d <= limit && (bestD < 0 || d < bestD || d == bestD && c < best) {
			best, bestD = c, d
		}
	}
	return best, bestD >= 0
}

func abs(x int) int {
	if x < 0 {
		return -x
	}
	return x
}

// EditDistance is the Levenshtein distance of a and b in bytes, or
// limit+1 once it is certain to exceed limit. Strings longer than any key
// (256 bytes) are only compared for equality, which keeps long hostile
// inputs cheap.
func EditDistance(a, b string, limit int) int {
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
