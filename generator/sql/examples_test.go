package sql

import (
	"bytes"
	"flag"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/permcat/permcat/schema"
)

var update = flag.Bool("update", false, "rewrite golden files")

var examples = []string{"dutchie", "metrc", "cutdry"}

func compileExample(t *testing.T, name string) *schema.Catalog {
	t.Helper()
	cat, errs := schema.Compile(filepath.Join("..", "..", "examples", name), schema.Options{})
	if errs.HasErrors() || cat == nil {
		t.Fatalf("compiling examples/%s:\n%v", name, errs)
	}
	return cat
}

func TestEveryExampleLoadsTwiceIntoEveryDialect(t *testing.T) {
	for _, ex := range examples {
		cat := compileExample(t, ex)
		t.Run(ex, func(t *testing.T) {
			eachDialect(t, func(t *testing.T, db testDB) {
				apply(t, db, cat, DefaultPrefix)
				checkContents(t, db, DefaultPrefix, cat)
				apply(t, db, cat, DefaultPrefix)
				checkContents(t, db, DefaultPrefix, cat)
			})
		})
	}
}

// keyCol quotes the key column for a dialect in a hand-written query.
func keyCol(dialect string) string {
	if dialect == "mysql" {
		return "`key`"
	}
	return `"key"`
}

func column(rows [][]string) []string {
	var out []string
	for _, r := range rows {
		out = append(out, r[0])
	}
	return out
}

func TestQueriesOnALoadedExampleAnswerAsTheGoPackageDoes(t *testing.T) {
	dutchie, cutdry := compileExample(t, "dutchie"), compileExample(t, "cutdry")
	edit := dutchie.PermissionByKey("integrations.metrc.edit")
	if edit == nil {
		t.Fatal("examples/dutchie has no integrations.metrc.edit")
	}
	// The Go package's answers come from Role.Effective, which is what it
	// is generated from.
	var editors []string
	for _, r := range dutchie.Roles {
		if g := r.EffectiveOf(edit); g != nil && g.Always {
			editors = append(editors, r.Key)
		}
	}
	if len(editors) == 0 {
		t.Fatal("no role of examples/dutchie can edit the Metrc integration; the query would prove nothing")
	}
	sales := cutdry.RoleByKey("salesperson")
	allCustomers := cutdry.ConditionByKey("salesperson_sees_all_customers")
	if sales == nil || allCustomers == nil {
		t.Fatal("examples/cutdry lacks the salesperson role or its all-customers condition")
	}
	keys := func(ps []*schema.Permission) []string {
		var out []string
		for _, p := range ps {
			out = append(out, p.Key)
		}
		return out
	}
	off := keys(sales.PermissionsUnder(func(*schema.Condition) bool { return false }))
	on := keys(sales.PermissionsUnder(func(c *schema.Condition) bool { return c == allCustomers }))
	if slices.Contains(off, "customers.view_all") || !slices.Contains(on, "customers.view_all") {
		t.Fatalf("the model should grant customers.view_all to a salesperson only with the option on; off=%v on=%v", off, on)
	}

	eachDialect(t, func(t *testing.T, db testDB) {
		k := keyCol(db.dialect())
		apply(t, db, dutchie, DefaultPrefix)
		rows, err := db.query(`SELECT rp.role_key FROM permcat_role_permissions rp
JOIN permcat_roles r ON r.` + k + ` = rp.role_key
WHERE rp.permission_key = 'integrations.metrc.edit' AND rp.condition_key IS NULL
ORDER BY r.position`)
		if err != nil {
			t.Fatal(err)
		}
		if got := column(rows); !slices.Equal(got, editors) {
			t.Errorf("roles that can edit the Metrc integration: SQL says %v, the model %v", got, editors)
		}

		apply(t, db, cutdry, DefaultPrefix)
		holds := func(cond string) []string {
			rows, err := db.query(`SELECT p.` + k + ` FROM permcat_permissions p
WHERE EXISTS (SELECT 1 FROM permcat_role_permissions rp
    WHERE rp.permission_key = p.` + k + ` AND rp.role_key = 'salesperson' AND ` + cond + `)
ORDER BY p.position`)
			if err != nil {
				t.Fatal(err)
			}
			return column(rows)
		}
		if got := holds("rp.condition_key IS NULL"); !slices.Equal(got, off) {
			t.Errorf("Salesperson with the all-customers option off: SQL says\n  %v\nthe model\n  %v", got, off)
		}
		if got := holds("(rp.condition_key IS NULL OR rp.condition_key = 'salesperson_sees_all_customers')"); !slices.Equal(got, on) {
			t.Errorf("Salesperson with the all-customers option on: SQL says\n  %v\nthe model\n  %v", got, on)
		}
	})
}

// TestGeneratedSQLOfTheExamplesIsCurrent keeps generated/<example>/sql in
// step with the generator (permcat generate --check covers it too).
func TestGeneratedSQLOfTheExamplesIsCurrent(t *testing.T) {
	for _, ex := range examples {
		files, err := Generate(compileExample(t, ex), Options{})
		if err != nil {
			t.Fatal(err)
		}
		for _, f := range files {
			checkGolden(t, filepath.Join("..", "..", "generated", ex, "sql", f.Path), f.Content)
		}
	}
}

// checkGolden compares content with the file at path, or rewrites the file
// under -update.
func checkGolden(t *testing.T, path string, content []byte) {
	t.Helper()
	if *update {
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, content, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	old, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test ./generator/sql -update)", err)
	}
	if !bytes.Equal(old, content) {
		t.Errorf("%s is stale (run go test ./generator/sql -update); first difference at line %d", path, firstDiffLine(old, content))
	}
}

func firstDiffLine(a, b []byte) int {
	al, bl := strings.Split(string(a), "\n"), strings.Split(string(b), "\n")
	for i := range min(len(al), len(bl)) {
		if al[i] != bl[i] {
			return i + 1
		}
	}
	return min(len(al), len(bl)) + 1
}
