package query

import (
	"bytes"
	"encoding/json"
	"errors"
	"flag"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/permcat/permcat/schema"
)

var update = flag.Bool("update", false, "rewrite golden files")

func compile(t *testing.T, path string) *schema.Catalog {
	t.Helper()
	cat, errs := schema.Compile(path, schema.Options{})
	if errs.HasErrors() {
		t.Fatalf("compiling %s:\n%v", path, errs)
	}
	return cat
}

func shop(t *testing.T) *schema.Catalog  { return compile(t, "testdata/shop") }
func metrc(t *testing.T) *schema.Catalog { return compile(t, "../examples/metrc") }

func golden(t *testing.T, name string, got []byte) {
	t.Helper()
	path := filepath.Join("testdata", "golden", name)
	if *update {
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test ./query -update to create it)", err)
	}
	if !bytes.Equal(want, got) {
		t.Errorf("%s is stale; run go test ./query -update and review the diff\nwant:\n%s\ngot:\n%s", path, want, got)
	}
}

// outputs renders a result as text and JSON for the golden files.
func outputs(t *testing.T, name string, text, js func(io.Writer) error) {
	t.Helper()
	var tb, jb bytes.Buffer
	if err := text(&tb); err != nil {
		t.Fatal(err)
	}
	if err := js(&jb); err != nil {
		t.Fatal(err)
	}
	if !json.Valid(jb.Bytes()) {
		t.Errorf("%s: JSON output is not valid JSON", name)
	}
	if bytes.Contains(jb.Bytes(), []byte("null")) {
		t.Errorf("%s: JSON output has a null; lists must be [] so scripts need no null checks", name)
	}
	golden(t, name+".txt", tb.Bytes())
	golden(t, name+".json", jb.Bytes())
}

func holding(hs []Holding, key string) *Holding {
	for i := range hs {
		if hs[i].Key == key {
			return &hs[i]
		}
	}
	return nil
}

func keys(hs []Holding) []string {
	var out []string
	for _, h := range hs {
		out = append(out, h.Key)
	}
	return out
}

func TestExplainNamesTheGrantTheExtendedRoleAndTheImplyingPermission(t *testing.T) {
	e, err := Explain(shop(t), "manager", []string{"night_shift"})
	if err != nil {
		t.Fatal(err)
	}
	open := holding(e.Held, "till.open")
	if open == nil || len(open.Reasons) != 1 {
		t.Fatalf("till.open: %+v", open)
	}
	if r := open.Reasons[0]; r.Role != "clerk" || !slices.Equal(r.Via, []string{"supervisor", "clerk"}) || r.Grant != "till.open" || !strings.HasSuffix(r.At, "permcat.yaml:51:9") {
		t.Errorf("till.open should come from clerk's grant through supervisor, got %+v", r)
	}
	refund := holding(e.Held, "till.refund")
	if refund == nil {
		t.Fatal("manager does not hold till.refund")
	}
	implied := false
	for _, r := range refund.Reasons {
		implied = implied || r.ImpliedBy == "till.void" && r.Grant == "till.void" && len(r.Via) == 0
	}
	if !implied {
		t.Errorf("till.refund should be explained as implied by the manager's own till.void grant: %+v", refund.Reasons)
	}
	outputs(t, "explain-manager-night", e.Text, e.JSON)
}

func TestAConditionalGrantIsHeldOnlyWhenItsConditionIsOn(t *testing.T) {
	cat := shop(t)
	off, err := Explain(cat, "supervisor", nil)
	if err != nil {
		t.Fatal(err)
	}
	if got := keys(off.HeldOnlyWhen); !slices.Equal(got, []string{"stock.count"}) {
		t.Errorf("with every condition off, held only when = %v, want [stock.count]", got)
	}
	if holding(off.Held, "stock.count") != nil {
		t.Error("stock.count is held with night_shift off")
	}
	on, err := Explain(cat, "supervisor", []string{"night_shift"})
	if err != nil {
		t.Fatal(err)
	}
	if h := holding(on.Held, "stock.count"); h == nil || h.Always || !slices.Equal(h.When, []string{"night_shift"}) || !slices.Equal(h.Notes, []string{"Night counts only."}) {
		t.Errorf("with night_shift on, stock.count = %+v", h)
	}
	if len(on.HeldOnlyWhen) != 0 {
		t.Errorf("with night_shift on, nothing should be held only under other conditions: %v", keys(on.HeldOnlyWhen))
	}
}

