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
	"io/fs"
	"regexp"
	"strings"
	"sync"
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
	tmpl, err := parsedTemplates()
	if err != nil {
		return nil, err
	}
	var files []generator.File
	for _, d := range dialects {
		data, err := newTemplateData(d, m, prefix, tmpl)
		if err != nil {
			return nil, err
		}
		for _, part := range []string{"schema", "seed"} {
			content, err := data.render(d.name+"_"+part+".sql.tmpl", part == "seed")
			if err != nil {
				return nil, err
			}
			files = append(files, generator.File{Path: d.name + "/" + part + ".sql", Content: content})
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

// parsedTemplates parses the templates once per process; executing them
// concurrently is safe.
var parsedTemplates = sync.OnceValues(func() (*template.Template, error) {
	t, err := template.New("sql").ParseFS(templates.SQL, "sql/*.tmpl")
	if err != nil {
		return nil, fmt.Errorf("sql: parsing templates: %w", err)
	}
	return t, nil
})

// templateSize is each template file's length, which bounds the text it
// writes besides the rows and renames (names it fills in are short).
var templateSize = func() map[string]int {
	sizes := map[string]int{}
	entries, _ := fs.ReadDir(templates.SQL, "sql")
	for _, e := range entries {
		if info, err := e.Info(); err == nil {
			sizes[e.Name()] = int(info.Size())
		}
	}
	return sizes
}()

// tidy collapses the blank lines that template actions leave behind, so a
// section the catalog does not need (an empty table) leaves no trace, and
// ends the file with exactly one newline. It cannot alter a string: every
// dialect escapes line breaks, so no literal spans or ends a line.
//
// It works in place: a kept line never starts before the space the lines
// kept so far take up.
func tidy(b []byte) []byte {
	out := b[:0]
	blank := false // a blank line since the last kept one
	for rest := b; len(rest) > 0; {
		line := rest
		if i := bytes.IndexByte(rest, '\n'); i >= 0 {
			line, rest = rest[:i], rest[i+1:]
		} else {
			rest = nil
		}
		for len(line) > 0 && (line[len(line)-1] == ' ' || line[len(line)-1] == '\t') {
			line = line[:len(line)-1]
		}
		if len(line) == 0 {
			blank = len(out) > 0
			continue
		}
		if blank {
			out = append(out, '\n')
			blank = false
		}
		out = append(out, line...)
		out = append(out, '\n')
	}
	if len(out) == 0 {
		return []byte("\n")
	}
	return out
}
