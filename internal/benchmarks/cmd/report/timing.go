package main

import (
	"fmt"
	"io"
	"math"
	"strings"

	"github.com/crossorigin/cors/internal/benchmarks"
)

// The timing tables of the matrix: a row per scenario, a column per
// library, and ours set against the fastest peer, one request at a time
// (BenchmarkCORS) and under b.RunParallel (BenchmarkCORSParallel).

// Ratio thresholds of the issue: at most as slow as the fastest peer, and
// aim for 0.7 of it.
const (
	targetRatio = 1.0
	aimRatio    = 0.7
)

// Row is one scenario of a timing table.
type Row struct {
	Scenario string
	Request  string
	Cells    map[string]string // library -> rendered cell
	Ours     *Sample
	// Fastest is the fastest measured peer, rs/cors and its shared header
	// slices included, but not a peer that skips Vary: Origin here (it does
	// not do the scenario's work; in practice gorilla).
	Fastest *Sample
	Peer    string
	// FastestFair is the fastest measured peer that takes no shortcut
	// (benchmarks.NoVary, benchmarks.SharedSlice).
	FastestFair *Sample
	PeerFair    string
}

// Ratio is ours ÷ the fastest peer, or NaN when either is missing.
func (r Row) Ratio() float64 { return ratio(r.Ours, r.Fastest) }

// FairRatio is ours ÷ the fastest peer that takes no shortcut.
func (r Row) FairRatio() float64 { return ratio(r.Ours, r.FastestFair) }

// ratio is ours ÷ peer in ns/op, or NaN when either is missing.
func ratio(ours, peer *Sample) float64 {
	if ours == nil || peer == nil || peer.NsPerOp == 0 {
		return math.NaN()
	}
	return ours.NsPerOp / peer.NsPerOp
}

// skipsVary is what a timing table shows instead of the numbers of a peer
// that skips Vary: Origin in that scenario.
const skipsVary = "skips Vary"

// Rows builds the timing rows of benchmark family ("BenchmarkCORS" or
// "BenchmarkCORSParallel") from the matrix and the results.
func Rows(results map[string]*Result, cells []*benchmarks.Cell, family string) []Row {
	var rows []Row
	for _, s := range benchmarks.Scenarios() {
		if s.Request == nil {
			continue
		}
		row := Row{Scenario: s.FullName(), Request: s.Name, Cells: map[string]string{}}
		for _, lib := range benchmarks.Libraries() {
			cell := benchmarks.Find(cells, s.FullName(), lib.Name)
			res := results[family+"/"+s.FullName()+"/"+lib.Name]
			switch {
			case cell.Skip != "" && cell.Wrong():
				row.Cells[lib.Name] = "✗ " + string(cell.Outcome.Verdict)
			case cell.Skip != "":
				row.Cells[lib.Name] = "n/a"
			case lib.Peer && cell.Outcome.Shortcut == benchmarks.NoVary:
				row.Cells[lib.Name] = skipsVary
			case res == nil:
				row.Cells[lib.Name] = "–"
			default:
				m := res.Reduce(Stat)
				row.Cells[lib.Name] = FormatSample(m)
				row.add(lib, cell.Outcome.Shortcut, &m)
			}
		}
		rows = append(rows, row)
	}
	return rows
}

// add counts a measured library's sample m in the row: as ours, or as a
// peer that may be the fastest, and the fastest without shortcut when it
// takes none.
func (r *Row) add(lib *benchmarks.Library, shortcut string, m *Sample) {
	switch {
	case lib.Name == benchmarks.Ours:
		r.Ours = m
	case lib.Peer:
		if r.Fastest == nil || m.NsPerOp < r.Fastest.NsPerOp {
			r.Fastest, r.Peer = m, lib.Name
		}
		if shortcut == "" && (r.FastestFair == nil || m.NsPerOp < r.FastestFair.NsPerOp) {
			r.FastestFair, r.PeerFair = m, lib.Name
		}
	}
}

// measured reports whether ours has numbers in any of the rows.
func measured(rows []Row) bool {
	for _, r := range rows {
		if r.Ours != nil {
			return true
		}
	}
	return false
}

