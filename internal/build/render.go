package build

import (
	"bytes"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"sync"

	"github.com/permcat/permcat/generator"
	"github.com/permcat/permcat/generator/docs"
	"github.com/permcat/permcat/generator/golang"
	"github.com/permcat/permcat/generator/sql"
	"github.com/permcat/permcat/generator/typescript"
	"github.com/permcat/permcat/schema"
)

// Output is one file to be written, at a path usable from the working
// directory.
type Output struct {
	Path    string
	Content []byte
	Target  string // go, ts, sql or docs: names the target in errors
}

// Plan is what applying the outputs would do.
type Plan struct {
	Write     []Output // new or changed files
	Unchanged []string
	Delete    []string // files permcat generated earlier that no target produces now
	Lock      *Output  // permcat.lock when it changes (also listed in Write)
}

// Render renders every target in memory. Nothing touches the disk; an
// error from any target means nothing may be written.
func Render(cat *schema.Catalog, t Targets) ([]Output, error) {
	if err := checkOverlaps(append(targetClaims(t), inputClaims(cat)...)); err != nil {
		return nil, err
	}
	jobs := renderJobs(cat, t)
	results := make([][]Output, len(jobs))
	err := runJobs(jobs, func(i int, outs []Output) error {
		results[i] = outs
		return nil
	})
	if err != nil {
		return nil, err
	}
	var outs []Output
	for _, r := range results {
		outs = append(outs, r...)
	}
	if err := checkOverlaps(append(outputClaims(outs), inputClaims(cat)...)); err != nil {
		return nil, err
	}
	return outs, nil
}

// renderJob is one target's back end.
type renderJob struct {
	target string
	dir    string
	render func() ([]generator.File, error)
}

func renderJobs(cat *schema.Catalog, t Targets) []renderJob {
	var jobs []renderJob
	if t.GoDir != "" {
		pkg := t.GoPackage
		if pkg == "" {
			pkg = defaultPackage(t.GoDir)
		}
		jobs = append(jobs, renderJob{target: "go", dir: t.GoDir, render: func() ([]generator.File, error) {
			return golang.Generate(cat, golang.Options{Package: pkg})
		}})
	}
	if t.TSFile != "" {
		jobs = append(jobs, renderJob{target: "ts", dir: filepath.Dir(t.TSFile), render: func() ([]generator.File, error) {
			return typescript.Generate(cat, typescript.Options{Style: t.TSStyle, FileName: filepath.Base(t.TSFile)})
		}})
	}
	if t.SQLDir != "" {
		jobs = append(jobs, renderJob{target: "sql", dir: t.SQLDir, render: func() ([]generator.File, error) {
			return sql.Generate(cat, sql.Options{Dialects: t.SQLDialect, Prefix: t.SQLPrefix})
		}})
	}
	if t.DocsDir != "" {
		jobs = append(jobs, renderJob{target: "docs", dir: t.DocsDir, render: func() ([]generator.File, error) {
			return docs.Generate(cat, docs.Options{})
		}})
	}
	return jobs
}

// runJobs renders the targets side by side (the back ends only read the
// catalog) and hands each one's outputs to done, in that target's
// goroutine, as soon as it is rendered. The error is the first target's,
// in target order, whatever finished first.
func runJobs(jobs []renderJob, done func(i int, outs []Output) error) error {
	errs := make([]error, len(jobs))
	var wg sync.WaitGroup
	for i, j := range jobs {
		wg.Go(func() {
			files, err := j.render()
			if err != nil {
				errs[i] = err
				return
			}
			outs := make([]Output, len(files))
			for k, f := range files {
				outs[k] = Output{Path: filepath.Join(j.dir, filepath.FromSlash(f.Path)), Content: f.Content, Target: j.target}
			}
			errs[i] = done(i, outs)
		})
	}
	wg.Wait()
	for _, err := range errs {
		if err != nil {
			return err
		}
	}
	return nil
}

