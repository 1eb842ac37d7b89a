package query

import (
	"errors"
	"fmt"
	"io"
	"sort"
	"strings"

	"github.com/permcat/permcat/schema"
)

// HeldKey is one permission key someone holds, as read from a grants file.
type HeldKey struct {
	Key  string
	Line int    // 1-based line in File; 0 when not from a file
	File string // the grants file's name as shown in errors; may be empty
}

func (h HeldKey) place() string {
	switch {
	case h.File != "" && h.Line > 0:
		return fmt.Sprintf("%s:%d", h.File, h.Line)
	case h.Line > 0:
		return fmt.Sprintf("line %d", h.Line)
	case h.File != "":
		return h.File
	}
	return "grants"
}

// KeyError is a problem with one entry of a grants file.
type KeyError struct {
	File string `json:"file"`
	Line int    `json:"line"`
	Key  string `json:"key,omitempty"`
	Msg  string `json:"message"`
}

func (e KeyError) Error() string {
	return HeldKey{File: e.File, Line: e.Line}.place() + ": " + e.Msg
}

// KeyErrors are all problems found in a grants file, in line order; as an
// error it prints one per line.
type KeyErrors []KeyError

func (es KeyErrors) Error() string {
	lines := make([]string, len(es))
	for i, e := range es {
		lines[i] = e.Error()
	}
	return strings.Join(lines, "\n")
}

// maxKeyErrors bounds the unknown keys Audit reports one by one.
const maxKeyErrors = 100

// PermissionRef names a permission.
type PermissionRef struct {
	Key  string `json:"key"`
	Name string `json:"name"`
}

// Rename records a held key given by a former key.
type Rename struct {
	At   string `json:"at"` // file:line of the entry
	From string `json:"from"`
	To   string `json:"to"`
}

// AuditResult is what a set of held permissions lacks for a profile.
type AuditResult struct {
	Profile     string `json:"profile"`
	Name        string `json:"name"`
	Description string `json:"description,omitempty"`
	// Required is everything the profile demands, in authored order.
	Required []PermissionRef `json:"required"`
	// Missing is what the held set lacks after closing it under implies,
	// in authored order. Empty means the profile is met.
	Missing []PermissionRef `json:"missing"`
	// Renamed lists held entries written with a former key.
	Renamed []Rename `json:"renamed"`
	// Deprecated lists held permissions that are deprecated.
	Deprecated []PermissionRef `json:"deprecated"`
}

// OK reports whether the held permissions meet the profile; the command
// exits 1 when they do not.
func (r *AuditResult) OK() bool { return len(r.Missing) == 0 }

// Audit checks held permission keys against a requirement profile: it
// closes the held set under `implies` (Manage satisfies View) and lists
// what the profile requires that the set still lacks. Former keys count as
// the permission they became. Every key that is neither a current nor a
// former key is reported, with its place, in one KeyErrors; an unknown
// profile is an error that suggests the closest key.
func Audit(cat *schema.Catalog, profileKey string, held []HeldKey) (*AuditResult, error) {
	if cat == nil {
		return nil, fmt.Errorf("no catalog")
	}
	prof := cat.ProfileByKey(profileKey)
	if prof == nil {
		var keys []string
		for _, p := range cat.Profiles {
			keys = append(keys, p.Key)
			if strings.EqualFold(p.Name, profileKey) {
				return nil, fmt.Errorf("unknown profile %q (did you mean %q, the key of profile %q?)", profileKey, p.Key, p.Name)
			}
		}
		if len(keys) == 0 {
			return nil, fmt.Errorf("unknown profile %q: the catalog declares no profiles", profileKey)
		}
		return nil, fmt.Errorf("unknown profile %q%s; profiles are %s", profileKey, didYouMean(profileKey, keys), strings.Join(keys, ", "))
	}
	res := &AuditResult{
		Profile:     prof.Key,
		Name:        prof.Name,
		Description: prof.Description,
		Required:    []PermissionRef{},
		Missing:     []PermissionRef{},
		Renamed:     []Rename{},
		Deprecated:  []PermissionRef{},
	}
	// A grants file may be an export of thousands of entries: index the
	// keys once instead of scanning the catalog per entry.
	current, formerly := map[string]*schema.Permission{}, map[string]*schema.Permission{}
	for _, p := range cat.Permissions {
		current[p.Key] = p
		for _, f := range p.Formerly {
			if formerly[f] == nil {
				formerly[f] = p
			}
		}
	}
	has := map[*schema.Permission]bool{}
	var errs KeyErrors
	unknown := 0
	for _, h := range held {
		p, former := current[h.Key], false
		if p == nil {
			p, former = formerly[h.Key], true
		}
		if p == nil {
			// Past maxKeyErrors the file is not a grants file at all; stop
			// spending suggestions on it.
			if unknown++; unknown <= maxKeyErrors {
				errs = append(errs, KeyError{File: h.File, Line: h.Line, Key: h.Key,
					Msg: fmt.Sprintf("unknown permission %q%s", h.Key, permissionHint(cat, h.Key))})
			}
			continue
		}
		if former {
			res.Renamed = append(res.Renamed, Rename{At: h.place(), From: h.Key, To: p.Key})
		}
		if has[p] {
			continue
		}
		has[p] = true
		if p.IsDeprecated() {
			res.Deprecated = append(res.Deprecated, PermissionRef{p.Key, p.Name})
		}
	}
	if unknown > maxKeyErrors {
		last := errs[len(errs)-1]
		errs = append(errs, KeyError{File: last.File, Msg: fmt.Sprintf("and %d more unknown keys", unknown-maxKeyErrors)})
	}
	if len(errs) > 0 {
		return nil, errs
	}
	closed := map[*schema.Permission]bool{}
	for p := range has {
		closed[p] = true
		for _, q := range p.ImpliesClosure {
			closed[q] = true
		}
	}
	for _, p := range prof.Requires {
		ref := PermissionRef{p.Key, p.Name}
		res.Required = append(res.Required, ref)
		if !closed[p] {
			res.Missing = append(res.Missing, ref)
		}
	}
	return res, nil
}