func TestTheCutDrySalespersonSeesAllCustomersOnlyWhenTheOptionIsOn(t *testing.T) {
	cat := compile(t, "../examples/cutdry")
	off, err := Explain(cat, "salesperson", nil)
	if err != nil {
		t.Fatal(err)
	}
	if holding(off.Held, "customers.view_all") != nil || holding(off.HeldOnlyWhen, "customers.view_all") == nil {
		t.Error("without the option, View all customers must be listed as held only when it is on")
	}
	on, err := Explain(cat, "salesperson", []string{"salesperson_sees_all_customers"})
	if err != nil {
		t.Fatal(err)
	}
	if holding(on.Held, "customers.view_all") == nil {
		t.Error("with the option on, the salesperson holds View all customers")
	}
}

func TestExplainSuggestsKeysForUnknownRolesAndConditions(t *testing.T) {
	cat := shop(t)
	for _, c := range []struct {
		role string
		when []string
		want string
	}{
		{"manger", nil, `unknown role "manger" (did you mean "manager"?)`},
		{"Store manager", nil, `did you mean "manager", the key of role "Store manager"?`},
		{"nobody", nil, "roles are clerk, supervisor, manager, auditor"},
		{"manager", []string{"nightshift"}, `unknown condition "nightshift" (did you mean "night_shift"?)`},
	} {
		_, err := Explain(cat, c.role, c.when)
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("Explain(%q, %q) error = %v, want it to say %s", c.role, c.when, err, c.want)
		}
	}
}

func TestWhoCanListsEachRoleWithItsConditions(t *testing.T) {
	r, err := WhoCan(shop(t), "stock.count")
	if err != nil {
		t.Fatal(err)
	}
	type row struct {
		role   string
		always bool
		when   string
	}
	var got []row
	for _, h := range r.Roles {
		got = append(got, row{h.Role, h.Always, strings.Join(h.When, ",")})
	}
	want := []row{{"supervisor", false, "night_shift"}, {"manager", false, "night_shift,manager_on_duty"}, {"auditor", true, ""}}
	if !slices.Equal(got, want) {
		t.Errorf("who can count stock = %+v, want %+v", got, want)
	}
	if !slices.Equal(r.NotHeldBy, []string{"clerk"}) || r.Renamed {
		t.Errorf("not held by %v, renamed %v", r.NotHeldBy, r.Renamed)
	}
	outputs(t, "who-can-stock-count", r.Text, r.JSON)
}

func TestWhoCanAcceptsAFormerKey(t *testing.T) {
	r, err := WhoCan(compile(t, "../examples/dutchie"), "integrations.hypur.view")
	if err != nil {
		t.Fatal(err)
	}
	if r.Permission != "integrations.posabit_pay.view" || !r.Renamed || r.Asked != "integrations.hypur.view" {
		t.Errorf("got %s (renamed %v, asked %s)", r.Permission, r.Renamed, r.Asked)
	}
	var b bytes.Buffer
	if err := r.Text(&b); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(b.String(), "integrations.hypur.view is a former key; the permission is now integrations.posabit_pay.view") {
		t.Errorf("the text does not say the key was renamed:\n%s", b.String())
	}
}

