package bench

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"sync"
	"testing"

	"github.com/permcat/permcat/generator/mph"
	"github.com/permcat/permcat/internal/build"
	"github.com/permcat/permcat/schema"
)

// The compiler's own scale: catalogs of 10,000 and 100,000 permissions
// through the front end, each back end, the whole command, and the Go
// compiler on the generated package. Each benchmark reports, besides time
// and allocations, the peak resident memory of what it runs where the
// platform tells it (peak-RSS-MB).

var scaleSizes = []Size{Sizes[2], Sizes[3]}

// catalogDir writes the synthetic catalog of a size once per test binary.
var catalogDir = sync.OnceValues(func() (map[string]string, error) {
	root, err := os.MkdirTemp("", "permcat-bench-scale")
	if err != nil {
		return nil, err
	}
	dirs := map[string]string{}
	for _, sz := range scaleSizes {
		dir := filepath.Join(root, sz.Name)
		if _, err := Compile(dir, sz.Permissions); err != nil {
			return nil, err
		}
		dirs[sz.Name] = dir
	}
	return dirs, nil
})

func scaleCatalog(b *testing.B, sz Size) (string, *schema.Catalog) {
	b.Helper()
	dirs, err := catalogDir()
	if err != nil {
		b.Fatal(err)
	}
	cat, errs := schema.Compile(dirs[sz.Name], schema.Options{})
	if errs.HasErrors() {
		b.Fatal(errs)
	}
	return dirs[sz.Name], cat
}

// BenchmarkCompile is validation and resolution: load, schema, resolve,
// lock, as permcat validate runs them.
func BenchmarkCompile(b *testing.B) {
	for _, sz := range scaleSizes {
		b.Run("keys="+sz.Name, func(b *testing.B) {
			dir, _ := scaleCatalog(b, sz)
			b.ReportAllocs()
			for b.Loop() {
				if _, errs := schema.Compile(dir, schema.Options{}); errs.HasErrors() {
					b.Fatal(errs)
				}
			}
		})
	}
}

// BenchmarkGenerate renders each target in memory from a resolved
// catalog, and all of them together.
func BenchmarkGenerate(b *testing.B) {
	targets := []struct {
		name string
		t    build.Targets
	}{
		{"go", build.Targets{GoDir: "go", GoPackage: "perms"}},
		{"ts", build.Targets{TSFile: "perms.ts"}},
		{"sql", build.Targets{SQLDir: "sql"}},
		{"docs", build.Targets{DocsDir: "docs"}},
		{"all", build.Targets{GoDir: "go", GoPackage: "perms", TSFile: "perms.ts", SQLDir: "sql", DocsDir: "docs"}},
	}
	for _, sz := range scaleSizes {
		for _, tg := range targets {
			b.Run("keys="+sz.Name+"/target="+tg.name, func(b *testing.B) {
				_, cat := scaleCatalog(b, sz)
				b.ReportAllocs()
				for b.Loop() {
					if _, err := build.Render(cat, tg.t); err != nil {
						b.Fatal(err)
					}
				}
			})
		}
	}
}

// BenchmarkPermcatGenerate runs the permcat command itself on the catalog,
// every target, as a user would: front end, back ends, lock file and
// writing the files. The outputs are removed before each run, so every
// file is written each time.
func BenchmarkPermcatGenerate(b *testing.B) {
	bin := filepath.Join(b.TempDir(), "permcat")
	if out, err := exec.Command("go", "build", "-o", bin, "github.com/permcat/permcat/cmd/permcat").CombinedOutput(); err != nil {
		b.Fatalf("building permcat: %v\n%s", err, out)
	}
	for _, sz := range scaleSizes {
		b.Run("keys="+sz.Name, func(b *testing.B) {
			dir, _ := scaleCatalog(b, sz)
			out := b.TempDir()
			args := []string{"generate", dir, "--go", filepath.Join(out, "go"), "--go-package", "perms",
				"--ts", filepath.Join(out, "perms.ts"), "--sql", filepath.Join(out, "sql"), "--docs", filepath.Join(out, "docs")}
			peak := 0.0
			for b.Loop() {
				b.StopTimer()
				if err := os.RemoveAll(out); err != nil {
					b.Fatal(err)
				}
				cmd := measured(exec.Command(bin, args...))
				b.StartTimer()
				output, err := cmd.CombinedOutput()
				rss, output := peakRSSMB(output)
				if err != nil {
					b.Fatalf("permcat %v: %v\n%s", args, err, output)
				}
				peak = max(peak, rss)
			}
			reportRSS(b, peak)
		})
	}
}

// buildModule is a suite module of the scale sizes with its own build
// cache, written once per test binary, shared by every run of
// BenchmarkBuildGenerated so the standard library is built only once.
var buildModule = sync.OnceValues(func() (string, error) {
	dir, err := os.MkdirTemp("", "permcat-bench-build")
	if err != nil {
		return "", err
	}
	if err := WriteSuite(dir, scaleSizes); err != nil {
		return "", err
	}
	for _, sz := range scaleSizes {
		if err := WriteConstants(dir, sz); err != nil {
			return "", err
		}
	}
	return dir, nil
})

// builds counts builds, so that every one sees a doc.go of its own.
var builds int

// BenchmarkBuildGenerated is `go build` of the generated package
// (pkg=generated), the standard library already built: each run changes a
// comment in doc.go so that the package itself, and only it, is compiled
// again. pkg=constants builds a package of nothing but the same typed
// constants, one per permission and per group, which no package that
// declares them can build faster than.
func BenchmarkBuildGenerated(b *testing.B) {
	for _, sz := range scaleSizes {
		for _, only := range []string{"generated", "constants"} {
			b.Run("keys="+sz.Name+"/pkg="+only, func(b *testing.B) {
				dir, err := buildModule()
				if err != nil {
					b.Fatal(err)
				}
				env := append(goEnv(), "GOCACHE="+filepath.Join(dir, "cache"))
				name, file := PackageName(sz), "doc.go"
				if only == "constants" {
					name, file = "c"+sz.Name, "constants.go"
				}
				srcFile := filepath.Join(dir, name, file)
				src, err := os.ReadFile(srcFile)
				if err != nil {
					b.Fatal(err)
				}
				goBuild := func() float64 {
					builds++
					if err := os.WriteFile(srcFile, fmt.Appendf(src, "\n// Build %d of the benchmark.\n", builds), 0o644); err != nil {
						b.Fatal(err)
					}
					cmd := exec.Command("go", "build", "./"+name)
					cmd.Dir, cmd.Env = dir, env
					out, err := measured(cmd).CombinedOutput()
					rss, out := peakRSSMB(out)
					if err != nil {
						b.Fatalf("go build ./%s: %v\n%s", name, err, out)
					}
					return rss
				}
				goBuild() // the first also builds the standard library into the cache
				peak := 0.0
				for b.Loop() {
					peak = max(peak, goBuild())
				}
				reportRSS(b, peak)
			})
		}
	}
}

// BenchmarkMPHBuild is the perfect hash's construction over a catalog's
// permission keys, current and former.
func BenchmarkMPHBuild(b *testing.B) {
	for _, sz := range scaleSizes {
		b.Run("keys="+sz.Name, func(b *testing.B) {
			_, cat := scaleCatalog(b, sz)
			var keys []string
			for _, k := range keyList(cat) {
				keys = append(keys, k.key)
			}
			b.ReportAllocs()
			for b.Loop() {
				if _, err := mph.Build(keys); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

func reportRSS(b *testing.B, mb float64) {
	if mb > 0 {
		b.ReportMetric(mb, "peak-RSS-MB")
	}
}
