package main

import (
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"

	"github.com/permcat/permcat/diff"
	"github.com/permcat/permcat/internal/pathutil"
	"github.com/permcat/permcat/schema"
)

func cmdDiff(args []string, stdout, stderr io.Writer) int {
	fs := newFlags("diff", stderr, "diff OLD NEW | diff --against REF [PATH] [flags]")
	against := fs.String("against", "", "compare PATH (default .) with the catalog at git `REF` (e.g. origin/main)")
	format := fs.String("format", "text", "output format: "+strings.Join(diff.Formats, ", "))
	allow := fs.StringSlice("allow", nil, "rule IDs that never block (comma-separated)")
	failOn := fs.StringSlice("fail-on", nil, "categories that block besides wire: source, access")
	if code := parseFlags(fs, args); code >= 0 {
		return code
	}
	if !validFormat(*format, diff.Formats...) {
		return usageError(fs, "unknown --format %q (%s)", *format, strings.Join(diff.Formats, ", "))
	}
	opts := diff.Options{Allow: *allow}
	for _, c := range *failOn {
		cat, err := diff.ParseCategory(c)
		if err != nil {
			fmt.Fprintln(stderr, "permcat diff:", err)
			return 2
		}
		opts.FailOn = append(opts.FailOn, cat)
	}
	if err := opts.Validate(); err != nil {
		fmt.Fprintln(stderr, "permcat diff:", err)
		return 2
	}
	var oldCat, newCat *schema.Catalog
	var snap *diff.Snapshot
	if *against != "" {
		if fs.NArg() > 1 {
			fmt.Fprintln(stderr, "permcat diff: with --against, give at most one PATH")
			return 2
		}
		path := "."
		if fs.NArg() == 1 {
			path = fs.Arg(0)
		}
		// Without a catalog here there is nothing to compare, and "none at
		// the ref" would only mislead.
		if _, ferr := schema.FindRoot(path); ferr != nil {
			printFindings(stderr, "text", schema.Errors{*ferr})
			return 1
		}
		var err error
		snap, err = diff.Checkout(*against, path)
		switch {
		case errors.Is(err, diff.ErrNoCatalogAtRef):
			fmt.Fprintf(stderr, "permcat diff: %v; comparing against an empty catalog\n", err)
		case err != nil:
			fmt.Fprintln(stderr, "permcat diff:", err)
			return 2
		default:
			defer snap.Close()
			var errs schema.Errors
			oldCat, errs = schema.Compile(snap.Path, schema.Options{})
			if errs.HasErrors() {
				for i := range errs {
					if label, ok := snap.RefLabel(errs[i].Pos.File); ok {
						errs[i].Pos.File = label
					}
				}
				fmt.Fprintf(stderr, "permcat diff: the catalog at %s does not compile:\n", *against)
				printFindings(stderr, findingsFormat(*format), errs)
				return 1
			}
		}
		newCat = compileSide(path, "new", findingsFormat(*format), stderr)
		if newCat == nil {
			return 1
		}
	} else {
		if fs.NArg() != 2 {
			return usageError(fs, "takes OLD and NEW catalog paths, or --against REF [PATH]")
		}
		oldCat = compileSide(fs.Arg(0), "old", findingsFormat(*format), stderr)
		newCat = compileSide(fs.Arg(1), "new", findingsFormat(*format), stderr)
		if oldCat == nil || newCat == nil {
			return 1
		}
	}
	findings := diff.Compare(oldCat, newCat)
	if snap != nil {
		findings = snap.Relabel(findings)
	}
	if *format == "github" {
		// GitHub places annotations by the path from the repository's
		// root, wherever the command ran.
		findings = slices.Clone(findings)
		for i := range findings {
			findings[i].Pos.File = pathutil.RepoRelative(findings[i].Pos.File)
		}
	}
	if err := diff.Write(stdout, *format, findings, opts); err != nil {
		fmt.Fprintln(stderr, "permcat diff:", err)
		return 2
	}
	breaking, _ := diff.Breaking(findings, opts)
	if breaking {
		return 1
	}
	return 0
}

func compileSide(path, side, format string, stderr io.Writer) *schema.Catalog {
	cat, errs := schema.Compile(path, schema.Options{})
	if errs.HasErrors() {
		fmt.Fprintf(stderr, "permcat diff: the %s catalog (%s) does not compile:\n", side, path)
		printFindings(stderr, format, errs)
		return nil
	}
	return cat
}

// findingsFormat is the format of a diff's compile errors: json and github
// as asked, else text (markdown is for the report, not errors).
func findingsFormat(diffFormat string) string {
	if diffFormat == "json" || diffFormat == "github" {
		return diffFormat
	}
	return "text"
}
