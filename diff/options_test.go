package diff

import (
	"bytes"
	"strings"
	"testing"

	"github.com/permcat/permcat/schema"
)

func TestAMisspeltRuleInAllowIsRejectedWithASuggestion(t *testing.T) {
	err := Options{Allow: []string{"permission_deleted"}}.Validate()
	if err == nil || !strings.Contains(err.Error(), "did you mean PERMISSION_DELETED?") {
		t.Errorf("err = %v", err)
	}
	for typo, want := range map[string]string{
		"CONDITION_DELETD":     "CONDITION_DELETED",
		"PERMISION_DELETED":    "PERMISSION_DELETED",
		"role_gains_permision": "ROLE_GAINS_PERMISSION",
	} {
		if err := (Options{Allow: []string{typo}}).Validate(); err == nil || !strings.Contains(err.Error(), "did you mean "+want+"?") {
			t.Errorf("%s: err = %v, want a suggestion of %s", typo, err, want)
		}
	}
	if err := (Options{Allow: []string{"XYZZY"}}).Validate(); err == nil || strings.Contains(err.Error(), "did you mean") {
		t.Errorf("XYZZY: err = %v, want no suggestion", err)
	}
	if _, err := Breaking(nil, Options{Allow: []string{"NO_SUCH_RULE"}}); err == nil {
		t.Error("Breaking accepted an unknown rule")
	}
	if err := Write(&bytes.Buffer{}, "text", nil, Options{FailOn: []Category{"sauce"}}); err == nil {
		t.Error("Write accepted an unknown category")
	}
}

func TestCategoriesParseInAnyCase(t *testing.T) {
	for in, want := range map[string]Category{"source": Source, "ACCESS": Access, " Wire ": Wire, "safe": Safe} {
		if got, err := ParseCategory(in); err != nil || got != want {
			t.Errorf("ParseCategory(%q) = %v, %v; want %v", in, got, err, want)
		}
	}
	if _, err := ParseCategory("breaking"); err == nil {
		t.Error(`ParseCategory("breaking") accepted`)
	}
}

func TestOnlyWireBlocksUnlessAllowedOrFailOnSaysOtherwise(t *testing.T) {
	renamed := compareCase(t, "hypur_renamed_without_formerly") // WIRE + SOURCE + SAFE
	groupGone := compareCase(t, "deprecated_group_deleted")     // SOURCE only
	access := compareCase(t, "role_access")                     // ACCESS only
	for _, c := range []struct {
		name string
		fs   []Finding
		opts Options
		want bool
	}{
		{"a rename without formerly", renamed, Options{}, true},
		{"a rename without formerly, allowed", renamed, Options{Allow: []string{PermissionRenamedWithoutFormerly}}, false},
		{"a deleted group", groupGone, Options{}, false},
		{"a deleted group with --fail-on source", groupGone, Options{FailOn: []Category{Source}}, true},
		{"a deleted group with --fail-on source, both rules allowed", groupGone,
			Options{FailOn: []Category{Source}, Allow: []string{GroupDeleted, DeprecatedPermissionDeleted}}, false},
		{"access changes", access, Options{}, false},
		{"access changes with --fail-on source,access", access, Options{FailOn: []Category{Source, Access}}, true},
	} {
		got, err := Breaking(c.fs, c.opts)
		if err != nil || got != c.want {
			t.Errorf("%s: Breaking = %v, %v; want %v", c.name, got, err, c.want)
		}
		marked, err := Mark(c.fs, c.opts)
		if err != nil {
			t.Fatal(err)
		}
		any := false
		for _, f := range marked {
			any = any || f.Breaking
		}
		if any != c.want {
			t.Errorf("%s: Mark marks breaking = %v; want %v", c.name, any, c.want)
		}
		var b bytes.Buffer
		if err := Write(&b, "text", c.fs, c.opts); err != nil {
			t.Fatal(err)
		}
		if strings.Contains(b.String(), ", breaking]") != c.want {
			t.Errorf("%s: text output disagrees with the exit status:\n%s", c.name, b.String())
		}
	}
}

func TestAnUnknownFormatIsAnError(t *testing.T) {
	if err := Write(&bytes.Buffer{}, "xml", nil, Options{}); err == nil || !strings.Contains(err.Error(), "markdown") {
		t.Errorf("err = %v; want one listing the formats", err)
	}
}

func TestAnnotationsAndTablesSurviveHostileText(t *testing.T) {
	fs := []Finding{{
		Rule: NameChanged, Category: Safe,
		Pos:     schema.Pos{File: "a,b:c.yaml", Line: 3, Col: 5},
		Message: "name changed from \"100% | sure\"\nto \"x\"",
	}}
	var gh, md, text bytes.Buffer
	for _, w := range []struct {
		buf    *bytes.Buffer
		format string
	}{{&gh, "github"}, {&md, "markdown"}, {&text, "text"}} {
		if err := Write(w.buf, w.format, fs, Options{}); err != nil {
			t.Fatal(err)
		}
	}
	if want := "::notice file=a%2Cb%3Ac.yaml,line=3,col=5,title=NAME_CHANGED::name changed from \"100%25 | sure\"%0Ato \"x\"\n"; gh.String() != want {
		t.Errorf("github:\n%q\nwant\n%q", gh.String(), want)
	}
	if !strings.Contains(md.String(), `100% \| sure" to "x"`) {
		t.Errorf("markdown cell not escaped:\n%s", md.String())
	}
	if strings.Count(text.String(), "\n") != 1 {
		t.Errorf("text finding spans lines:\n%s", text.String())
	}
}

func TestNoChangesRenderQuietly(t *testing.T) {
	for format, want := range map[string]string{
		"text":     "",
		"github":   "",
		"json":     "{\n  \"breaking\": false,\n  \"counts\": {\n    \"ACCESS\": 0,\n    \"SAFE\": 0,\n    \"SOURCE\": 0,\n    \"WIRE\": 0\n  },\n  \"findings\": []\n}\n",
		"markdown": "## permcat diff\n\nNo changes to the catalog.\n",
	} {
		var b bytes.Buffer
		if err := Write(&b, format, nil, Options{}); err != nil {
			t.Fatal(err)
		}
		if b.String() != want {
			t.Errorf("%s: %q; want %q", format, b.String(), want)
		}
	}
}
