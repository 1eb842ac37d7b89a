package diff

import (
	"archive/tar"
	"bytes"
	"errors"
	"fmt"
	"github.com/permcat/permcat/internal/pathutil"
	"io"
	"io/fs"
	"os"
	"os/exec"
	"path"
	"path/filepath"
	"strings"

	"go.yaml.in/yaml/v3"
)

// ErrNoCatalogAtRef is wrapped by Checkout's error when the ref exists but
// holds no catalog at the path: a pull request that adds the catalog. The
// CLI may then compare against an empty catalog (Compare(nil, new)).
var ErrNoCatalogAtRef = errors.New("no catalog at this ref")

// rootFileName is the root file looked for in a directory; it matches
// schema.DefaultFileName, repeated here because the lookup happens in a git
// tree, not on disk.
const rootFileName = "permcat.yaml"

// Snapshot is a catalog as it was at a git ref, extracted into a temporary
// directory together with permcat.lock and every fragment its includes
// name, so that schema.Compile(Path) sees exactly what the ref held.
type Snapshot struct {
	// Path is the catalog inside Dir, shaped like the path given to
	// Checkout: a directory or a root file.
	Path string
	// Dir is the temporary directory; it mirrors the repository root.
	Dir string
	// Ref is the ref as given, Commit what it resolved to.
	Ref, Commit string

	// worktree is the repository root as the working tree shows it:
	// relative to the current directory when the path given was relative.
	worktree string
	// catDir is the catalog's directory inside Dir's tree (slash form), and
	// userDir that directory as the caller named it, so positions in the
	// catalog read exactly like the NEW side's.
	catDir, userDir string
}

// Checkout extracts the catalog at path (a catalog directory or root file
// in a git working tree; it need not exist in the working tree) as it was at
// ref. It runs git from the path's repository, so `--against origin/main`
// works wherever the base branch has been fetched (in CI, check out with
// enough history). Call Close when done.
func Checkout(ref, catalogPath string) (*Snapshot, error) {
	if ref == "" || strings.HasPrefix(ref, "-") {
		return nil, fmt.Errorf("invalid git ref %q", ref)
	}
	abs, err := filepath.Abs(catalogPath)
	if err != nil {
		return nil, err
	}
	// git reports the repository root resolved; start is where to run it.
	resolved, start, err := pathutil.ResolveExisting(abs)
	if err != nil {
		return nil, err
	}
	out, err := git(start, "rev-parse", "--show-toplevel")
	if err != nil {
		return nil, fmt.Errorf("%s is not inside a git repository: %w", catalogPath, err)
	}
	root := filepath.FromSlash(strings.TrimSpace(string(out)))
	if r, err := filepath.EvalSymlinks(root); err == nil {
		root = r
	}
	rel, err := filepath.Rel(root, resolved)
	if err != nil || rel == ".." || strings.HasPrefix(rel, ".."+string(filepath.Separator)) {
		return nil, fmt.Errorf("%s is outside the git repository at %s", catalogPath, root)
	}
	rel = filepath.ToSlash(rel)
	if rel == "." {
		rel = ""
	}
	commit, err := git(root, "rev-parse", "--verify", "--quiet", ref+"^{commit}")
	if err != nil {
		return nil, fmt.Errorf("unknown git ref %q (in CI, fetch the base branch first, e.g. `git fetch origin main`)", ref)
	}
	s := &Snapshot{Ref: ref, Commit: strings.TrimSpace(string(commit))}

	kind, err := git(root, "cat-file", "-t", s.Commit+":"+rel)
	if err != nil {
		return nil, fmt.Errorf("%s at %s: %w", displayRel(rel), ref, ErrNoCatalogAtRef)
	}
	rootRel, catDir, pathRel := rel, path.Dir(rel), rel
	if strings.TrimSpace(string(kind)) == "tree" {
		rootRel, catDir = path.Join(rel, rootFileName), rel
	}
	if catDir == "." {
		catDir = ""
	}
	data, err := git(root, "show", s.Commit+":"+rootRel)
	if err != nil {
		return nil, fmt.Errorf("%s at %s: %w", displayRel(rootRel), ref, ErrNoCatalogAtRef)
	}

	dirs := []string{catDir}
	for _, d := range includeDirs(data, catDir) {
		if _, err := git(root, "cat-file", "-e", s.Commit+":"+d); err == nil {
			dirs = append(dirs, d)
		}
	}
	tmp, err := os.MkdirTemp("", "permcat-diff-")
	if err != nil {
		return nil, err
	}
	s.Dir = tmp
	if err := extract(root, s.Commit, dirs, tmp); err != nil {
		s.Close()
		return nil, err
	}
	// The snapshot mirrors the repository's root, and include patterns may
	// reach anywhere inside a repository (shared fragments beside the
	// catalog): an empty .git marks where it ends, as in the working tree.
	if err := os.Mkdir(filepath.Join(tmp, ".git"), 0o755); err != nil && !errors.Is(err, fs.ErrExist) {
		s.Close()
		return nil, err
	}
	s.Path = filepath.Join(tmp, filepath.FromSlash(pathRel))
	s.worktree = root
	s.catDir = catDir
	s.userDir = catalogPath
	if st, err := os.Stat(catalogPath); err == nil && !st.IsDir() || err != nil && strings.HasSuffix(catalogPath, ".yaml") {
		s.userDir = filepath.Dir(catalogPath)
	}
	if !filepath.IsAbs(catalogPath) {
		if wd, err := os.Getwd(); err == nil {
			if rwd, err := filepath.EvalSymlinks(wd); err == nil {
				wd = rwd
			}
			if r, err := filepath.Rel(wd, root); err == nil {
				s.worktree = r
			}
		}
	}
	return s, nil
}

