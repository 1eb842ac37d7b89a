package schema

import (
	"fmt"
	"sort"
	"strings"
)

// Pos is a place in a catalog file. Line and Col are 1-based; a zero Line
// means the file as a whole.
type Pos struct {
	File string
	Line int
	Col  int
}

func (p Pos) String() string {
	if p.Line == 0 {
		return p.File
	}
	return fmt.Sprintf("%s:%d:%d", p.File, p.Line, p.Col)
}

// Less orders positions by file, line, column.
func (p Pos) Less(q Pos) bool {
	if p.File != q.File {
		return p.File < q.File
	}
	if p.Line != q.Line {
		return p.Line < q.Line
	}
	return p.Col < q.Col
}

// Severity of a finding.
type Severity int

const (
	SeverityError Severity = iota
	SeverityWarning
)

func (s Severity) String() string {
	if s == SeverityWarning {
		return "warning"
	}
	return "error"
}

// Error is one finding about a catalog, at the smallest node at fault.
type Error struct {
	Pos      Pos
	Rule     string // stable rule ID, e.g. "unknown-reference"
	Msg      string
	Severity Severity
}

func (e Error) Error() string {
	sev := ""
	if e.Severity == SeverityWarning {
		sev = "warning: "
	}
	return fmt.Sprintf("%s: %s%s [%s]", e.Pos, sev, e.Msg, e.Rule)
}

// Errors is a list of findings; as an error it prints one per line.
type Errors []Error

func (es Errors) Error() string {
	var b strings.Builder
	for i, e := range es {
		if i > 0 {
			b.WriteByte('\n')
		}
		b.WriteString(e.Error())
	}
	return b.String()
}

// Sort orders findings by place, then rule, then message, and drops exact
// duplicates.
func (es Errors) Sort() Errors {
	sort.SliceStable(es, func(i, j int) bool {
		a, b := es[i], es[j]
		if a.Pos != b.Pos {
			return a.Pos.Less(b.Pos)
		}
		if a.Rule != b.Rule {
			return a.Rule < b.Rule
		}
		return a.Msg < b.Msg
	})
	out := es[:0]
	for i, e := range es {
		if i > 0 && e == es[i-1] {
			continue
		}
		out = append(out, e)
	}
	return out
}

// HasErrors reports whether any finding is an error (not a warning).
func (es Errors) HasErrors() bool {
	for _, e := range es {
		if e.Severity == SeverityError {
			return true
		}
	}
	return false
}