func TestWhoCanSuggestsAKeyForATypoOrADisplayName(t *testing.T) {
	cat := shop(t)
	for in, want := range map[string]string{
		"stock.cont":  `unknown permission "stock.cont" (did you mean "stock.count"?)`,
		"Order stock": `did you mean "stock.order", the key of "Order stock"?`,
		"count":       `did you mean "stock.count"?`,
	} {
		if _, err := WhoCan(cat, in); err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("WhoCan(%q) error = %v, want %s", in, err, want)
		}
	}
}

func readGrants(t *testing.T, name string) []HeldKey {
	t.Helper()
	path := filepath.Join("testdata", "grants", name)
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	held, err := ParseGrantsFile(path, data)
	if err != nil {
		t.Fatal(err)
	}
	return held
}

func TestAViewOnlyMetrcUserLacksEveryManagePermission(t *testing.T) {
	res, err := Audit(metrc(t), "reverse_sync_user", readGrants(t, "metrc-view-only.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, m := range res.Missing {
		names = append(names, m.Name)
	}
	// The seven areas the article lists, and Employees: the profile asks
	// for Manage on every area.
	want := []string{"Manage Packages Page", "Manage Transfers Page", "Manage Sales Menu",
		"Manage Tag Orders", "Manage Tags", "Manage Strains", "Manage Items", "Manage Employees"}
	if !slices.Equal(names, want) {
		t.Errorf("missing = %q, want every area's Manage permission %q", names, want)
	}
	if res.OK() {
		t.Error("a View-only user passes the Reverse Sync User audit")
	}
	outputs(t, "audit-metrc-view-only", res.Text, res.JSON)
}

func TestAFullMetrcUserMeetsTheReverseSyncUserProfile(t *testing.T) {
	cat := metrc(t)
	for _, f := range []string{"metrc-full.txt", "metrc-full.json"} {
		res, err := Audit(cat, "reverse_sync_user", readGrants(t, f))
		if err != nil {
			t.Fatal(err)
		}
		if !res.OK() || len(res.Missing) != 0 || len(res.Required) != 8 {
			t.Errorf("%s: ok %v, missing %v, required %d", f, res.OK(), res.Missing, len(res.Required))
		}
	}
	res, _ := Audit(cat, "reverse_sync_user", readGrants(t, "metrc-full.txt"))
	outputs(t, "audit-metrc-full", res.Text, res.JSON)
}

func TestHoldingAPermissionThatImpliesARequiredOneCounts(t *testing.T) {
	res, err := Audit(shop(t), "stocktaker", []HeldKey{{Key: "stock.order", Line: 1}})
	if err != nil {
		t.Fatal(err)
	}
	if !res.OK() {
		t.Errorf("stock.order implies stock.count, yet missing = %v", res.Missing)
	}
	res, err = Audit(shop(t), "stocktaker", []HeldKey{{Key: "stock.count", Line: 1}})
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Missing) != 1 || res.Missing[0].Key != "stock.order" {
		t.Errorf("count does not imply order; missing = %v", res.Missing)
	}
}

func TestAuditCountsAFormerKeyAsThePermissionItBecame(t *testing.T) {
	res, err := Audit(shop(t), "stocktaker", []HeldKey{{Key: "inventory.order", Line: 4, File: "held.txt"}})
	if err != nil {
		t.Fatal(err)
	}
	if !res.OK() || len(res.Renamed) != 1 || res.Renamed[0] != (Rename{At: "held.txt:4", From: "inventory.order", To: "stock.order"}) {
		t.Errorf("ok %v, renamed %+v", res.OK(), res.Renamed)
	}
}

