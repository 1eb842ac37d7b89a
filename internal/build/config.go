// Package build turns a resolved catalog into output files and applies
// them: render every target in memory, then write atomically, or compare
// for --check. It is the one place that touches the disk for generate.
package build

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"github.com/permcat/permcat/schema"
)

// ConfigFileName is the optional target list beside the catalog.
const ConfigFileName = "permcat.gen.yaml"

// Targets says what to generate and where. Paths are ready to use (already
// joined with the config file's directory when they came from it).
type Targets struct {
	GoDir      string
	GoPackage  string
	TSFile     string
	TSStyle    string
	SQLDir     string
	SQLDialect []string
	SQLPrefix  string
	DocsDir    string
}

// Empty reports whether no target is set.
func (t Targets) Empty() bool {
	return t.GoDir == "" && t.TSFile == "" && t.SQLDir == "" && t.DocsDir == ""
}

// Only keeps the named targets (go, ts, sql, docs).
func (t Targets) Only(names []string) Targets {
	if len(names) == 0 {
		return t
	}
	keep := map[string]bool{}
	for _, n := range names {
		keep[n] = true
	}
	var o Targets
	if keep["go"] {
		o.GoDir, o.GoPackage = t.GoDir, t.GoPackage
	}
	if keep["ts"] {
		o.TSFile, o.TSStyle = t.TSFile, t.TSStyle
	}
	if keep["sql"] {
		o.SQLDir, o.SQLDialect, o.SQLPrefix = t.SQLDir, t.SQLDialect, t.SQLPrefix
	}
	if keep["docs"] {
		o.DocsDir = t.DocsDir
	}
	return o
}

// TargetNames are the names accepted as positional targets.
var TargetNames = []string{"go", "ts", "sql", "docs"}

// LoadConfig reads permcat.gen.yaml beside the root file, if present.
func LoadConfig(root string) (Targets, bool, schema.Errors) {
	name := filepath.Join(filepath.Dir(root), ConfigFileName)
	data, err := os.ReadFile(name)
	if errors.Is(err, fs.ErrNotExist) {
		return Targets{}, false, nil
	}
	if err != nil {
		return Targets{}, false, schema.Errors{{Pos: schema.Pos{File: name}, Rule: "file-read", Msg: err.Error()}}
	}
	v, errs := schema.ParseYAML(name, data)
	if len(errs) > 0 {
		return Targets{}, true, errs
	}
	var t Targets
	if v.Kind == schema.KindNull {
		return t, true, nil
	}
	if v.Kind != schema.KindMap {
		return t, true, schema.Errors{{Pos: v.Pos, Rule: "config", Msg: "permcat.gen.yaml must be a mapping of target flags (go, go-package, ts, ts-style, sql, sql-dialect, sql-prefix, docs)"}}
	}
	dir := filepath.Dir(name)
	rel := func(s string) string {
		if filepath.IsAbs(s) {
			return s
		}
		return filepath.Join(dir, filepath.FromSlash(s))
	}
	known := []string{"go", "go-package", "ts", "ts-style", "sql", "sql-dialect", "sql-prefix", "docs"}
	for i, k := range v.Keys {
		val := v.Vals[i]
		var s string
		if k.Str != "sql-dialect" {
			var ok bool
			s, ok = val.String()
			if !ok || s == "" {
				errs = append(errs, schema.Error{Pos: val.Pos, Rule: "config", Msg: fmt.Sprintf("%s takes a non-empty string", k.Str)})
				continue
			}
		}
		switch k.Str {
		case "go":
			t.GoDir = rel(s)
		case "go-package":
			t.GoPackage = s
		case "ts":
			t.TSFile = rel(s)
		case "ts-style":
			t.TSStyle = s
		case "sql":
			t.SQLDir = rel(s)
		case "sql-prefix":
			t.SQLPrefix = s
		case "docs":
			t.DocsDir = rel(s)
		case "sql-dialect":
			switch val.Kind {
			case schema.KindString:
				t.SQLDialect = splitList(val.Str)
			case schema.KindList:
				for _, it := range val.List {
					if s, ok := it.String(); ok {
						t.SQLDialect = append(t.SQLDialect, s)
					} else {
						errs = append(errs, schema.Error{Pos: it.Pos, Rule: "config", Msg: "sql-dialect items are dialect names"})
					}
				}
			default:
				errs = append(errs, schema.Error{Pos: val.Pos, Rule: "config", Msg: "sql-dialect takes a list such as [postgres, sqlite, mysql]"})
			}
		default:
			errs = append(errs, schema.Error{Pos: k.Pos, Rule: "config", Msg: fmt.Sprintf("unknown target setting %q; known: %s", k.Str, strings.Join(known, ", "))})
		}
	}
	return t, true, errs
}

func splitList(s string) []string {
	var out []string
	for _, p := range strings.Split(s, ",") {
		if p = strings.TrimSpace(p); p != "" {
			out = append(out, p)
		}
	}
	return out
}

// Merge lays flag values over config values; flags win.
func Merge(cfg, flags Targets) Targets {
	o := cfg
	set := func(dst *string, v string) {
		if v != "" {
			*dst = v
		}
	}
	set(&o.GoDir, flags.GoDir)
	set(&o.GoPackage, flags.GoPackage)
	set(&o.TSFile, flags.TSFile)
	set(&o.TSStyle, flags.TSStyle)
	set(&o.SQLDir, flags.SQLDir)
	set(&o.SQLPrefix, flags.SQLPrefix)
	set(&o.DocsDir, flags.DocsDir)
	if len(flags.SQLDialect) > 0 {
		o.SQLDialect = flags.SQLDialect
	}
	return o
}
