// Command permcat compiles a permission catalog (YAML) into a Go package,
// TypeScript, SQL seed files and Markdown docs, and checks catalog changes
// in CI. See the README for the catalog language.
//
// Usage:
//
//	permcat validate [PATH] [--format text|json|github] [--strict]
//	permcat generate [PATH] [go|ts|sql|docs ...] [--check] [--go DIR --go-package NAME]
//	        [--ts FILE --ts-style enum|const] [--sql DIR --sql-dialect LIST --sql-prefix P] [--docs DIR]
//	permcat diff OLD NEW | --against REF [PATH]  [--format text|json|github|markdown]
//	        [--allow RULE,...] [--fail-on source,access]
//	permcat explain ROLE [--when COND ...] [--catalog PATH] [--format text|json]
//	permcat who-can PERMISSION [--catalog PATH] [--format text|json]
//	permcat audit --profile NAME --grants FILE [--catalog PATH] [--format text|json]
//	permcat schema
//
// Exit codes: 0 success, 1 catalog errors (or a failed check, breaking
// diff, failed audit), 2 usage errors.
package main

import (
	"fmt"
	"io"
	"os"
	"runtime/debug"
	"runtime/pprof"
)

const usage = `permcat compiles permission catalogs.

Usage:
  permcat validate [PATH]           check a catalog (schema + semantics)
  permcat generate [PATH] [TARGET…] render targets; --check for CI
  permcat diff OLD NEW              breaking and access changes between two catalogs
  permcat diff --against REF [PATH] the same, against a git ref
  permcat explain ROLE              what a role holds and why
  permcat who-can PERMISSION        which roles hold a permission
  permcat audit --profile NAME --grants FILE
                                    what a set of held permissions lacks
  permcat schema                    print the catalog JSON Schema
  permcat version                   print permcat's version

PATH is a catalog root file or a directory holding permcat.yaml (default ".").
Run "permcat COMMAND --help" for a command's flags.
`

func main() {
	// permcat is a short-lived batch process: trading memory for fewer
	// collections roughly halves the garbage collector's share of a large
	// compile; with the soft limit below, peak memory stays under 750MB at
	// 100k permissions.
	if os.Getenv("GOGC") == "" {
		debug.SetGCPercent(400)
	}
	// A soft limit keeps that trade from growing the heap of a very large
	// catalog (100k permissions render over 200MB of output) past what a
	// CI runner has: near the limit the collector runs as often as it must.
	if os.Getenv("GOMEMLIMIT") == "" {
		debug.SetMemoryLimit(768 << 20)
	}
	hugePageHeap()
	// PERMCAT_CPUPROFILE=FILE writes a CPU profile of the run, for the
	// compiler's own performance work (see BENCHMARKS.md).
	if path := os.Getenv("PERMCAT_CPUPROFILE"); path != "" {
		if f, err := os.Create(path); err == nil && pprof.StartCPUProfile(f) == nil {
			code := run(os.Args[1:], os.Stdout, os.Stderr)
			pprof.StopCPUProfile()
			f.Close()
			os.Exit(code)
		}
	}
	os.Exit(run(os.Args[1:], os.Stdout, os.Stderr))
}

// run is main without the process: tests call it directly.
func run(args []string, stdout, stderr io.Writer) int {
	if len(args) == 0 {
		fmt.Fprint(stderr, usage)
		return 2
	}
	cmd, rest := args[0], args[1:]
	switch cmd {
	case "validate":
		return cmdValidate(rest, stdout, stderr)
	case "generate":
		return cmdGenerate(rest, stdout, stderr)
	case "diff":
		return cmdDiff(rest, stdout, stderr)
	case "explain":
		return cmdExplain(rest, stdout, stderr)
	case "who-can":
		return cmdWhoCan(rest, stdout, stderr)
	case "audit":
		return cmdAudit(rest, stdout, stderr)
	case "schema":
		return cmdSchema(rest, stdout, stderr)
	case "version", "--version":
		if len(rest) > 0 {
			fmt.Fprintf(stderr, "permcat version: takes no arguments, got %q\n", rest[0])
			return 2
		}
		fmt.Fprintln(stdout, "permcat", version())
		return 0
	case "help", "-h", "--help":
		if len(rest) == 1 && rest[0] != "help" {
			return run([]string{rest[0], "--help"}, stdout, stderr)
		}
		fmt.Fprint(stdout, usage)
		return 0
	}
	fmt.Fprintf(stderr, "permcat: unknown command %q\n\n%s", cmd, usage)
	return 2
}

// version is the module version permcat was built from ("(devel)" for a
// local build). It never appears in generated files.
func version() string {
	info, ok := debug.ReadBuildInfo()
	if !ok || info.Main.Version == "" {
		return "(devel)"
	}
	return info.Main.Version
}
