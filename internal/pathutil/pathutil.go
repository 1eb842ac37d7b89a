// Package pathutil holds the path handling that the commands, the diff
// and the output writer share.
package pathutil

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
)

// ResolveExisting resolves symbolic links in the longest existing prefix
// of the absolute path abs, so that two paths reaching one place through a
// link compare equal, and returns the resolved path and the existing
// directory it starts from.
func ResolveExisting(abs string) (resolved, dir string, err error) {
	tail := ""
	p := abs
	for {
		st, err := os.Stat(p)
		if err == nil {
			r, err := filepath.EvalSymlinks(p)
			if err != nil {
				return "", "", err
			}
			dir = r
			if !st.IsDir() {
				dir = filepath.Dir(r)
			}
			return filepath.Join(r, tail), dir, nil
		}
		parent := filepath.Dir(p)
		if parent == p {
			return "", "", fmt.Errorf("no existing directory above %s", abs)
		}
		tail = filepath.Join(filepath.Base(p), tail)
		p = parent
	}
}

// RepoRelative returns path (absolute, or relative to the working
// directory) as a slash path from the root of the git repository holding
// it, the form GitHub's workflow annotations need wherever the command
// ran; outside a repository, from $GITHUB_WORKSPACE when that holds it;
// otherwise path unchanged. Repository roots are looked up once per
// directory.
func RepoRelative(path string) string {
	if path == "" {
		return path
	}
	abs, err := filepath.Abs(path)
	if err != nil {
		return path
	}
	resolved, dir, err := ResolveExisting(abs)
	if err != nil {
		return path
	}
	for _, root := range []string{repoRoot(dir), workspace()} {
		if root == "" {
			continue
		}
		if rel, err := filepath.Rel(root, resolved); err == nil && rel != ".." && !strings.HasPrefix(rel, ".."+string(filepath.Separator)) {
			return filepath.ToSlash(rel)
		}
	}
	return path
}

var roots sync.Map // directory → its repository's root, resolved, or ""

func repoRoot(dir string) string {
	if r, ok := roots.Load(dir); ok {
		return r.(string)
	}
	root := ""
	cmd := exec.Command("git", "rev-parse", "--show-toplevel")
	cmd.Dir = dir
	if out, err := cmd.Output(); err == nil {
		root = filepath.FromSlash(strings.TrimSpace(string(out)))
		if r, err := filepath.EvalSymlinks(root); err == nil {
			root = r
		}
	}
	roots.Store(dir, root)
	return root
}

func workspace() string {
	ws := os.Getenv("GITHUB_WORKSPACE")
	if ws == "" {
		return ""
	}
	if r, err := filepath.EvalSymlinks(ws); err == nil {
		return r
	}
	return ws
}