// AuditGrants is Audit for what ParseGrantsFile returned: the keys it
// read, and parseErr, its KeyErrors about entries that are not keys (null,
// a mapping, a list). Every bad entry of the file, not a key or an unknown
// key, is reported in one KeyErrors, in line order. Any other error
// (unreadable file, unknown profile) is returned as it is.
func AuditGrants(cat *schema.Catalog, profileKey string, held []HeldKey, parseErr error) (*AuditResult, error) {
	var notKeys KeyErrors
	if parseErr != nil && !errors.As(parseErr, &notKeys) {
		return nil, parseErr
	}
	res, err := Audit(cat, profileKey, held)
	var unknown KeyErrors
	if err != nil && !errors.As(err, &unknown) {
		return nil, err
	}
	if len(notKeys) == 0 && len(unknown) == 0 {
		return res, nil
	}
	return nil, mergeKeyErrors(notKeys, unknown)
}

// mergeKeyErrors puts the findings of parsing and of Audit in line order.
// A finding about the whole file comes first, except Audit's closing
// "and N more unknown keys", which stays last.
func mergeKeyErrors(parsed, audited KeyErrors) KeyErrors {
	type ranked struct {
		e    KeyError
		line int
	}
	all := make([]ranked, 0, len(parsed)+len(audited))
	for _, e := range parsed {
		all = append(all, ranked{e, e.Line})
	}
	for _, e := range audited {
		line := e.Line
		if line == 0 {
			line = int(^uint(0) >> 1)
		}
		all = append(all, ranked{e, line})
	}
	sort.SliceStable(all, func(i, j int) bool { return all[i].line < all[j].line })
	out := make(KeyErrors, len(all))
	for i, r := range all {
		out[i] = r.e
	}
	return out
}

// Text writes the result for a terminal: what is missing, or that the
// profile is met.
func (r *AuditResult) Text(w io.Writer) error {
	ew := &errWriter{w: w}
	fmt.Fprintf(ew, "Profile %s (%s): %s required\n", r.Profile, oneLine(r.Name), count(len(r.Required), "permission"))
	for _, x := range r.Renamed {
		fmt.Fprintf(ew, "%s: %s is a former key; counted as %s\n", x.At, x.From, x.To)
	}
	for _, d := range r.Deprecated {
		fmt.Fprintf(ew, "note: %s is deprecated\n", d.Key)
	}
	if r.OK() {
		fmt.Fprintf(ew, "OK: every required permission is held.\n")
		return ew.err
	}
	fmt.Fprintf(ew, "Missing %d of %d:\n", len(r.Missing), len(r.Required))
	for _, m := range r.Missing {
		fmt.Fprintf(ew, "  %s  %s\n", m.Key, oneLine(m.Name))
	}
	return ew.err
}

// JSON writes the result as indented JSON.
func (r *AuditResult) JSON(w io.Writer) error { return writeJSON(w, r) }
