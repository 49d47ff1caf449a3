package main

import (
	"fmt"
	"go/types"
	"regexp"
	"strconv"
	"strings"
)

// reportAdditions lists the features p has that its listing does not, with what that means (note).
func (g *gate) reportAdditions(p *types.Package, additions []string, note string) {
	if len(additions) == 0 {
		return
	}
	fmt.Fprintf(g.out, "api: %s: %s since %s (%s):\n", p.Path(), plural(len(additions), "addition"), g.listing(p), note)
	for _, f := range additions {
		fmt.Fprintln(g.out, "\tadded:   "+short(f))
	}
}

// reportBreaks names each incompatible change of p.
func (g *gate) reportBreaks(p *types.Package, breaks []change) {
	fmt.Fprintf(g.out, "api: %s: %s against %s:\n", p.Path(), plural(len(breaks), "incompatible change"), g.listing(p))
	for _, b := range breaks {
		if b.new == "" {
			fmt.Fprintln(g.out, "\tremoved: "+short(b.old))
			continue
		}
		fmt.Fprintln(g.out, "\tchanged: "+short(b.old))
		fmt.Fprintln(g.out, "\t     to: "+short(b.new))
	}
}

// howToProceed says what to do about incompatible changes.
func (g *gate) howToProceed() {
	fmt.Fprintf(g.out, `api: code written against the recorded API may no longer compile. Either:
     - undo each change above (to replace a name or a signature, add the new one beside the old one, and
       mark the old one "Deprecated:"), or,
     - if the break is intended, release it as a new major version: module %s
       (see docs/development.md, "API compatibility").
`, nextMajor(g.module))
}

// majorSuffix matches the major version suffix of a module path, "/v2".
var majorSuffix = regexp.MustCompile(`/v([0-9]+)$`)

// nextMajor returns the path of the next major version of module: example.com/m/v2 for example.com/m,
// example.com/m/v3 for example.com/m/v2.
func nextMajor(module string) string {
	if m := majorSuffix.FindStringSubmatch(module); m != nil {
		n, _ := strconv.Atoi(m[1])
		return strings.TrimSuffix(module, m[0]) + "/v" + strconv.Itoa(n+1)
	}
	return module + "/v2"
}

// short is a feature without its "pkg P, " prefix: the report names the package once.
func short(feature string) string {
	_, f, _ := strings.Cut(feature, ", ")
	return f
}

// plural is "1 thing" or "n things".
func plural(n int, thing string) string {
	if n == 1 {
		return "1 " + thing
	}
	return strconv.Itoa(n) + " " + thing + "s"
}
