package diff

import (
	"fmt"
	"sort"
	"strings"

	"github.com/permcat/permcat/schema"
)

// Finding is one reported change.
type Finding struct {
	Rule     string // a Rule ID
	Category Category
	// Pos is where the change is in NEW; for something NEW no longer has
	// (a deletion) it is where it was in OLD, and InOld is set.
	Pos   schema.Pos
	InOld bool
	// Ref is set when Pos is in a git ref's version of Pos.File rather
	// than in the file on disk: diff --against shows OLD's positions at
	// their working-tree paths, where the same line may now hold
	// something else, so every rendering names the ref with them.
	Ref string
	// RefPath is Pos.File from the repository's root, as git names it in
	// REF:path; set with Ref.
	RefPath string
	Message string

	// The subject, when the finding is about one: keys as in NEW (OLD's for
	// deletions).
	Role       string
	Permission string
	// When says under which conditions an access finding applies:
	// "always", "when c", "now only when c", … Empty for other rules.
	When string

	// Breaking is true when the finding blocks: WIRE by default; Mark
	// recomputes it for Options.
	Breaking bool
}

// String renders the finding as the text format does:
// `file:line:col: RULE_ID [CATEGORY, breaking|safe]: message`, or
// `REF:file:line:col: …` for a position in a git ref's version of the file.
// Every change is marked one or the other: breaking when its category or
// rule fails the check under the options (WIRE by default), safe otherwise.
func (f Finding) String() string {
	tag := string(f.Category) + ", safe"
	if f.Breaking {
		tag = string(f.Category) + ", breaking"
	}
	pos := f.where()
	if pos != "" {
		pos += ": "
	}
	return fmt.Sprintf("%s%s [%s]: %s", pos, f.Rule, tag, oneLine(f.Message))
}

// where is the finding's position as text. A position in a git ref's
// version is written as git names that version, REF:path, so that neither
// a reader nor an editor that follows `file:line:col` takes it for the
// line in the working tree.
func (f Finding) where() string {
	pos := f.Pos.String()
	if pos != "" && f.Ref != "" {
		p := f.Pos
		if f.RefPath != "" {
			p.File = f.RefPath
		}
		pos = f.Ref + ":" + p.String()
	}
	return pos
}

// Options decide which findings block.
type Options struct {
	// Allow lists rule IDs that never block, whatever their category.
	Allow []string
	// FailOn lists categories that block besides WIRE (e.g. Source, Access).
	FailOn []Category
}

// Validate reports unknown rule IDs in Allow and unknown categories in
// FailOn, so that a typo in CI configuration does not silently allow
// nothing.
func (o Options) Validate() error {
	var bad []string
	for _, id := range o.Allow {
		if _, ok := RuleByID(id); !ok {
			bad = append(bad, fmt.Sprintf("unknown rule %q in --allow%s", id, suggestRule(id)))
		}
	}
	for _, c := range o.FailOn {
		if c.rank() == len(Categories) {
			bad = append(bad, fmt.Sprintf("unknown category %q in --fail-on (expected one of wire, source, access, safe)", string(c)))
		}
	}
	if len(bad) > 0 {
		return fmt.Errorf("%s", strings.Join(bad, "; "))
	}
	return nil
}

// suggestRule names the rule a misspelt ID probably meant.
func suggestRule(id string) string {
	up := strings.ToUpper(strings.TrimSpace(id))
	if _, ok := RuleByID(up); ok {
		return fmt.Sprintf(" (did you mean %s?)", up)
	}
	for _, r := range Rules {
		if strings.Contains(r.ID, up) && up != "" {
			return fmt.Sprintf(" (did you mean %s?)", r.ID)
		}
	}
	// A typo: the closest ID within a few edits.
	limit := max(2, len(up)/5)
	best, bestD := "", limit+1
	for _, r := range Rules {
		if d := schema.EditDistance(up, r.ID, limit); d < bestD {
			best, bestD = r.ID, d
		}
	}
	if best != "" {
		return fmt.Sprintf(" (did you mean %s?)", best)
	}
	return ""
}

// blocks reports whether a finding of rule id and category c blocks.
func (o Options) blocks(id string, c Category) bool {
	for _, a := range o.Allow {
		if a == id {
			return false
		}
	}
	if c == Wire {
		return true
	}
	for _, x := range o.FailOn {
		if x == c {
			return true
		}
	}
	return false
}

// Mark returns a copy of fs with Breaking set according to opts.
func Mark(fs []Finding, opts Options) ([]Finding, error) {
	if err := opts.Validate(); err != nil {
		return nil, err
	}
	out := make([]Finding, len(fs))
	for i, f := range fs {
		f.Breaking = opts.blocks(f.Rule, f.Category)
		out[i] = f
	}
	return out, nil
}

// Breaking reports whether any finding blocks under opts (the CLI exits 1
// then). The error reports invalid options.
func Breaking(fs []Finding, opts Options) (bool, error) {
	if err := opts.Validate(); err != nil {
		return false, err
	}
	for _, f := range fs {
		if opts.blocks(f.Rule, f.Category) {
			return true, nil
		}
	}
	return false, nil
}

// Counts returns how many findings each category holds.
func Counts(fs []Finding) map[Category]int {
	m := map[Category]int{}
	for _, f := range fs {
		m[f.Category]++
	}
	return m
}

// RewritePaths returns a copy of fs with every position whose file lies
// under the directory from moved under to instead. The CLI uses it to show
// a catalog checked out from git at its path in the working tree, and tests
// to keep golden files free of temp directories.
func RewritePaths(fs []Finding, from, to string) []Finding {
	out := make([]Finding, len(fs))
	for i, f := range fs {
		f.Pos.File = rebase(f.Pos.File, from, to)
		out[i] = f
	}
	return out
}

// sortFindings orders findings by category (most severe first), then
// place; findings at the same place keep the order Compare emitted them in,
// which follows the catalogs' authored order and keeps each subject's
// findings together (two preset permissions share their group's `preset`
// position; a role's losses share the role's, and gains through one grant
// share the grant's).
func sortFindings(fs []Finding) {
	sort.SliceStable(fs, func(i, j int) bool {
		a, b := fs[i], fs[j]
		if ra, rb := a.Category.rank(), b.Category.rank(); ra != rb {
			return ra < rb
		}
		return a.Pos.Less(b.Pos)
	})
}
