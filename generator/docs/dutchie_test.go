package docs

import (
	"os"
	"strings"
	"testing"
)

// seedPermissionLines returns seed 000's permission rows: the indented
// lines under each group (indented with a no-break space), "<name>
// <description>" with no separator.
func seedPermissionLines(t *testing.T) []string {
	t.Helper()
	data, err := os.ReadFile("testdata/seeds/000_dutchie_integrations.txt")
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	in := false
	for _, line := range strings.Split(string(data), "\n") {
		switch {
		case strings.HasPrefix(line, "User permission group"):
			in = true
		case strings.HasPrefix(line, "Learn more"):
			in = false
		case in && (strings.HasPrefix(line, "\u00a0") || strings.HasPrefix(line, " ")):
			out = append(out, strings.Join(strings.Fields(line), " "))
		}
	}
	return out
}

func TestTheDutchieReferenceListsEverySeedPermission(t *testing.T) {
	seed := seedPermissionLines(t)
	if len(seed) != 55 {
		t.Fatalf("read %d permission rows from seed 000, want 55", len(seed))
	}
	doc := renderPath(t, catalogs["dutchie"])["permissions.md"]
	type entry struct{ name, desc string }
	var ref []entry
	for _, tb := range tables(doc) {
		if tb.header[0] != "Permission" {
			continue
		}
		for _, r := range tb.rows {
			desc, _, _ := strings.Cut(plain(r[2]), "\n")
			ref = append(ref, entry{label(r[0]), strings.Join(strings.Fields(desc), " ")})
		}
	}
	if len(ref) != len(seed) {
		t.Errorf("the reference lists %d permissions, seed 000 has %d", len(ref), len(seed))
	}
	used := map[string]bool{}
	for _, line := range seed {
		// The seed does not separate name from description: the row is
		// the permission whose name, then its description, make the line.
		var match *entry
		for i, e := range ref {
			if line == e.name || line == e.name+" "+e.desc {
				match = &ref[i]
			}
		}
		if match == nil {
			t.Errorf("seed permission %q is not in the reference (as name and description)", line)
			continue
		}
		if used[match.name] {
			t.Errorf("seed permission %q matches %q twice", line, match.name)
		}
		used[match.name] = true
	}
}
