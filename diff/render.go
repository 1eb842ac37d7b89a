package diff

import (
	"bufio"
	"encoding/json"
	"fmt"
	"io"
	"strings"
)

// Formats lists the output formats Write accepts.
var Formats = []string{"text", "json", "github", "markdown"}

// Write renders findings in format: "text" (one `file:line:col: RULE_ID
// [CATEGORY, breaking|safe]: message` line each), "json" (one stable document),
// "github" (workflow commands that annotate the pull request) or
// "markdown" (a pull-request comment). Breaking is recomputed for opts, so
// the output agrees with the exit status. Findings are written in the order
// given (Compare's).
func Write(w io.Writer, format string, fs []Finding, opts Options) error {
	fs, err := Mark(fs, opts)
	if err != nil {
		return err
	}
	bw := bufio.NewWriter(w)
	switch format {
	case "text":
		writeText(bw, fs)
	case "json":
		if err := writeJSON(bw, fs); err != nil {
			return err
		}
	case "github":
		writeGitHub(bw, fs)
	case "markdown":
		writeMarkdown(bw, fs)
	default:
		return fmt.Errorf("unknown format %q (expected one of %s)", format, strings.Join(Formats, ", "))
	}
	return bw.Flush()
}

func writeText(w io.Writer, fs []Finding) {
	for _, f := range fs {
		fmt.Fprintln(w, f.String())
	}
}

type jsonFinding struct {
	Rule     string `json:"rule"`
	Category string `json:"category"`
	Breaking bool   `json:"breaking"`
	File     string `json:"file"`
	Line     int    `json:"line"`
	Col      int    `json:"col"`
	In       string `json:"in"`            // "new", or "old" for what NEW no longer has
	Ref      string `json:"ref,omitempty"` // the git ref whose version of file line and col are in
	// RefPath is the file's path from the repository's root, as git names
	// it at Ref (`git show REF:PATH`); file is where it is (or would be)
	// in the working tree, from where the command ran.
	RefPath    string `json:"ref_path,omitempty"`
	Message    string `json:"message"`
	Role       string `json:"role,omitempty"`
	Permission string `json:"permission,omitempty"`
	When       string `json:"when,omitempty"`
}

type jsonReport struct {
	Breaking bool           `json:"breaking"`
	Counts   map[string]int `json:"counts"`
	Findings []jsonFinding  `json:"findings"`
}

func writeJSON(w io.Writer, fs []Finding) error {
	r := jsonReport{Counts: map[string]int{}, Findings: []jsonFinding{}}
	for _, c := range Categories {
		r.Counts[string(c)] = 0
	}
	for _, f := range fs {
		in := "new"
		if f.InOld {
			in = "old"
		}
		r.Breaking = r.Breaking || f.Breaking
		r.Counts[string(f.Category)]++
		r.Findings = append(r.Findings, jsonFinding{
			Rule: f.Rule, Category: string(f.Category), Breaking: f.Breaking,
			File: f.Pos.File, Line: f.Pos.Line, Col: f.Pos.Col, In: in, Ref: f.Ref, RefPath: f.RefPath,
			Message: f.Message, Role: f.Role, Permission: f.Permission, When: f.When,
		})
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	return enc.Encode(r)
}

// writeGitHub emits workflow commands: errors block, warnings ask for a
// look, notices inform. A position in OLD names the file only, since its
// line would point at unrelated text in the new version GitHub shows.
func writeGitHub(w io.Writer, fs []Finding) {
	for _, f := range fs {
		level := "warning"
		switch {
		case f.Breaking:
			level = "error"
		case f.Category == Safe:
			level = "notice"
		}
		var props []string
		if f.Pos.File != "" {
			props = append(props, "file="+ghProperty(f.Pos.File))
			if !f.InOld && f.Pos.Line > 0 {
				props = append(props, fmt.Sprintf("line=%d", f.Pos.Line))
				if f.Pos.Col > 0 {
					props = append(props, fmt.Sprintf("col=%d", f.Pos.Col))
				}
			}
		}
		props = append(props, "title="+ghProperty(f.Rule))
		fmt.Fprintf(w, "::%s %s::%s\n", level, strings.Join(props, ","), ghData(f.Message))
	}
}

// ghData escapes a workflow command's message.
func ghData(s string) string {
	return strings.NewReplacer("%", "%25", "\r", "%0D", "\n", "%0A").Replace(s)
}

// ghProperty escapes a workflow command's property value.
func ghProperty(s string) string {
	return strings.NewReplacer("%", "%25", "\r", "%0D", "\n", "%0A", ":", "%3A", ",", "%2C").Replace(s)
}

func oneLine(s string) string {
	return strings.NewReplacer("\r\n", " ", "\n", " ", "\r", " ").Replace(s)
}
