package conformance

import (
	"fmt"
	"path/filepath"

	"github.com/permcat/permcat/internal/synth"
	"github.com/permcat/permcat/schema"
)

// Synthetic compiles n synthetic catalogs of varied shape (conditions,
// presets, deep groups, extends chains, scopes, former keys, hostile text)
// through the real front end, writing their YAML under dir. Unlike Random,
// these exercise schema.Compile end to end.
func Synthetic(seed int64, n int, dir string) ([]*schema.Catalog, error) {
	var out []*schema.Catalog
	for i, o := range synth.Varied(seed, n) {
		d, err := synth.Write(filepath.Join(dir, fmt.Sprintf("synth%d", i)), o)
		if err != nil {
			return nil, err
		}
		cat, errs := schema.Compile(d, schema.Options{})
		if errs.HasErrors() {
			return nil, fmt.Errorf("synthetic catalog %d (seed %d) does not compile:\n%v", i, o.Seed, errs)
		}
		out = append(out, cat)
	}
	return out, nil
}
