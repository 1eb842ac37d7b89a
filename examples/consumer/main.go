// Command consumer shows how an application uses a permcat-generated
// package: parse keys from storage, check a role's set, report gaps.
package main

import (
	"encoding/json"
	"fmt"
	"os"

	"example.com/consumer/perms"
)

func main() {
	// Keys arrive from a database or a token.
	stored := []string{"tickets.view", "tickets.edit", "customers.view"}
	var held perms.Set
	for _, k := range stored {
		p, ok := perms.Parse(k)
		if !ok {
			fmt.Fprintf(os.Stderr, "unknown permission %q\n", k)
			os.Exit(1)
		}
		held = held.With(p)
	}
	agent := perms.RoleAgent.Permissions(perms.Conditions{OnCall: true})
	fmt.Println("agent on call may refund:", agent.Has(perms.BillingRefund))
	fmt.Println("stored set within agent's:", held.IsSubsetOf(agent))
	fmt.Println("escalation bot lacks:", perms.ProfileEscalationBot.Missing(held))
	out, _ := json.Marshal(held)
	fmt.Println("as JSON:", string(out))
}