func TestUnknownKeysInAGrantsFileAreErrorsWithLineNumbers(t *testing.T) {
	_, err := Audit(metrc(t), "reverse_sync_user", readGrants(t, "metrc-typos.txt"))
	var kes KeyErrors
	if !errors.As(err, &kes) {
		t.Fatalf("error = %v, want KeyErrors", err)
	}
	want := []string{
		`testdata/grants/metrc-typos.txt:2: unknown permission "transfers.mange" (did you mean "transfers.manage"?)`,
		`testdata/grants/metrc-typos.txt:3: unknown permission "Manage Sales Menu" (did you mean "sales.manage", the key of "Manage Sales Menu"?)`,
		`testdata/grants/metrc-typos.txt:6: unknown permission "metrc.items.manage"`,
	}
	var got []string
	for _, e := range kes {
		got = append(got, e.Error())
	}
	if !slices.Equal(got, want) {
		t.Errorf("errors:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}

func TestAFileOfNothingButUnknownKeysReportsTheFirstHundred(t *testing.T) {
	var held []HeldKey
	for i := 1; i <= 5000; i++ {
		held = append(held, HeldKey{Key: "no.such.key", Line: i, File: "big.txt"})
	}
	_, err := Audit(metrc(t), "reverse_sync_user", held)
	var kes KeyErrors
	if !errors.As(err, &kes) || len(kes) != maxKeyErrors+1 || kes[maxKeyErrors].Error() != "big.txt: and 4900 more unknown keys" {
		t.Errorf("got %d errors: %v", len(kes), err)
	}
}

func TestAnUnknownProfileSuggestsOne(t *testing.T) {
	_, err := Audit(metrc(t), "reverse_sync", nil)
	if err == nil || !strings.Contains(err.Error(), `did you mean "reverse_sync_user"?`) {
		t.Errorf("error = %v", err)
	}
	_, err = Audit(metrc(t), "Reverse Sync User", nil)
	if err == nil || !strings.Contains(err.Error(), `did you mean "reverse_sync_user", the key of profile "Reverse Sync User"?`) {
		t.Errorf("error = %v", err)
	}
}

func TestNoGrantsAtAllLacksEverything(t *testing.T) {
	res, err := Audit(metrc(t), "reverse_sync_user", nil)
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Missing) != 8 || res.OK() {
		t.Errorf("missing %d, ok %v", len(res.Missing), res.OK())
	}
}

func TestANilCatalogIsAnError(t *testing.T) {
	if _, err := Explain(nil, "a", nil); err == nil {
		t.Error("Explain(nil)")
	}
	if _, err := WhoCan(nil, "a"); err == nil {
		t.Error("WhoCan(nil)")
	}
	if _, err := Audit(nil, "a", nil); err == nil {
		t.Error("Audit(nil)")
	}
}

func TestResultsAreTheSameOnEveryRun(t *testing.T) {
	run := func() string {
		var b bytes.Buffer
		cat := shop(t)
		for _, r := range []string{"clerk", "supervisor", "manager", "auditor"} {
			e, err := Explain(cat, r, []string{"manager_on_duty"})
			if err != nil {
				t.Fatal(err)
			}
			e.Text(&b)
			e.JSON(&b)
		}
		w, _ := WhoCan(cat, "stock.view")
		w.Text(&b)
		return b.String()
	}
	if run() != run() {
		t.Error("two runs on the same catalog print different output")
	}
}

// A key the catalog deleted is not a typo: who-can and audit say so.
func TestADeletedKeyIsNamedAsDeleted(t *testing.T) {
	cat := shop(t)
	cat.Lock.Entries = append(cat.Lock.Entries, schema.LockEntry{ID: 999, Key: "stock.legacy_export", Retired: true})
	_, err := WhoCan(cat, "stock.legacy_export")
	if err == nil || !strings.Contains(err.Error(), "it was deleted from the catalog; permcat.lock keeps its ID 999 retired") {
		t.Errorf("WhoCan of a retired key: %v", err)
	}
	if _, err := Audit(cat, "stocktaker", []HeldKey{{Key: "stock.legacy_export", Line: 3}}); err == nil || !strings.Contains(err.Error(), "was deleted from the catalog") {
		t.Errorf("Audit of a retired key: %v", err)
	}
}

// A role holding a permission bound to a scope in one way and everywhere
// in another: explain and who-can say each way, in text and in JSON.
func TestExplainAndWhoCanSayEachWay(t *testing.T) {
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "permcat.yaml"), []byte(`permcat: 1
catalog: ways
scopes:
  store: {description: A store.}
conditions:
  night: {description: Night shift.}
groups:
  till:
    name: Till
    permissions:
      open: {name: Open}
roles:
  senior:
    name: Senior
    grants:
      - till.open: {scope: store}
      - till.open: {when: night}
`), 0o644); err != nil {
		t.Fatal(err)
	}
	cat := compile(t, dir)
	w, err := WhoCan(cat, "till.open")
	if err != nil {
		t.Fatal(err)
	}
	var text, js strings.Builder
	if err := w.Text(&text); err != nil || w.JSON(&js) != nil {
		t.Fatal(err)
	}
	if !strings.Contains(text.String(), "senior  Senior  [always per store; when night everywhere]") {
		t.Errorf("who-can text:\n%s", text.String())
	}
	if len(w.Roles) != 1 || !slices.Equal(w.Roles[0].Ways, []Way{{Scope: "store"}, {When: "night"}}) {
		t.Errorf("who-can ways = %+v", w.Roles)
	}
	// Always (whatever the conditions), but only per store: not everywhere.
	if !strings.Contains(js.String(), `"always": true,
      "always_everywhere": false,`) {
		t.Errorf("who-can JSON:\n%s", js.String())
	}
	e, err := Explain(cat, "senior", nil)
	if err != nil {
		t.Fatal(err)
	}
	text.Reset()
	if err := e.Text(&text); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(text.String(), "till.open  Open  [always per store; when night everywhere]") {
		t.Errorf("explain text:\n%s", text.String())
	}
}

