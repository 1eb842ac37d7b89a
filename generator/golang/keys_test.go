package golang

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/permcat/permcat/internal/synth"
	"github.com/permcat/permcat/schema"
)

// The parse functions' tables are one per key length (see keyTable). These
// catalogs have the shapes that layout has to get right besides the
// realistic ones: every key one length, keys only of lengths the hash reads
// without 8-byte words, lengths with gaps between them, lengths past 64
// bytes under each way the hash reads them, and a single key in a length.
// They run through the same behaviour test as every generated package,
// which parses every key and near misses of it at every byte.

// oneLengthCatalog has 300 permission keys of 6 bytes, roles of 2 and
// groups of 1: every table has a single length.
func oneLengthCatalog() *schema.Catalog {
	b := newCatalog("onelength", "Keys of one length")
	g := b.group(nil, "g", "G")
	var perms []*schema.Permission
	for i := range 300 {
		perms = append(perms, b.perm(g, fmt.Sprintf("p%03d", i), fmt.Sprintf("P %d", i)))
	}
	for i := range 9 {
		b.grant(b.role(fmt.Sprintf("r%d", i), fmt.Sprintf("R %d", i), nil), nil, perms[i*30:i*30+30]...)
	}
	return b.done()
}

// shortKeysCatalog has keys of 1 to 7 bytes only: groups, roles, profiles
// and scopes of every such length, and permissions of 3 to 7 bytes, so the
// tables use neither word nor the tables of offsets.
func shortKeysCatalog() *schema.Catalog {
	b := newCatalog("shortkeys", "Short keys")
	var perms []*schema.Permission
	for n := 1; n <= 5; n++ {
		g := b.group(nil, strings.Repeat(string(rune('a'+n-1)), n), fmt.Sprintf("Group of %d", n))
		// Permissions of n+2 to 7 bytes: several of each length.
		for m := 1; n+1+m <= 7; m++ {
			for c := range 4 {
				perms = append(perms, b.perm(g, strings.Repeat(string(rune('p'+c)), m), fmt.Sprintf("P %d %d %d", n, m, c)))
			}
		}
	}
	for n := 1; n <= 7; n++ {
		r := b.role(strings.Repeat("r", n), fmt.Sprintf("Role of %d", n), nil)
		b.grant(r, nil, perms[n])
		b.profile(strings.Repeat("q", n), fmt.Sprintf("Profile of %d", n), perms[n])
		b.scope(strings.Repeat("s", n), fmt.Sprintf("Scope of %d", n))
	}
	perms[0].Formerly = []string{"x.y", "x.yz", "xy.zzzz"}
	return b.done()
}

// gapsCatalog has permission keys of a few lengths far apart, former keys
// at lengths nothing else has, and one key of a length alone: the table of
// lengths has entries of no key between them.
func gapsCatalog() *schema.Catalog {
	b := newCatalog("gaps", "Lengths with gaps")
	short := b.group(nil, "s", "Short")
	long := b.group(nil, strings.Repeat("long", 5), "Long")
	var perms []*schema.Permission
	for i := range 40 {
		perms = append(perms, b.perm(short, fmt.Sprintf("view_%02d", i), fmt.Sprintf("View %d", i)))
		perms = append(perms, b.perm(long, fmt.Sprintf("manage_everything_%02d", i), fmt.Sprintf("Manage %d", i)))
	}
	alone := b.perm(short, strings.Repeat("z", 30), "Alone")
	alone.Formerly = []string{strings.Repeat("y", 51), "s.q"}
	perms[3].Formerly = []string{"s.former_key_of_a_length_of_its_own"}
	b.grant(b.role("admin", "Admin", nil), nil, append(perms, alone)...)
	return b.done()
}

