package main

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func permcat(t *testing.T, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	var out, errb bytes.Buffer
	code = run(args, &out, &errb)
	return code, out.String(), errb.String()
}

func writeFiles(t *testing.T, dir string, files map[string]string) {
	t.Helper()
	for name, content := range files {
		p := filepath.Join(dir, name)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

const small = `permcat: 1
catalog: shop
groups:
  orders:
    name: Orders
    permissions:
      view: {name: View orders}
      edit: {name: Edit orders, requires: [view]}
roles:
  clerk: {name: Clerk, grants: ["orders.*"]}
`

func TestTheExamplesValidate(t *testing.T) {
	for _, ex := range []string{"dutchie", "metrc", "cutdry"} {
		if code, _, stderr := permcat(t, "validate", "../../examples/"+ex); code != 0 {
			t.Errorf("validate %s: exit %d\n%s", ex, code, stderr)
		}
	}
}

func TestValidateExitCodesAndFormats(t *testing.T) {
	dir := t.TempDir()
	writeFiles(t, dir, map[string]string{"permcat.yaml": strings.Replace(small, `grants: ["orders.*"]`, `grants: [orders.edit]`, 1)})
	code, _, stderr := permcat(t, "validate", dir)
	if code != 1 || !strings.Contains(stderr, "permcat.yaml:10:") || !strings.Contains(stderr, "[requires-unmet]") {
		t.Errorf("text: exit %d\n%s", code, stderr)
	}
	code, stdout, _ := permcat(t, "validate", dir, "--format", "json")
	var list []map[string]any
	if code != 1 || json.Unmarshal([]byte(stdout), &list) != nil || len(list) != 1 || list[0]["rule"] != "requires-unmet" || list[0]["line"].(float64) != 10 {
		t.Errorf("json: exit %d\n%s", code, stdout)
	}
	code, stdout, _ = permcat(t, "validate", dir, "--format", "github")
	if code != 1 || !strings.HasPrefix(stdout, "::error file=") || !strings.Contains(stdout, ",line=10,col=") {
		t.Errorf("github: exit %d\n%s", code, stdout)
	}
	if code, _, _ := permcat(t, "validate", dir, "--format", "xml"); code != 2 {
		t.Errorf("an unknown format is a usage error, got exit %d", code)
	}
	if code, _, _ := permcat(t, "validate", "a", "b"); code != 2 {
		t.Errorf("two paths are a usage error, got exit %d", code)
	}
	if code, _, _ := permcat(t, "frobnicate"); code != 2 {
		t.Errorf("an unknown command is a usage error, got exit %d", code)
	}
	if code, _, stderr := permcat(t, "validate", filepath.Join(dir, "missing")); code != 1 || !strings.Contains(stderr, "missing") {
		t.Errorf("a missing catalog: exit %d %s", code, stderr)
	}
}

func TestWarningsFailOnlyWithStrict(t *testing.T) {
	dir := t.TempDir()
	writeFiles(t, dir, map[string]string{"permcat.yaml": small + "conditions:\n  unused: {description: Nobody uses it.}\n"})
	if code, _, stderr := permcat(t, "validate", dir); code != 0 || !strings.Contains(stderr, "warning: condition unused") {
		t.Errorf("exit %d\n%s", code, stderr)
	}
	if code, _, _ := permcat(t, "validate", dir, "--strict"); code != 1 {
		t.Errorf("--strict: exit %d", code)
	}
}

func TestSchemaPrintsTheEmbeddedJSONSchema(t *testing.T) {
	code, stdout, _ := permcat(t, "schema")
	var v map[string]any
	if code != 0 || json.Unmarshal([]byte(stdout), &v) != nil || v["$id"] == nil {
		t.Fatalf("exit %d, not a JSON Schema", code)
	}
}

func TestGenerateWritesEveryTargetAndTheLockAndIsByteIdentical(t *testing.T) {
	dir := t.TempDir()
	writeFiles(t, dir, map[string]string{"cat/permcat.yaml": small})
	out := filepath.Join(dir, "out")
	args := []string{"generate", filepath.Join(dir, "cat"), "--go", filepath.Join(out, "go"), "--go-package", "shop",
		"--ts", filepath.Join(out, "shop.ts"), "--sql", filepath.Join(out, "sql"), "--docs", filepath.Join(out, "docs")}
	if code, _, stderr := permcat(t, args...); code != 0 {
		t.Fatalf("exit %d\n%s", code, stderr)
	}
	snapshot := func() map[string]string {
		m := map[string]string{}
		filepath.WalkDir(dir, func(p string, d os.DirEntry, err error) error {
			if err == nil && !d.IsDir() {
				b, _ := os.ReadFile(p)
				m[p] = string(b)
			}
			return nil
		})
		return m
	}
	first := snapshot()
	for _, want := range []string{"cat/permcat.lock", "out/shop.ts", "out/sql/postgres/seed.sql", "out/sql/sqlite/schema.sql", "out/sql/mysql/seed.sql", "out/docs/roles.md"} {
		if _, ok := first[filepath.Join(dir, want)]; !ok {
			t.Errorf("%s was not written", want)
		}
	}
	goFiles, _ := filepath.Glob(filepath.Join(out, "go", "*.go"))
	if len(goFiles) == 0 {
		t.Error("no Go files written")
	}
	if code, _, stderr := permcat(t, args...); code != 0 {
		t.Fatalf("second run: exit %d\n%s", code, stderr)
	}
	second := snapshot()
	if len(first) != len(second) {
		t.Fatalf("second run changed the file set: %d vs %d files", len(first), len(second))
	}
	for p, b := range first {
		if second[p] != b {
			t.Errorf("%s differs between two runs", p)
		}
	}
	if code, stdout, _ := permcat(t, append(args, "--check")...); code != 0 {
		t.Errorf("--check right after generate: exit %d\n%s", code, stdout)
	}
}

func TestCheckFailsAfterAHandEditAndNamesMissingAndExtraFiles(t *testing.T) {
	dir := t.TempDir()
	writeFiles(t, dir, map[string]string{"permcat.yaml": small, "permcat.gen.yaml": "go: gen\ngo-package: shop\ndocs: docs\n"})
	if code, _, stderr := permcat(t, "generate", dir); code != 0 {
		t.Fatalf("exit %d\n%s", code, stderr)
	}
	ref := filepath.Join(dir, "docs", "permissions.md")
	b, _ := os.ReadFile(ref)
	os.WriteFile(ref, append(b, "hand edit\n"...), 0o644)
	os.Remove(filepath.Join(dir, "docs", "roles.md"))
	os.WriteFile(filepath.Join(dir, "gen", "old.go"), []byte("// Code generated by permcat. DO NOT EDIT.\n\npackage shop\n"), 0o644)
	os.WriteFile(filepath.Join(dir, "gen", "mine.go"), []byte("package shop\n"), 0o644)
	code, stdout, stderr := permcat(t, "generate", dir, "--check")
	if code != 1 {
		t.Fatalf("--check after a hand edit: exit %d", code)
	}
	for _, want := range []string{"stale: " + ref, "-hand edit", "missing: " + filepath.Join(dir, "docs", "roles.md"), "extra: " + filepath.Join(dir, "gen", "old.go")} {
		if !strings.Contains(stdout, want) {
			t.Errorf("--check output lacks %q:\n%s", want, stdout)
		}
	}
	if strings.Contains(stdout, "mine.go") {
		t.Error("a file without the permcat header is never reported or removed")
	}
	if !strings.Contains(stderr, "stale") {
		t.Errorf("stderr: %s", stderr)
	}
	// generate repairs it: rewrites, recreates, deletes only its own orphan.
	if code, _, stderr := permcat(t, "generate", dir); code != 0 {
		t.Fatalf("exit %d\n%s", code, stderr)
	}
	if _, err := os.Stat(filepath.Join(dir, "gen", "old.go")); !os.IsNotExist(err) {
		t.Error("orphaned generated file was not deleted")
	}
	if _, err := os.Stat(filepath.Join(dir, "gen", "mine.go")); err != nil {
		t.Error("a hand-written file was deleted")
	}
	if code, _, _ := permcat(t, "generate", dir, "--check"); code != 0 {
		t.Error("still stale after generate")
	}
}

func TestCheckReportsAStaleLock(t *testing.T) {
	dir := t.TempDir()
	writeFiles(t, dir, map[string]string{"permcat.yaml": small})
	if code, _, _ := permcat(t, "generate", dir); code != 0 {
		t.Fatal("generate failed")
	}
	writeFiles(t, dir, map[string]string{"permcat.yaml": strings.Replace(small, "      edit:", "      export: {name: Export}\n      edit:", 1)})
	code, stdout, _ := permcat(t, "generate", dir, "--check")
	if code != 1 || !strings.Contains(stdout, "stale lock") || !strings.Contains(stdout, "+3 orders.export") {
		t.Errorf("exit %d\n%s", code, stdout)
	}
}

func TestNothingIsWrittenWhenTheCatalogHasErrors(t *testing.T) {
	dir := t.TempDir()
	writeFiles(t, dir, map[string]string{"permcat.yaml": small + "  broken: {name: B, grants: [nope.*]}\n"})
	code, _, stderr := permcat(t, "generate", dir, "--go", filepath.Join(dir, "gen"), "--docs", filepath.Join(dir, "docs"))
	if code != 1 || !strings.Contains(stderr, "nope.*") {
		t.Fatalf("exit %d\n%s", code, stderr)
	}
	entries, _ := os.ReadDir(dir)
	if len(entries) != 1 {
		t.Errorf("files were written despite errors: %v", entries)
	}
}

func TestNothingIsWrittenWhenATargetFails(t *testing.T) {
	dir := t.TempDir()
	writeFiles(t, dir, map[string]string{"permcat.yaml": small})
	code, _, stderr := permcat(t, "generate", dir, "--docs", filepath.Join(dir, "docs"), "--sql", filepath.Join(dir, "sql"), "--sql-dialect", "oracle")
	if code == 0 || !strings.Contains(stderr, "oracle") {
		t.Fatalf("exit %d\n%s", code, stderr)
	}
	for _, p := range []string{"docs", "sql", "permcat.lock"} {
		if _, err := os.Stat(filepath.Join(dir, p)); err == nil {
			t.Errorf("%s was written although a target failed", p)
		}
	}
}

func TestGeneratedExamplesAreFresh(t *testing.T) {
	for _, ex := range []string{"dutchie", "metrc", "cutdry"} {
		if code, stdout, stderr := permcat(t, "generate", "--check", "../../examples/"+ex); code != 0 {
			t.Errorf("examples/%s: generated/ is stale (run make generate):\n%s%s", ex, stdout, stderr)
		}
	}
}

func TestQueriesAnswerForTheExamples(t *testing.T) {
	code, stdout, _ := permcat(t, "who-can", "integrations.metrc.edit", "--catalog", "../../examples/dutchie")
	if code != 0 || !strings.Contains(stdout, "integrations_admin") {
		t.Errorf("who-can: exit %d\n%s", code, stdout)
	}
	code, stdout, _ = permcat(t, "explain", "salesperson", "--catalog", "../../examples/cutdry", "--format", "json")
	if code != 0 || !json.Valid([]byte(stdout)) {
		t.Errorf("explain: exit %d\n%s", code, stdout)
	}
	dir := t.TempDir()
	views := "packages.view\ntransfers.view\nsales.view\ntag_orders.view\ntags.view\nstrains.view\nitems.view\n"
	writeFiles(t, dir, map[string]string{"view.txt": views, "bad.txt": "packages.view\npackages.veiw\n"})
	code, stdout, _ = permcat(t, "audit", "--catalog", "../../examples/metrc", "--profile", "reverse_sync_user", "--grants", filepath.Join(dir, "view.txt"))
	if code != 1 || strings.Count(stdout, ".manage") < 8 {
		t.Errorf("a View-only user lacks every area's Manage permission: exit %d\n%s", code, stdout)
	}
	// Every area at Manage passes; any one area left View-only, Employees
	// included, fails ("no permissions left as View only").
	manage := "packages.manage\ntransfers.manage\nsales.manage\ntag_orders.manage\ntags.manage\nstrains.manage\nitems.manage\n"
	writeFiles(t, dir, map[string]string{"all.txt": manage + "employees.manage\n", "one_view.txt": manage + "employees.view\n"})
	if code, stdout, _ := permcat(t, "audit", "--catalog", "../../examples/metrc", "--profile", "reverse_sync_user", "--grants", filepath.Join(dir, "all.txt")); code != 0 {
		t.Errorf("Manage on every area meets the profile: exit %d\n%s", code, stdout)
	}
	if code, stdout, _ := permcat(t, "audit", "--catalog", "../../examples/metrc", "--profile", "reverse_sync_user", "--grants", filepath.Join(dir, "one_view.txt")); code != 1 || !strings.Contains(stdout, "employees.manage") {
		t.Errorf("an area left View-only fails the profile: exit %d\n%s", code, stdout)
	}
	code, _, stderr := permcat(t, "audit", "--catalog", "../../examples/metrc", "--profile", "reverse_sync_user", "--grants", filepath.Join(dir, "bad.txt"))
	if code != 1 || !strings.Contains(stderr, "bad.txt:2") {
		t.Errorf("unknown keys are errors with line numbers: exit %d\n%s", code, stderr)
	}
	// Every bad entry of a YAML list at once: null, a mapping, a number,
	// a boolean and an unknown key, each at its line.
	writeFiles(t, dir, map[string]string{"mixed.yaml": "- packages.view\n- null\n- 5\n- true\n- packages.veiw\n- {a: b}\n"})
	code, _, stderr = permcat(t, "audit", "--catalog", "../../examples/metrc", "--profile", "reverse_sync_user", "--grants", filepath.Join(dir, "mixed.yaml"))
	for _, w := range []string{"mixed.yaml:2: expected a permission key, found nothing (null)", `mixed.yaml:3: unknown permission "5"`,
		`mixed.yaml:4: unknown permission "true"`, `mixed.yaml:5: unknown permission "packages.veiw"`, "mixed.yaml:6: expected a permission key, found a mapping"} {
		if code != 1 || !strings.Contains(stderr, w) {
			t.Errorf("every bad entry is reported at once, want %q: exit %d\n%s", w, code, stderr)
		}
	}
	if code, _, _ := permcat(t, "audit", "--catalog", "../../examples/metrc"); code != 2 {
		t.Errorf("audit without --profile/--grants is a usage error, got %d", code)
	}
}

func TestDiffExitsOneOnlyOnBreakingChanges(t *testing.T) {
	dir := t.TempDir()
	writeFiles(t, dir, map[string]string{
		"old/permcat.yaml": small,
		"new/permcat.yaml": strings.Replace(small, "      edit: {name: Edit orders, requires: [view]}\n", "", 1),
		"add/permcat.yaml": small + "  lead: {name: Lead, grants: [orders.view]}\n",
	})
	permcat(t, "generate", filepath.Join(dir, "old"))
	if code, stdout, _ := permcat(t, "diff", filepath.Join(dir, "old"), filepath.Join(dir, "new")); code != 1 || !strings.Contains(stdout, "PERMISSION_DELETED") {
		t.Errorf("deletion: exit %d\n%s", code, stdout)
	}
	if code, stdout, _ := permcat(t, "diff", filepath.Join(dir, "old"), filepath.Join(dir, "add")); code != 0 || !strings.Contains(stdout, "ROLE_ADDED") {
		t.Errorf("addition: exit %d\n%s", code, stdout)
	}
	if code, _, _ := permcat(t, "diff", "--allow", "NOT_A_RULE", filepath.Join(dir, "old"), filepath.Join(dir, "new")); code != 2 {
		t.Errorf("unknown --allow rule: exit %d", code)
	}
}

func TestUsageErrorsSayWhatIsWrong(t *testing.T) {
	cases := [][]string{
		{"validate", ".", "--bogus"},
		{"validate", "--format"},
		{"generate", "--gox", "out"},
		{"explain", "admin", "--format", "xml"},
		{"audit", "--grants", "g.txt"},
		{"diff", "only-one"},
		{"generate", ".", "--ts-style", "bogus"},
		{"generate", ".", "--sql-dialect", "oracle"},
		{"generate", ".", "--go-package", "my-pkg"},
		{"version", "extra"},
		{"schema", "extra"},
	}
	for _, args := range cases {
		code, _, stderr := permcat(t, args...)
		if code != 2 || !strings.Contains(stderr, "permcat "+args[0]) || len(strings.TrimSpace(stderr)) < 20 {
			t.Errorf("%v: exit %d, stderr %q", args, code, stderr)
		}
	}
	if code, stdout, _ := permcat(t, "version"); code != 0 || !strings.HasPrefix(stdout, "permcat ") {
		t.Errorf("version: %d %q", code, stdout)
	}
	if code, _, stderr := permcat(t, "help", "generate"); code != 0 || !strings.Contains(stderr, "--go-package") {
		t.Errorf("help generate shows the generate flags: %d %q", code, stderr)
	}
}

func TestTargetsSharingADirectoryNeverDeleteEachOther(t *testing.T) {
	dir := t.TempDir()
	writeFiles(t, dir, map[string]string{"cat/permcat.yaml": small, "cat/permcat.gen.yaml": "go: ../perms\ngo-package: perms\nts: ../perms/perms.ts\ndocs: ../perms\n"})
	root := filepath.Join(dir, "cat")
	if code, _, stderr := permcat(t, "generate", root); code != 0 {
		t.Fatal(stderr)
	}
	if code, _, stderr := permcat(t, "generate", root, "docs"); code != 0 {
		t.Fatal(stderr)
	}
	if code, stdout, _ := permcat(t, "generate", root, "--check"); code != 0 {
		t.Errorf("a docs-only run removed other targets' files:\n%s", stdout)
	}
	// The first positional may be a target even when a directory of that
	// name exists, as long as it holds no catalog.
	os.MkdirAll(filepath.Join(dir, "docs"), 0o755)
	wd, _ := os.Getwd()
	defer os.Chdir(wd)
	os.Chdir(root)
	if code, _, stderr := permcat(t, "generate", "docs"); code != 0 {
		t.Errorf("generate docs: %d %s", code, stderr)
	}
	if code, _, stderr := permcat(t, "generate", "sql"); code != 2 || !strings.Contains(stderr, "not configured") {
		t.Errorf("an unconfigured target is a usage error: %d %s", code, stderr)
	}
}

func TestAFailingDestinationLeavesEveryOutputUntouched(t *testing.T) {
	dir := t.TempDir()
	writeFiles(t, dir, map[string]string{"permcat.yaml": small, "o/docs": "a file where a directory should be"})
	code, _, stderr := permcat(t, "generate", dir, "--go", filepath.Join(dir, "o", "go"), "--ts", filepath.Join(dir, "o", "p.ts"), "--docs", filepath.Join(dir, "o", "docs"))
	if code == 0 || !strings.Contains(stderr, "o/docs") {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	for _, p := range []string{"o/go", "o/p.ts", "permcat.lock"} {
		if _, err := os.Stat(filepath.Join(dir, p)); err == nil {
			t.Errorf("%s was written although another destination failed", p)
		}
	}
	code, _, stderr = permcat(t, "generate", dir, "--ts", filepath.Join(dir, "o")+"/")
	if code != 2 || !strings.Contains(stderr, "FILE") {
		t.Errorf("--ts naming a directory: exit %d %s", code, stderr)
	}
}

func TestConfigValuesAreCheckedWithPositions(t *testing.T) {
	dir := t.TempDir()
	writeFiles(t, dir, map[string]string{"permcat.yaml": small, "permcat.gen.yaml": "ts: p.ts\nts-style: bogus\nsql: sql\nsql-dialect: [postgres, oracle]\n"})
	code, _, stderr := permcat(t, "generate", dir)
	if code != 1 || !strings.Contains(stderr, "permcat.gen.yaml:2:11:") || !strings.Contains(stderr, "permcat.gen.yaml:4:25:") {
		t.Errorf("exit %d\n%s", code, stderr)
	}
	// Paths, and an empty list of dialects, are checked at their place
	// too: every mistake in the file is a positioned error, exit 1.
	writeFiles(t, dir, map[string]string{"permcat.gen.yaml": "ts: tsdir\ndocs: permcat.yaml\nsql: sql\nsql-dialect: []\n", "tsdir/keep": ""})
	code, _, stderr = permcat(t, "generate", dir)
	for _, want := range []string{
		`permcat.gen.yaml:1:5: ts "` + filepath.Join(dir, "tsdir") + `" is a directory`,
		`permcat.gen.yaml:2:7: docs "` + filepath.Join(dir, "permcat.yaml") + `" is a file`,
		"permcat.gen.yaml:4:14: sql-dialect lists no dialect",
	} {
		if code != 1 || !strings.Contains(stderr, want) {
			t.Errorf("exit %d, want 1 and %q:\n%s", code, want, stderr)
		}
	}
	// A misspelt setting is unknown whatever its value.
	writeFiles(t, dir, map[string]string{"permcat.gen.yaml": "bogus: 1\ndocs: [d]\n"})
	code, _, stderr = permcat(t, "generate", dir)
	for _, want := range []string{`permcat.gen.yaml:1:1: unknown target setting "bogus"`, "permcat.gen.yaml:2:7: docs takes a non-empty string"} {
		if code != 1 || !strings.Contains(stderr, want) {
			t.Errorf("exit %d, want 1 and %q:\n%s", code, want, stderr)
		}
	}
	writeFiles(t, dir, map[string]string{"permcat.gen.yaml": "ts: gen/\n"})
	code, _, stderr = permcat(t, "generate", dir)
	for _, want := range []string{"permcat.gen.yaml:1:5: ts ", "names a directory"} {
		if code != 1 || !strings.Contains(stderr, want) {
			t.Errorf("exit %d, want 1 and %q:\n%s", code, want, stderr)
		}
	}
}

func TestFileModesSurviveARewrite(t *testing.T) {
	dir := t.TempDir()
	writeFiles(t, dir, map[string]string{"permcat.yaml": small})
	ts := filepath.Join(dir, "p.ts")
	permcat(t, "generate", dir, "--ts", ts)
	os.Chmod(ts, 0o600)
	writeFiles(t, dir, map[string]string{"permcat.yaml": strings.Replace(small, "View orders", "See orders", 1)})
	permcat(t, "generate", dir, "--ts", ts)
	if st, _ := os.Stat(ts); st.Mode().Perm() != 0o600 {
		t.Errorf("mode = %v", st.Mode().Perm())
	}
}

// A flag given an empty value, or a Go package that would be named main
// or a keyword after its directory, is a usage error (exit 2) that says
// what to do, and nothing is written.
func TestEmptyFlagsAndUnimportablePackagesAreUsageErrors(t *testing.T) {
	out, cat := t.TempDir(), t.TempDir()
	// The example without its permcat.gen.yaml, which names the package.
	for _, f := range []string{"permcat.yaml", "permcat.lock"} {
		b, err := os.ReadFile(filepath.Join("..", "..", "examples", "metrc", f))
		if err != nil {
			t.Fatal(err)
		}
		os.WriteFile(filepath.Join(cat, f), b, 0o644)
	}
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"--sql", filepath.Join(out, "sql"), "--sql-prefix", ""}, "--sql-prefix is empty"},
		{[]string{"--sql", filepath.Join(out, "sql"), "--sql-dialect", ""}, "--sql-dialect is empty"},
		{[]string{"--ts", ""}, "--ts is empty"},
		{[]string{"--sql", filepath.Join(out, "sql"), "--sql-dialect=,"}, "an empty dialect name"},
		{[]string{"--sql", filepath.Join(out, "sql"), "--sql-dialect=postgres,,sqlite"}, "an empty dialect name"},
		{[]string{"--go", filepath.Join(out, "x"), "--go-package=_"}, "the blank identifier cannot name a package"},
		{[]string{"--go", filepath.Join(out, "main")}, "the package would be named main after its directory"},
		{[]string{"--go", filepath.Join(out, "type")}, "the package would be named type after its directory"},
		{[]string{"--go", filepath.Join(out, "x"), "--go-package", "main"}, "a package main cannot be imported"},
	} {
		code, _, stderr := permcat(t, append([]string{"generate", cat}, c.args...)...)
		if code != 2 || !strings.Contains(stderr, c.want) {
			t.Errorf("%v: exit %d, stderr %q; want 2 and %q", c.args, code, stderr, c.want)
		}
	}
	if entries, _ := os.ReadDir(out); len(entries) != 0 {
		t.Errorf("written: %v", entries)
	}
	if code, _, stderr := permcat(t, "generate", cat, "--go", filepath.Join(out, "main"), "--go-package", "perms"); code != 0 {
		t.Errorf("--go-package names a package in a directory called main: exit %d, %s", code, stderr)
	}
}

