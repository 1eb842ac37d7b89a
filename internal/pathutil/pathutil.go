// Package pathutil holds the path handling that the diff command and the
// output writer share.
package pathutil

import (
	"fmt"
	"os"
	"path/filepath"
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
