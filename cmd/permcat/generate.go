package main

import (
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/permcat/permcat/internal/build"
	"github.com/permcat/permcat/schema"
)

func cmdGenerate(args []string, stdout, stderr io.Writer) int {
	fs := newFlags("generate", stderr, "generate [PATH] [go|ts|sql|docs ...] [flags]")
	var flags build.Targets
	var dialects string
	fs.StringVar(&flags.GoDir, "go", "", "write the Go package into `DIR`")
	fs.StringVar(&flags.GoPackage, "go-package", "", "Go package `NAME` (default: the directory's name)")
	fs.StringVar(&flags.TSFile, "ts", "", "write the TypeScript module to `FILE`")
	fs.StringVar(&flags.TSStyle, "ts-style", "", "TypeScript style: enum (default) or const (as-const objects, for erasableSyntaxOnly)")
	fs.StringVar(&flags.SQLDir, "sql", "", "write DIR/<dialect>/schema.sql and seed.sql into `DIR`")
	fs.StringVar(&dialects, "sql-dialect", "", "comma-separated SQL dialects: postgres, sqlite, mysql (default all)")
	fs.StringVar(&flags.SQLPrefix, "sql-prefix", "", "table name prefix (default permcat_)")
	fs.StringVar(&flags.DocsDir, "docs", "", "write Markdown docs into `DIR`")
	check := fs.Bool("check", false, "write nothing; exit 1 and print a diff if any output or permcat.lock is stale")
	if code := parseFlags(fs, args); code >= 0 {
		return code
	}
	flags.SQLDialect = splitComma(dialects)
	path := "."
	var only []string
	for i, a := range fs.Args() {
		if isTargetName(a) {
			if _, err := os.Stat(a); err != nil || i > 0 {
				only = append(only, a)
				continue
			}
		}
		if i == 0 {
			path = a
			continue
		}
		fmt.Fprintf(stderr, "permcat generate: unexpected argument %q (targets are %s)\n", a, strings.Join(build.TargetNames, ", "))
		return 2
	}
	cat, errs := schema.Compile(path, schema.Options{})
	root, _ := schema.RootPath(path)
	cfg, _, cerrs := build.LoadConfig(root)
	errs = append(errs, cerrs...).Sort()
	printFindings(stderr, "text", errs)
	if errs.HasErrors() {
		return 1
	}
	targets := build.Merge(cfg, flags).Only(only)
	outs, err := build.Render(cat, targets)
	if err != nil {
		fmt.Fprintf(stderr, "permcat generate: %v\n", err)
		return 1
	}
	plan, err := build.MakePlan(cat, outs, targets, schema.LockPath(root))
	if err != nil {
		fmt.Fprintf(stderr, "permcat generate: %v\n", err)
		return 1
	}
	if *check {
		if d := build.Stale(plan); d != "" {
			fmt.Fprint(stdout, d)
			fmt.Fprintf(stderr, "permcat generate --check: generated files are stale; run `permcat generate %s` and commit the result\n", path)
			return 1
		}
		return 0
	}
	if targets.Empty() {
		fmt.Fprintln(stderr, "permcat generate: no targets (pass --go, --ts, --sql or --docs, or list them in permcat.gen.yaml); only permcat.lock is kept up to date")
	}
	if err := build.Apply(plan); err != nil {
		fmt.Fprintf(stderr, "permcat generate: %v\n", err)
		return 1
	}
	return 0
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
