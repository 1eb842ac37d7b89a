package query

import (
	"errors"
	"slices"
	"strings"
	"testing"

	"github.com/permcat/permcat/schema"
)

func TestGrantsFilesInEveryFormatKeepTheirLineNumbers(t *testing.T) {
	for _, c := range []struct {
		name, data string
		want       []HeldKey
	}{
		{"a YAML list with comments", "# held\n- a.view\n\n- a.edit # note\n",
			[]HeldKey{{"a.view", 2, "f"}, {"a.edit", 4, "f"}}},
		{"a JSON array over several lines", "[\n  \"a.view\",\n  \"a.edit\"\n]\n",
			[]HeldKey{{"a.view", 2, "f"}, {"a.edit", 3, "f"}}},
		{"a JSON array on one line", `["a.view", "a.edit"]`,
			[]HeldKey{{"a.view", 1, "f"}, {"a.edit", 1, "f"}}},
		{"one key per line", "# exported\n\na.view\r\n  a.edit  # trailing comment\n",
			[]HeldKey{{"a.view", 3, "f"}, {"a.edit", 4, "f"}}},
		{"a byte order mark", "\xef\xbb\xbfa.view\n", []HeldKey{{"a.view", 1, "f"}}},
		{"an empty file", "", []HeldKey{}},
		{"a YAML file of comments only", "# nothing\n", []HeldKey{}},
		{"an empty JSON array", "[]", []HeldKey{}},
	} {
		got, err := ParseGrantsFile("f", []byte(c.data))
		if err != nil {
			t.Errorf("%s: %v", c.name, err)
			continue
		}
		if !slices.Equal(got, c.want) {
			t.Errorf("%s: got %v, want %v", c.name, got, c.want)
		}
	}
}

func TestAGrantsFileThatIsNotAListOfKeysIsAnError(t *testing.T) {
	for _, c := range []struct{ name, data, want string }{
		{"a mapping", "- a\n- {b: c}\n- [d]\n- ~\n",
			"f:2: expected a permission key, found a mapping\nf:3: expected a permission key, found a list\nf:4: expected a permission key, found nothing (null)"},
		{"a number in a JSON array", "[1]\n", ""},
		{"broken YAML", "- a\n- [b\n", "f: not a YAML or JSON list"},
		{"a document that is a mapping", "---\nheld: [a]\n", "f:2: expected a list of permission keys, found a mapping"},
	} {
		_, err := ParseGrantsFile("f", []byte(c.data))
		if c.want == "" {
			if err != nil {
				t.Errorf("%s: %v (a number is a key Audit will reject, not a parse error)", c.name, err)
			}
			continue
		}
		var kes KeyErrors
		if !errors.As(err, &kes) || !strings.HasPrefix(err.Error(), c.want) {
			t.Errorf("%s: error = %v, want %q", c.name, err, c.want)
		}
	}
}

func TestSuggestionsPreferTheKeyThatEndsWithWhatWasTyped(t *testing.T) {
	keys := []string{"integrations.metrc.edit", "integrations.metrc.view", "integrations.leafly.edit"}
	if got := closest("metrc.edit", keys); got != "integrations.metrc.edit" {
		t.Errorf("closest(metrc.edit) = %q", got)
	}
	if got := closest("edit", keys); got != "" {
		t.Errorf("closest(edit) = %q, want nothing: two keys end with it", got)
	}
	if got := closest("integrations.metrc.veiw", keys); got != "integrations.metrc.view" {
		t.Errorf("closest(veiw) = %q", got)
	}
	if got := closest(strings.Repeat("x", 10000), keys); got != "" {
		t.Errorf("a long input matched %q", got)
	}
	if d := schema.EditDistance("kitten", "sitting", 5); d != 3 {
		t.Errorf("EditDistance(kitten, sitting) = %d", d)
	}
}
