package main

import (
	"fmt"
	"io"
	"strings"

	"github.com/crossorigin/cors/internal/benchmarks"
)

// writeStar prints the public `*` policy's checks, a column per library,
// and why a `*` resource is answered that way.
func writeStar(w io.Writer) {
	fmt.Fprintln(w, "#### Public `*` policy (checked, not timed)")
	fmt.Fprintln(w)
	fmt.Fprint(w, benchmarks.StarTable(benchmarks.Star()))
	fmt.Fprintln(w)
	fmt.Fprintln(w, "A `*` resource's answer does not depend on who asks, so Fetch (\"CORS protocol and HTTP caches\") "+
		"says to send `Access-Control-Allow-Origin: *` to every request, CORS or not, and no `Vary`: a cache then "+
		"keeps one copy for every calling site. A preflight never carries credentials, so `*` passes its check "+
		"for any Origin, `null` included.")
	fmt.Fprintln(w)
}

// writeOutcomes prints what every library answered in every scenario of
// the matrix (cells), then a line on the sweep's outcomes.
func writeOutcomes(w io.Writer, cells, sweep []*benchmarks.Cell) {
	fmt.Fprintln(w, "#### Outcomes (checked before timing)")
	fmt.Fprintln(w)
	fmt.Fprint(w, benchmarks.OutcomeTable(cells))
	fmt.Fprintln(w)
	writeSweepOutcomes(w, sweep)
}

// writeSweepOutcomes prints whether every library but the bare floor
// answered every sweep request as it says, naming the cells that did not
// (and, for ours, those that missed what it promises beyond that).
func writeSweepOutcomes(w io.Writer, sweep []*benchmarks.Cell) {
	var wrong []string
	n := 0
	for _, c := range sweep {
		if c.Library.Name == benchmarks.Bare {
			continue
		}
		n++
		switch {
		case c.Library.Name == benchmarks.Ours && !c.Scenario.OursMatches(c.Outcome),
			c.Wrong():
			wrong = append(wrong, c.Scenario.FullName()+"/"+c.Library.Name+": "+c.Outcome.String())
		}
	}
	if len(wrong) == 0 {
		fmt.Fprintf(w, "Origin sweep: all %d cells answered as their request says (n/a cells excepted).\n", n)
		return
	}
	fmt.Fprintf(w, "Origin sweep: %d cells answered otherwise (not timed): %s.\n", len(wrong), strings.Join(wrong, "; "))
}
