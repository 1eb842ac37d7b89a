package main

import (
	"fmt"
	"io"

	"github.com/spf13/pflag"

	"github.com/permcat/permcat/internal/build"
	"github.com/permcat/permcat/schema"
)

func newFlags(name string, stderr io.Writer, synopsis string) *pflag.FlagSet {
	fs := pflag.NewFlagSet(name, pflag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.SortFlags = false
	fs.Usage = func() {
		fmt.Fprintf(stderr, "Usage: permcat %s\n\nFlags:\n%s", synopsis, fs.FlagUsages())
	}
	return fs
}

// parseFlags returns -1 to continue, or an exit code. pflag with
// ContinueOnError reports nothing itself, so the error is printed here.
func parseFlags(fs *pflag.FlagSet, args []string) int {
	if err := fs.Parse(args); err != nil {
		if err == pflag.ErrHelp {
			return 0
		}
		fmt.Fprintf(fs.Output(), "permcat %s: %v\nRun `permcat %s --help` for its flags.\n", fs.Name(), err, fs.Name())
		return 2
	}
	return -1
}

// usageError prints a reason and returns the usage exit code.
func usageError(fs *pflag.FlagSet, format string, args ...any) int {
	fmt.Fprintf(fs.Output(), "permcat %s: %s\nRun `permcat %s --help` for its flags.\n", fs.Name(), fmt.Sprintf(format, args...), fs.Name())
	return 2
}

func cmdValidate(args []string, stdout, stderr io.Writer) int {
	fs := newFlags("validate", stderr, "validate [PATH] [--format text|json|github] [--strict]")
	format := fs.String("format", "text", "output format: text, json or github (workflow annotations)")
	strict := fs.Bool("strict", false, "treat warnings as errors")
	if code := parseFlags(fs, args); code >= 0 {
		return code
	}
	if !validFormat(*format, "text", "json", "github") {
		fmt.Fprintf(stderr, "permcat validate: unknown --format %q (text, json or github)\n", *format)
		return 2
	}
	if fs.NArg() > 1 {
		fmt.Fprintln(stderr, "permcat validate: takes at most one PATH")
		return 2
	}
	path := "."
	if fs.NArg() == 1 {
		path = fs.Arg(0)
	}
	_, errs := schema.Compile(path, schema.Options{})
	// permcat.gen.yaml is part of what generate reads: check it too.
	if root, err := schema.RootPath(path); err == nil {
		_, _, cerrs := build.LoadConfig(root)
		errs = append(errs, cerrs...).Sort()
	}
	out := stderr
	if *format != "text" {
		out = stdout
	}
	if *strict {
		for i := range errs {
			errs[i].Severity = schema.SeverityError
		}
	}
	if err := printFindings(out, *format, errs); err != nil {
		fmt.Fprintln(stderr, "permcat validate:", err)
		return 2
	}
	if errs.HasErrors() {
		return 1
	}
	return 0
}

func validFormat(f string, allowed ...string) bool {
	for _, a := range allowed {
		if f == a {
			return true
		}
	}
	return false
}

func cmdSchema(args []string, stdout, stderr io.Writer) int {
	fs := newFlags("schema", stderr, "schema")
	if code := parseFlags(fs, args); code >= 0 {
		return code
	}
	if fs.NArg() > 0 {
		fmt.Fprintln(stderr, "permcat schema: takes no arguments")
		return 2
	}
	stdout.Write(schema.JSONSchema)
	return 0
}