// Close removes the temporary directory.
func (s *Snapshot) Close() error {
	if s == nil || s.Dir == "" {
		return nil
	}
	return os.RemoveAll(s.Dir)
}

// Relabel shows positions inside the snapshot at the same files' paths in
// the working tree, so a deletion reads `examples/dutchie/permcat.yaml:12:7`
// rather than a temporary path. Such a position is still in the ref's
// version of the file, and its line may hold something else in the working
// tree: Finding.Ref names the ref, and the formats show it
// (`HEAD:examples/dutchie/permcat.yaml:12:7`).
func (s *Snapshot) Relabel(fs []Finding) []Finding {
	fs = append([]Finding(nil), fs...)
	for i := range fs {
		if within(fs[i].Pos.File, s.Dir) {
			fs[i].Ref = s.Ref
			// git names a file at a revision by its path from the
			// repository's root, wherever the command runs.
			if rel, err := filepath.Rel(s.Dir, fs[i].Pos.File); err == nil {
				fs[i].RefPath = filepath.ToSlash(rel)
			}
		}
	}
	fs = RewritePaths(fs, filepath.Join(s.Dir, filepath.FromSlash(s.catDir)), s.userDir)
	return RewritePaths(fs, s.Dir, s.worktree)
}

// RefLabel names a file of the snapshot as git names it at the ref,
// `REF:path/from/repo/root`, for findings about the catalog at the ref
// (the temporary directory is gone by the time anyone reads them). ok is
// false for a file outside the snapshot.
func (s *Snapshot) RefLabel(file string) (label string, ok bool) {
	if !within(file, s.Dir) {
		return "", false
	}
	rel, err := filepath.Rel(s.Dir, file)
	if err != nil {
		return "", false
	}
	return s.Ref + ":" + filepath.ToSlash(rel), true
}

// CatalogAtRef is Checkout for callers that need only the path: it returns
// the catalog path inside the temporary directory and a cleanup function.
func CatalogAtRef(ref, catalogPath string) (dir string, cleanup func(), err error) {
	s, err := Checkout(ref, catalogPath)
	if err != nil {
		return "", func() {}, err
	}
	return s.Path, func() { s.Close() }, nil
}

