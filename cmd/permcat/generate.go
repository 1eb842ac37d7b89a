package main

import (
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/permcat/permcat/internal/build"
	"github.com/permcat/permcat/schema"
)

func cmdGenerate(args []string, stdout, stderr io.Writer) int {
	fs := newFlags("generate", stderr, "generate [PATH] [go|ts|sql|docs ...] [flags]")
	var flags build.Targets
	var dialects listFlag
	fs.StringVar(&flags.GoDir, "go", "", "write the Go package into `DIR`")
	fs.StringVar(&flags.GoPackage, "go-package", "", "Go package `NAME` (default: the directory's name)")
	fs.StringVar(&flags.TSFile, "ts", "", "write the TypeScript module to `FILE`")
	fs.StringVar(&flags.TSStyle, "ts-style", "", "TypeScript style: enum (default) or const (as-const objects, for erasableSyntaxOnly)")
	fs.StringVar(&flags.SQLDir, "sql", "", "write DIR/<dialect>/schema.sql and seed.sql into `DIR`")
	fs.Var(&dialects, "sql-dialect", "comma-separated SQL dialects: postgres, sqlite, mysql (default all); may be repeated")
	fs.StringVar(&flags.SQLPrefix, "sql-prefix", "", "table name prefix (default permcat_)")
	fs.StringVar(&flags.DocsDir, "docs", "", "write Markdown docs into `DIR`")
	check := fs.Bool("check", false, "write nothing; exit 1 and print a diff if any output or permcat.lock is stale")
	if code := parseFlags(fs, args); code >= 0 {
		return code
	}
	for _, name := range []string{"go", "go-package", "ts", "ts-style", "sql", "sql-dialect", "sql-prefix", "docs"} {
		if f := fs.Lookup(name); fs.Changed(name) && strings.TrimSpace(f.Value.String()) == "" {
			fmt.Fprintf(stderr, "permcat generate: --%s is empty; leave the flag out for its default\n", name)
			return 2
		}
	}
	if fs.Changed("sql-dialect") {
		if m := build.CheckValue("sql-dialect", dialects.String()); m != "" {
			fmt.Fprintln(stderr, "permcat generate: --"+m)
			return 2
		}
	}
	flags.SQLDialect = splitComma(dialects.String())
	path, only, err := splitGenerateArgs(fs.Args())
	if err != nil {
		fmt.Fprintln(stderr, "permcat generate:", err)
		return 2
	}
	if msgs := flags.Check(); len(msgs) > 0 {
		for _, m := range msgs {
			fmt.Fprintln(stderr, "permcat generate: --"+m)
		}
		return 2
	}
	phase := phases(stderr)
	cat, errs := schema.Compile(path, schema.Options{})
	phase("validate+resolve")
	root, _ := schema.RootPath(path)
	cfg, _, cerrs := build.LoadConfig(root)
	errs = append(errs, cerrs...).Sort()
	printFindings(stderr, "text", errs)
	if errs.HasErrors() {
		return 1
	}
	targets := build.Merge(cfg, flags)
	for _, name := range only {
		if !targets.Configured(name) {
			fmt.Fprintf(stderr, "permcat generate: target %s is not configured: pass --%s or set %s: in %s\n", name, name, name, filepath.Join(filepath.Dir(root), build.ConfigFileName))
			return 2
		}
	}
	targets = targets.Only(only)
	msgs := targets.Check()
	if m := targets.CheckPackage(); m != "" {
		msgs = append(msgs, m)
	}
	if len(msgs) > 0 {
		for _, m := range msgs {
			fmt.Fprintln(stderr, "permcat generate:", m)
		}
		return 2
	}
	if !*check {
		if targets.Empty() {
			fmt.Fprintln(stderr, "permcat generate: no targets (pass --go, --ts, --sql or --docs, or list them in permcat.gen.yaml); only permcat.lock is kept up to date")
		}
		if err := build.Write(cat, targets, schema.LockPath(root)); err != nil {
			fmt.Fprintf(stderr, "permcat generate: %v\n", err)
			return 1
		}
		phase("render+write")
		return 0
	}
	if targets.Empty() {
		// A CI gate that checks no generated file must not pass in silence.
		fmt.Fprintln(stderr, "permcat generate --check: no targets (pass the same --go, --ts, --sql or --docs as your go:generate line, or list them in permcat.gen.yaml); only permcat.lock was checked")
	}
	outs, err := build.Render(cat, targets)
	if err != nil {
		fmt.Fprintf(stderr, "permcat generate: %v\n", err)
		return 1
	}
	phase("render")
	plan, err := build.MakePlan(cat, outs, targets, schema.LockPath(root))
	if err != nil {
		fmt.Fprintf(stderr, "permcat generate: %v\n", err)
		return 1
	}
	if err := build.CheckOwned(plan); err != nil {
		fmt.Fprint(stdout, build.Stale(plan))
		fmt.Fprintf(stderr, "permcat generate --check: generated files are stale, and `permcat %s` would fail: %v\n", strings.Join(withoutCheck(args), " "), err)
		return 1
	}
	if d := build.Stale(plan); d != "" {
		fmt.Fprint(stdout, d)
		fmt.Fprintf(stderr, "permcat generate --check: generated files are stale; run `permcat %s` and commit the result\n", strings.Join(withoutCheck(args), " "))
		return 1
	}
	phase("compare")
	return 0
}