// Write does what Render, MakePlan and Apply do together, in less time and
// memory: each target's changed files go to temporary files beside their
// destinations as soon as that target is rendered, while the others still
// render, and its content is dropped then, so the outputs of a large
// catalog (over 200MB at 100,000 permissions) are never all in memory.
// Only when every target rendered and every file was written are the
// temporary files renamed into place and orphans deleted; otherwise they
// are removed and nothing has changed.
func Write(cat *schema.Catalog, t Targets, lockPath string) error {
	fixed := fixedClaims(cat, lockPath)
	if err := checkOverlaps(append(targetClaims(t), fixed...)); err != nil {
		return err
	}
	type written struct{ path, tmp string }
	jobs := renderJobs(cat, t)
	temps := make([][]written, len(jobs))
	paths := make([][]Output, len(jobs)) // paths only
	writeErrs := make([]error, len(jobs))
	var lock []written
	var dirs madeDirs
	removeTemps := func() {
		for _, ws := range append(temps, lock) {
			for _, w := range ws {
				os.Remove(w.tmp)
			}
		}
	}
	// An error writing is reported as Apply's caller would: nothing was
	// changed, since nothing is renamed into place before the end.
	unchanged := func(err error) error { return fmt.Errorf("%w (nothing was changed)", err) }
	err := runJobs(jobs, func(i int, outs []Output) error {
		// Every path is kept, written or not: a destination that fails
		// because another target's output stands in its way is reported
		// as that overlap, which needs the paths of both.
		for _, o := range outs {
			paths[i] = append(paths[i], Output{Path: o.Path, Target: o.Target})
		}
		for k, o := range outs {
			if sameContent(o.Path, o.Content) {
				continue
			}
			if err := checkDestinations(outs[k : k+1]); err != nil {
				writeErrs[i] = unchanged(err)
				return nil
			}
			if err := checkOwned(outs[k : k+1]); err != nil {
				writeErrs[i] = unchanged(err)
				return nil
			}
			tmp, err := writeTemp(o.Path, o.Content, &dirs)
			if err != nil {
				writeErrs[i] = unchanged(err)
				return nil
			}
			temps[i] = append(temps[i], written{o.Path, tmp})
			outs[k].Content = nil
		}
		return nil
	})
	var all []Output
	for _, p := range paths {
		all = append(all, p...)
	}
	if err == nil {
		err = checkOverlaps(append(outputClaims(all), fixed...))
	}
	if err == nil {
		for _, e := range writeErrs {
			if e != nil {
				err = e
				break
			}
		}
	}
	if err == nil && lockPath != "" && cat.Lock != nil {
		if content := cat.Lock.Format(); !sameContent(lockPath, content) {
			lockOut := []Output{{Path: lockPath, Target: lockTarget}}
			err = checkLockSize(lockPath, content)
			if err == nil {
				err = checkDestinations(lockOut)
			}
			if err == nil {
				err = checkOwned(lockOut)
			}
			if err == nil {
				var tmp string
				if tmp, err = writeTemp(lockPath, content, &dirs); err == nil {
					lock = append(lock, written{lockPath, tmp})
				}
			}
			if err != nil {
				err = unchanged(err)
			}
		}
	}
	if err != nil {
		removeTemps()
		dirs.undo()
		return err
	}
	produced := map[string]bool{}
	for _, o := range all {
		produced[filepath.Clean(o.Path)] = true
	}
	for _, ws := range append(temps, lock) {
		for _, w := range ws {
			if err := rename(w.tmp, w.path); err != nil {
				// The temporary files already renamed are gone; the rest,
				// the lock's included, must not be left behind.
				removeTemps()
				dirs.undo()
				return fmt.Errorf("%w (files renamed before it were changed)", err)
			}
		}
	}
	return deleteOrphans(orphans(produced, t, inputKeys(cat, lockPath)))
}

// rename is os.Rename; a test replaces it to make a rename fail after
// every check passed, which the disk alone cannot be made to do on cue.
var rename = os.Rename

