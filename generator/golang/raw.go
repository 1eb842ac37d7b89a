package golang

import (
	"bytes"
	"fmt"
	"strconv"
	"strings"

	"github.com/dave/jennifer/jen"
)

// Big declarations (one constant per permission, the tables) are written
// as text in exactly the form gofmt gives them, not built with jennifer:
// building and formatting 100,000 constants through go/format took most of
// the generator's time on large catalogs. Each file is rendered with a
// placeholder comment where a raw declaration goes; render swaps them in
// after formatting. The golden tests check that every file is still
// gofmt-clean.

// rawMark starts a placeholder comment.
const rawMark = "// permcat:raw "

// rawDecl is a declaration written as text, in gofmt's form and ending
// with a newline, straight into the file's bytes.
type rawDecl interface {
	// size is about how many bytes appendTo adds.
	size() int
	appendTo(b []byte) []byte
}

type rawText string

func (t rawText) size() int                { return len(t) }
func (t rawText) appendTo(b []byte) []byte { return append(b, t...) }

// quotedConst is `const name = "value"`, the value quoted straight into
// the file: the texts of a large catalog are tens of megabytes.
type quotedConst struct{ name, value string }

func (q quotedConst) size() int { return len(q.name) + len(q.value) + len(q.value)/16 + 16 }

func (q quotedConst) appendTo(b []byte) []byte {
	b = append(b, "const "...)
	b = append(b, q.name...)
	b = append(b, " = "...)
	b = strconv.AppendQuote(b, q.value)
	return append(b, '\n')
}

// raw adds a declaration written as text, which must end with a newline
// and be in gofmt's form.
func (g *gen) raw(f *jen.File, text string) {
	g.rawDecl(f, rawText(text))
}

func (g *gen) rawDecl(f *jen.File, d rawDecl) {
	f.Comment(rawMark[3:] + strconv.Itoa(len(g.raws)))
	g.raws = append(g.raws, d)
}

// render renders a file and swaps the raw declarations in. A placeholder
// is followed directly by the next declaration (jennifer keeps comments
// with what follows them), so a raw declaration gets its blank line here.
// The file holds the raw declarations numbered from to to-1.
func (g *gen) render(f *jen.File, from, to int) ([]byte, error) {
	var buf bytes.Buffer
	if err := f.Render(&buf); err != nil {
		return nil, err
	}
	src := buf.Bytes()
	if !bytes.Contains(src, []byte(rawMark)) {
		return src, nil
	}
	out := make([]byte, 0, len(src)+g.rawSize(from, to))
	for len(src) > 0 {
		line := src
		if i := bytes.IndexByte(src, '\n'); i >= 0 {
			line = src[:i+1]
		}
		src = src[len(line):]
		n, ok := bytes.CutPrefix(bytes.TrimSuffix(line, []byte("\n")), []byte(rawMark))
		if !ok {
			out = append(out, line...)
			continue
		}
		i, err := strconv.Atoi(string(n))
		if err != nil || i < from || i >= to {
			return nil, fmt.Errorf("golang: bad raw placeholder %q", line)
		}
		out = g.raws[i].appendTo(out)
		if len(src) > 0 && src[0] != '\n' {
			out = append(out, '\n')
		}
	}
	return out, nil
}

func (g *gen) rawSize(from, to int) int {
	n := 0
	for _, r := range g.raws[from:to] {
		n += r.size()
	}
	return n
}

// enumConst is one constant of an enumeration type.
type enumConst struct {
	doc   string // "// " lines
	name  string
	value uint64

	// docArgs, when set, gives deprecatedDoc's arguments instead of doc:
	// the comment is then written straight into the file as the block is,
	// and never held on its own. docSize estimates its length.
	docArgs func() (reason string, paras []string)
	docSize int
}

// constBlock is the constants of an enumeration, each with its doc
// comment, in one const block.
type constBlock struct {
	typ    string
	consts []enumConst
}

func (c constBlock) size() int {
	n := 16
	for _, k := range c.consts {
		n += len(k.doc) + k.docSize + len(k.name) + len(c.typ) + 32
	}
	return n
}

func (c constBlock) appendTo(b []byte) []byte {
	b = append(b, "const (\n"...)
	for i, k := range c.consts {
		if i > 0 {
			b = append(b, '\n')
		}
		if k.docArgs != nil {
			reason, paras := k.docArgs()
			b = appendDocBlock(b, reason, paras)
		}
		for rest := k.doc; rest != ""; {
			var l string
			l, rest, _ = strings.Cut(rest, "\n")
			if l == "" {
				continue
			}
			b = append(b, '\t')
			b = append(b, l...)
			b = append(b, '\n')
		}
		b = append(b, '\t')
		b = append(b, k.name...)
		b = append(b, ' ')
		b = append(b, c.typ...)
		b = append(b, " = "...)
		b = strconv.AppendUint(b, k.value, 10)
		b = append(b, '\n')
	}
	return append(b, ")\n"...)
}

// staleGuardSample is how many constants a stale guard checks at most.
// Each check costs the compiler about 15µs and 2KB, so checking all of a
// 100,000-permission catalog would add 1.5s and 200MB to every build of
// the package; an even sample still catches a package renumbered by half
// a regeneration.
const staleGuardSample = 1024

// staleGuard is stringer's trick: the function stops compiling when a
// constant no longer has the value the tables were built for, so a package
// edited by hand or half regenerated cannot build.
func staleGuard(what string, consts []enumConst) jen.Code {
	step := (len(consts) + staleGuardSample - 1) / staleGuardSample
	comment := fmt.Sprintf("An \"invalid array index\" compiler error here means the %s changed since this package was generated: run permcat generate again.", what)
	if step > 1 {
		comment += fmt.Sprintf(" It checks every %s constant of the %d.", ordinal(step), len(consts))
	}
	body := []jen.Code{
		jen.Comment(doc(comment)),
		jen.Var().Id("x").Index(jen.Lit(1)).Struct(),
	}
	for i, c := range consts {
		if i%step == 0 || i == len(consts)-1 {
			body = append(body, jen.Id("_").Op("=").Id("x").Index(jen.Id(c.name).Op("-").Lit(int(c.value))))
		}
	}
	return jen.Func().Id("_").Params().Block(body...)
}

func ordinal(n int) string {
	suffix := "th"
	switch {
	case n%100 >= 11 && n%100 <= 13:
	case n%10 == 1:
		suffix = "st"
	case n%10 == 2:
		suffix = "nd"
	case n%10 == 3:
		suffix = "rd"
	}
	return strconv.Itoa(n) + suffix
}