// phases returns a function that, when PERMCAT_TIMINGS is set, prints
// how long each phase of a run took, for the compiler's own performance
// work (see BENCHMARKS.md).
func phases(w io.Writer) func(name string) {
	if os.Getenv("PERMCAT_TIMINGS") == "" {
		return func(string) {}
	}
	last := time.Now()
	return func(name string) {
		now := time.Now()
		fmt.Fprintf(w, "permcat: %-16s %v\n", name, now.Sub(last).Round(time.Millisecond))
		last = now
	}
}

// splitGenerateArgs separates the catalog PATH from target names. The
// first argument is the PATH when it is a catalog file or a directory
// holding permcat.yaml, or when it is not a target name; target names
// follow.
func splitGenerateArgs(args []string) (path string, only []string, err error) {
	path = "."
	for i, a := range args {
		if i == 0 && (!isTargetName(a) || isCatalogPath(a)) {
			path = a
			continue
		}
		if !isTargetName(a) {
			return "", nil, fmt.Errorf("unexpected argument %q (targets are %s; PATH comes first)", a, strings.Join(build.TargetNames, ", "))
		}
		only = append(only, a)
	}
	return path, only, nil
}

func isCatalogPath(p string) bool {
	st, err := os.Stat(p)
	if err != nil {
		return false
	}
	if !st.IsDir() {
		return true
	}
	_, err = os.Stat(filepath.Join(p, schema.DefaultFileName))
	return err == nil
}

// withoutCheck is the command to rerun without --check, each argument
// quoted for a POSIX shell where needed.
func withoutCheck(args []string) []string {
	out := []string{"generate"}
	for _, a := range args {
		if a != "--check" && a != "--check=true" {
			out = append(out, shellQuote(a))
		}
	}
	return out
}

func shellQuote(s string) string {
	if s != "" && strings.Trim(s, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_./=,:@+") == "" {
		return s
	}
	return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
}

func isTargetName(s string) bool {
	for _, t := range build.TargetNames {
		if s == t {
			return true
		}
	}
	return false
}

func splitComma(s string) []string {
	var out []string
	for _, p := range strings.Split(s, ",") {
		if p = strings.TrimSpace(p); p != "" {
			out = append(out, p)
		}
	}
	return out
}

// listFlag is a comma-separated list flag that may also be repeated:
// "--sql-dialect sqlite --sql-dialect mysql" is "sqlite,mysql". A plain
// string flag would keep only the last.
type listFlag struct{ items []string }

func (l *listFlag) String() string { return strings.Join(l.items, ",") }

func (l *listFlag) Set(v string) error {
	l.items = append(l.items, v)
	return nil
}

func (l *listFlag) Type() string { return "list" }