// defaultPackage derives a Go package name from the output directory.
func defaultPackage(dir string) string {
	base := strings.ToLower(filepath.Base(filepath.Clean(dir)))
	var b strings.Builder
	for _, r := range base {
		if r >= 'a' && r <= 'z' || r >= '0' && r <= '9' && b.Len() > 0 {
			b.WriteRune(r)
		}
	}
	if b.Len() == 0 {
		return "permissions"
	}
	return b.String()
}

// GeneratedHeader marks files permcat owns; only such files are deleted.
var GeneratedHeader = []byte(generator.Header)

// MakePlan compares outputs (and the new lock) with the disk. Orphans are
// files in an output directory whose first line carries the generated
// header but that no target produces any more.
func MakePlan(cat *schema.Catalog, outs []Output, t Targets, lockPath string) (*Plan, error) {
	// Render checked the outputs among themselves; the lock joins them here.
	if err := checkOverlaps(append(outputClaims(outs), fixedClaims(cat, lockPath)...)); err != nil {
		return nil, err
	}
	p := &Plan{}
	if cat.Lock != nil && lockPath != "" {
		newLock := cat.Lock.Format()
		if !sameContent(lockPath, newLock) {
			if err := checkLockSize(lockPath, newLock); err != nil {
				return nil, err
			}
			o := Output{Path: lockPath, Content: newLock, Target: lockTarget}
			p.Lock = &o
		}
	}
	produced := map[string]bool{}
	same := make([]bool, len(outs))
	parallelEach(len(outs), func(i int) { same[i] = sameContent(outs[i].Path, outs[i].Content) })
	for i, o := range outs {
		produced[filepath.Clean(o.Path)] = true
		if same[i] {
			p.Unchanged = append(p.Unchanged, o.Path)
			continue
		}
		p.Write = append(p.Write, o)
	}
	if p.Lock != nil {
		p.Write = append(p.Write, *p.Lock)
	}
	// --check reads what it compares; a named pipe or a device in the
	// place of an output is no stale file but an error, as in generate.
	if err := checkRegular(p.Write); err != nil {
		return nil, err
	}
	p.Delete = orphans(produced, t, inputKeys(cat, lockPath))
	return p, nil
}

// checkLockSize refuses a lock that the next run could not read back: one
// over schema.MaxLockSize, or with a line as long as a catalog file's
// limit (the lock's parser rejects such a line). A group's formerly keys
// are written on every permission under it, so a lock can outgrow its
// catalog by far.
func checkLockSize(lockPath string, content []byte) error {
	const why = "the lock lists every former key of every permission, and a group's formerly repeats on each permission under it: drop former keys that no stored data uses any more"
	if len(content) > maxLockSize {
		return fmt.Errorf("refusing to write %s: it would be %d bytes, and permcat reads a lock of at most %s, so the next run could not read it; %s", lockPath, len(content), sizeName(maxLockSize), why)
	}
	for rest := content; len(rest) > 0; {
		line := rest
		if i := bytes.IndexByte(rest, '\n'); i >= 0 {
			line, rest = rest[:i], rest[i+1:]
		} else {
			rest = nil
		}
		if len(line) >= maxLockLine {
			return fmt.Errorf("refusing to write %s: a line of it would be %d bytes, and permcat reads lock lines of under %s, so the next run could not read it; %s", lockPath, len(line), sizeName(maxLockLine), why)
		}
	}
	return nil
}

// maxLockSize and maxLockLine are what schema reads of a lock; tests
// lower them.
var maxLockSize, maxLockLine = schema.MaxLockSize, schema.MaxFileSize

func sizeName(n int) string {
	if n >= 1<<20 && n%(1<<20) == 0 {
		return fmt.Sprintf("%d bytes (%d MiB)", n, n>>20)
	}
	return fmt.Sprintf("%d bytes", n)
}

// inputKeys are the files the catalog was read from, the generate config
// beside it and the lock, by resolved absolute path: generate deletes
// none of them, whatever their first line says.
func inputKeys(cat *schema.Catalog, lockPath string) map[string]bool {
	keys := map[string]bool{}
	for _, c := range fixedClaims(cat, lockPath) {
		keys[pathKey(c.path)] = true
	}
	if lockPath != "" {
		keys[pathKey(lockPath)] = true
	}
	return keys
}

