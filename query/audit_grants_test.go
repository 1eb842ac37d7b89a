package query

import (
	"errors"
	"fmt"
	"io/fs"
	"slices"
	"strings"
	"testing"
)

func keyErrorLines(t *testing.T, err error) []string {
	t.Helper()
	var kes KeyErrors
	if !errors.As(err, &kes) {
		t.Fatalf("error = %v, want KeyErrors", err)
	}
	var out []string
	for _, e := range kes {
		out = append(out, e.Error())
	}
	return out
}

// Entries that are not keys (what ParseGrantsFile reports) and unknown
// keys (what Audit reports) come out together, in line order.
func TestAuditGrantsReportsEveryBadEntryAtOnceInLineOrder(t *testing.T) {
	held := []HeldKey{{"stock.count", 1, "g.yaml"}, {"5", 3, "g.yaml"}, {"true", 4, "g.yaml"}, {"stock.cont", 5, "g.yaml"}}
	notKeys := KeyErrors{
		{File: "g.yaml", Line: 2, Msg: "expected a permission key, found nothing (null)"},
		{File: "g.yaml", Line: 6, Msg: "expected a permission key, found a mapping"},
	}
	_, err := AuditGrants(shop(t), "stocktaker", held, notKeys)
	got := keyErrorLines(t, err)
	want := []string{
		"g.yaml:2: expected a permission key, found nothing (null)",
		`g.yaml:3: unknown permission "5"`,
		`g.yaml:4: unknown permission "true"`,
		`g.yaml:5: unknown permission "stock.cont" (did you mean "stock.count"?)`,
		"g.yaml:6: expected a permission key, found a mapping",
	}
	if !slices.Equal(got, want) {
		t.Errorf("errors:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}

func TestAuditGrantsWithoutProblemsIsAudit(t *testing.T) {
	res, err := AuditGrants(shop(t), "stocktaker", []HeldKey{{"stock.order", 1, "g.yaml"}}, nil)
	if err != nil || !res.OK() {
		t.Fatalf("res %+v, err %v", res, err)
	}
	// Only entries that are not keys: still every one of them.
	_, err = AuditGrants(shop(t), "stocktaker", []HeldKey{{"stock.order", 1, "g.yaml"}}, KeyErrors{{File: "g.yaml", Line: 2, Msg: "expected a permission key, found a list"}})
	if got := keyErrorLines(t, err); !slices.Equal(got, []string{"g.yaml:2: expected a permission key, found a list"}) {
		t.Errorf("errors: %q", got)
	}
}

func TestAuditGrantsPassesOtherErrorsThrough(t *testing.T) {
	if _, err := AuditGrants(shop(t), "stocktaker", nil, fs.ErrNotExist); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("error = %v, want the read error", err)
	}
	_, err := AuditGrants(shop(t), "stoktaker", nil, KeyErrors{{File: "g.yaml", Line: 2, Msg: "x"}})
	if err == nil || !strings.Contains(err.Error(), `unknown profile "stoktaker"`) {
		t.Errorf("error = %v, want the unknown profile", err)
	}
}

// Audit's closing "and N more unknown keys" stays last; a finding about
// the whole file comes first.
func TestAuditGrantsKeepsTheCountOfMoreUnknownKeysLast(t *testing.T) {
	var held []HeldKey
	for i := 1; i <= maxKeyErrors+5; i++ {
		held = append(held, HeldKey{Key: fmt.Sprintf("nope%d", i), Line: i + 1, File: "g.yaml"})
	}
	notKeys := KeyErrors{{File: "g.yaml", Msg: "a finding about the file"}, {File: "g.yaml", Line: 1, Msg: "expected a permission key, found a list"}, {File: "g.yaml", Line: 500, Msg: "expected a permission key, found a mapping"}}
	got := keyErrorLines(t, func() error { _, err := AuditGrants(shop(t), "stocktaker", held, notKeys); return err }())
	if len(got) != maxKeyErrors+4 {
		t.Fatalf("%d findings, want %d", len(got), maxKeyErrors+4)
	}
	if got[0] != "g.yaml: a finding about the file" || got[1] != "g.yaml:1: expected a permission key, found a list" ||
		got[len(got)-2] != "g.yaml:500: expected a permission key, found a mapping" || got[len(got)-1] != "g.yaml: and 5 more unknown keys" {
		t.Errorf("order: first %q, %q; last %q, %q", got[0], got[1], got[len(got)-2], got[len(got)-1])
	}
}
