// Package sql renders the SQL target: per dialect, a schema.sql that creates
// the catalog's tables when they are missing and a seed.sql that brings
// their rows to exactly the catalog's content in one transaction.
//
// The seed first renames rows whose key moved (`formerly`), so that an
// application's own rows that reference permcat_permissions(key) or
// permcat_groups(key) with ON UPDATE CASCADE follow the rename; it then
// deletes links and permissions the catalog no longer has, upserts every
// scope, condition, group, permission, role, profile and link, and finally
// deletes stale groups, conditions and scopes. An application row that still
// references a deleted key (without ON DELETE CASCADE) makes the seed fail
// and roll back, so nothing is lost silently. Running a seed twice changes
// nothing; running v1 then v2 leaves exactly v2.
//
// The desired rows are loaded into temporary staging tables first and every
// statement compares against them, so the files grow linearly with the
// catalog instead of carrying long NOT IN lists.
//
// Applications reference permission keys with ON UPDATE CASCADE. On SQLite
// that needs PRAGMA foreign_keys = ON on every connection (the seed sets it
// on its own). On MySQL/MariaDB key columns are VARCHAR(255) CHARACTER SET
// ascii COLLATE ascii_bin, and a referencing column must match that type.
//
// Each dialect lives in its own file (postgres.go, sqlite.go, mysql.go) with
// its quoting rules; the SQL text lives in templates/sql.
package sql

import (
	"bytes"
	"fmt"
	"regexp"
	"strings"
	"text/template"

	"github.com/permcat/permcat/generator"
	"github.com/permcat/permcat/schema"
	"github.com/permcat/permcat/templates"
)

// DefaultPrefix is the table-name prefix when Options.Prefix is empty.
const DefaultPrefix = "permcat_"

// maxPrefixLen keeps the longest derived name (prefix +
// "profile_permissions_permission", an index) within PostgreSQL's 63 and
// MySQL's 64 character identifier limits.
const maxPrefixLen = 30

// Options select what Generate renders.
type Options struct {
	// Dialects lists the dialects to render: "postgres", "sqlite", "mysql"
	// (aliases "postgresql", "sqlite3", "mariadb"; an entry may hold a
	// comma-separated list). Empty means all three. Files come in the
	// order postgres, sqlite, mysql whatever the order asked for.
	Dialects []string
	// Prefix is prepended to every table name; empty means DefaultPrefix.
	// It must match ^[a-z_][a-z0-9_]*$.
	Prefix string
}

// Dialects are the canonical dialect names, in the order files are rendered.
var Dialects = []string{"postgres", "sqlite", "mysql"}

var prefixRE = regexp.MustCompile(`^[a-z_][a-z0-9_]*$`)

// Generate renders <dialect>/schema.sql and <dialect>/seed.sql for every
// requested dialect. It returns an error, and no files, when an option is
// invalid or the catalog holds a string no dialect can store (a NUL byte,
// invalid UTF-8) or a key MySQL cannot index.
func Generate(cat *schema.Catalog, opts Options) ([]generator.File, error) {
	if cat == nil {
		return nil, fmt.Errorf("sql: no catalog")
	}
	prefix := opts.Prefix
	if prefix == "" {
		prefix = DefaultPrefix
	}
	if !prefixRE.MatchString(prefix) {
		return nil, fmt.Errorf("sql: table prefix %q is not a safe identifier: use lower-case letters, digits and underscores, not starting with a digit", prefix)
	}
	if len(prefix) > maxPrefixLen {
		return nil, fmt.Errorf("sql: table prefix %q is longer than %d characters; table and index names would exceed the databases' identifier limits", prefix, maxPrefixLen)
	}
	dialects, err := selectDialects(opts.Dialects)
	if err != nil {
		return nil, err
	}
	m, err := buildModel(cat)
	if err != nil {
		return nil, err
	}
	tmpl, err := parseTemplates()
	if err != nil {
		return nil, err
	}
	var files []generator.File
	for _, d := range dialects {
		data, err := newTemplateData(d, m, prefix)
		if err != nil {
			return nil, err
		}
		for _, part := range []string{"schema", "seed"} {
			var buf bytes.Buffer
			name := d.name + "_" + part + ".sql.tmpl"
			if err := tmpl.ExecuteTemplate(&buf, name, data); err != nil {
				return nil, fmt.Errorf("sql: rendering %s: %w", name, err)
			}
			files = append(files, generator.File{Path: d.name + "/" + part + ".sql", Content: tidy(buf.Bytes())})
		}
	}
	return files, nil
}

// selectDialects resolves names (and aliases) to dialects in canonical
// order, without duplicates.
func selectDialects(names []string) ([]*dialect, error) {
	if len(names) == 0 {
		names = Dialects
	}
	want := map[string]bool{}
	for _, entry := range names {
		// "postgres,sqlite" as one entry is what a flag or YAML scalar
		// naturally gives.
		for _, n := range strings.Split(entry, ",") {
			n = strings.TrimSpace(n)
			canon, ok := dialectAliases[n]
			if !ok {
				return nil, fmt.Errorf("sql: unknown dialect %q: want postgres, sqlite or mysql", n)
			}
			want[canon] = true
		}
	}
	var out []*dialect
	for _, d := range allDialects {
		if want[d.name] {
			out = append(out, d)
		}
	}
	return out, nil
}

var dialectAliases = map[string]string{
	"postgres": "postgres", "postgresql": "postgres",
	"sqlite": "sqlite", "sqlite3": "sqlite",
	"mysql": "mysql", "mariadb": "mysql",
}

var allDialects = []*dialect{postgresDialect, sqliteDialect, mysqlDialect}

func parseTemplates() (*template.Template, error) {
	t, err := template.New("sql").Funcs(template.FuncMap{
		"join": strings.Join,
	}).ParseFS(templates.SQL, "sql/*.tmpl")
	if err != nil {
		return nil, fmt.Errorf("sql: parsing templates: %w", err)
	}
	return t, nil
}

// tidy collapses the blank lines that template actions leave behind, so a
// section the catalog does not need (an empty table) leaves no trace, and
// ends the file with exactly one newline. It cannot alter a string: every
// dialect escapes line breaks, so no literal spans or ends a line.
func tidy(b []byte) []byte {
	lines := strings.Split(string(b), "\n")
	var out []string
	blank := false
	for _, l := range lines {
		l = strings.TrimRight(l, " \t")
		if l == "" {
			if !blank && len(out) > 0 {
				out = append(out, "")
			}
			blank = true
			continue
		}
		blank = false
		out = append(out, l)
	}
	for len(out) > 0 && out[len(out)-1] == "" {
		out = out[:len(out)-1]
	}
	return []byte(strings.Join(out, "\n") + "\n")
}
