package main

import (
	"errors"
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/spf13/pflag"

	"github.com/permcat/permcat/query"
	"github.com/permcat/permcat/schema"
)

// loadForQuery compiles the catalog for a query command, printing errors.
func loadForQuery(path string, stderr io.Writer) *schema.Catalog {
	cat, errs := schema.Compile(path, schema.Options{})
	if errs.HasErrors() {
		printFindings(stderr, "text", errs)
		return nil
	}
	return cat
}

type renderer interface {
	Text(io.Writer) error
	JSON(io.Writer) error
}

func render(r renderer, format string, stdout io.Writer) error {
	if format == "json" {
		return r.JSON(stdout)
	}
	return r.Text(stdout)
}

func cmdExplain(args []string, stdout, stderr io.Writer) int {
	fs := newFlags("explain", stderr, "explain ROLE [--when COND ...] [--catalog PATH] [--format text|json]")
	catalog := fs.String("catalog", ".", "catalog root file or directory")
	when := fs.StringSlice("when", nil, "treat `COND` as true (repeatable, or a comma-separated list); every other condition is off")
	format := fs.String("format", "text", "output format: text or json")
	if code := parseFlags(fs, args); code >= 0 {
		return code
	}
	if code := checkQueryArgs(fs, *format, 1, "ROLE"); code >= 0 {
		return code
	}
	cat := loadForQuery(*catalog, stderr)
	if cat == nil {
		return 1
	}
	e, err := query.Explain(cat, fs.Arg(0), *when)
	if err != nil {
		return usageError(fs, "%v", err)
	}
	if err := render(e, *format, stdout); err != nil {
		fmt.Fprintln(stderr, "permcat explain:", err)
		return 1
	}
	return 0
}

func cmdWhoCan(args []string, stdout, stderr io.Writer) int {
	fs := newFlags("who-can", stderr, "who-can PERMISSION [--catalog PATH] [--format text|json]")
	catalog := fs.String("catalog", ".", "catalog root file or directory")
	format := fs.String("format", "text", "output format: text or json")
	if code := parseFlags(fs, args); code >= 0 {
		return code
	}
	if code := checkQueryArgs(fs, *format, 1, "PERMISSION"); code >= 0 {
		return code
	}
	cat := loadForQuery(*catalog, stderr)
	if cat == nil {
		return 1
	}
	r, err := query.WhoCan(cat, fs.Arg(0))
	if err != nil {
		return usageError(fs, "%v", err)
	}
	if err := render(r, *format, stdout); err != nil {
		fmt.Fprintln(stderr, "permcat who-can:", err)
		return 1
	}
	return 0
}

func cmdAudit(args []string, stdout, stderr io.Writer) int {
	fs := newFlags("audit", stderr, "audit --profile NAME --grants FILE [--catalog PATH] [--format text|json]")
	catalog := fs.String("catalog", ".", "catalog root file or directory")
	profile := fs.String("profile", "", "requirement profile `NAME` to check")
	grants := fs.String("grants", "", "`FILE` listing held permission keys (YAML/JSON list or one per line; - for stdin)")
	format := fs.String("format", "text", "output format: text or json")
	if code := parseFlags(fs, args); code >= 0 {
		return code
	}
	if code := checkQueryArgs(fs, *format, 0, ""); code >= 0 {
		return code
	}
	if *profile == "" {
		return usageError(fs, "--profile NAME is required")
	}
	if *grants == "" {
		return usageError(fs, "--grants FILE is required (- reads standard input)")
	}
	cat := loadForQuery(*catalog, stderr)
	if cat == nil {
		return 1
	}
	var data []byte
	var err error
	name := *grants
	if name == "-" {
		data, err = io.ReadAll(io.LimitReader(os.Stdin, maxGrantsSize+1))
		name = "<stdin>"
		if err == nil && len(data) > maxGrantsSize {
			err = fmt.Errorf("standard input is over %d bytes; grants files are limited to %d bytes (64 MiB)", maxGrantsSize, maxGrantsSize)
		}
	} else {
		// Not a named pipe or a device, and not without end.
		data, err = schema.ReadRegularFile(name, maxGrantsSize, "grants files")
		if err != nil && !strings.Contains(err.Error(), name) {
			err = fmt.Errorf("%s: %w", name, err)
		}
	}
	if err != nil {
		fmt.Fprintln(stderr, "permcat audit:", err)
		return 2
	}
	// Entries that are not keys are reported with the unknown keys, all
	// at once, when there is a profile to audit against.
	held, perr := query.ParseGrantsFile(name, data)
	held, perr = clipHeld(held), clipKeyErrors(perr)
	var notKeys query.KeyErrors
	if perr != nil && (!errors.As(perr, &notKeys) || cat.ProfileByKey(*profile) == nil) {
		fmt.Fprintln(stderr, perr)
		return 1
	}
	if cat.ProfileByKey(*profile) == nil {
		_, err := query.Audit(cat, *profile, nil)
		return usageError(fs, "%v", err)
	}
	res, err := query.AuditGrants(cat, *profile, held, perr)
	if err != nil {
		fmt.Fprintln(stderr, clipKeyErrors(err))
		return 1
	}
	if err := render(res, *format, stdout); err != nil {
		fmt.Fprintln(stderr, "permcat audit:", err)
		return 1
	}
	if !res.OK() {
		return 1
	}
	return 0
}

