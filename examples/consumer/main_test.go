package main

import (
	"encoding/json"
	"testing"

	"example.com/consumer/perms"
)

func TestAgentRefundsOnlyWhenOnCall(t *testing.T) {
	if perms.RoleAgent.Permissions(perms.Conditions{}).Has(perms.BillingRefund) {
		t.Error("an agent off call must not refund")
	}
	if !perms.RoleAgent.Permissions(perms.Conditions{OnCall: true}).Has(perms.BillingRefund) {
		t.Error("an agent on call refunds")
	}
}

func TestLeadInheritsAgentAndEditsCustomers(t *testing.T) {
	lead := perms.RoleLead.Permissions(perms.Conditions{})
	for _, p := range []perms.Permission{perms.TicketsClose, perms.CustomersEdit, perms.CustomersView} {
		if !lead.Has(p) {
			t.Errorf("lead lacks %s", p)
		}
	}
	if len(lead.Unmet()) != 0 {
		t.Errorf("a role's set has everything it requires: %v", lead.Unmet())
	}
	if l, ok := perms.RoleLead.Landing(); !ok || l != perms.GroupTickets {
		t.Errorf("landing is inherited: %v %v", l, ok)
	}
}

func TestSetsRoundTripThroughJSON(t *testing.T) {
	s := perms.NewSet(perms.TicketsEdit, perms.TicketsView)
	b, err := json.Marshal(s)
	if err != nil {
		t.Fatal(err)
	}
	if string(b) != `["tickets.edit","tickets.view"]` {
		t.Errorf("JSON = %s", b)
	}
	var back perms.Set
	if err := json.Unmarshal(b, &back); err != nil || back != s {
		t.Errorf("round trip: %v %v", back, err)
	}
	if err := json.Unmarshal([]byte(`["tickets.nope"]`), &back); err == nil {
		t.Error("an unknown key must not unmarshal")
	}
}

func TestEscalationBotProfile(t *testing.T) {
	missing := perms.ProfileEscalationBot.Missing(perms.NewSet(perms.TicketsEscalate))
	if len(missing) != 1 || missing[0] != perms.TicketsEdit {
		t.Errorf("missing = %v", missing)
	}
}
