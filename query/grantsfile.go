package query

import (
	"bytes"
	"fmt"
	"strings"

	"go.yaml.in/yaml/v3"
)

// ParseGrantsFile reads the permission keys someone holds, as exported
// from an admin screen or written by hand: a YAML list, a JSON array (JSON
// is YAML), or one key per line with blank lines and `#` comments ignored.
// A file whose first character that is neither blank nor part of a comment
// line is `[` or `-` is read as YAML/JSON. Every key keeps its line number
// and the file name, so Audit can report unknown keys at their place. All
// problems are returned together as KeyErrors, beside the keys that could
// be read: AuditGrants reports both at once.
func ParseGrantsFile(name string, data []byte) ([]HeldKey, error) {
	data = bytes.TrimPrefix(data, []byte("\xef\xbb\xbf"))
	if isStructured(data) {
		return parseYAMLList(name, data)
	}
	return parseLines(name, data), nil
}

func isStructured(data []byte) bool {
	for _, line := range strings.Split(string(data), "\n") {
		t := strings.TrimSpace(line)
		if t == "" || strings.HasPrefix(t, "#") {
			continue
		}
		return t[0] == '[' || t[0] == '-'
	}
	return false
}

func parseLines(name string, data []byte) []HeldKey {
	out := []HeldKey{}
	for i, line := range strings.Split(string(data), "\n") {
		if j := strings.IndexByte(line, '#'); j >= 0 {
			line = line[:j]
		}
		key := strings.TrimSpace(line)
		if key == "" {
			continue
		}
		out = append(out, HeldKey{Key: key, Line: i + 1, File: name})
	}
	return out
}

func parseYAMLList(name string, data []byte) ([]HeldKey, error) {
	var doc yaml.Node
	if err := yaml.Unmarshal(data, &doc); err != nil {
		return nil, KeyErrors{{File: name, Msg: "not a YAML or JSON list: " + strings.TrimPrefix(err.Error(), "yaml: ")}}
	}
	out := []HeldKey{}
	if doc.Kind == 0 || len(doc.Content) == 0 {
		return out, nil // only comments: nobody holds anything
	}
	list := doc.Content[0]
	if list.Kind != yaml.SequenceNode {
		return nil, KeyErrors{{File: name, Line: list.Line,
			Msg: fmt.Sprintf("expected a list of permission keys, found %s", nodeKind(list))}}
	}
	var errs KeyErrors
	for _, item := range list.Content {
		if item.Kind != yaml.ScalarNode || item.Tag == "!!null" {
			errs = append(errs, KeyError{File: name, Line: item.Line,
				Msg: fmt.Sprintf("expected a permission key, found %s", nodeKind(item))})
			continue
		}
		out = append(out, HeldKey{Key: item.Value, Line: item.Line, File: name})
	}
	if len(errs) > 0 {
		return out, errs
	}
	return out, nil
}

func nodeKind(n *yaml.Node) string {
	switch n.Kind {
	case yaml.MappingNode:
		return "a mapping"
	case yaml.SequenceNode:
		return "a list"
	case yaml.AliasNode:
		return "an alias"
	case yaml.ScalarNode:
		if n.Tag == "!!null" {
			return "nothing (null)"
		}
		return fmt.Sprintf("%q", n.Value)
	}
	return "nothing"
}
