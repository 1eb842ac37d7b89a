// Package synth writes synthetic, valid catalogs for randomized tests and
// benchmarks. The same seed and options always give the same catalog.
package synth

import (
	"fmt"
	"math/rand"
	"os"
	"path/filepath"
	"strings"
)

// Options shape a synthetic catalog.
type Options struct {
	Seed        int64
	Permissions int  // number of permissions: at least this many, exactly with Exact (at least 1)
	Exact       bool // stop at exactly Permissions permissions, as benchmarks sized by key count need
	Conditions  int  // conditions declared (each used by some grant when roles exist)
	Roles       int
	Profiles    int
	Scopes      int
	MaxDepth    int  // group nesting depth (1 = top-level groups only)
	Presets     bool // use a view/edit/manage preset for some groups
	Formerly    bool // give some permissions former keys
	Deprecated  bool // deprecate some permissions
	Hostile     bool // put quotes, backslashes, `${`, `*/`, U+2028, emoji and `$$` in names and descriptions
}

var words = []string{"orders", "customers", "catalog", "billing", "reports", "settings", "integrations", "inventory",
	"shipping", "payments", "users", "teams", "audit", "export", "import", "pricing", "promotions", "tax", "devices",
	"stores", "vendors", "loyalty", "delivery", "routes", "drivers", "campaigns", "templates", "webhooks", "tokens", "compliance"}

var verbs = []string{"view", "edit", "manage", "create", "delete", "approve", "export", "configure", "run", "send", "sync", "archive"}

var hostile = []string{`Quote "double" and 'single'`, `Back\slash \n not a newline`, "Template ${injection}", "Comment */ end", "Line\u2028separator", "Emoji 🔐 ok", "Dollar $$ and $permcat$ tags", "SQL -- comment /* block */; DROP TABLE x;", "Tab\tand\nnewline", "<b>html</b> & | pipes |"}

// Catalog renders a root file (YAML) for the options.
func Catalog(o Options) string {
	p := render(o)
	return p.head + "groups:\n" + strings.Join(p.groups, "") + p.tail
}

// parts is a rendered catalog: the header (everything before groups), each
// top-level group's text, and the rest (roles, profiles).
type parts struct {
	head   string
	groups []string
	tail   string
}

