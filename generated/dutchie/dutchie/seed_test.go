package dutchie_test

import (
	"strings"
	"testing"

	"github.com/permcat/permcat/generated/dutchie/dutchie"
)

// Seed 000: an Edit row that says "Associated "View" permission must be
// enabled as well" requires its View; the three Edit rows that do not say
// it (Birchmount, OCS, Non-integrated payments) require nothing.
var unstated = map[string]bool{
	"integrations.birchmount.edit":              true,
	"integrations.ocs.edit":                     true,
	"integrations.non_integrated_payments.edit": true,
}

func TestEditRequiresViewWhereTheGuideSaysSo(t *testing.T) {
	edits := 0
	for _, p := range dutchie.All() {
		key := p.String()
		if !strings.HasSuffix(key, ".edit") {
			continue
		}
		edits++
		view := dutchie.MustParse(strings.TrimSuffix(key, ".edit") + ".view")
		if unstated[key] {
			if len(p.Requires()) != 0 || len(dutchie.NewSet(p).Unmet()) != 0 {
				t.Errorf("%s: the guide states no prerequisite, but it requires %v", key, p.Requires())
			}
			continue
		}
		found := false
		for _, r := range p.Requires() {
			found = found || r == view
		}
		if !found {
			t.Errorf("%s (%q) does not require %s", key, p.Name(), view)
		}
		if unmet := dutchie.NewSet(p).Unmet(); len(unmet) != 1 || unmet[0].Permission != p {
			t.Errorf("a set holding only %s must report it unmet, got %v", key, unmet)
		}
		if unmet := dutchie.NewSet(p, view).Unmet(); len(unmet) != 0 {
			t.Errorf("%s with its view is complete, got %v", key, unmet)
		}
	}
	if edits != 21 {
		t.Errorf("the guide has 21 Edit permissions with a View (CCRS has View only); found %d", edits)
	}
}

func TestTheGuidesExtraPermissionsCarryTheirRequirements(t *testing.T) {
	cases := map[string]string{
		"integrations.metrc.batch_mode":             "integrations.metrc.edit",
		"integrations.biotrack.destruction_manager": "integrations.biotrack.view",
	}
	for p, want := range cases {
		got := dutchie.MustParse(p).Requires()
		if len(got) != 1 || got[0].String() != want {
			t.Errorf("%s requires %v, want %s", p, got, want)
		}
	}
	if _, ok := dutchie.Parse("integrations.ccrs.edit"); ok {
		t.Error("CCRS has View only")
	}
}

func TestHypurIsNowPOSaBitPayAndItsOldKeysStillParse(t *testing.T) {
	for _, seg := range []string{"view", "edit"} {
		old, ok := dutchie.Parse("integrations.hypur." + seg)
		cur := dutchie.MustParse("integrations.posabit_pay." + seg)
		if !ok || old != cur {
			t.Errorf("integrations.hypur.%s parses to %v (%v), want %v", seg, old, ok, cur)
		}
	}
	if dutchie.IntegrationsPosabitPayView.Group().Name() != "POSaBit Pay" {
		t.Error("the group is named POSaBit Pay")
	}
	if got := dutchie.IntegrationsPosabitPayEdit.Name(); got != "Edit Hypur Integration" {
		t.Errorf("permission names stay as the guide writes them, got %q", got)
	}
}

func TestEveryPermissionOfTheGuideIsThere(t *testing.T) {
	if n := len(dutchie.All()); n != 55 {
		t.Errorf("the guide lists 55 permissions, the package has %d", n)
	}
	for _, name := range []string{"Edit Quickbooks Integration", "METRC Batch Mode", "Manually Fetch QR IDs", "View METRC Receipt Reconciliation", "Biotrack Destruction Manager", "Generate PMP Upload File", "Update PMP Settings", "View CCRS Integration", "Send campaigns", "View email templates", "Edit SAML Configuration"} {
		found := false
		for _, p := range dutchie.All() {
			found = found || p.Name() == name
		}
		if !found {
			t.Errorf("no permission named %q", name)
		}
	}
}
