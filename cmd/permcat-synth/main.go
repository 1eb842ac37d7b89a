// Command permcat-synth prints a synthetic catalog: deterministic by seed,
// valid, and shaped like a real one (nested groups, presets, requires and
// implies, roles with conditions and scopes, former keys). Benchmarks and
// load tests use it to get catalogs of any size:
//
//	go run ./cmd/permcat-synth -n 10000 -seed 1 > x/permcat.yaml
//	go run ./cmd/permcat-synth -n 100000 -seed 1 -o x   # split into fragments past 1MiB
//	permcat generate x --go x/go
//
// A catalog printed to standard output is one file; past 8MiB (about 80,000
// permissions) permcat refuses it, so write big catalogs with -o, which
// splits them into permcat.yaml and groups/*.yaml as the benchmarks do.
package main

import (
	"flag"
	"fmt"
	"io"
	"os"

	"github.com/permcat/permcat/internal/synth"
)

func main() {
	os.Exit(run(os.Args[1:], os.Stdout, os.Stderr))
}

func run(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("permcat-synth", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() {
		fmt.Fprintln(stderr, "usage: permcat-synth [flags] > permcat.yaml")
		fmt.Fprintln(stderr, "       permcat-synth [flags] -o DIR")
		fs.PrintDefaults()
	}
	// The defaults are the benchmarks' catalogs, so `-n 100000 -seed 1`
	// prints the catalog BENCHMARKS.md measures.
	o := synth.Realistic(1000)
	var out string
	fs.StringVar(&out, "o", "", "write the catalog into `DIR` (permcat.yaml, and groups/*.yaml fragments past 1MiB) instead of printing it")
	fs.IntVar(&o.Permissions, "n", o.Permissions, "number of permissions")
	fs.Int64Var(&o.Seed, "seed", o.Seed, "random seed: the same seed and flags print the same catalog")
	fs.BoolVar(&o.Exact, "exact", o.Exact, "exactly n permissions (otherwise at least n)")
	fs.IntVar(&o.Conditions, "conditions", o.Conditions, "number of conditions")
	fs.IntVar(&o.Roles, "roles", o.Roles, "number of roles")
	fs.IntVar(&o.Profiles, "profiles", o.Profiles, "number of profiles")
	fs.IntVar(&o.Scopes, "scopes", o.Scopes, "number of scopes")
	fs.IntVar(&o.MaxDepth, "depth", o.MaxDepth, "group nesting depth (1 = top-level groups only)")
	fs.BoolVar(&o.Presets, "presets", o.Presets, "use a view/edit/manage preset for some groups")
	fs.BoolVar(&o.Formerly, "formerly", o.Formerly, "give some permissions and groups former keys")
	fs.BoolVar(&o.Deprecated, "deprecated", o.Deprecated, "deprecate some permissions")
	fs.BoolVar(&o.Hostile, "hostile", o.Hostile, "put quotes, comment markers and odd Unicode in names and descriptions")
	if err := fs.Parse(args); err != nil {
		if err == flag.ErrHelp {
			return 0
		}
		return 2
	}
	if fs.NArg() > 0 || o.Permissions < 1 {
		fs.Usage()
		return 2
	}
	if o.Roles == 0 {
		o.Conditions = 0
	}
	if out != "" {
		if _, err := synth.Write(out, o); err != nil {
			fmt.Fprintln(stderr, "permcat-synth:", err)
			return 1
		}
		return 0
	}
	if _, err := io.WriteString(stdout, synth.Catalog(o)); err != nil {
		fmt.Fprintln(stderr, "permcat-synth:", err)
		return 1
	}
	return 0
}