// longKeysCatalog has keys past 64 bytes under each way the hash reads
// keys: its permission keys need 2 words (nothing alike), its group keys 4
// (two agree on their first and last 8 bytes), and its role keys 8 (two
// agree on their first and last 16), with shorter keys beside them in
// each; and a scope key past 64 bytes beside a short one.
func longKeysCatalog() *schema.Catalog {
	b := newCatalog("longkeys", "Long keys")
	root := b.group(nil, "root", "Root")
	long := b.group(root, "a_group_whose_name_is_long_enough_to_make_long_keys", "Long")
	var perms []*schema.Permission
	for i := range 30 {
		perms = append(perms, b.perm(long, fmt.Sprintf("permission_number_%02d_%s", i, strings.Repeat("x", i)), fmt.Sprintf("P %d", i)))
		perms = append(perms, b.perm(root, fmt.Sprintf("p%02d", i), fmt.Sprintf("Q %d", i)))
	}
	// Groups of 69 bytes agreeing on their first and last 8, whose
	// permissions do not.
	for i, mid := range []string{"a", "b"} {
		g := b.group(nil, "twinsgrp_"+mid+"_"+strings.Repeat("m", 50)+"_the_end", "Twin "+mid)
		perms = append(perms, b.perm(g, string(rune('v'+i)), "V "+mid))
	}
	b.scope("store", "Store")
	b.scope("a_scope_"+strings.Repeat("s", 60)+"_end", "Long scope")
	admin := b.role("admin", "Admin", nil)
	b.grant(admin, nil, perms...)
	// Roles of 70 bytes agreeing on their first and last 16.
	for _, mid := range []string{"one", "two"} {
		b.role("a_role_with_a_long_name_"+mid+"_"+strings.Repeat("r", 23)+"_and_the_same_end", "Role "+mid, nil)
	}
	return b.done()
}

func TestKeyTablesOfEveryShapeBuildVetAndBehave(t *testing.T) {
	cases := []e2eCase{
		{pkg: "onelength", cat: oneLengthCatalog()},
		{pkg: "shortkeys", cat: shortKeysCatalog()},
		{pkg: "shortkeyspacked", cat: shortKeysCatalog(), packed: true},
		{pkg: "gaps", cat: gapsCatalog()},
		{pkg: "longkeys", cat: longKeysCatalog()},
		{pkg: "longkeyspacked", cat: longKeysCatalog(), packed: true},
	}
	harness, err := os.ReadFile(filepath.Join("testdata", "harness", "behaviour_test.go"))
	if err != nil {
		t.Fatal(err)
	}
	mod := t.TempDir()
	writeFile(t, filepath.Join(mod, "go.mod"), []byte("module permcatkeys\n\ngo 1.24\n"))
	for _, c := range cases {
		files, err := Generate(c.cat, Options{Package: c.pkg, packAll: c.packed})
		if err != nil {
			t.Fatalf("%s: %v", c.pkg, err)
		}
		for _, f := range files {
			writeFile(t, filepath.Join(mod, c.pkg, f.Path), f.Content)
		}
		writeFile(t, filepath.Join(mod, c.pkg, "behaviour_test.go"), bytes.Replace(harness, []byte("package harness"), []byte("package "+c.pkg), 1))
		writeFile(t, filepath.Join(mod, c.pkg, "expect_test.go"), expectFile(c.pkg, c.cat))
	}
	goTool(t, mod, "test", "-count=1", "-vet=all", "./...")
}

