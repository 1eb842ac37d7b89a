package docs

import (
	"testing"

	"github.com/permcat/permcat/schema"
)

// A role that needs c1 for one requirement and c2 for another meets the
// profile when both hold; one that holds a requirement under either meets
// it when one does. The docs must not read the same for the two.
func TestMetBySaysAndFromOr(t *testing.T) {
	c := []*schema.Condition{{Key: "c1", Index: 0}, {Key: "c2", Index: 1}, {Key: "c3", Index: 2}}
	for _, tc := range []struct {
		clauses [][]*schema.Condition
		want    string
	}{
		{[][]*schema.Condition{{c[0]}, {c[1]}}, "`c1` and `c2`"},
		{[][]*schema.Condition{{c[0], c[1]}}, "`c1` or `c2`"},
		{[][]*schema.Condition{{c[1], c[2]}, {c[0]}}, "`c1` and (`c2` or `c3`)"},
		{[][]*schema.Condition{{c[0]}, {c[0], c[1]}}, "`c1`"},            // c1 alone is enough for both
		{[][]*schema.Condition{{c[1]}, {c[1]}, {c[0]}}, "`c1` and `c2`"}, // duplicates once
	} {
		if got := conditionFormula(tc.clauses); got != tc.want {
			t.Errorf("conditionFormula(%v) = %s, want %s", tc.clauses, got, tc.want)
		}
	}
}