// orphans are files in an output directory whose first line carries the
// generated header but that no target produces any more, sorted.
func orphans(produced map[string]bool, t Targets, inputs map[string]bool) []string {
	var out []string
	// Each target owns only its own kind of file in its directory, so
	// targets that share a directory (or a run restricted to some targets)
	// never delete each other's output.
	type owned struct{ dir, ext string }
	var dirs []owned
	if t.GoDir != "" {
		dirs = append(dirs, owned{t.GoDir, ".go"})
	}
	if t.DocsDir != "" {
		dirs = append(dirs, owned{t.DocsDir, ".md"})
	}
	if t.SQLDir != "" {
		for _, d := range []string{"postgres", "sqlite", "mysql"} {
			dirs = append(dirs, owned{filepath.Join(t.SQLDir, d), ".sql"})
		}
	}
	for _, d := range dirs {
		entries, err := os.ReadDir(d.dir)
		if err != nil {
			continue
		}
		for _, e := range entries {
			if !e.Type().IsRegular() || filepath.Ext(e.Name()) != d.ext {
				continue
			}
			path := filepath.Join(d.dir, e.Name())
			if produced[filepath.Clean(path)] || inputs[pathKey(path)] || !isGenerated(path) {
				continue
			}
			out = append(out, path)
		}
	}
	sort.Strings(out)
	return out
}

func isGenerated(path string) bool {
	// Only a regular file is opened: opening a named pipe blocks.
	if st, err := os.Stat(path); err != nil || !st.Mode().IsRegular() {
		return false
	}
	f, err := os.Open(path)
	if err != nil {
		return false
	}
	defer f.Close()
	if st, err := f.Stat(); err != nil || !st.Mode().IsRegular() {
		return false
	}
	buf := make([]byte, 256)
	n, _ := f.Read(buf)
	line := buf[:n]
	if i := bytes.IndexByte(line, '\n'); i >= 0 {
		line = line[:i]
	}
	return bytes.Contains(line, GeneratedHeader)
}

// Apply writes every changed file atomically and deletes orphans. It
// first checks every destination, then writes all files to temporary
// names beside their destinations, and only when all of that succeeded
// renames them into place: a failure leaves the outputs as they were.
func Apply(p *Plan) error {
	// MakePlan checked this already; a plan built by hand has not been.
	if err := checkOverlaps(outputClaims(p.Write)); err != nil {
		return err
	}
	if err := checkDestinations(p.Write); err != nil {
		return err
	}
	if err := checkOwned(p.Write); err != nil {
		return err
	}
	if p.Lock != nil {
		if err := checkLockSize(p.Lock.Path, p.Lock.Content); err != nil {
			return err
		}
	}
	var temps []string
	var dirs madeDirs
	cleanup := func() {
		for _, t := range temps {
			os.Remove(t)
		}
		dirs.undo()
	}
	// Large outputs take a while to write; the files are independent.
	temps = make([]string, len(p.Write))
	errs := make([]error, len(p.Write))
	parallelEach(len(p.Write), func(i int) { temps[i], errs[i] = writeTemp(p.Write[i].Path, p.Write[i].Content, &dirs) })
	for _, err := range errs {
		if err != nil {
			cleanup()
			return err
		}
	}
	for i, o := range p.Write {
		if err := rename(temps[i], o.Path); err != nil {
			cleanup()
			return err
		}
	}
	return deleteOrphans(p.Delete)
}

// deleteOrphans removes files, then their directories if now empty.
func deleteOrphans(paths []string) error {
	emptied := map[string]bool{}
	for _, d := range paths {
		if err := os.Remove(d); err != nil {
			return err
		}
		emptied[filepath.Dir(d)] = true
	}
	for d := range emptied {
		os.Remove(d) // only succeeds when the directory is now empty
	}
	return nil
}