// writePerRequest prints the sequential timing table and what its marks
// mean, when ours was measured.
func writePerRequest(w io.Writer, env Env, seq []Row) {
	if !measured(seq) {
		return
	}
	fmt.Fprintln(w, "#### Per request: ns/op · B/op · allocs/op ("+env.Stat+" of the passes)")
	fmt.Fprintln(w)
	writeRows(w, seq, nil)
	fmt.Fprintf(w, "✓ ≤ %.1f × the fastest peer (the aim); ≤ 1 within the target; ✗ slower than that peer. "+
		"n/a: the scenario or the configuration cannot be stated; ✗ invalid: the library did not do what "+
		"the scenario's name says, so it is not timed (see the outcomes). *%s*: gorilla omits `Vary: Origin` "+
		"on these actual responses, so it does not do the scenario's work and is left out of the row. "+
		"rs/cors hands every response the same package-level header slices (a handler editing one edits all "+
		"responses): it counts in the first ratio, not in the second. Ours takes neither shortcut. allocs/op is "+
		"amortised (go test divides by the iterations and rounds down), so a few bytes per request with 0 allocs/op "+
		"are a block of header-value slots shared out over hundreds of responses.\n\n", aimRatio, skipsVary)
}

// writeParallel prints the timing table under b.RunParallel, set against
// the sequential rows seq, when ours was measured.
func writeParallel(w io.Writer, env Env, par, seq []Row) {
	if !measured(par) {
		return
	}
	fmt.Fprintf(w, "#### The same under `b.RunParallel` (%d goroutines, each with its own writer and request): wall ns/op · B/op · allocs/op\n\n", env.CPUs)
	writeRows(w, par, seq)
	fmt.Fprintf(w, "With no lock or shared counter on the request path, wall time per request is the sequential "+
		"time divided by the number of CPUs; the last column is ours sequential ÷ ours parallel (ideal: %d).\n\n", env.CPUs)
}

// writeRows prints a timing table; with seq, a last column sets ours in
// rows against ours in seq (sequential ÷ parallel).
func writeRows(w io.Writer, rows, seq []Row) {
	libs := benchmarks.Libraries()
	fmt.Fprint(w, "| scenario |")
	for _, l := range libs {
		fmt.Fprintf(w, " %s |", l.Name)
	}
	fmt.Fprint(w, " ours ÷ fastest peer | ours ÷ fastest peer without shortcut |")
	rule := "|---|" + strings.Repeat("--:|", len(libs)) + "---|---|"
	if seq != nil {
		fmt.Fprint(w, " ours: sequential ÷ parallel |")
		rule += "--:|"
	}
	fmt.Fprintln(w)
	fmt.Fprintln(w, rule)
	for i, r := range rows {
		fmt.Fprintf(w, "| %s |", r.Scenario)
		for _, l := range libs {
			fmt.Fprintf(w, " %s |", r.Cells[l.Name])
		}
		fmt.Fprintf(w, " %s | %s |", ratioCell(r.Ratio(), r.Peer), ratioCell(r.FairRatio(), r.PeerFair))
		if seq != nil {
			if s := ratio(seq[i].Ours, r.Ours); !math.IsNaN(s) {
				fmt.Fprintf(w, " %.2f |", s)
			} else {
				fmt.Fprint(w, " — |")
			}
		}
		fmt.Fprintln(w)
	}
	fmt.Fprintln(w)
}

// ratioCell renders a ratio column's cell: the ratio, the peer it is set
// against, and its Verdict; "—" when there is no ratio.
func ratioCell(ratio float64, peer string) string {
	if math.IsNaN(ratio) {
		return "—"
	}
	return fmt.Sprintf("%.2f (%s) %s", ratio, peer, Verdict(ratio))
}

// Verdict marks a ratio against the targets.
func Verdict(ratio float64) string {
	switch {
	case math.IsNaN(ratio):
		return "—"
	case ratio <= aimRatio:
		return "✓"
	case ratio <= targetRatio:
		return "≤ 1"
	}
	return "✗"
}
