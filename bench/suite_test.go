package bench

import (
	"flag"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

var suiteDir = flag.String("suite", "", "write the generated benchmark module into `DIR` (default: permcat-bench in the system's temp directory)")

// TestMain runs the generated packages' benchmarks when benchmarks are
// asked for: `go test -bench . ./bench` writes the suite module and runs
// `go test -bench` there with the same -bench, -count, -benchtime, -cpu
// and -benchmem, its output streamed as this test binary's. It runs before
// m.Run, so -timeout does not cut a long -count short. The suite's own
// check that every contender agrees with the map runs first, in each
// package, so no number comes from a Parse that is wrong.
func TestMain(m *testing.M) {
	flag.Parse()
	if pattern := flagValue("test.bench"); pattern != "" && matchesSuite(pattern) {
		if err := runSuite(pattern); err != nil {
			fmt.Fprintln(os.Stderr, "bench:", err)
			os.Exit(1)
		}
	}
	os.Exit(m.Run())
}

// suiteBenchmarks are the benchmarks of every generated package.
var suiteBenchmarks = []string{"BenchmarkParse", "BenchmarkSetHas", "BenchmarkRolePermissions", "BenchmarkClosure", "BenchmarkUnmet"}

// matchesSuite reports whether a -bench pattern selects any of the suite's
// benchmarks, by its first level as go test matches it, so that asking for
// the compiler's benchmarks only does not build the suite.
func matchesSuite(pattern string) bool {
	first, _, _ := strings.Cut(pattern, "/")
	re, err := regexp.Compile(first)
	if err != nil {
		return true // let go test report the bad pattern
	}
	for _, name := range suiteBenchmarks {
		if re.MatchString(name) {
			return true
		}
	}
	return false
}

func flagValue(name string) string {
	if f := flag.Lookup(name); f != nil {
		return f.Value.String()
	}
	return ""
}

// goEnv is the environment of go commands run on the suite module: the
// standard library only, nothing to download.
func goEnv() []string {
	return append(os.Environ(), "GOFLAGS=-mod=mod", "GOPROXY=off", "GOTOOLCHAIN=local", "GOWORK=off")
}

func runSuite(pattern string) error {
	dir := *suiteDir
	if dir == "" {
		dir = filepath.Join(os.TempDir(), "permcat-bench")
	}
	if err := WriteSuite(dir, Sizes); err != nil {
		return err
	}
	args := []string{"test", "-run", "AgreesWithTheMap", "-bench", pattern, "-timeout", "0"}
	for _, name := range []string{"count", "benchtime", "cpu"} {
		if v := flagValue("test." + name); v != "" {
			args = append(args, "-"+name, v)
		}
	}
	if flagValue("test.benchmem") == "true" {
		args = append(args, "-benchmem")
	}
	args = append(args, "./...")
	cmd := exec.Command("go", args...)
	cmd.Dir = dir
	cmd.Env = goEnv()
	cmd.Stdout, cmd.Stderr = os.Stdout, os.Stderr
	return cmd.Run()
}

// The suite module must build, vet and pass its own checks: every
// contender of every size agrees with the map on every key and rejects
// every near miss. The two small sizes keep this test quick; the
// benchmark run checks the large ones before measuring them.
func TestSuiteContendersAgreeWithTheMap(t *testing.T) {
	dir := t.TempDir()
	if err := WriteSuite(dir, Sizes[:2]); err != nil {
		t.Fatal(err)
	}
	goIn(t, dir, "vet", "./...")
	goIn(t, dir, "test", "-count=1", "./...")
	// TestMain decides from these names whether a pattern needs the suite.
	src, err := os.ReadFile(filepath.Join(dir, PackageName(Sizes[0]), "bench_test.go"))
	if err != nil {
		t.Fatal(err)
	}
	declared := regexp.MustCompile(`(?m)^func (Benchmark\w+)\(`).FindAllStringSubmatch(string(src), -1)
	var names []string
	for _, d := range declared {
		names = append(names, d[1])
	}
	if strings.Join(names, " ") != strings.Join(suiteBenchmarks, " ") {
		t.Errorf("the suite declares %v; suiteBenchmarks lists %v", names, suiteBenchmarks)
	}
}

// A generated package must do no work at init, however large the catalog:
// its tables are static data. The compiler still gives it an init
// function, because encoding/json has one to run first, but that
// function must be a bare return.
func TestGeneratedPackagesDoNoWorkAtInit(t *testing.T) {
	dir := t.TempDir()
	if err := WriteSuite(dir, Sizes[1:2]); err != nil {
		t.Fatal(err)
	}
	pkg := ModulePath + "/" + PackageName(Sizes[1])
	archive := strings.TrimSpace(goIn(t, dir, "list", "-export", "-f", "{{.Export}}", pkg))
	dump := goIn(t, dir, "tool", "objdump", "-s", regexp.QuoteMeta(pkg)+`\.init(\.|$)`, archive)
	var code []string
	for _, line := range strings.Split(dump, "\n") {
		if f := strings.Fields(line); len(f) >= 4 && !strings.HasPrefix(line, "TEXT") {
			code = append(code, strings.Join(f[3:], " "))
		}
	}
	if len(code) > 1 || len(code) == 1 && code[0] != "RET" {
		t.Errorf("%s does work at init:\n%s", pkg, dump)
	}
	if !strings.Contains(goIn(t, dir, "tool", "nm", archive), pkg+".Parse") {
		t.Fatalf("go tool nm does not list %s.Parse: not the package's archive?", pkg)
	}
}

func goIn(t *testing.T, dir string, args ...string) string {
	t.Helper()
	cmd := exec.Command("go", args...)
	cmd.Dir = dir
	cmd.Env = goEnv()
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("go %s: %v\n%s", strings.Join(args, " "), err, out)
	}
	return string(out)
}

func TestABenchPatternBuildsTheSuiteOnlyWhenItSelectsOneOfItsBenchmarks(t *testing.T) {
	for pattern, want := range map[string]bool{
		".": true, "Parse": true, "Parse/keys=1k/op=hit": true, "Has|Role": true,
		"Compile|Generate|BuildGenerated|MPHBuild": false, "MPHBuild": false, "^BenchmarkCompile$": false,
	} {
		if got := matchesSuite(pattern); got != want {
			t.Errorf("matchesSuite(%q) = %v, want %v", pattern, got, want)
		}
	}
}
