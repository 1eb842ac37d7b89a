package schema

import (
	"errors"
	"io/fs"
	"path/filepath"
	"strings"
)

// Options tune a compile.
type Options struct {
	// NoLock ignores permcat.lock on disk (IDs assigned from 1 in authored order).
	NoLock bool
}

func lockPathFor(root string) string { return filepath.Join(filepath.Dir(root), LockFileName) }

// LockPath returns where the lock of the catalog rooted at root lives.
func LockPath(root string) string { return lockPathFor(root) }

// Compile loads the catalog at path (a root file or a directory holding
// permcat.yaml), reads permcat.lock beside it and resolves everything.
// errs holds every error and warning, sorted; cat is nil when errs has errors.
func Compile(path string, opts Options) (cat *Catalog, errs Errors) {
	root, ferr := FindRoot(path)
	if ferr != nil {
		return nil, Errors{*ferr}
	}
	// The lock is read and parsed beside the catalog; resolve waits for it
	// when it assigns IDs, its last step, or earlier when a group has
	// `formerly`.
	var old *Lock
	var lockErrs Errors
	lockRead := make(chan struct{})
	go func() {
		defer close(lockRead)
		if opts.NoLock {
			return
		}
		lp := lockPathFor(root)
		data, err := ReadRegularFile(lp, MaxLockSize, "lock files")
		switch {
		case err == nil:
			old, lockErrs = ParseLock(lp, data)
		case errors.Is(err, fs.ErrNotExist):
		default:
			lockErrs = Errors{{Pos: Pos{File: lp}, Rule: "file-read", Msg: err.Error()}}
		}
	}()
	waitLock := func() *Lock {
		<-lockRead
		return old
	}
	files, lerrs := loadFiles(root)
	errs = append(errs, lerrs...)
	if files == nil {
		waitLock() // its findings are not reported without a catalog
		return nil, errs.Sort()
	}
	var schemaErrs Errors
	for _, f := range files {
		if !f.validated {
			f.schemaErrs, f.validated = validateSchema(f), true
		}
		schemaErrs = append(schemaErrs, f.schemaErrs...)
	}
	cat, rerrs, quiet := resolve(files, waitLock)
	waitLock()
	errs = append(errs, lockErrs...)
	errs = append(errs, rerrs...)
	// Where the resolver, or the loader about an include pattern, already
	// explained a node, its message is the more specific one; drop the
	// schema's report of the same node ("empty include pattern", not
	// "length must be >= 1").
	at := map[Pos]bool{}
	for _, e := range rerrs {
		if e.Severity == SeverityError {
			at[e.Pos] = true
		}
	}
	for _, e := range lerrs {
		if e.Severity == SeverityError && strings.HasPrefix(e.Rule, "include-") {
			at[e.Pos] = true
		}
	}
	for _, e := range schemaErrs {
		if !at[e.Pos] && !quiet[e.Pos] {
			errs = append(errs, e)
		}
	}
	errs = errs.Sort()
	if errs.HasErrors() {
		return nil, errs
	}
	for _, e := range errs {
		cat.Warnings = append(cat.Warnings, e)
	}
	return cat, errs
}