func render(o Options) parts {
	r := rand.New(rand.NewSource(o.Seed))
	if o.Permissions < 1 {
		o.Permissions = 1
	}
	if o.MaxDepth < 1 {
		o.MaxDepth = 1
	}
	var b strings.Builder
	fmt.Fprintf(&b, "permcat: 1\ncatalog: synth_%d\ntitle: %s\n", o.Seed, q(text(r, o, "Synthetic catalog")))
	if o.Scopes > 0 {
		b.WriteString("scopes:\n")
		for i := 0; i < o.Scopes; i++ {
			fmt.Fprintf(&b, "  scope_%d: {description: %s}\n", i, q(text(r, o, fmt.Sprintf("Scope %d", i))))
		}
	}
	if o.Conditions > 0 {
		b.WriteString("conditions:\n")
		for i := 0; i < o.Conditions; i++ {
			fmt.Fprintf(&b, "  cond_%d: {description: %s}\n", i, q(text(r, o, fmt.Sprintf("Condition %d is on", i))))
		}
	}
	if o.Presets {
		b.WriteString(`presets:
  crud:
    permissions:
      view: {name: "View {name}", description: "Allows users to view {name}."}
      edit: {name: "Edit {name}", description: "Allows users to edit {name}.", requires: [view]}
      manage: {name: "Manage {name}", implies: [edit, view]}
`)
	}
	// Groups: a tree whose leaves hold permissions.
	type perm struct {
		key      string
		requires []string
	}
	var perms []perm
	var permKeys []string
	var groupKeys []string
	// scopesUnder holds the scopes set on a top-level group or below it:
	// a grant may only bind the group's permissions to the scope they
	// already have.
	scopesUnder := map[string]map[int]bool{}
	head := b.String()
	b.Reset()
	var groupTexts []string
	total := 0
	gi := 0
	var writeGroup func(indent, prefix string, depth int)
	writeGroup = func(indent, prefix string, depth int) {
		gi++
		seg := fmt.Sprintf("%s_%d", words[r.Intn(len(words))], gi)
		key := seg
		if prefix != "" {
			key = prefix + "." + seg
		}
		groupKeys = append(groupKeys, key)
		fmt.Fprintf(&b, "%s%s:\n%s  name: %s\n", indent, seg, indent, q(text(r, o, strings.Title(strings.ReplaceAll(seg, "_", " ")))))
		if r.Intn(3) == 0 {
			fmt.Fprintf(&b, "%s  description: %s\n", indent, q(text(r, o, "A group of things")))
		}
		if o.Scopes > 0 && r.Intn(4) == 0 {
			sc := r.Intn(o.Scopes)
			fmt.Fprintf(&b, "%s  scope: scope_%d\n", indent, sc)
			top, _, _ := strings.Cut(key, ".")
			if scopesUnder[top] == nil {
				scopesUnder[top] = map[int]bool{}
			}
			scopesUnder[top][sc] = true
		}
		if o.Formerly && r.Intn(12) == 0 && prefix == "" {
			fmt.Fprintf(&b, "%s  formerly: [old_%s]\n", indent, seg)
		}
		usePreset := o.Presets && r.Intn(3) == 0
		n := 1 + r.Intn(8)
		if o.Exact && usePreset && total+3 > o.Permissions {
			usePreset = false
		}
		if o.Exact {
			n = min(n, o.Permissions-total)
		}
		if usePreset {
			fmt.Fprintf(&b, "%s  preset: crud\n", indent)
			for _, v := range []string{"view", "edit", "manage"} {
				perms = append(perms, perm{key: key + "." + v})
				permKeys = append(permKeys, key+"."+v)
			}
			total += 3
			n = r.Intn(3)
			if o.Exact {
				n = min(n, o.Permissions-total)
			}
		}
		if n > 0 {
			fmt.Fprintf(&b, "%s  permissions:\n", indent)
		}
		used := map[string]bool{"view": usePreset, "edit": usePreset, "manage": usePreset}
		var local []string
		for i := 0; i < n; i++ {
			v := verbs[r.Intn(len(verbs))]
			if used[v] {
				v = fmt.Sprintf("%s_%d", v, i)
			}
			used[v] = true
			pk := key + "." + v
			fmt.Fprintf(&b, "%s    %s:\n%s      name: %s\n", indent, v, indent, q(text(r, o, strings.Title(v)+" "+seg)))
			if r.Intn(2) == 0 {
				fmt.Fprintf(&b, "%s      description: %s\n", indent, q(text(r, o, "Allows users to "+v+" "+seg+".")))
			}
			var req []string
			if len(local) > 0 && r.Intn(4) == 0 {
				req = append(req, local[r.Intn(len(local))])
				fmt.Fprintf(&b, "%s      requires: [%s]\n", indent, req[0])
			}
			if len(local) > 0 && r.Intn(5) == 0 {
				fmt.Fprintf(&b, "%s      implies: [%s]\n", indent, local[r.Intn(len(local))])
			}
			if o.Deprecated && r.Intn(15) == 0 {
				fmt.Fprintf(&b, "%s      deprecated: %s\n", indent, q(text(r, o, "no longer used")))
			}
			if o.Formerly && r.Intn(15) == 0 {
				fmt.Fprintf(&b, "%s      formerly: [%s.legacy_%s]\n", indent, key, v)
			}
			local = append(local, v)
			perms = append(perms, perm{key: pk, requires: req})
			permKeys = append(permKeys, pk)
			total++
		}
		if depth < o.MaxDepth && r.Intn(2) == 0 && total < o.Permissions {
			fmt.Fprintf(&b, "%s  groups:\n", indent)
			for k := 0; k < 1+r.Intn(3) && total < o.Permissions; k++ {
				writeGroup(indent+"    ", key, depth+1)
			}
		}
	}
	for total < o.Permissions {
		writeGroup("  ", "", 1)
		groupTexts = append(groupTexts, b.String())
		b.Reset()
	}
	// Roles: grant whole top-level groups (so requires stay satisfied:
	// a group's requires/implies are local), some conditionally, and
	// extend earlier roles.
	if o.Roles > 0 {
		b.WriteString("roles:\n")
		var tops []string
		for _, g := range groupKeys {
			if !strings.Contains(g, ".") {
				tops = append(tops, g)
			}
		}
		condUsed := 0
		for i := 0; i < o.Roles; i++ {
			fmt.Fprintf(&b, "  role_%d:\n    name: %s\n", i, q(text(r, o, fmt.Sprintf("Role %d", i))))
			if r.Intn(2) == 0 {
				fmt.Fprintf(&b, "    landing: %s\n", tops[r.Intn(len(tops))])
			}
			if i > 0 && r.Intn(3) == 0 {
				fmt.Fprintf(&b, "    extends: [role_%d]\n", r.Intn(i))
			}
			b.WriteString("    grants:\n")
			for k := 0; k < 1+r.Intn(3); k++ {
				g := tops[r.Intn(len(tops))]
				if o.Conditions > 0 && (r.Intn(3) == 0 || condUsed < o.Conditions && i == o.Roles-1) {
					fmt.Fprintf(&b, "      - %s.**: {when: cond_%d}\n", g, condUsed%o.Conditions)
					condUsed++
				} else if o.Scopes > 0 && r.Intn(5) == 0 && len(scopesUnder[g]) <= 1 {
					sc := r.Intn(o.Scopes)
					for s := range scopesUnder[g] {
						sc = s
					}
					fmt.Fprintf(&b, "      - %s.**: {scope: scope_%d, note: %s}\n", g, sc, q(text(r, o, "limited")))
				} else {
					fmt.Fprintf(&b, "      - %s.**\n", g)
				}
			}
			if i == 0 {
				// Make sure every condition is used once at least.
				for c := 0; c < o.Conditions; c++ {
					fmt.Fprintf(&b, "      - %s.**: {when: cond_%d}\n", tops[r.Intn(len(tops))], c)
				}
			}
		}
	}
	if o.Profiles > 0 {
		b.WriteString("profiles:\n")
		for i := 0; i < o.Profiles; i++ {
			fmt.Fprintf(&b, "  profile_%d:\n    name: %s\n    requires: [%s]\n", i, q(text(r, o, fmt.Sprintf("Profile %d", i))), permKeys[r.Intn(len(permKeys))])
		}
	}
	_ = perms
	return parts{head: head, groups: groupTexts, tail: b.String()}
}

