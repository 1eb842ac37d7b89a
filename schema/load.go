package schema

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"runtime"
	"sort"
	"strings"
	"sync"
	"sync/atomic"
)

// DefaultFileName is the root file looked for when a directory is given.
const DefaultFileName = "permcat.yaml"

// ConfigFileName is permcat generate's target list, kept beside the root
// file. It is YAML but not part of the catalog, so include globs such as
// "*.yaml" pass over it as they pass over the root file.
const ConfigFileName = "permcat.gen.yaml"

// rootOnlyFields may appear in the root file only.
var rootOnlyFields = map[string]bool{"permcat": true, "catalog": true, "title": true, "description": true, "include": true}

// fragmentFields are the top-level fields any file may hold.
var fragmentFields = map[string]bool{"groups": true, "roles": true, "presets": true, "conditions": true, "scopes": true, "profiles": true}

// file is one parsed catalog file.
type file struct {
	name       string // as shown in errors
	root       bool
	v          *Value
	schemaErrs Errors // set by loadFiles for fragments; nil until validated
	validated  bool
}

// RootPath returns the root file for a path that is either a file or a
// directory holding permcat.yaml.
func RootPath(p string) (string, error) {
	st, err := os.Stat(p)
	if err != nil {
		return "", err
	}
	if st.IsDir() {
		return filepath.Join(p, DefaultFileName), nil
	}
	return p, nil
}

// FindRoot is RootPath for commands: the root file of the catalog at path,
// or a file-read finding that says where permcat looked, for a user who
// ran it from the wrong directory or forgot PATH.
func FindRoot(path string) (string, *Error) {
	const what = "PATH is the catalog's directory (holding " + DefaultFileName + ") or its root file, and defaults to the current directory"
	root, err := RootPath(path)
	if errors.Is(err, fs.ErrNotExist) {
		return "", &Error{Pos: Pos{File: path}, Rule: "file-read", Msg: fmt.Sprintf("no catalog at %s: it does not exist; %s", absOr(path), what)}
	}
	if err != nil {
		return "", &Error{Pos: Pos{File: path}, Rule: "file-read", Msg: err.Error()}
	}
	if root != path {
		if _, err := os.Stat(root); errors.Is(err, fs.ErrNotExist) {
			return "", &Error{Pos: Pos{File: root}, Rule: "file-read", Msg: fmt.Sprintf("no %s in %s; %s", DefaultFileName, absOr(path), what)}
		}
	}
	return root, nil
}

func absOr(p string) string {
	if a, err := filepath.Abs(p); err == nil {
		return a
	}
	return p
}

