package metrc_test

import (
	"testing"

	"github.com/permcat/permcat/generated/metrc/metrc"
)

// Every area's Manage permission, in authored order: the seven seed 003
// lists for the Reverse Sync User, in its order, then Employees. The
// profile asks for Manage on every area ("no unchecked permission areas").
var allManage = []metrc.Permission{
	metrc.PackagesManage, metrc.TransfersManage, metrc.SalesManage, metrc.TagOrdersManage,
	metrc.TagsManage, metrc.StrainsManage, metrc.ItemsManage, metrc.EmployeesManage,
}

func TestManageImpliesView(t *testing.T) {
	for _, p := range metrc.All() {
		if p.String()[len(p.String())-len(".manage"):] != ".manage" {
			continue
		}
		view := metrc.MustParse(p.Group().String() + ".view")
		if got := metrc.NewSet(p).Closure(); !got.Has(view) {
			t.Errorf("holding %s must grant %s", p, view)
		}
		if s, ok := p.Scope(); !ok || s != metrc.ScopeFacility {
			t.Errorf("%s is set per facility", p)
		}
	}
}

func TestAViewOnlyUserLacksEveryManagePermission(t *testing.T) {
	var views metrc.Set
	for _, p := range allManage {
		views = views.With(metrc.MustParse(p.Group().String() + ".view"))
	}
	missing := metrc.ProfileReverseSyncUser.Missing(views)
	if len(missing) != len(allManage) {
		t.Fatalf("missing %v, want every area's Manage permission", missing)
	}
	for i, p := range allManage {
		if missing[i] != p {
			t.Errorf("missing[%d] = %s, want %s", i, missing[i], p)
		}
	}
	if got := metrc.ProfileReverseSyncUser.Missing(metrc.NewSet(allManage...)); len(got) != 0 {
		t.Errorf("Manage everywhere satisfies the profile, still missing %v", got)
	}
	if got := metrc.ProfileReverseSyncUser.Missing(metrc.NewSet(allManage[1:]...)); len(got) != 1 || got[0] != metrc.PackagesManage {
		t.Errorf("one area left at View: missing %v", got)
	}
}

func TestTheReverseSyncRoleMeetsTheProfile(t *testing.T) {
	set := metrc.RoleReverseSyncUser.Permissions(metrc.Conditions{})
	if got := metrc.ProfileReverseSyncUser.Missing(set); len(got) != 0 {
		t.Errorf("the reverse sync user role lacks %v", got)
	}
	if got := metrc.ProfileReverseSyncUser.Missing(metrc.RoleViewer.Permissions(metrc.Conditions{})); len(got) != len(allManage) {
		t.Errorf("a viewer lacks every area's Manage permission, got %v", got)
	}
}

// Metrc sets every permission per facility, so every role holds what it
// holds within a facility and nothing everywhere: an application asks
// Within(ScopeFacility, …) for the facility a user works at.
func TestEveryGrantIsPerFacility(t *testing.T) {
	for _, r := range metrc.AllRoles() {
		all := r.Permissions(metrc.Conditions{})
		if all.Len() == 0 {
			t.Fatalf("role %s holds nothing", r)
		}
		if e := r.Everywhere(metrc.Conditions{}); e.Len() != 0 {
			t.Errorf("role %s holds %v everywhere; Metrc grants per facility", r, e.Permissions())
		}
		if w := r.Within(metrc.ScopeFacility, metrc.Conditions{}); w != all {
			t.Errorf("role %s within a facility holds %v, want %v", r, w.Permissions(), all.Permissions())
		}
		if r.HasWithin(metrc.PackagesView, 0, metrc.Conditions{}) {
			t.Errorf("role %s holds packages.view outside any facility", r)
		}
	}
}