func TestARepeatedSQLDialectFlagAddsDialects(t *testing.T) {
	dir := t.TempDir()
	writeFiles(t, dir, map[string]string{"permcat.yaml": small})
	out := filepath.Join(dir, "sql")
	if code, _, stderr := permcat(t, "generate", dir, "--sql", out, "--sql-dialect", "sqlite", "--sql-dialect", "mysql"); code != 0 {
		t.Fatalf("exit %d\n%s", code, stderr)
	}
	for d, want := range map[string]bool{"sqlite": true, "mysql": true, "postgres": false} {
		if _, err := os.Stat(filepath.Join(out, d, "seed.sql")); (err == nil) != want {
			t.Errorf("%s/seed.sql written: %v; want %v", d, err == nil, want)
		}
	}
	if code, _, stderr := permcat(t, "generate", dir, "--sql", out, "--sql-dialect", "sqlite", "--sql-dialect", ""); code != 2 || !strings.Contains(stderr, "empty dialect") {
		t.Errorf("an empty repeated --sql-dialect: exit %d\n%s", code, stderr)
	}
}

func TestCheckSaysWhenGenerateWouldRefuseAHandWrittenFile(t *testing.T) {
	dir := t.TempDir()
	writeFiles(t, dir, map[string]string{"permcat.yaml": small})
	out := filepath.Join(dir, "perms")
	if code, _, stderr := permcat(t, "generate", dir, "--go", out); code != 0 {
		t.Fatalf("exit %d\n%s", code, stderr)
	}
	doc := filepath.Join(out, "doc.go")
	if err := os.WriteFile(doc, []byte("// Package perms is ours.\npackage perms\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	code, _, stderr := permcat(t, "generate", "--check", dir, "--go", out)
	if code != 1 || !strings.Contains(stderr, "would fail: refusing to overwrite "+doc) {
		t.Errorf("--check with a hand-written doc.go: exit %d\n%s", code, stderr)
	}
}

func TestTextFindingsStayOnOneLine(t *testing.T) {
	for in, want := range map[string]string{
		"a.yaml:1:2: warning: g.a is deprecated: Use g.b.\n  See the guide. [deprecated]": "a.yaml:1:2: warning: g.a is deprecated: Use g.b. See the guide. [deprecated]",
		"x\r\ny\u2028z": "x y z",
		"plain message": "plain message",
	} {
		if got := oneLine(in); got != want {
			t.Errorf("oneLine(%q) = %q; want %q", in, got, want)
		}
	}
	dir := t.TempDir()
	cat := strings.Replace(small, "view: {name: View orders}", "view:\n        name: View orders\n        deprecated: |\n          Use orders.edit.\n          See the guide.", 1)
	writeFiles(t, dir, map[string]string{"permcat.yaml": cat})
	code, _, stderr := permcat(t, "validate", dir)
	if code != 0 || !strings.Contains(stderr, "Use orders.edit. See the guide.") {
		t.Errorf("exit %d; want 0 and the deprecation reason on one line:\n%s", code, stderr)
	}
	for _, line := range strings.Split(strings.TrimSpace(stderr), "\n") {
		if !strings.HasPrefix(line, filepath.Join(dir, "permcat.yaml")+":") {
			t.Errorf("a line of output is not a finding: %q", line)
		}
	}
}

func TestCheckWithoutTargetsSaysItCheckedOnlyTheLock(t *testing.T) {
	dir := t.TempDir()
	writeFiles(t, dir, map[string]string{"permcat.yaml": small})
	if code, _, stderr := permcat(t, "generate", dir); code != 0 {
		t.Fatalf("exit %d\n%s", code, stderr)
	}
	code, _, stderr := permcat(t, "generate", "--check", dir)
	if code != 0 || !strings.Contains(stderr, "no targets") || !strings.Contains(stderr, "only permcat.lock was checked") {
		t.Errorf("--check without targets: exit %d\n%s", code, stderr)
	}
}

func TestExplainTakesConditionsAsAListOrRepeated(t *testing.T) {
	dir := t.TempDir()
	writeFiles(t, dir, map[string]string{"permcat.yaml": `permcat: 1
catalog: shop
conditions:
  a: {description: A.}
  b: {description: B.}
groups:
  g:
    name: G
    permissions:
      x: {name: X}
      y: {name: Y}
roles:
  r: {name: R, grants: [g.x: {when: a}, g.y: {when: b}]}
`})
	_, repeated, _ := permcat(t, "explain", "r", "--catalog", dir, "--when", "a", "--when", "b")
	code, listed, stderr := permcat(t, "explain", "r", "--catalog", dir, "--when", "a,b")
	if code != 0 || listed != repeated || !strings.Contains(listed, "g.x") || !strings.Contains(listed, "g.y") {
		t.Errorf("--when a,b: exit %d\n%s%s\nwant as --when a --when b:\n%s", code, listed, stderr, repeated)
	}
}

func TestAMissingCatalogSaysWherePermcatLooked(t *testing.T) {
	dir := t.TempDir()
	abs, _ := filepath.Abs(dir)
	for _, args := range [][]string{{"validate", dir}, {"generate", "--check", dir}, {"who-can", "g.x", "--catalog", dir}} {
		code, _, stderr := permcat(t, args...)
		if code != 1 || !strings.Contains(stderr, "no permcat.yaml in "+abs+"; PATH is the catalog's directory") {
			t.Errorf("permcat %s: exit %d\n%s", strings.Join(args, " "), code, stderr)
		}
	}
	code, _, stderr := permcat(t, "validate", filepath.Join(dir, "nope.yaml"))
	if code != 1 || !strings.Contains(stderr, "no catalog at "+filepath.Join(abs, "nope.yaml")+": it does not exist") {
		t.Errorf("validate of a missing file: exit %d\n%s", code, stderr)
	}
}

func TestFindingsDefangControlCharacters(t *testing.T) {
	for in, want := range map[string]string{
		"colour \x1b[31mred\x7f": `colour \x1b[31mred\x7f`,
		"bidi \u202e and \u2066": `bidi \u202e and \u2066`,
		"tab\tstays":             "tab\tstays",
	} {
		if got := defang(in); got != want {
			t.Errorf("defang(%q) = %q; want %q", in, got, want)
		}
	}
	if got := oneLine("a\x1bb\nc"); got != `a\x1bb c` {
		t.Errorf("oneLine = %q", got)
	}
}