// loadFiles reads the root file and every fragment its include globs name,
// root first, then fragments in lexical path order.
func loadFiles(rootPath string) ([]*file, Errors) {
	var errs Errors
	data, err := readLimited(rootPath)
	if err != nil {
		return nil, Errors{{Pos: Pos{File: rootPath}, Rule: "file-read", Msg: err.Error()}}
	}
	rv, perrs := parseYAML(rootPath, data)
	errs = append(errs, perrs...)
	if rv == nil {
		return nil, errs
	}
	files := []*file{{name: rootPath, root: true, v: rv}}
	if rv.Kind != KindMap && rv.Kind != KindNull {
		return files, errs // the schema reports the shape
	}
	inc, _ := rv.Get("include")
	if inc == nil || inc.Kind != KindList {
		return files, errs
	}
	dir := filepath.Dir(rootPath)
	// A glob that reaches the root file or the generate config beside it
	// by another spelling (../cat/*.yaml), or reaches a file a second time
	// through a symlinked directory (frags/sub/loop/sub/x.yaml where loop
	// links to frags), must skip it: a file is known by its real path.
	key := func(p string) string {
		if abs, err := filepath.Abs(p); err == nil {
			p = abs
		}
		if real, err := filepath.EvalSymlinks(p); err == nil {
			return real
		}
		return filepath.Clean(p)
	}
	seen := map[string]bool{key(rootPath): true, key(filepath.Join(dir, ConfigFileName)): true}
	// Include reads nothing outside the repository holding the catalog:
	// not by a `..` that climbs out of it (../../../etc/shadow, whose lines
	// would come back in syntax errors, in CI annotations too), nor
	// through a symlink that leads out.
	absDir := absOr(dir)
	// The boundary is the repository holding the catalog (shared fragments
	// in a sibling directory are fine), or the root file's directory when
	// it is in none.
	bound := includeBoundary(absDir)
	realBound := key(bound)
	where, inside := "the repository holding the catalog", "the repository holding it ("+bound+")"
	if bound == absDir {
		where, inside = "the root file's directory", "it"
	}
	var names []string
	for _, item := range inc.List {
		pat, ok := item.String()
		if !ok {
			continue
		}
		if leavesDir(pat, absDir, bound, realBound) {
			errs = append(errs, Error{Pos: item.Pos, Rule: "include-outside",
				Msg: fmt.Sprintf("include %q leads outside the catalog: patterns are relative to the root file's directory (%s) and must stay inside %s", pat, displayDir(dir), inside)})
			continue
		}
		matches, gerr := globFiles(dir, pat)
		if gerr != "" {
			errs = append(errs, Error{Pos: item.Pos, Rule: "include-bad-glob", Msg: gerr})
			continue
		}
		if len(matches) == 0 {
			errs = append(errs, Error{Pos: item.Pos, Rule: "include-no-match",
				Msg: fmt.Sprintf("include %q matches no file (globs are relative to %s)", pat, displayDir(dir))})
			continue
		}
		var outside []string
		for _, m := range matches {
			full := filepath.Join(dir, filepath.FromSlash(m))
			k := key(full)
			if !insideDir(k, realBound) && !insideDir(k, bound) {
				outside = append(outside, m)
				continue
			}
			if !seen[k] {
				seen[k] = true
				names = append(names, full)
			}
		}
		if len(outside) > 0 {
			more := ""
			if len(outside) > 1 {
				more = fmt.Sprintf(" (and %d more)", len(outside)-1)
			}
			errs = append(errs, Error{Pos: item.Pos, Rule: "include-outside",
				Msg: fmt.Sprintf("include %q matches %s%s, which a symlink leads outside %s (%s); permcat reads no file outside it", pat, outside[0], more, where, bound)})
		}
	}
	sort.Slice(names, func(i, j int) bool { return filepath.ToSlash(names[i]) < filepath.ToSlash(names[j]) })
	// Fragments are independent until they are merged: read, parse and
	// schema-check them in parallel, then keep lexical order.
	type result struct {
		f    *file
		errs Errors
	}
	results := make([]result, len(names))
	parallel(len(names), func(i int) {
		n := names[i]
		data, err := readLimited(n)
		if err != nil {
			results[i].errs = Errors{{Pos: Pos{File: n}, Rule: "file-read", Msg: err.Error()}}
			return
		}
		v, perrs := parseYAML(n, data)
		results[i].errs = perrs
		if v != nil {
			f := &file{name: n, v: v}
			f.schemaErrs, f.validated = validateSchema(f), true
			results[i].f = f
		}
	})
	for _, r := range results {
		errs = append(errs, r.errs...)
		if r.f != nil {
			files = append(files, r.f)
		}
	}
	return files, errs
}

// leavesDir reports whether an include pattern climbs with `..` out of
// the boundary (bound as written, realBound by its real path): the walk
// joins the pattern to the root file's directory as written (absDir).
func leavesDir(pat, absDir, bound, realBound string) bool {
	clean := path.Clean(filepath.ToSlash(pat))
	if clean != ".." && !strings.HasPrefix(clean, "../") {
		return false // Clean leaves `..` only at the start
	}
	to := filepath.Join(absDir, filepath.FromSlash(clean))
	return !insideDir(to, bound) && !insideDir(to, realBound)
}

// includeBoundary is the directory include patterns must stay inside:
// the nearest one at or above the root file's directory (absolute) that
// holds a `.git`, the repository's root; dir itself when there is none.
func includeBoundary(dir string) string {
	for d := dir; ; d = filepath.Dir(d) {
		if _, err := os.Lstat(filepath.Join(d, ".git")); err == nil {
			return d
		}
		if filepath.Dir(d) == d {
			return dir
		}
	}
}

