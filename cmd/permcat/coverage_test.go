package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func readFile(t *testing.T, p string) string {
	t.Helper()
	b, err := os.ReadFile(p)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func exists(p string) bool {
	_, err := os.Stat(p)
	return err == nil
}

func TestSQLPrefixNamesEveryTableInEveryDialect(t *testing.T) {
	dir := t.TempDir()
	writeFiles(t, dir, map[string]string{"permcat.yaml": small})
	sqlDir := filepath.Join(dir, "sql")
	if code, _, stderr := permcat(t, "generate", dir, "--sql", sqlDir, "--sql-prefix", "acme_"); code != 0 {
		t.Fatalf("exit %d\n%s", code, stderr)
	}
	for _, d := range []string{"postgres", "sqlite", "mysql"} {
		schemaSQL := readFile(t, filepath.Join(sqlDir, d, "schema.sql"))
		seedSQL := readFile(t, filepath.Join(sqlDir, d, "seed.sql"))
		for _, table := range []string{"scopes", "conditions", "groups", "permissions", "permission_implies", "permission_requires", "roles", "role_permissions"} {
			if !strings.Contains(schemaSQL, "CREATE TABLE IF NOT EXISTS acme_"+table+" (") {
				t.Errorf("%s/schema.sql does not create acme_%s", d, table)
			}
		}
		if !strings.Contains(seedSQL, "acme_permissions") {
			t.Errorf("%s/seed.sql does not fill acme_permissions", d)
		}
		// The default prefix must not leak into any name.
		for name, s := range map[string]string{"schema.sql": schemaSQL, "seed.sql": seedSQL} {
			if strings.Contains(s, "permcat_") {
				t.Errorf("%s/%s still names a permcat_ table", d, name)
			}
		}
	}
}

// A bad prefix would end up in DDL, so it is refused as a usage error
// before anything is compiled or written, lock included.
func TestABadSQLPrefixIsAUsageErrorAndWritesNothing(t *testing.T) {
	thirty := "abcdefghijklmnopqrstuvwxyz_123"
	for _, prefix := range []string{"Acme_", "1acme_", "acme-", "acme_;drop", thirty + "4"} {
		dir := t.TempDir()
		writeFiles(t, dir, map[string]string{"permcat.yaml": small})
		code, stdout, stderr := permcat(t, "generate", dir, "--sql", filepath.Join(dir, "sql"), "--sql-prefix", prefix)
		want := `permcat generate: --sql-prefix "` + prefix + `": use up to 30 lower-case letters, digits and underscores, not starting with a digit` + "\n"
		if code != 2 || stdout != "" || stderr != want {
			t.Errorf("--sql-prefix %q: exit %d, stdout %q, stderr %q; want exit 2 and %q", prefix, code, stdout, stderr, want)
		}
		for _, p := range []string{"sql", "permcat.lock"} {
			if exists(filepath.Join(dir, p)) {
				t.Errorf("--sql-prefix %q: %s was written", prefix, p)
			}
		}
	}
	dir := t.TempDir()
	writeFiles(t, dir, map[string]string{"permcat.yaml": small})
	if code, _, stderr := permcat(t, "generate", dir, "--sql", filepath.Join(dir, "sql"), "--sql-prefix", thirty); code != 0 {
		t.Errorf("a 30-character prefix is allowed: exit %d\n%s", code, stderr)
	}
}

// covGenConfig names one place and style for every setting; the flags in
// the tests below name others.
const covGenConfig = "go: ../gen1\ngo-package: fromcfg\nts: ../web/p.ts\nts-style: const\nsql: ../sql\nsql-prefix: cfg_\n"

func TestGenerateConfigAloneIsObeyed(t *testing.T) {
	dir := t.TempDir()
	writeFiles(t, dir, map[string]string{"cat/permcat.yaml": small, "cat/permcat.gen.yaml": covGenConfig})
	if code, _, stderr := permcat(t, "generate", filepath.Join(dir, "cat")); code != 0 {
		t.Fatalf("exit %d\n%s", code, stderr)
	}
	if got := readFile(t, filepath.Join(dir, "gen1", "permissions.go")); !strings.Contains(got, "\npackage fromcfg\n") {
		t.Errorf("gen1 is not package fromcfg:\n%.200s", got)
	}
	if got := readFile(t, filepath.Join(dir, "web", "p.ts")); !strings.Contains(got, "\nexport const Permission = {\n") {
		t.Errorf("p.ts is not in const style:\n%.300s", got)
	}
	if got := readFile(t, filepath.Join(dir, "sql", "postgres", "schema.sql")); !strings.Contains(got, "CREATE TABLE IF NOT EXISTS cfg_permissions (") {
		t.Errorf("schema.sql does not use the configured prefix")
	}
}

// The README promises that flags override permcat.gen.yaml; each flag
// wins for its own setting and leaves the others to the file.
func TestFlagsOverrideTheGenerateConfig(t *testing.T) {
	dir := t.TempDir()
	writeFiles(t, dir, map[string]string{"cat/permcat.yaml": small, "cat/permcat.gen.yaml": covGenConfig})
	gen2 := filepath.Join(dir, "gen2")
	code, _, stderr := permcat(t, "generate", filepath.Join(dir, "cat"),
		"--go", gen2, "--go-package", "fromflag", "--ts-style", "enum", "--sql-prefix", "flag_")
	if code != 0 {
		t.Fatalf("exit %d\n%s", code, stderr)
	}
	if exists(filepath.Join(dir, "gen1")) {
		t.Error("--go was given, yet the configured go directory was written too")
	}
	goFiles, _ := filepath.Glob(filepath.Join(gen2, "*.go"))
	if len(goFiles) == 0 {
		t.Fatal("--go directory has no Go files")
	}
	for _, f := range goFiles {
		if got := readFile(t, f); !strings.Contains(got, "\npackage fromflag\n") {
			t.Errorf("%s is not package fromflag", filepath.Base(f))
		}
	}
	ts := readFile(t, filepath.Join(dir, "web", "p.ts"))
	if !strings.Contains(ts, "\nexport enum Permission {\n") || strings.Contains(ts, "export const Permission") {
		t.Errorf("--ts-style enum did not override ts-style: const:\n%.300s", ts)
	}
	schemaSQL := readFile(t, filepath.Join(dir, "sql", "postgres", "schema.sql"))
	if !strings.Contains(schemaSQL, "CREATE TABLE IF NOT EXISTS flag_permissions (") || strings.Contains(schemaSQL, "cfg_") {
		t.Errorf("--sql-prefix flag_ did not override sql-prefix: cfg_")
	}
}

// Docs list permissions in authored order, which puts fragments in
// lexical path order however the include globs are ordered.
func TestDocsFollowLexicalFragmentOrderAcrossGlobs(t *testing.T) {
	dir := t.TempDir()
	reopen := func(perm string) string {
		return "groups:\n  orders:\n    permissions:\n      " + perm + ": {name: " + perm + "}\n"
	}
	writeFiles(t, dir, map[string]string{
		"permcat.yaml": "permcat: 1\ncatalog: shop\ninclude: [\"b/*.yaml\", \"a/*.yaml\"]\n" +
			"groups:\n  orders:\n    name: Orders\n    permissions:\n      view: {name: View}\n",
		"b/x.yaml": reopen("from_b"),
		"a/z.yaml": reopen("from_a"),
	})
	docs := filepath.Join(dir, "docs")
	if code, _, stderr := permcat(t, "generate", dir, "--docs", docs); code != 0 {
		t.Fatalf("exit %d\n%s", code, stderr)
	}
	md := readFile(t, filepath.Join(docs, "permissions.md"))
	var order []string
	for _, line := range strings.Split(md, "\n") {
		for _, k := range []string{"orders.view", "orders.from_a", "orders.from_b"} {
			if strings.HasPrefix(line, "| ") && strings.Contains(line, "| `"+k+"` |") {
				order = append(order, k)
			}
		}
	}
	if got, want := strings.Join(order, " "), "orders.view orders.from_a orders.from_b"; got != want {
		t.Errorf("permissions.md rows = %s, want %s\n%s", got, want, md)
	}
}
