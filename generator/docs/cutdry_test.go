package docs

import (
	"os"
	"regexp"
	"slices"
	"strings"
	"testing"
)

// cutDryReading is how examples/cutdry/permcat.yaml reads seed 004. The
// seed's matrix lost its column alignment: each row lists its marks left to
// right with the empty cells dropped, so the example records whose each
// mark is (its header comment and the notes on each permission). These are
// the only differences allowed between the seed and the generated matrix:
// the marks of a row must be the seed's marks, in the columns given here.
// Columns: Admin, Salesperson, Accounts Receivable, Dispatcher.
var cutDryReading = map[string][4]string{
	"View all customers":                                {"X", "X*", "X", ""},
	"View assigned customers":                           {"X", "X", "X", "X"},
	"Edit a customer's profile info":                    {"X", "X", "X", ""},
	"Add or remove a salesperson on a customer account": {"X", "X", "", ""},
	"Add a new user to a customer's account":            {"X", "X", "X", "X"},
	"Place a customer order":                            {"X", "X", "X", ""},
	"Manage customer order guides":                      {"X", "X", "X", ""},
	"View a customer's past or recurring orders":        {"X", "X", "X", ""},
	"Preview catalog":                                   {"X", "X", "X", ""},
	"Manage catalog items":                              {"X", "X", "", ""},
	"Mark an item as new or on sale":                    {"X", "X", "", ""},
	"Add substitute(s) for an item":                     {"X", "X", "", ""},
	"Export catalog":                                    {"X", "X", "", ""},
	"Add banner images to your catalog":                 {"X", "X", "", ""},
	"Enable suggestive sales features":                  {"X", "X", "", ""},
	"Create or edit a featured list":                    {"X", "X", "", ""},
	"Suggest a product to one specific customer":        {"X", "X", "X", ""},
	"Broadcast to multiple customers":                   {"X", "X*", "X", ""},
	"Broadcast to one specific customer":                {"X", "X*", "X", ""},
	"Chat directly with a customer":                     {"X", "X*", "X", ""},
	"Resources: View/edit drivers and trucks":           {"X", "X", "", "X"},
	"Routes: Manage routes":                             {"X", "X", "", "X"},
	"Monitoring: View live delivery status":             {"X", "X", "X", "X"},
	"Notifications: Control delivery notifications":     {"X", "X", "", "X"},
	"View customer payment activity":                    {"X", "", "X", ""},
	"Add a payment method for a customer":               {"X", "", "X", ""},
	"Enable Auto Pay for a customer":                    {"X", "", "X", ""},
	"Charge a customer account":                         {"X", "", "X", ""},
	"Change company account settings":                   {"X", "", "X", "0*"},
	"Change personal account settings":                  {"X", "X", "X", "X"},
	"Set up an order cut-off alert":                     {"X", "", "", ""},
	"View and run reports":                              {"X", "", "X", ""},
}

// cutDryLanding maps the seed's "Default login section" names to the
// example's groups: the Customer Dashboard is the Customers section.
var cutDryLanding = map[string]string{
	"Customer Dashboard": "Customers",
	"Pay":                "Pay",
	"Track":              "Track",
}

type seedRow struct {
	section string
	action  string // as written, footnote marks included
	marks   []string
}

type seedMatrix struct {
	roles   []string
	rows    []seedRow
	notes   map[string]string // "X*", "**", "0*" → the footnote's text
	landing map[string]string // role → default login section
}

func readCutDrySeed(t *testing.T) seedMatrix {
	t.Helper()
	data, err := os.ReadFile("testdata/seeds/004_cutdry_role_matrix.txt")
	if err != nil {
		t.Fatal(err)
	}
	s := seedMatrix{landing: map[string]string{}, notes: map[string]string{}}
	lines := strings.Split(string(data), "\n")
	section, inMatrix, inLogin := "", false, false
	for i, line := range lines {
		cells := splitRow(line)
		switch {
		case line == "Role | Default login section |":
			inLogin = true
		case inLogin && line == "---|---|":
		case inLogin && len(cells) == 2:
			s.landing[cells[0]] = cells[1]
		case strings.HasPrefix(line, "Admin | Salesperson"):
			inLogin, inMatrix = false, true
			for _, c := range cells {
				if c != "" {
					s.roles = append(s.roles, c)
				}
			}
		case inMatrix && strings.HasPrefix(line, "Notes |"):
			parts := regexp.MustCompile(`(X\*|\*\*|0\*) = `).Split(lines[i+1], -1)
			keys := regexp.MustCompile(`(X\*|\*\*|0\*) = `).FindAllStringSubmatch(lines[i+1], -1)
			for j, k := range keys {
				s.notes[k[1]] = strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(parts[j+1]), "|"))
			}
			inMatrix = false
		case inMatrix && strings.HasSuffix(cells[0], " Section"):
			section = strings.TrimSuffix(cells[0], " Section")
		case inMatrix:
			inLogin = false
			var marks []string
			for _, c := range cells[1:] {
				if c != "" {
					marks = append(marks, c)
				}
			}
			s.rows = append(s.rows, seedRow{section: section, action: cells[0], marks: marks})
		default:
			inLogin = inLogin && line != ""
		}
	}
	if len(s.rows) != 32 || len(s.roles) != 4 || len(s.notes) != 3 || len(s.landing) != 4 {
		t.Fatalf("seed 004 read as %d rows, %d roles, %d notes, %d landing sections; want 32, 4, 3, 4",
			len(s.rows), len(s.roles), len(s.notes), len(s.landing))
	}
	return s
}