// insideDir reports whether p is dir or lies under it (both absolute and
// clean).
func insideDir(p, dir string) bool {
	if p == dir {
		return true
	}
	if !strings.HasSuffix(dir, string(filepath.Separator)) {
		dir += string(filepath.Separator)
	}
	return strings.HasPrefix(p, dir)
}

// parallel runs fn(0..n-1) on up to GOMAXPROCS goroutines.
func parallel(n int, fn func(int)) {
	workers := runtime.GOMAXPROCS(0)
	if workers > n {
		workers = n
	}
	if workers <= 1 {
		for i := 0; i < n; i++ {
			fn(i)
		}
		return
	}
	var next atomic.Int64
	var wg sync.WaitGroup
	for w := 0; w < workers; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				i := int(next.Add(1) - 1)
				if i >= n {
					return
				}
				fn(i)
			}
		}()
	}
	wg.Wait()
}

func displayDir(d string) string {
	if d == "." || d == "" {
		return "the current directory"
	}
	return d
}

// MaxLockSize is the largest permcat.lock Compile reads. A lock holds a
// line per permission ever defined, with its former keys, so it may grow
// far past a catalog file; generate refuses to write a larger one.
const MaxLockSize = 256 << 20

func readLimited(name string) ([]byte, error) {
	return ReadRegularFile(name, MaxFileSize, "catalog files")
}

// ReadRegularFile reads the file at name, which must be a regular file
// once symlinks are followed, of at most limit bytes; what names such
// files in the size error ("catalog files"). Anything else (a directory,
// a named pipe, a device, a socket) is refused before it is opened:
// opening a named pipe blocks until something writes to it, and a device
// such as /dev/zero never ends. The file is read through a limit too, as
// a file may grow while it is read, and files such as those under /proc
// report a size of 0 whatever they hold.
func ReadRegularFile(name string, limit int64, what string) ([]byte, error) {
	st, err := os.Stat(name)
	if err != nil {
		return nil, err
	}
	if kind := FileKind(st.Mode()); kind != "" {
		return nil, notRegular(kind)
	}
	if st.Size() > limit {
		return nil, fmt.Errorf("file is %d bytes; %s are limited to %d bytes (%s)", st.Size(), what, limit, sizeName(limit))
	}
	f, err := os.Open(name)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	// The name may have been replaced between Stat and Open.
	if st2, err := f.Stat(); err != nil {
		return nil, err
	} else if kind := FileKind(st2.Mode()); kind != "" {
		return nil, notRegular(kind)
	}
	data, err := io.ReadAll(io.LimitReader(f, limit+1))
	if err != nil {
		return nil, err
	}
	if int64(len(data)) > limit {
		return nil, fmt.Errorf("file is over %d bytes; %s are limited to %d bytes (%s)", limit, what, limit, sizeName(limit))
	}
	return data, nil
}

func notRegular(kind string) error {
	return fmt.Errorf("not a regular file but %s; permcat reads only regular files", kind)
}

// FileKind names what a file whose mode is not a regular file's is ("a
// named pipe (FIFO)"), or returns "" for a regular file.
func FileKind(mode fs.FileMode) string {
	switch {
	case mode.IsRegular():
		return ""
	case mode.IsDir():
		return "a directory"
	case mode&fs.ModeNamedPipe != 0:
		return "a named pipe (FIFO)"
	case mode&fs.ModeSocket != 0:
		return "a socket"
	case mode&fs.ModeCharDevice != 0:
		return "a character device"
	case mode&fs.ModeDevice != 0:
		return "a block device"
	case mode&fs.ModeSymlink != 0:
		return "a symbolic link"
	}
	return "a special file"
}

// sizeName spells a limit in MiB when it is a whole number of them.
func sizeName(n int64) string {
	if n >= 1<<20 && n%(1<<20) == 0 {
		return fmt.Sprintf("%d MiB", n>>20)
	}
	return fmt.Sprintf("%d bytes", n)
}

