package build

import (
	"fmt"
	"github.com/permcat/permcat/internal/pathutil"
	"os"
	"path/filepath"

	"github.com/permcat/permcat/schema"
)

// lockTarget names permcat.lock among the targets in error messages.
const lockTarget = "lock"

// claim is a path a target writes: a file, or a directory it writes its
// files into when the files are not known yet (before rendering).
type claim struct {
	target string
	path   string
	dir    bool
}

func outputClaims(outs []Output) []claim {
	cs := make([]claim, len(outs))
	for i, o := range outs {
		cs[i] = claim{target: o.Target, path: o.Path}
	}
	return cs
}

// catalogTarget names the catalog's own files among the targets.
const catalogTarget = "catalog"

// fixedClaims is permcat.lock's path when the run keeps the lock, and the
// files the catalog was read from with the generate config beside them:
// no output may land on any of them.
func fixedClaims(cat *schema.Catalog, lockPath string) []claim {
	var cs []claim
	if lockPath != "" && cat.Lock != nil {
		cs = append(cs, claim{target: lockTarget, path: lockPath})
	}
	return append(cs, inputClaims(cat)...)
}

func inputClaims(cat *schema.Catalog) []claim {
	var cs []claim
	for _, f := range cat.Files {
		cs = append(cs, claim{target: catalogTarget, path: f})
	}
	if cat.Root != "" {
		cs = append(cs, claim{target: catalogTarget, path: filepath.Join(filepath.Dir(cat.Root), ConfigFileName)})
	}
	return cs
}

// targetClaims are what the targets are known to write before rendering:
// the TypeScript file and the directories of the others. They are enough
// to reject a file that another target needs as its directory without
// rendering anything; which files land in those directories is known only
// after rendering, and checked then.
func targetClaims(t Targets) []claim {
	var cs []claim
	if t.GoDir != "" {
		cs = append(cs, claim{target: "go", path: t.GoDir, dir: true})
	}
	if t.TSFile != "" {
		cs = append(cs, claim{target: "ts", path: t.TSFile})
	}
	if t.SQLDir != "" {
		cs = append(cs, claim{target: "sql", path: t.SQLDir, dir: true})
	}
	if t.DocsDir != "" {
		cs = append(cs, claim{target: "docs", path: t.DocsDir, dir: true})
	}
	return cs
}

// checkOverlaps rejects two targets writing the same file, and a file
// that another target needs as a directory on the way to its own. Either
// way one target's rename would fail or clobber the other's output after
// some files were already in place, so it must be found before anything
// is renamed. Paths are compared absolute and cleaned, so that a path
// from permcat.gen.yaml and one from a flag that name the same place meet.
func checkOverlaps(cs []claim) error {
	keys := make([]string, len(cs)) // resolving links costs a few stats each
	for i, c := range cs {
		keys[i] = pathKey(c.path)
	}
	files := map[string]claim{}
	for i, c := range cs {
		if c.dir {
			continue
		}
		k := keys[i]
		if prev, ok := files[k]; ok {
			if prev.target == catalogTarget || c.target == catalogTarget {
				if c.target == catalogTarget {
					prev, c = c, prev
				}
				return fmt.Errorf("%s would overwrite %s, a file of the catalog; write it elsewhere", label(c), c.path)
			}
			return fmt.Errorf("%s and %s both write %s; give them different paths", label(prev), label(c), c.path)
		}
		files[k] = c
	}
	for i, c := range cs {
		k := keys[i]
		d := k
		if !c.dir {
			d = filepath.Dir(k)
		}
		for {
			if f, ok := files[d]; ok {
				what := c.path
				if c.dir {
					what = "its files in " + c.path
				}
				return fmt.Errorf("%s writes the file %s, which %s needs as a directory (for %s); give them different paths",
					label(f), f.path, label(c), what)
			}
			parent := filepath.Dir(d)
			if parent == d {
				break
			}
			d = parent
		}
	}
	return nil
}

// pathKey is p absolute, clean and with the links in its existing part
// resolved: two spellings of one file have one key.
func pathKey(p string) string {
	if !filepath.IsAbs(p) {
		if wd, err := os.Getwd(); err == nil {
			p = filepath.Join(wd, p)
		}
	}
	return resolvePath(filepath.Clean(p))
}

func label(c claim) string {
	switch c.target {
	case lockTarget:
		return "the lock"
	case catalogTarget:
		return "the catalog"
	case "":
		return "an output"
	}
	return "the " + c.target + " target"
}

// resolvePath is p with the links in its longest existing part resolved,
// or p when nothing of it exists.
func resolvePath(p string) string {
	if r, _, err := pathutil.ResolveExisting(p); err == nil {
		return r
	}
	return p
}