// generatedMark reduces a rendered mark to the seed's vocabulary: X, X*
// (conditional) and 0* (held with a limiting note).
func generatedMark(cell string) string {
	switch {
	case cell == "":
		return ""
	case strings.HasPrefix(cell, "X*"):
		return "X*"
	case cell == "X":
		return "X"
	case strings.HasPrefix(cell, "X") && len(footnoteRefs(cell)) > 0:
		return "0*"
	}
	return "unknown mark " + cell
}

func notesOf(t *testing.T, doc string) map[int]string {
	t.Helper()
	notes := map[int]string{}
	re := regexp.MustCompile(`(?m)^([0-9]+)\. <a id="note-[0-9]+"></a>(.*)$`)
	for _, m := range re.FindAllStringSubmatch(doc, -1) {
		n := 0
		for _, d := range m[1] {
			n = n*10 + int(d-'0')
		}
		notes[n] = plain(m[2])
	}
	return notes
}

func TestTheCutDryMatrixCarriesTheSeedMarks(t *testing.T) {
	seed := readCutDrySeed(t)
	doc := renderPath(t, catalogs["cutdry"])["roles.md"]
	m := findTable(t, doc, "Permission")
	var roles []string
	for _, h := range m.header[1:] {
		roles = append(roles, plain(h))
	}
	if !slices.Equal(roles, seed.roles) {
		t.Fatalf("role columns = %q, seed has %q", roles, seed.roles)
	}
	notes := notesOf(t, doc)

	var rows [][]string
	var sections []string
	section := ""
	for _, r := range m.rows {
		if strings.HasPrefix(r[0], "**") && strings.Join(r[1:], "") == "" {
			section = plain(r[0])
			sections = append(sections, section)
			continue
		}
		rows = append(rows, append([]string{section}, r...))
	}
	var seedSections []string
	for _, r := range seed.rows {
		if len(seedSections) == 0 || seedSections[len(seedSections)-1] != r.section {
			seedSections = append(seedSections, r.section)
		}
	}
	if !slices.Equal(sections, seedSections) {
		t.Errorf("sections = %q, seed has %q", sections, seedSections)
	}
	if len(rows) != len(seed.rows) {
		t.Fatalf("matrix has %d permission rows, seed %d", len(rows), len(seed.rows))
	}
	for i, want := range seed.rows {
		got := rows[i]
		action := strings.TrimSuffix(want.action, "**")
		if name := label(got[1]); name != action {
			t.Errorf("row %d is %q, seed row is %q", i+1, name, action)
			continue
		}
		if got[0] != want.section {
			t.Errorf("%q is under %q, seed has it under %q", action, got[0], want.section)
		}
		var marks, cols []string
		for _, c := range got[2:] {
			g := generatedMark(c)
			cols = append(cols, g)
			if g != "" {
				marks = append(marks, g)
			}
		}
		slices.Sort(marks)
		seedMarks := slices.Sorted(slices.Values(want.marks))
		if !slices.Equal(marks, seedMarks) {
			t.Errorf("%q has marks %q, seed has %q", action, marks, seedMarks)
		}
		reading, ok := cutDryReading[action]
		if !ok {
			t.Errorf("%q: no recorded reading of the seed row", action)
		} else if !slices.Equal(cols, reading[:]) {
			t.Errorf("%q: columns %q, the example's reading is %q", action, cols, reading)
		}
		// Each footnote mark carries the seed's own footnote text.
		for j, c := range got[2:] {
			for _, n := range footnoteRefs(c) {
				text := notes[n]
				switch cols[j] {
				case "X*":
					if !strings.Contains(text, seed.notes["X*"]) {
						t.Errorf("%q, %s: note %d is %q, want the seed's X* note", action, roles[j], n, text)
					}
				case "0*":
					if text != seed.notes["0*"] {
						t.Errorf("%q, %s: note %d is %q, want the seed's 0* note %q", action, roles[j], n, text, seed.notes["0*"])
					}
				}
			}
		}
		if strings.HasSuffix(want.action, "**") {
			found := false
			for _, n := range footnoteRefs(got[1]) {
				found = found || notes[n] == seed.notes["**"]
			}
			if !found {
				t.Errorf("%q: the row label carries no note with the seed's ** text %q", action, seed.notes["**"])
			}
		}
	}
}

func TestTheCutDryLandingSectionsAreTheSeedLoginView(t *testing.T) {
	seed := readCutDrySeed(t)
	doc := renderPath(t, catalogs["cutdry"])["roles.md"]
	tb := findTable(t, doc, "Role", "Landing section")
	if len(tb.rows) != len(seed.landing) {
		t.Fatalf("landing table has %d rows, the seed's login view %d", len(tb.rows), len(seed.landing))
	}
	for _, r := range tb.rows {
		role, section := plain(r[0]), plain(r[1])
		want, ok := cutDryLanding[seed.landing[role]]
		if !ok {
			t.Errorf("%s is not in the seed's login view", role)
		} else if section != want {
			t.Errorf("%s lands on %q; the seed says %q, which is %q", role, section, seed.landing[role], want)
		}
	}
}