// The shapes the test catalogs are meant to have, so that they keep
// testing what they say.
func TestTheKeyTableCatalogsHaveTheirShapes(t *testing.T) {
	tables := func(cat *schema.Catalog) map[string]*keyTable {
		g, err := newGen(cat, Options{})
		if err != nil {
			t.Fatal(err)
		}
		return g.keyTables
	}
	one := tables(oneLengthCatalog())
	if p := one["perm"]; p.minLen != 6 || p.maxLen != 6 || p.gaps {
		t.Errorf("onelength: permission keys of %d to %d bytes", p.minLen, p.maxLen)
	}
	short := tables(shortKeysCatalog())
	for prefix, kt := range short {
		if kt.maxLen > 7 || strings.Contains(kt.body, "word(") {
			t.Errorf("shortkeys: %s keys of up to %d bytes, read as 8-byte words: %v", prefix, kt.maxLen, strings.Contains(kt.body, "word("))
		}
	}
	if !tables(gapsCatalog())["perm"].gaps {
		t.Error("gaps: no gaps between the lengths of permission keys")
	}
	long := tables(longKeysCatalog())
	for prefix, words := range map[string]int{"perm": 2, "group": 4, "role": 8} {
		kt := long[prefix]
		if kt.tab.Hasher.Words != words || kt.maxLen <= 64 || kt.minLen > 64 {
			t.Errorf("longkeys: %s keys of %d to %d bytes read %d words; want some past 64 bytes and some not, %d words", prefix, kt.minLen, kt.maxLen, kt.tab.Hasher.Words, words)
		}
	}
}

// A realistic catalog of 100,000 permissions: every key and former key
// parses to its permission, and every key changed at any one byte, or one
// byte shorter or longer, does not (unless it is another key).
func TestParseOf100000Permissions(t *testing.T) {
	if testing.Short() {
		t.Skip("generates and builds a package of 100,000 permissions")
	}
	dir, err := synth.Write(filepath.Join(t.TempDir(), "catalog"), synth.Realistic(100_000))
	if err != nil {
		t.Fatal(err)
	}
	cat, errs := schema.Compile(dir, schema.Options{})
	if errs.HasErrors() {
		t.Fatal(errs)
	}
	files, err := Generate(cat, Options{Package: "big"})
	if err != nil {
		t.Fatal(err)
	}
	mod := t.TempDir()
	writeFile(t, filepath.Join(mod, "go.mod"), []byte("module permcatbig\n\ngo 1.24\n"))
	for _, f := range files {
		writeFile(t, filepath.Join(mod, "big", f.Path), f.Content)
	}
	var keys strings.Builder
	for _, p := range cat.Permissions {
		fmt.Fprintf(&keys, "%s\t%d\n", p.Key, p.ID)
		for _, f := range p.Formerly {
			fmt.Fprintf(&keys, "%s\t%d\n", f, p.ID)
		}
	}
	writeFile(t, filepath.Join(mod, "big", "testdata", "keys.txt"), []byte(keys.String()))
	writeFile(t, filepath.Join(mod, "big", "parse_test.go"), []byte(bigParseTest))
	goTool(t, mod, "test", "-count=1", "./...")
}

const bigParseTest = `package big

import (
	"os"
	"strconv"
	"strings"
	"testing"
)

func TestEveryKeyParsesAndNoNearMissDoes(t *testing.T) {
	raw, err := os.ReadFile("testdata/keys.txt")
	if err != nil {
		t.Fatal(err)
	}
	ids := map[string]Permission{}
	for _, line := range strings.Split(strings.TrimSuffix(string(raw), "\n"), "\n") {
		k, id, _ := strings.Cut(line, "\t")
		v, err := strconv.ParseUint(id, 10, 32)
		if err != nil {
			t.Fatal(err)
		}
		ids[k] = Permission(v)
	}
	check := func(k string) {
		want, isKey := ids[k]
		if got, ok := Parse(k); ok != isKey || got != want {
			t.Fatalf("Parse(%q) = %d, %v; want %d, %v", k, got, ok, want, isKey)
		}
	}
	for k := range ids {
		check(k)
		check(k[1:])
		check(k + "s")
		b := []byte(k)
		for i := range b {
			c := b[i]
			b[i] = c ^ 1
			check(string(b))
			b[i] = c
		}
	}
}
`

func writeFile(t *testing.T, path string, data []byte) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, data, 0o644); err != nil {
		t.Fatal(err)
	}
}