// checkQueryArgs checks the positional count and --format; -1 means fine.
func checkQueryArgs(fs *pflag.FlagSet, format string, want int, what string) int {
	if !validFormat(format, "text", "json") {
		return usageError(fs, "unknown --format %q (text or json)", format)
	}
	if fs.NArg() != want {
		if want == 0 {
			return usageError(fs, "takes no positional arguments, got %q", fs.Args())
		}
		return usageError(fs, "takes exactly one %s, got %d arguments", what, fs.NArg())
	}
	return -1
}

// maxGrantsSize bounds the audit --grants file, standard input included.
const maxGrantsSize = 64 << 20

// maxQuoted is how much of an entry of a grants file an error quotes.
const maxQuoted = 80

// clipHeld shortens entries longer than any key: no permission can match
// them, and an error that quotes one whole (a 50MB line) would be the
// size of the file, several times over once escaped. What is kept ends in
// "…", so it cannot match a key either.
func clipHeld(held []query.HeldKey) []query.HeldKey {
	for i, h := range held {
		if len(h.Key) > schema.MaxKeyLength {
			held[i].Key = clipForQuote(h.Key)
		}
	}
	return held
}

// clipForQuote is s, or when s quoted would be longer than maxQuoted bytes,
// as much of it as fits followed by "…".
func clipForQuote(s string) string {
	if len(s) <= maxQuoted-2 && len(strconv.Quote(s)) <= maxQuoted {
		return s
	}
	n, width := 0, 2
	for n < len(s) {
		_, size := utf8.DecodeRuneInString(s[n:])
		w := len(strconv.Quote(s[n:n+size])) - 2
		if width+w > maxQuoted {
			break
		}
		width += w
		n += size
	}
	if n == len(s) {
		return s
	}
	return s[:n] + "…"
}

// clipKeyErrors shortens what the findings about a grants file quote of
// it (its entries, or a whole scalar document) to about maxQuoted bytes.
func clipKeyErrors(err error) error {
	var ke query.KeyErrors
	if err == nil || !errors.As(err, &ke) {
		return err
	}
	out := make(query.KeyErrors, len(ke))
	for i, e := range ke {
		e.Key = clipForQuote(e.Key)
		e.Msg = clipQuoted(e.Msg)
		out[i] = e
	}
	return out
}

// clipQuoted shortens each Go-quoted string in msg that is longer than
// maxQuoted bytes (and not one clipForQuote already shortened), saying
// how long the text was.
func clipQuoted(msg string) string {
	var b strings.Builder
	for {
		i := strings.IndexByte(msg, '"')
		if i < 0 {
			b.WriteString(msg)
			return b.String()
		}
		b.WriteString(msg[:i])
		q, err := strconv.QuotedPrefix(msg[i:])
		if err != nil {
			b.WriteString(msg[i:])
			return b.String()
		}
		msg = msg[i+len(q):]
		if len(q) > maxQuoted+len("…") {
			if text, err := strconv.Unquote(q); err == nil {
				if c := clipForQuote(text); c != text {
					q = strconv.Quote(c) + fmt.Sprintf(" (%d bytes)", len(text))
				}
			}
		}
		b.WriteString(q)
	}
}
