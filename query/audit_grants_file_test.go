package query

import (
	"slices"
	"strings"
	"testing"
)

// A YAML grants file with entries that are not keys and unknown keys:
// every one is reported, at its line, in one go.
func TestEveryBadEntryOfAGrantsFileIsReportedAtOnce(t *testing.T) {
	data := "- stock.count\n- null\n- 5\n- true\n- stock.cont\n- {a: b}\n- [x]\n- stock.order\n"
	held, err := ParseGrantsFile("g.yaml", []byte(data))
	_, err = AuditGrants(shop(t), "stocktaker", held, err)
	got := keyErrorLines(t, err)
	want := []string{
		"g.yaml:2: expected a permission key, found nothing (null)",
		`g.yaml:3: unknown permission "5"`,
		`g.yaml:4: unknown permission "true"`,
		`g.yaml:5: unknown permission "stock.cont" (did you mean "stock.count"?)`,
		"g.yaml:6: expected a permission key, found a mapping",
		"g.yaml:7: expected a permission key, found a list",
	}
	if !slices.Equal(got, want) {
		t.Errorf("errors:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}