// sameContent reports whether the file at path holds exactly content. A
// size that differs settles it without reading the file. The file is read
// a chunk at a time into a reused buffer rather than whole: at 100,000
// permissions the outputs are over 200MB, and reading each into fresh
// memory cost more than writing it anew.
func sameContent(path string, content []byte) bool {
	// Only a regular file is opened: opening a named pipe blocks, and a
	// device such as /dev/zero never ends.
	if st, err := os.Stat(path); err != nil || !st.Mode().IsRegular() {
		return false
	}
	f, err := os.Open(path)
	if err != nil {
		return false
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil || !st.Mode().IsRegular() || st.Size() != int64(len(content)) {
		return false
	}
	bp := chunkPool.Get().(*[]byte)
	defer chunkPool.Put(bp)
	buf := *bp
	for len(content) > 0 {
		n, err := io.ReadFull(f, buf[:min(len(buf), len(content))])
		if err != nil || !bytes.Equal(buf[:n], content[:n]) {
			return false
		}
		content = content[n:]
	}
	// The file may have grown since Stat.
	n, _ := f.Read(buf[:1])
	return n == 0
}

var chunkPool = sync.Pool{New: func() any { b := make([]byte, 256<<10); return &b }}

// parallelEach calls f(0) … f(n-1) from a few goroutines: enough to keep
// the disk and the cores busy without opening many files at once.
func parallelEach(n int, f func(int)) {
	next := make(chan int)
	var wg sync.WaitGroup
	for range min(n, 4) {
		wg.Go(func() {
			for i := range next {
				f(i)
			}
		})
	}
	for i := range n {
		next <- i
	}
	close(next)
	wg.Wait()
}

// checkDestinations reports a destination that is a directory or another
// file that is not a regular one (a named pipe, a device), or whose
// directory cannot exist because a file stands on its path.
func checkDestinations(outs []Output) error {
	for _, o := range outs {
		if st, err := os.Stat(o.Path); err == nil && st.IsDir() {
			return fmt.Errorf("cannot write %s: it is a directory", o.Path)
		}
		if err := checkRegular([]Output{o}); err != nil {
			return err
		}
		for d := filepath.Dir(o.Path); ; d = filepath.Dir(d) {
			st, err := os.Stat(d)
			if err == nil {
				if !st.IsDir() {
					return fmt.Errorf("cannot write %s: %s is a file, not a directory", o.Path, d)
				}
				break
			}
			if parent := filepath.Dir(d); parent == d {
				break
			}
		}
	}
	return nil
}

// checkRegular reports a destination that exists and is, once symlinks
// are followed, neither a regular file nor a directory (which
// checkDestinations names as such): a named pipe, whose opening blocks,
// or a device, which generate would replace by a regular file (--ts
// /dev/null run as root) and --check would read without end (/dev/zero).
func checkRegular(outs []Output) error {
	for _, o := range outs {
		st, err := os.Stat(o.Path)
		if err != nil || st.IsDir() {
			continue
		}
		if kind := schema.FileKind(st.Mode()); kind != "" {
			return fmt.Errorf("cannot write %s: it is %s, not a regular file; permcat writes only regular files: remove it or choose another output", o.Path, kind)
		}
	}
	return nil
}

// checkOwned reports an output that would replace a file permcat did not
// write: one whose first line lacks the generated header (a hand-written
// doc.go beside the generated package, say), or a symbolic link, which the
// rename would replace by a file and which permcat does not write either.
// An empty file holds nothing to lose, and the lock is permcat's whatever
// its first line says.
func checkOwned(outs []Output) error {
	for _, o := range outs {
		if lst, err := os.Lstat(o.Path); err == nil && lst.Mode()&fs.ModeSymlink != 0 {
			to, _ := os.Readlink(o.Path)
			return fmt.Errorf("refusing to replace %s: it is a symbolic link (to %s), and permcat replaces only files it wrote; remove the link, or write the output where it points", o.Path, to)
		}
		if o.Target == lockTarget {
			continue
		}
		st, err := os.Stat(o.Path)
		if err != nil || !st.Mode().IsRegular() || st.Size() == 0 {
			continue
		}
		f, err := os.Open(o.Path)
		if err != nil {
			return fmt.Errorf("cannot overwrite %s: %w", o.Path, err)
		}
		f.Close()
		if isGenerated(o.Path) {
			continue
		}
		return fmt.Errorf("refusing to overwrite %s: permcat did not write it (its first line lacks %q); move it away or choose another output", o.Path, GeneratedHeader)
	}
	return nil
}

// madeDirs records the directories a run created, so that a run that
// fails can remove them again and leave the disk as it found it.
type madeDirs struct {
	mu   sync.Mutex
	dirs []string
}

func (m *madeDirs) mkdirAll(dir string) error {
	var missing []string
	for d := dir; ; d = filepath.Dir(d) {
		if _, err := os.Lstat(d); err == nil || filepath.Dir(d) == d {
			break
		}
		missing = append(missing, d)
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	m.mu.Lock()
	m.dirs = append(m.dirs, missing...)
	m.mu.Unlock()
	return nil
}

// undo removes the directories created, deepest first; one that is not
// empty (someone else wrote there meanwhile) stays.
func (m *madeDirs) undo() {
	m.mu.Lock()
	defer m.mu.Unlock()
	sort.Slice(m.dirs, func(i, j int) bool { return len(m.dirs[i]) > len(m.dirs[j]) })
	for _, d := range m.dirs {
		os.Remove(d)
	}
	m.dirs = nil
}

// writeTemp writes data next to path and returns the temporary name. An
// existing file's permissions carry over to the new content.
func writeTemp(path string, data []byte, dirs *madeDirs) (string, error) {
	dir := filepath.Dir(path)
	if err := dirs.mkdirAll(dir); err != nil {
		return "", err
	}
	mode := os.FileMode(0o644)
	if st, err := os.Stat(path); err == nil {
		mode = st.Mode().Perm()
	}
	tmp, err := os.CreateTemp(dir, "."+filepath.Base(path)+".tmp*")
	if err != nil {
		return "", err
	}
	name := tmp.Name()
	_, werr := tmp.Write(data)
	cerr := tmp.Close()
	if werr == nil {
		werr = cerr
	}
	if werr == nil {
		werr = os.Chmod(name, mode)
	}
	if werr != nil {
		os.Remove(name)
		return "", werr
	}
	return name, nil
}

// maxDiffRead is the most of an existing output --check reads to show a
// diff, unless the new content is larger.
const maxDiffRead = 64 << 20

// CheckOwned reports, for --check, a file of the plan that generate would
// refuse to overwrite because permcat did not write it.
func CheckOwned(p *Plan) error {
	return checkOwned(p.Write)
}

// Stale describes a plan for --check: a unified diff of every changed,
// missing and extra file. It returns "" when everything is up to date.
func Stale(p *Plan) string {
	var b strings.Builder
	for _, o := range p.Write {
		what := "stale"
		if p.Lock != nil && o.Path == p.Lock.Path {
			what = "stale lock"
		}
		st, err := os.Stat(o.Path)
		if err != nil || !st.Mode().IsRegular() {
			// MakePlan refused what is neither missing nor a regular file.
			fmt.Fprintf(&b, "missing: %s\n", o.Path)
			continue
		}
		// The diff of an old file far larger than what replaces it says
		// no more than its size does.
		limit := max(maxDiffRead, 2*int64(len(o.Content)))
		if st.Size() > limit {
			fmt.Fprintf(&b, "%s: %s (%d bytes, too large to show a diff)\n", what, o.Path, st.Size())
			continue
		}
		old, err := schema.ReadRegularFile(o.Path, limit, "files to compare")
		if err != nil {
			fmt.Fprintf(&b, "%s: %s (no diff shown: %v)\n", what, o.Path, err)
			continue
		}
		fmt.Fprintf(&b, "%s: %s\n", what, o.Path)
		b.WriteString(UnifiedDiff(o.Path, old, o.Content))
	}
	for _, d := range p.Delete {
		fmt.Fprintf(&b, "extra: %s (generated by permcat, no longer produced)\n", d)
	}
	return b.String()
}
