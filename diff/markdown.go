package diff

import (
	"fmt"
	"io"
	"strings"
)

// writeMarkdown renders a pull-request comment: a summary line, the
// breaking findings, each role's gained and lost permissions, then every
// other finding folded away.
func writeMarkdown(w io.Writer, fs []Finding) {
	fmt.Fprintln(w, "## permcat diff")
	fmt.Fprintln(w)
	if len(fs) == 0 {
		fmt.Fprintln(w, "No changes to the catalog.")
		return
	}
	counts := Counts(fs)
	var breaking, other []Finding
	var roles []string
	perRole := map[string][]Finding{}
	for _, f := range fs {
		switch {
		case f.Breaking:
			breaking = append(breaking, f)
		case (f.Rule == RoleGainsPermission || f.Rule == RoleLosesPermission) && f.Role != "":
			// shown in the role tables below
		default:
			other = append(other, f)
		}
		if (f.Rule == RoleGainsPermission || f.Rule == RoleLosesPermission) && f.Role != "" {
			if perRole[f.Role] == nil {
				roles = append(roles, f.Role)
			}
			perRole[f.Role] = append(perRole[f.Role], f)
		}
	}
	var parts []string
	for _, c := range Categories {
		parts = append(parts, fmt.Sprintf("%s %d", c, counts[c]))
	}
	verdict := "No breaking changes."
	switch n := len(breaking); {
	case n == 1:
		verdict = "**1 breaking change.**"
	case n > 1:
		verdict = fmt.Sprintf("**%d breaking changes.**", n)
	}
	fmt.Fprintf(w, "%s %s.\n", verdict, strings.Join(parts, " · "))

	if len(breaking) > 0 {
		fmt.Fprintln(w)
		fmt.Fprintln(w, "### Breaking changes")
		fmt.Fprintln(w)
		findingTable(w, breaking)
	}
	if len(roles) > 0 {
		fmt.Fprintln(w)
		fmt.Fprintln(w, "### Access by role")
		for _, r := range roles {
			fmt.Fprintln(w)
			fmt.Fprintf(w, "#### `%s`\n\n", r)
			fmt.Fprintln(w, "| Permission | Change | When |")
			fmt.Fprintln(w, "| --- | --- | --- |")
			for _, f := range perRole[r] {
				change := "gained"
				if f.Rule == RoleLosesPermission {
					change = "lost"
				}
				if f.Breaking {
					change += " (breaking)"
				}
				fmt.Fprintf(w, "| `%s` | %s | %s |\n", cell(f.Permission), change, cell(f.When))
			}
		}
	}
	if len(other) > 0 {
		fmt.Fprintln(w)
		fmt.Fprintf(w, "<details><summary>%d other %s, all safe</summary>\n\n", len(other), plural(len(other), "change", "changes"))
		findingTable(w, other)
		fmt.Fprintln(w)
		fmt.Fprintln(w, "</details>")
	}
}

func findingTable(w io.Writer, fs []Finding) {
	fmt.Fprintln(w, "| Rule | Category | Where | Change |")
	fmt.Fprintln(w, "| --- | --- | --- | --- |")
	for _, f := range fs {
		where := f.where()
		if where != "" {
			where = "`" + cell(where) + "`"
			if f.InOld {
				where += " (old)"
			}
		}
		fmt.Fprintf(w, "| `%s` | %s | %s | %s |\n", f.Rule, f.Category, where, cell(f.Message))
	}
}

// cell makes text safe inside a Markdown table cell.
func cell(s string) string {
	return strings.NewReplacer("|", `\|`, "\r\n", " ", "\n", " ", "\r", " ").Replace(s)
}

func plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}
