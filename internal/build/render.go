package build

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/permcat/permcat/generator"
	"github.com/permcat/permcat/generator/docs"
	"github.com/permcat/permcat/generator/golang"
	"github.com/permcat/permcat/generator/sql"
	"github.com/permcat/permcat/generator/typescript"
	"github.com/permcat/permcat/schema"
)

// Output is one file to be written, at a path usable from the working
// directory.
type Output struct {
	Path    string
	Content []byte
}

// Plan is what applying the outputs would do.
type Plan struct {
	Write     []Output // new or changed files
	Unchanged []string
	Delete    []string // files permcat generated earlier that no target produces now
	Lock      *Output  // permcat.lock when it changes (also listed in Write)
}

// Render renders every target in memory. Nothing touches the disk; an
// error from any target means nothing may be written.
func Render(cat *schema.Catalog, t Targets) ([]Output, error) {
	var outs []Output
	add := func(dir string, files []generator.File) {
		for _, f := range files {
			outs = append(outs, Output{Path: filepath.Join(dir, filepath.FromSlash(f.Path)), Content: f.Content})
		}
	}
	if t.GoDir != "" {
		pkg := t.GoPackage
		if pkg == "" {
			pkg = defaultPackage(t.GoDir)
		}
		files, err := golang.Generate(cat, golang.Options{Package: pkg})
		if err != nil {
			return nil, fmt.Errorf("go: %w", err)
		}
		add(t.GoDir, files)
	}
	if t.TSFile != "" {
		files, err := typescript.Generate(cat, typescript.Options{Style: t.TSStyle, FileName: filepath.Base(t.TSFile)})
		if err != nil {
			return nil, fmt.Errorf("ts: %w", err)
		}
		add(filepath.Dir(t.TSFile), files)
	}
	if t.SQLDir != "" {
		files, err := sql.Generate(cat, sql.Options{Dialects: t.SQLDialect, Prefix: t.SQLPrefix})
		if err != nil {
			return nil, fmt.Errorf("sql: %w", err)
		}
		add(t.SQLDir, files)
	}
	if t.DocsDir != "" {
		files, err := docs.Generate(cat, docs.Options{})
		if err != nil {
			return nil, fmt.Errorf("docs: %w", err)
		}
		add(t.DocsDir, files)
	}
	seen := map[string]bool{}
	for _, o := range outs {
		c := filepath.Clean(o.Path)
		if seen[c] {
			return nil, fmt.Errorf("two targets write %s; give them different paths", o.Path)
		}
		seen[c] = true
	}
	return outs, nil
}

// defaultPackage derives a Go package name from the output directory.
func defaultPackage(dir string) string {
	base := strings.ToLower(filepath.Base(filepath.Clean(dir)))
	var b strings.Builder
	for _, r := range base {
		if r >= 'a' && r <= 'z' || r >= '0' && r <= '9' && b.Len() > 0 {
			b.WriteRune(r)
		}
	}
	if b.Len() == 0 {
		return "permissions"
	}
	return b.String()
}

// GeneratedHeader marks files permcat owns; only such files are deleted.
var GeneratedHeader = []byte(generator.Header)

// MakePlan compares outputs (and the new lock) with the disk. Orphans are
// files in an output directory whose first line carries the generated
// header but that no target produces any more.
func MakePlan(cat *schema.Catalog, outs []Output, t Targets, lockPath string) (*Plan, error) {
	p := &Plan{}
	if cat.Lock != nil && lockPath != "" {
		newLock := cat.Lock.Format()
		old, err := os.ReadFile(lockPath)
		if err != nil || !bytes.Equal(old, newLock) {
			o := Output{Path: lockPath, Content: newLock}
			p.Lock = &o
		}
	}
	produced := map[string]bool{}
	for _, o := range outs {
		produced[filepath.Clean(o.Path)] = true
		old, err := os.ReadFile(o.Path)
		if err == nil && bytes.Equal(old, o.Content) {
			p.Unchanged = append(p.Unchanged, o.Path)
			continue
		}
		p.Write = append(p.Write, o)
	}
	if p.Lock != nil {
		p.Write = append(p.Write, *p.Lock)
	}
	var dirs []string
	if t.GoDir != "" {
		dirs = append(dirs, t.GoDir)
	}
	if t.DocsDir != "" {
		dirs = append(dirs, t.DocsDir)
	}
	if t.SQLDir != "" {
		for _, d := range []string{"postgres", "sqlite", "mysql"} {
			dirs = append(dirs, filepath.Join(t.SQLDir, d))
		}
	}
	for _, d := range dirs {
		entries, err := os.ReadDir(d)
		if err != nil {
			continue
		}
		for _, e := range entries {
			if !e.Type().IsRegular() {
				continue
			}
			path := filepath.Join(d, e.Name())
			if produced[filepath.Clean(path)] || !isGenerated(path) {
				continue
			}
			p.Delete = append(p.Delete, path)
		}
	}
	sort.Strings(p.Delete)
	return p, nil
}

func isGenerated(path string) bool {
	f, err := os.Open(path)
	if err != nil {
		return false
	}
	defer f.Close()
	buf := make([]byte, 256)
	n, _ := f.Read(buf)
	line := buf[:n]
	if i := bytes.IndexByte(line, '\n'); i >= 0 {
		line = line[:i]
	}
	return bytes.Contains(line, GeneratedHeader)
}

// Apply writes every changed file atomically (a temp file in the same
// directory, then rename) and deletes orphans. It only runs after every
// target rendered without error.
func Apply(p *Plan) error {
	for _, o := range p.Write {
		if err := writeAtomic(o.Path, o.Content); err != nil {
			return err
		}
	}
	for _, d := range p.Delete {
		if err := os.Remove(d); err != nil {
			return err
		}
	}
	return nil
}

func writeAtomic(path string, data []byte) error {
	dir := filepath.Dir(path)
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	tmp, err := os.CreateTemp(dir, "."+filepath.Base(path)+".tmp*")
	if err != nil {
		return err
	}
	name := tmp.Name()
	if _, err := tmp.Write(data); err != nil {
		tmp.Close()
		os.Remove(name)
		return err
	}
	if err := tmp.Close(); err != nil {
		os.Remove(name)
		return err
	}
	if err := os.Chmod(name, 0o644); err != nil {
		os.Remove(name)
		return err
	}
	if err := os.Rename(name, path); err != nil {
		os.Remove(name)
		return err
	}
	return nil
}

// Stale describes a plan for --check: a unified diff of every changed,
// missing and extra file. It returns "" when everything is up to date.
func Stale(p *Plan) string {
	var b strings.Builder
	for _, o := range p.Write {
		old, err := os.ReadFile(o.Path)
		if err != nil {
			fmt.Fprintf(&b, "missing: %s\n", o.Path)
			continue
		}
		what := "stale"
		if p.Lock != nil && o.Path == p.Lock.Path {
			what = "stale lock"
		}
		fmt.Fprintf(&b, "%s: %s\n", what, o.Path)
		b.WriteString(UnifiedDiff(o.Path, old, o.Content))
	}
	for _, d := range p.Delete {
		fmt.Fprintf(&b, "extra: %s (generated by permcat, no longer produced)\n", d)
	}
	return b.String()
}
