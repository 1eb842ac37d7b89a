// Package diff reviews a change to a permission catalog, the way buf's
// breaking-change detector reviews a change to protobuf files: it compares
// two compiled catalogs and reports each change as a Finding with a stable
// rule ID (see Rules), a category and a position.
//
//	old, _ := schema.Compile("base/permcat.yaml", schema.Options{})
//	new, _ := schema.Compile("permcat.yaml", schema.Options{})
//	fs := diff.Compare(old, new)
//	broken, err := diff.Breaking(fs, diff.Options{FailOn: []diff.Category{diff.Source}})
//	diff.Write(os.Stdout, "github", fs, opts)
//
// Categories: WIRE findings break persisted data or other services (a
// deleted permission, a key renamed without `formerly`, a changed lock ID)
// and are breaking by default; SOURCE findings break code that imports the
// generated packages; ACCESS findings change who may do what and are for
// review; SAFE findings break nothing. Options.Allow exempts rules,
// Options.FailOn makes more categories breaking.
//
// Identity: a permission in NEW is the one in OLD with the same key, else
// the one whose key it lists in `formerly`, else the one whose lock ID it
// kept when NEW's permcat.lock records the OLD key under that ID. What is
// left is checked for renames without `formerly`: a group that vanished
// while a new one has the same permission segments (Hypur → POSaBit Pay),
// or a permission with the same display name. Role access is compared on
// effective sets (closed under implies, extends applied, except removed)
// per condition, so a change to `implies` or `extends` shows as the access
// it really changes, and a moved permission is neither lost nor gained.
//
// Checkout extracts the catalog at a git ref, for `permcat diff --against
// origin/main` in CI. Its findings about what the working tree no longer
// has are shown at the working-tree path, but their lines are the ref's,
// so the text reads `origin/main:catalog/permcat.yaml:12:7: …` (json adds
// "ref", github annotates the file without a line).
package diff
