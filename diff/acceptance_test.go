package diff

import (
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/permcat/permcat/schema"
)

// copyTree copies the catalog directory src into a fresh temporary
// directory, leaving out permcat.lock so each test decides the lock.
func copyTree(t *testing.T, src string) string {
	t.Helper()
	dst := t.TempDir()
	err := filepath.WalkDir(src, func(p string, d os.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(src, p)
		target := filepath.Join(dst, rel)
		if d.IsDir() {
			return os.MkdirAll(target, 0o755)
		}
		if d.Name() == schema.LockFileName {
			return nil
		}
		data, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		return os.WriteFile(target, data, 0o644)
	})
	if err != nil {
		t.Fatal(err)
	}
	return dst
}

// edit replaces old by new in a file, failing when old is not there: the
// example changed and the test must follow it.
func edit(t *testing.T, file, old, new string) {
	t.Helper()
	data, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(data), old) {
		t.Fatalf("%s no longer contains %q", file, old)
	}
	if err := os.WriteFile(file, []byte(strings.Replace(string(data), old, new, 1)), 0o644); err != nil {
		t.Fatal(err)
	}
}

// writeLock commits cat's lock beside the catalog at dir, as `permcat
// generate` would between two releases.
func writeLock(t *testing.T, dir string, cat *schema.Catalog) {
	t.Helper()
	if err := os.WriteFile(filepath.Join(dir, schema.LockFileName), cat.Lock.Format(), 0o644); err != nil {
		t.Fatal(err)
	}
}

func rulesOf(fs []Finding) map[string]int {
	m := map[string]int{}
	for _, f := range fs {
		m[f.Rule]++
	}
	return m
}

// dutchieWithHypur returns the Dutchie example as it was before the
// rename: the group keyed integrations.hypur, compiled, with its lock
// committed.
func dutchieWithHypur(t *testing.T) (dir string, cat *schema.Catalog) {
	t.Helper()
	dir = copyTree(t, "../examples/dutchie")
	frag := filepath.Join(dir, "integrations", "posabit_pay.yaml")
	edit(t, frag, "      posabit_pay:\n", "      hypur:\n")
	edit(t, frag, "        formerly: [integrations.hypur]\n", "")
	cat = compileDir(t, dir)
	writeLock(t, dir, cat)
	return dir, cat
}

func TestRenamingHypurWithoutFormerlyIsBreaking(t *testing.T) {
	oldDir, old := dutchieWithHypur(t)
	newDir := copyTree(t, "../examples/dutchie")
	edit(t, filepath.Join(newDir, "integrations", "posabit_pay.yaml"), "        formerly: [integrations.hypur]\n", "")
	copyLock(t, oldDir, newDir)
	fs := Compare(old, compileDir(t, newDir))

	broken, err := Breaking(fs, Options{})
	if err != nil || !broken {
		t.Fatalf("Breaking = %v, %v; want true", broken, err)
	}
	var renamed []string
	for _, f := range fs {
		if f.Rule == PermissionRenamedWithoutFormerly {
			renamed = append(renamed, f.Permission)
		}
		if f.Rule == PermissionDeleted {
			t.Errorf("a rename is reported as a deletion: %s", f)
		}
	}
	want := replaceAll(keysUnder(old, "integrations.hypur."), "integrations.hypur.", "integrations.posabit_pay.")
	sort.Strings(renamed)
	sort.Strings(want)
	if len(want) == 0 || strings.Join(renamed, " ") != strings.Join(want, " ") {
		t.Errorf("renamed permissions = %v; want every Hypur permission, moved: %v", renamed, want)
	}
}