// globFiles matches a slash-separated glob relative to dir. `**` matches
// any number of directories. Only regular files match. As in the shell, a
// name starting with '.' matches only a pattern segment that starts with
// '.', and `**` does not enter such directories: they hold what is not
// the catalog (.git, editors' backup and lock files, caches).
func globFiles(dir, pat string) ([]string, string) {
	if pat == "" {
		return nil, "empty include pattern"
	}
	if path.IsAbs(pat) || filepath.IsAbs(pat) {
		return nil, fmt.Sprintf("include %q must be relative to the root file", pat)
	}
	clean := path.Clean(pat)
	segs := strings.Split(clean, "/")
	for _, s := range segs {
		if s != "**" {
			if _, err := path.Match(s, ""); err != nil {
				return nil, fmt.Sprintf("include %q is not a valid glob: %v", pat, err)
			}
		}
	}
	// Walk from the fixed prefix.
	base := ""
	i := 0
	for ; i < len(segs)-1; i++ {
		if strings.ContainsAny(segs[i], "*?[\\") {
			break
		}
		base = path.Join(base, segs[i])
	}
	rest := segs[i:]
	var out []string
	start := filepath.Join(dir, filepath.FromSlash(base))
	visited := 0
	tooMany := false
	_ = filepath.WalkDir(start, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return nil
		}
		// A glob such as ../../** could walk a whole disk; stop early.
		if visited++; visited > maxGlobVisits {
			tooMany = true
			return filepath.SkipAll
		}
		rel, rerr := filepath.Rel(start, p)
		if rerr != nil || rel == "." {
			return nil
		}
		relSegs := strings.Split(filepath.ToSlash(rel), "/")
		if d.IsDir() {
			if !prefixCanMatch(rest, relSegs) {
				return filepath.SkipDir
			}
			return nil
		}
		if d.Type().IsRegular() && globMatch(rest, relSegs) {
			out = append(out, path.Join(base, filepath.ToSlash(rel)))
		}
		return nil
	})
	if tooMany {
		return nil, fmt.Sprintf("include %q walks more than %d files and directories; narrow the pattern", pat, maxGlobVisits)
	}
	sort.Strings(out)
	return out, ""
}

// maxGlobVisits bounds the directory walk of one include pattern.
const maxGlobVisits = 20000

// globMatch reports whether segs matches pat, where `**` matches zero or
// more segments, none of them hidden. Row i of the table says whether
// pat[i:] matches segs[j:], for every j: filled from the last pattern
// segment back, in len(pat)·len(segs) steps (trying every split for
// every `**` took exponential time).
func globMatch(pat, segs []string) bool {
	n := len(segs)
	next := make([]bool, n+1) // pat[len(pat):] matches only the empty rest
	next[n] = true
	cur := make([]bool, n+1)
	for i := len(pat) - 1; i >= 0; i-- {
		if pat[i] == "**" {
			// It spans nothing, or segs[j] (not hidden) and maybe more.
			cur[n] = next[n]
			for j := n - 1; j >= 0; j-- {
				cur[j] = next[j] || !hidden(segs[j]) && cur[j+1]
			}
		} else {
			cur[n] = false
			for j := n - 1; j >= 0; j-- {
				cur[j] = next[j+1] && segmentMatch(pat[i], segs[j])
			}
		}
		next, cur = cur, next
	}
	return next[0]
}

// prefixCanMatch reports whether a directory path could lead to a match:
// the same table as globMatch's, where a used-up path matches whatever
// is left of the pattern and the last pattern segment (other than `**`)
// names files, not directories.
func prefixCanMatch(pat, dirs []string) bool {
	n := len(dirs)
	next := make([]bool, n+1) // an empty pattern leads nowhere past dirs
	next[n] = true
	cur := make([]bool, n+1)
	for i := len(pat) - 1; i >= 0; i-- {
		cur[n] = true
		for j := n - 1; j >= 0; j-- {
			switch {
			case pat[i] == "**":
				cur[j] = next[j] || !hidden(dirs[j]) && cur[j+1]
			case i == len(pat)-1:
				cur[j] = false
			default:
				cur[j] = next[j+1] && segmentMatch(pat[i], dirs[j])
			}
		}
		next, cur = cur, next
	}
	return next[0]
}

// segmentMatch matches one path segment, with the shell's rule for a
// leading '.': only a pattern that spells it out matches it.
func segmentMatch(pat, name string) bool {
	if hidden(name) && !strings.HasPrefix(pat, ".") && !strings.HasPrefix(pat, `\.`) {
		return false
	}
	ok, _ := path.Match(pat, name)
	return ok
}

func hidden(name string) bool { return strings.HasPrefix(name, ".") }
