package main

import (
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"runtime/pprof"
	"strconv"
	"time"

	"github.com/permcat/permcat/internal/build"
	"github.com/permcat/permcat/internal/synth"
	"github.com/permcat/permcat/schema"
)

func main() {
	n, _ := strconv.Atoi(os.Args[1])
	dir, _ := synth.Write(filepath.Join(os.TempDir(), "pcsynthR"+os.Args[1]), synth.Realistic(n))
	out := filepath.Join(os.TempDir(), "pcout"+os.Args[1])
	os.RemoveAll(out)
	if len(os.Args) > 2 {
		f, _ := os.Create(os.Args[2])
		pprof.StartCPUProfile(f)
		defer pprof.StopCPUProfile()
	}
	t := time.Now()
	step := func(name string) {
		var m runtime.MemStats
		runtime.ReadMemStats(&m)
		fmt.Printf("%-10s %8v heap=%dMB sys=%dMB\n", name, time.Since(t).Round(time.Millisecond), m.HeapAlloc>>20, m.Sys>>20)
		t = time.Now()
	}
	cat, errs := schema.Compile(dir, schema.Options{})
	if errs.HasErrors() {
		panic(errs.Error())
	}
	step("compile")
	all := build.Targets{GoDir: out + "/go", GoPackage: "perms", TSFile: out + "/perms.ts", SQLDir: out + "/sql", DocsDir: out + "/docs"}
	var outs []build.Output
	for _, tg := range []build.Targets{{GoDir: all.GoDir, GoPackage: "perms"}, {TSFile: all.TSFile}, {SQLDir: all.SQLDir}, {DocsDir: all.DocsDir}} {
		o, err := build.Render(cat, tg)
		if err != nil {
			panic(err)
		}
		outs = append(outs, o...)
		sz := 0
		for _, x := range o {
			sz += len(x.Content)
		}
		step(fmt.Sprintf("render %d", sz>>20))
	}
	plan, err := build.MakePlan(cat, outs, all, schema.LockPath(dir))
	if err != nil {
		panic(err)
	}
	step("plan")
	if err := build.Apply(plan); err != nil {
		panic(err)
	}
	step("apply")
}
