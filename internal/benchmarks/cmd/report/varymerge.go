package main

import (
	"fmt"
	"io"
	"strings"

	"github.com/crossorigin/cors/internal/benchmarks"
)

// writeVaryMerge prints the table of BenchmarkVaryMerge, a column per
// library, when ours was measured.
func writeVaryMerge(w io.Writer, results map[string]*Result) {
	if results[benchmarks.VaryMergeBench+"/"+benchmarks.Ours] == nil {
		return
	}
	fmt.Fprintln(w, "#### After an earlier layer set `Vary: Accept-Encoding` (one_origin_creds/actual_allowed): ns/op · B/op · allocs/op")
	fmt.Fprintln(w)
	var head, rule, row strings.Builder
	for _, l := range benchmarks.Libraries() {
		head.WriteString(" " + l.Name + " |")
		rule.WriteString("--:|")
		if res := results[benchmarks.VaryMergeBench+"/"+l.Name]; res != nil {
			row.WriteString(" " + FormatSample(res.Reduce(Stat)) + " |")
		} else {
			row.WriteString(" – |")
		}
	}
	fmt.Fprintln(w, "|"+head.String())
	fmt.Fprintln(w, "|"+rule.String())
	fmt.Fprintln(w, "|"+row.String())
	fmt.Fprintln(w)
	fmt.Fprintln(w, "Ours merges `Origin` into the existing line (some caches read only the last `Vary` line): a new string, "+
		"the one allocation the targets allow. Not every peer merges; this table is the cost, not a correctness check.")
	fmt.Fprintln(w)
}
