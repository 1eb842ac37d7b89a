package main

import (
	"encoding/json"
	"fmt"
	"io"
	"strings"

	"github.com/permcat/permcat/internal/pathutil"
	"github.com/permcat/permcat/schema"
)

// printFindings writes errors and warnings in the chosen format.
func printFindings(w io.Writer, format string, errs schema.Errors) error {
	switch format {
	case "", "text":
		for _, e := range errs {
			fmt.Fprintln(w, oneLine(e.Error()))
		}
	case "json":
		type item struct {
			File     string `json:"file"`
			Line     int    `json:"line"`
			Column   int    `json:"column"`
			Severity string `json:"severity"`
			Rule     string `json:"rule"`
			Message  string `json:"message"`
		}
		list := make([]item, 0, len(errs))
		for _, e := range errs {
			list = append(list, item{e.Pos.File, e.Pos.Line, e.Pos.Col, e.Severity.String(), e.Rule, e.Msg})
		}
		enc := json.NewEncoder(w)
		enc.SetIndent("", "  ")
		return enc.Encode(list)
	case "github":
		for _, e := range errs {
			level := "error"
			if e.Severity == schema.SeverityWarning {
				level = "warning"
			}
			fmt.Fprintf(w, "::%s file=%s,line=%d,col=%d,title=%s::%s\n", level, ghProp(pathutil.RepoRelative(e.Pos.File)), e.Pos.Line, e.Pos.Col, ghProp(e.Rule), ghData(defang(e.Msg)))
		}
	default:
		return fmt.Errorf("unknown format %q (text, json or github)", format)
	}
	return nil
}

// oneLine keeps a text finding on one line, as tools reading
// file:line:col output expect: a message that quotes user text with line
// breaks (a deprecation reason, say) gets a space for each break and the
// indentation after it.
func oneLine(s string) string {
	s = defang(s)
	if !strings.ContainsAny(s, "\r\n\u2028\u2029\u0085") {
		return s
	}
	var b strings.Builder
	for line := range strings.FieldsFuncSeq(s, func(r rune) bool { return r == '\r' || r == '\n' || r == '\u2028' || r == '\u2029' || r == '\u0085' }) {
		if b.Len() > 0 {
			b.WriteByte(' ')
		}
		if b.Len() > 0 {
			line = strings.TrimLeft(line, " \t")
		}
		b.WriteString(strings.TrimRight(line, " \t"))
	}
	return b.String()
}

// defang writes control characters other than tab and line breaks, and
// bidirectional controls, as \x or \u escapes: a finding can quote what a
// file holds (a YAML error, a lock line), and a terminal or a CI log must
// not act on it.
func defang(s string) string {
	bad := func(r rune) bool {
		// What text may not hold, and C1 controls but NEL, which a file can.
		return schema.ForbiddenInText(r) || r > 0x7f && r < 0xa0 && r != 0x85
	}
	if strings.IndexFunc(s, bad) < 0 {
		return s
	}
	var b strings.Builder
	for _, r := range s {
		switch {
		case !bad(r):
			b.WriteRune(r)
		case r < 0x80:
			fmt.Fprintf(&b, "\\x%02x", r)
		default:
			fmt.Fprintf(&b, "\\u%04x", r)
		}
	}
	return b.String()
}

// GitHub workflow commands escape %, CR and LF in data, and also : and , in
// properties.
func ghData(s string) string {
	return strings.NewReplacer("%", "%25", "\r", "%0D", "\n", "%0A").Replace(s)
}

func ghProp(s string) string {
	return strings.NewReplacer("%", "%25", "\r", "%0D", "\n", "%0A", ":", "%3A", ",", "%2C").Replace(s)
}