func TestRenamingHypurWithFormerlyIsSafeAndKeepsIDs(t *testing.T) {
	oldDir, old := dutchieWithHypur(t)
	newDir := copyTree(t, "../examples/dutchie")
	copyLock(t, oldDir, newDir)
	new := compileDir(t, newDir)
	fs := Compare(old, new)

	broken, err := Breaking(fs, Options{})
	if err != nil || broken {
		t.Fatalf("Breaking = %v, %v; want false:\n%s", broken, err, render(t, fs))
	}
	for _, key := range keysUnder(old, "integrations.hypur.") {
		moved := strings.Replace(key, "integrations.hypur.", "integrations.posabit_pay.", 1)
		q, p := old.PermissionByKey(key), new.PermissionByKey(moved)
		if p == nil {
			t.Fatalf("%s is missing from the new catalog", moved)
		}
		if q.ID != p.ID {
			t.Errorf("%s changed ID from %d to %d", moved, q.ID, p.ID)
		}
	}
	rules := rulesOf(fs)
	if rules[PermissionMoved] != len(keysUnder(old, "integrations.hypur.")) || rules[GroupMoved] != 1 {
		t.Errorf("want PERMISSION_MOVED per permission and one GROUP_MOVED, got %v", rules)
	}
	if rules[GoNameChanged] == 0 {
		t.Errorf("a move changes Go names; want GO_NAME_CHANGED (SOURCE), got %v", rules)
	}
	if rules[RoleGainsPermission]+rules[RoleLosesPermission] != 0 {
		t.Errorf("a moved permission shows up as access change:\n%s", render(t, fs))
	}
	if broken, _ := Breaking(fs, Options{FailOn: []Category{Source}}); !broken {
		t.Error("with --fail-on source the changed Go names must block")
	}
}

func TestADutchiePermissionThatNowImpliesEditGrowsExactlyTheRolesThatHeldItWithoutEdit(t *testing.T) {
	oldDir, old := dutchieWithHypur(t)
	newDir := copyTree(t, oldDir)
	copyLock(t, oldDir, newDir)
	edit(t, filepath.Join(newDir, "integrations", "metrc.yaml"),
		"        permissions:\n",
		"        permissions:\n          view:\n            implies: [edit]\n")
	new := compileDir(t, newDir)
	fs := Compare(old, new)

	var gained []string
	for _, f := range fs {
		switch f.Rule {
		case RoleGainsPermission:
			gained = append(gained, f.Role+" "+f.Permission)
		case RoleLosesPermission:
			t.Errorf("adding an implication lost access: %s", f)
		}
	}
	// Independently: the roles whose effective sets, by key, grew.
	var grew []string
	for _, r := range new.Roles {
		had := map[string]bool{}
		for _, g := range old.RoleByKey(r.Key).Effective {
			had[g.Permission.Key] = true
		}
		for _, g := range r.Effective {
			if !had[g.Permission.Key] {
				grew = append(grew, r.Key+" "+g.Permission.Key)
			}
		}
	}
	sort.Strings(gained)
	sort.Strings(grew)
	if strings.Join(gained, ", ") != strings.Join(grew, ", ") {
		t.Errorf("gains reported: %v\nroles that grew: %v", gained, grew)
	}
	// The viewer holds every View but no Edit; the admin already holds
	// everything; the marketing manager holds no Metrc permission.
	if want := "integrations_viewer integrations.metrc.edit"; strings.Join(gained, ", ") != want {
		t.Errorf("gains = %v; want %s", gained, want)
	}
	if rulesOf(fs)[ImpliesAdded] != 1 {
		t.Errorf("want one IMPLIES_ADDED:\n%s", render(t, fs))
	}
	if broken, _ := Breaking(fs, Options{}); broken {
		t.Error("access changes must not block by default")
	}
	if broken, _ := Breaking(fs, Options{FailOn: []Category{Access}}); !broken {
		t.Error("--fail-on access must block on access changes")
	}
}

func TestEveryExampleComparedWithItselfHasNoFindings(t *testing.T) {
	for _, name := range []string{"dutchie", "metrc", "cutdry"} {
		dir := filepath.Join("..", "examples", name)
		if fs := Compare(compileDir(t, dir), compileDir(t, dir)); len(fs) != 0 {
			t.Errorf("%s:\n%s", name, render(t, fs))
		}
	}
}

func copyLock(t *testing.T, from, to string) {
	t.Helper()
	data, err := os.ReadFile(filepath.Join(from, schema.LockFileName))
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(to, schema.LockFileName), data, 0o644); err != nil {
		t.Fatal(err)
	}
}

func keysUnder(cat *schema.Catalog, prefix string) []string {
	var out []string
	for _, p := range cat.Permissions {
		if strings.HasPrefix(p.Key, prefix) {
			out = append(out, p.Key)
		}
	}
	return out
}

func replaceAll(keys []string, old, new string) []string {
	out := make([]string, len(keys))
	for i, k := range keys {
		out[i] = strings.Replace(k, old, new, 1)
	}
	return out
}

func render(t *testing.T, fs []Finding) string {
	t.Helper()
	var b strings.Builder
	if err := Write(&b, "text", fs, Options{}); err != nil {
		t.Fatal(err)
	}
	return b.String()
}