func text(r *rand.Rand, o Options, s string) string {
	if o.Hostile && r.Intn(3) == 0 {
		return s + " " + hostile[r.Intn(len(hostile))]
	}
	return s
}

// q quotes a YAML string (double-quoted style with escapes).
func q(s string) string {
	var b strings.Builder
	b.WriteByte('"')
	for _, c := range s {
		switch c {
		case '"':
			b.WriteString(`\"`)
		case '\\':
			b.WriteString(`\\`)
		case '\n':
			b.WriteString(`\n`)
		case '\t':
			b.WriteString(`\t`)
		case '\u2028':
			b.WriteString(`\L`)
		case '\u2029':
			b.WriteString(`\P`)
		default:
			b.WriteRune(c)
		}
	}
	b.WriteByte('"')
	return b.String()
}

// fragmentBytes is the size past which Write splits groups into fragment
// files, as a team with a catalog that large would (and files stay under
// schema.MaxFileSize).
const fragmentBytes = 1 << 20

// Write writes the catalog as dir/permcat.yaml and returns dir. Large
// catalogs get their groups in dir/groups/NNNN.yaml fragments.
func Write(dir string, o Options) (string, error) {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return "", err
	}
	p := render(o)
	size := len(p.head) + len(p.tail)
	for _, g := range p.groups {
		size += len(g)
	}
	if size <= fragmentBytes {
		return dir, os.WriteFile(filepath.Join(dir, "permcat.yaml"), []byte(p.head+"groups:\n"+strings.Join(p.groups, "")+p.tail), 0o644)
	}
	if err := os.MkdirAll(filepath.Join(dir, "groups"), 0o755); err != nil {
		return "", err
	}
	var chunk strings.Builder
	n := 0
	flush := func() error {
		if chunk.Len() == 0 {
			return nil
		}
		name := filepath.Join(dir, "groups", fmt.Sprintf("%04d.yaml", n))
		n++
		err := os.WriteFile(name, []byte("groups:\n"+chunk.String()), 0o644)
		chunk.Reset()
		return err
	}
	for _, g := range p.groups {
		chunk.WriteString(g)
		if chunk.Len() >= fragmentBytes/2 {
			if err := flush(); err != nil {
				return "", err
			}
		}
	}
	if err := flush(); err != nil {
		return "", err
	}
	root := p.head + "include: [\"groups/*.yaml\"]\n" + p.tail
	return dir, os.WriteFile(filepath.Join(dir, "permcat.yaml"), []byte(root), 0o644)
}

// Varied returns n option sets of varied shape, deterministic by seed.
func Varied(seed int64, n int) []Options {
	r := rand.New(rand.NewSource(seed))
	out := make([]Options, n)
	for i := range out {
		out[i] = Options{
			Seed:        seed*1000 + int64(i),
			Permissions: 1 + r.Intn(120),
			Conditions:  r.Intn(4),
			Roles:       r.Intn(6),
			Profiles:    r.Intn(3),
			Scopes:      r.Intn(3),
			MaxDepth:    1 + r.Intn(4),
			Presets:     r.Intn(2) == 0,
			Formerly:    r.Intn(2) == 0,
			Deprecated:  r.Intn(2) == 0,
			Hostile:     r.Intn(2) == 0,
		}
		if out[i].Roles == 0 {
			out[i].Conditions = 0
		}
	}
	return out
}

// Realistic returns the options of the benchmarks' catalogs: exactly n
// permissions in groups nested three deep (keys of 11 to 63 bytes, about
// 30 on average), some from presets, some with former keys or deprecated,
// and 20 roles over 4 conditions and 2 scopes.
func Realistic(n int) Options {
	return Options{Seed: 1, Permissions: n, Exact: true, Conditions: 4, Roles: 20, Profiles: 4, Scopes: 2, MaxDepth: 3, Presets: true, Formerly: true, Deprecated: true}
}