// includeDirs returns the repository-relative directories the root file's
// include globs can reach outside catDir (`../shared/*.yaml`), so they are
// extracted too. Parse errors are ignored: Compile reports them.
func includeDirs(root []byte, catDir string) []string {
	var doc struct {
		Include []string `yaml:"include"`
	}
	if yaml.Unmarshal(root, &doc) != nil {
		return nil
	}
	var out []string
	for _, g := range doc.Include {
		prefix := g
		if i := strings.IndexAny(g, "*?[\\"); i >= 0 {
			prefix = g[:i]
		}
		d := path.Dir(path.Join(catDir, prefix+"x"))
		if d == "." || strings.HasPrefix(d, "../") || d == ".." || strings.HasPrefix(d, "/") {
			continue
		}
		if catDir != "" && (d == catDir || strings.HasPrefix(d, catDir+"/")) {
			continue
		}
		out = append(out, d)
	}
	return out
}

// extract writes the trees at dirs (repository-relative; "" is the whole
// repository) of commit into dst, streaming `git archive`, which every git
// has and which needs no tar binary. From the whole repository (a catalog
// at its root) only catalog files are kept: YAML and the lock.
func extract(repo, commit string, dirs []string, dst string) error {
	args := []string{"-C", repo, "archive", "--format=tar", commit}
	whole := false
	for _, d := range dirs {
		if d == "" {
			whole = true
		}
	}
	if !whole {
		args = append(args, "--")
		args = append(args, dirs...)
	}
	cmd := exec.Command("git", args...)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		return err
	}
	if err := cmd.Start(); err != nil {
		return fmt.Errorf("git archive: %w", err)
	}
	terr := untar(stdout, dst, whole)
	// Drain so that git never blocks on a full pipe after an early error.
	_, _ = io.Copy(io.Discard, stdout)
	werr := cmd.Wait()
	if werr != nil {
		if msg := strings.TrimSpace(stderr.String()); msg != "" {
			return fmt.Errorf("git archive: %s", msg)
		}
		return fmt.Errorf("git archive: %w", werr)
	}
	return terr
}

func untar(r io.Reader, dst string, catalogFilesOnly bool) error {
	tr := tar.NewReader(r)
	for {
		h, err := tr.Next()
		if err == io.EOF {
			return nil
		}
		if err != nil {
			return fmt.Errorf("reading git archive: %w", err)
		}
		name := path.Clean(h.Name)
		if name == "." || name == ".." || strings.HasPrefix(name, "../") || path.IsAbs(name) {
			continue
		}
		// Symlinks and other entries are skipped: a catalog is plain files,
		// and a link could point outside the temporary directory.
		if h.Typeflag != tar.TypeReg {
			continue
		}
		if catalogFilesOnly && !isCatalogFile(name) {
			continue
		}
		target := filepath.Join(dst, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(target), 0o755); err != nil {
			return err
		}
		data, err := io.ReadAll(tr)
		if err != nil {
			return fmt.Errorf("reading git archive: %w", err)
		}
		if err := os.WriteFile(target, data, 0o644); err != nil {
			return err
		}
	}
}

func isCatalogFile(name string) bool {
	switch path.Ext(name) {
	case ".yaml", ".yml", ".lock":
		return true
	}
	return false
}

// git runs git in dir and returns its standard output; the error carries
// its standard error.
func git(dir string, args ...string) ([]byte, error) {
	cmd := exec.Command("git", append([]string{"-C", dir}, args...)...)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		if msg := strings.TrimSpace(stderr.String()); msg != "" {
			return nil, fmt.Errorf("git %s: %s", strings.Join(args, " "), msg)
		}
		return nil, fmt.Errorf("git %s: %w", strings.Join(args, " "), err)
	}
	return out, nil
}

func displayRel(rel string) string {
	if rel == "" {
		return "the repository root"
	}
	return rel
}

// within reports whether file is dir or lies under it.
func within(file, dir string) bool {
	dir = filepath.Clean(dir)
	return file == dir || strings.HasPrefix(file, dir+string(filepath.Separator))
}

// rebase moves file from under directory from to under to.
func rebase(file, from, to string) string {
	if from == "" {
		return file
	}
	from = filepath.Clean(from)
	if file == from {
		return to
	}
	if rest, ok := strings.CutPrefix(file, from+string(filepath.Separator)); ok {
		return filepath.Join(to, rest)
	}
	return file
}
