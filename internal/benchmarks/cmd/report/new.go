package main

import (
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/crossorigin/cors/internal/benchmarks"
)

// writeNew prints the "Building a middleware" table (BenchmarkNew): a row
// per configuration that any library was measured on, a column per library
// but the bare floor.
func writeNew(w io.Writer, results map[string]*Result) {
	rows := []struct{ name, desc, target string }{
		{"1000_origins", "1,000 exact origins", "< 1 ms"},
		{"10000_origins", "10,000 origins, half subdomain wildcards", "< 20 ms"},
	}
	printed := false
	for _, r := range rows {
		cells := newCells(results, r.name)
		if strings.Count(strings.Join(cells, "|"), "n/a") == len(cells) {
			continue
		}
		if !printed {
			writeNewHeader(w, len(cells))
			printed = true
		}
		fmt.Fprintf(w, "| %s | %s | %s |\n", r.desc, r.target, strings.Join(cells, " | "))
	}
	if printed {
		fmt.Fprintln(w)
		fmt.Fprintln(w, "n/a: gorilla/handlers cannot state a subdomain wildcard.")
		fmt.Fprintln(w)
	}
}

// newCells renders every library's cost of building the configuration
// called config, "n/a" where it has no result; the bare floor has no cell.
func newCells(results map[string]*Result, config string) []string {
	var cells []string
	for _, l := range benchmarks.Libraries() {
		if l.Name == benchmarks.Bare {
			continue
		}
		res := results["BenchmarkNew/"+config+"/"+l.Name]
		if res == nil {
			cells = append(cells, "n/a")
			continue
		}
		m := res.Reduce(Stat)
		cells = append(cells, fmt.Sprintf("%s ms · %s B · %s allocs", strconv.FormatFloat(m.NsPerOp/1e6, 'f', 3, 64),
			thousands(m.BytesPerOp), thousands(m.AllocsPerOp)))
	}
	return cells
}

// writeNewHeader prints the section's heading and the table's head, for
// columns library columns.
func writeNewHeader(w io.Writer, columns int) {
	fmt.Fprintln(w, "#### Building a middleware")
	fmt.Fprintln(w)
	fmt.Fprint(w, "| configuration | target for ours |")
	for _, l := range benchmarks.Libraries() {
		if l.Name != benchmarks.Bare {
			fmt.Fprintf(w, " %s |", l.Name)
		}
	}
	fmt.Fprintln(w)
	fmt.Fprintln(w, "|---|---|"+strings.Repeat("--:|", columns))
}
