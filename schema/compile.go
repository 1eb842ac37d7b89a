package schema

// Options tune a compile.
type Options struct {
	// NoLock ignores permcat.lock on disk (IDs assigned from 1 in authored order).
	NoLock bool
}

// Compile loads the catalog at path (a root file or a directory holding
// permcat.yaml), reads permcat.lock beside it and resolves everything.
// errs holds every error and warning, sorted; cat is nil when errs has errors.
func Compile(path string, opts Options) (cat *Catalog, errs Errors) {
	panic("not implemented yet")
}