// A permission implied along a chain is cited through the grants of each
// link, not through a link that is itself implied: a role extending one
// that grants a.manage, and granting a.edit itself, holds a.view through
// base's a.manage and its own a.edit.
func TestExplainCitesTheGrantOfEachImplyingLink(t *testing.T) {
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "permcat.yaml"), []byte(`permcat: 1
catalog: chain
groups:
  a:
    name: A
    permissions:
      view: {name: View}
      edit: {name: Edit, implies: [view]}
      manage: {name: Manage, implies: [edit]}
roles:
  base: {name: Base, grants: [a.manage]}
  child: {name: Child, extends: [base], grants: [a.edit]}
  heir: {name: Heir, extends: [base]}
`), 0o644); err != nil {
		t.Fatal(err)
	}
	cat := compile(t, dir)
	e, err := Explain(cat, "child", nil)
	if err != nil {
		t.Fatal(err)
	}
	var text strings.Builder
	if err := e.Text(&text); err != nil {
		t.Fatal(err)
	}
	got := text.String()
	view := got[strings.Index(got, "a.view"):strings.Index(got, "a.edit  Edit")]
	for _, want := range []string{
		`implied by a.manage, inherited from base, grant "a.manage" at `,
		`implied by a.edit, grant "a.edit" at `,
	} {
		if !strings.Contains(view, want) {
			t.Errorf("a.view should be cited %q:\n%s", want, view)
		}
	}
	if strings.Contains(view, "implied by a.edit, inherited from base") {
		t.Errorf("a.view is cited through base's a.edit, which base holds only as implied by a.manage:\n%s", view)
	}
	// A role that only extends: the same, with no grant of its own.
	e, err = Explain(cat, "heir", nil)
	if err != nil {
		t.Fatal(err)
	}
	text.Reset()
	if err := e.Text(&text); err != nil {
		t.Fatal(err)
	}
	got = text.String()
	view = got[strings.Index(got, "a.view"):strings.Index(got, "a.edit  Edit")]
	if !strings.Contains(view, `implied by a.manage, inherited from base, grant "a.manage" at `) || strings.Contains(view, "implied by a.edit") {
		t.Errorf("heir: a.view should be cited through a.manage only:\n%s", view)
	}
}
