package sql

import (
	"fmt"
	"testing"

	"github.com/permcat/permcat/schema"
)

// largeCatalog has n permissions in groups of 50 under two top groups, an
// admin holding all of them and a role holding every other one under a
// condition. With moved, the first top group was renamed (formerly), which
// moves half the permissions.
func largeCatalog(n int, moved bool) *schema.Catalog {
	f := newFixture("large")
	f.condition("on", "on")
	tops := []string{"alpha", "beta"}
	if moved {
		tops[0] = "alpha_moved"
	}
	alpha := f.group(tops[0], "Alpha")
	if moved {
		alpha.Formerly = []string{"alpha"}
	}
	f.group(tops[1], "Beta")
	for i := 0; i < n; i++ {
		top := tops[i*2/n]
		g := fmt.Sprintf("%s.g%d", top, i/50)
		if f.cat.GroupByKey(g) == nil {
			sub := f.group(g, "Group "+g)
			if moved && top == "alpha_moved" {
				// As the resolver lists them: the key each subgroup had
				// before its parent moved.
				sub.Formerly = []string{fmt.Sprintf("alpha.g%d", i/50)}
			}
		}
		p := f.perm(fmt.Sprintf("%s.p%d", g, i), fmt.Sprintf("Permission %d", i), "Does thing number "+fmt.Sprint(i)+".")
		if moved && top == "alpha_moved" {
			p.Formerly = []string{fmt.Sprintf("alpha.g%d.p%d", i/50, i)}
		}
	}
	admin := f.role("admin", "Admin", tops[1])
	other := f.role("other", "Other", "")
	for i, p := range f.cat.Permissions {
		f.grant(admin, p.Key)
		if i%2 == 0 {
			f.grant(other, p.Key, "on")
		}
	}
	f.profile("all", "All", f.cat.Permissions[0].Key, f.cat.Permissions[n-1].Key)
	return f.done()
}

func TestALargeCatalogLoadsAndMovesHalfItsPermissions(t *testing.T) {
	eachDialect(t, func(t *testing.T, db testDB) {
		v1, v2 := largeCatalog(2000, false), largeCatalog(2000, true)
		apply(t, db, v1, DefaultPrefix)
		checkContents(t, db, DefaultPrefix, v1)
		if err := db.exec(appDDL(db.dialect(), DefaultPrefix) + `
INSERT INTO app_grants VALUES (1, 'alpha.g3.p150'), (2, 'beta.g39.p1999');
INSERT INTO app_sections VALUES (1, 'alpha.g3');`); err != nil {
			t.Fatal(err)
		}
		apply(t, db, v2, DefaultPrefix)
		checkContents(t, db, DefaultPrefix, v2)
		grants, sections := appRows(t, db)
		sameRows(t, "application grants after the move", grants, []string{pair("1", "alpha_moved.g3.p150"), pair("2", "beta.g39.p1999")})
		sameRows(t, "application sections after the move", sections, []string{pair("1", "alpha_moved.g3")})
	})
}

func TestTheSeedGrowsLinearlyWithTheCatalog(t *testing.T) {
	size := func(n int) int {
		files, err := Generate(largeCatalog(n, true), Options{})
		if err != nil {
			t.Fatal(err)
		}
		total := 0
		for _, f := range files {
			total += len(f.Content)
		}
		return total
	}
	small, big := size(1000), size(8000)
	if ratio := float64(big) / float64(small); ratio > 8.5 {
		t.Errorf("8× the permissions made the files %.1f× larger (%d → %d bytes); want at most linear growth", ratio, small, big)
	}
}
