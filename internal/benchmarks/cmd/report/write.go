package main

import (
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"

	"github.com/crossorigin/cors/internal/benchmarks"
)

// Ratio thresholds of the issue: at most as slow as the fastest peer, and
// aim for 0.7 of it.
const (
	targetRatio = 1.0
	aimRatio    = 0.7
)

// Row is one scenario of the timing table.
type Row struct {
	Scenario string
	Request  string
	Cells    map[string]string // library -> rendered cell
	Ours     *Sample
	Fastest  *Sample // fastest measured peer
	Peer     string
	// FastestFair is the fastest measured peer that takes no shortcut
	// (benchmarks.NoVary, benchmarks.SharedSlice).
	FastestFair *Sample
	PeerFair    string
}

// Ratio is ours ÷ the fastest peer, or NaN when either is missing.
func (r Row) Ratio() float64 { return ratio(r.Ours, r.Fastest) }

// FairRatio is ours ÷ the fastest peer that takes no shortcut.
func (r Row) FairRatio() float64 { return ratio(r.Ours, r.FastestFair) }

func ratio(ours, peer *Sample) float64 {
	if ours == nil || peer == nil || peer.NsPerOp == 0 {
		return math.NaN()
	}
	return ours.NsPerOp / peer.NsPerOp
}

// Rows builds the timing rows from the matrix and the results.
func Rows(results map[string]*Result, cells []*benchmarks.Cell) []Row {
	var rows []Row
	for _, s := range benchmarks.Scenarios() {
		if s.Request == nil {
			continue
		}
		row := Row{Scenario: s.FullName(), Request: s.Name, Cells: map[string]string{}}
		for _, lib := range benchmarks.Libraries() {
			cell := benchmarks.Find(cells, s.FullName(), lib.Name)
			res := results["BenchmarkCORS/"+s.FullName()+"/"+lib.Name]
			switch {
			case cell.Skip != "" && cell.Wrong():
				row.Cells[lib.Name] = "✗ " + string(cell.Outcome.Verdict)
			case cell.Skip != "":
				row.Cells[lib.Name] = "n/a"
			case res == nil:
				row.Cells[lib.Name] = "–"
			default:
				m := res.Reduce(Stat)
				row.Cells[lib.Name] = FormatSample(m)
				switch {
				case lib.Name == benchmarks.Ours:
					row.Ours = &m
				case lib.Peer:
					if row.Fastest == nil || m.NsPerOp < row.Fastest.NsPerOp {
						row.Fastest, row.Peer = &m, lib.Name
					}
					if cell.Outcome.Shortcut == "" && (row.FastestFair == nil || m.NsPerOp < row.FastestFair.NsPerOp) {
						row.FastestFair, row.PeerFair = &m, lib.Name
					}
				}
			}
		}
		rows = append(rows, row)
	}
	return rows
}

// FormatSample renders "12.3 ns · 48 B · 1".
func FormatSample(s Sample) string {
	return FormatNs(s.NsPerOp) + " ns · " + thousands(s.BytesPerOp) + " B · " + thousands(s.AllocsPerOp)
}

// FormatNs keeps three significant digits below 100 ns.
func FormatNs(ns float64) string {
	switch {
	case ns < 10:
		return strconv.FormatFloat(ns, 'f', 2, 64)
	case ns < 100:
		return strconv.FormatFloat(ns, 'f', 1, 64)
	}
	return thousands(ns)
}

func thousands(v float64) string {
	s := strconv.FormatFloat(math.Round(v), 'f', 0, 64)
	var b strings.Builder
	for i, c := range s {
		if i > 0 && (len(s)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(c)
	}
	return b.String()
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

// Write prints the whole Markdown report.
func Write(w io.Writer, env Env, results map[string]*Result, cells []*benchmarks.Cell) {
	libs := benchmarks.Libraries()
	fmt.Fprintf(w, "Machine: %s, %d CPUs, %s/%s; %s; %s; 1-minute load average %s.",
		env.CPU, env.CPUs, env.GOOS, env.GOARCH, env.Go, env.Run, env.Load)
	if env.Library != "" {
		fmt.Fprintf(w, " Built from the %s.", env.Library)
	}
	fmt.Fprintln(w)
	fmt.Fprintln(w)

	fmt.Fprintln(w, "#### Per request: ns/op · B/op · allocs/op ("+env.Stat+" of the passes)")
	fmt.Fprintln(w)
	fmt.Fprint(w, "| scenario |")
	for _, l := range libs {
		fmt.Fprintf(w, " %s |", l.Name)
	}
	fmt.Fprintln(w, " ours ÷ fastest peer | ours ÷ fastest peer without shortcut |")
	fmt.Fprintln(w, "|---|"+strings.Repeat("--:|", len(libs))+"---|---|")
	rows := Rows(results, cells)
	for _, r := range rows {
		fmt.Fprintf(w, "| %s |", r.Scenario)
		for _, l := range libs {
			fmt.Fprintf(w, " %s |", r.Cells[l.Name])
		}
		fmt.Fprintf(w, " %s | %s |\n", ratioCell(r.Ratio(), r.Peer), ratioCell(r.FairRatio(), r.PeerFair))
	}
	fmt.Fprintln(w)
	fmt.Fprintf(w, "✓ ≤ %.1f × the fastest peer (the aim); ≤ 1 within the target; ✗ slower than that peer. "+
		"n/a: the scenario or the configuration cannot be stated; ✗ invalid: the library did not do what "+
		"the scenario's name says, so it is not timed (see the outcomes). Shortcuts, which the outcome table marks: "+
		"rs/cors hands every response the same package-level header slices (a handler editing one edits all "+
		"responses), gorilla omits `Vary: Origin` on actual responses; ours does neither by design.\n\n", aimRatio)

	fmt.Fprintln(w, "#### Against the targets")
	fmt.Fprintln(w)
	writeTargets(w, rows, results)

	fmt.Fprintln(w, "#### Outcomes (checked before timing)")
	fmt.Fprintln(w)
	fmt.Fprint(w, benchmarks.OutcomeTable(cells))
}

func writeTargets(w io.Writer, rows []Row, results map[string]*Result) {
	var aim, within, missed, missedFair []string
	var allocs []string
	for _, r := range rows {
		ratio := r.Ratio()
		switch {
		case math.IsNaN(ratio):
		case ratio <= aimRatio:
			aim = append(aim, r.Scenario)
		case ratio <= targetRatio:
			within = append(within, fmt.Sprintf("%s %.2f", r.Scenario, ratio))
		default:
			missed = append(missed, fmt.Sprintf("%s %.2f × %s", r.Scenario, ratio, r.Peer))
		}
		if fr := r.FairRatio(); fr > targetRatio {
			missedFair = append(missedFair, fmt.Sprintf("%s %.2f × %s", r.Scenario, fr, r.PeerFair))
		}
		if r.Ours != nil && r.Ours.AllocsPerOp > benchmarks.AllocTarget(r.Request) {
			allocs = append(allocs, fmt.Sprintf("%s %s allocs (target %s)", r.Scenario,
				thousands(r.Ours.AllocsPerOp), thousands(benchmarks.AllocTarget(r.Request))))
		}
	}
	fmt.Fprintf(w, "- Speed: %d scenarios at ≤ %.1f ×, %d within ≤ 1 ×%s, %d slower than a peer%s.\n",
		len(aim), aimRatio, len(within), list(within), len(missed), list(missed))
	fmt.Fprintf(w, "- Against the peers that take no shortcut: %d slower%s.\n", len(missedFair), list(missedFair))
	if len(allocs) == 0 {
		fmt.Fprintln(w, "- Allocations: every scenario within target (0 for refused and hostile preflights, ≤ 1 elsewhere).")
	} else {
		fmt.Fprintf(w, "- Allocations over target: %s.\n", strings.Join(allocs, "; "))
	}
	for _, c := range benchmarks.Configs() {
		var ns []float64
		for _, req := range []string{benchmarks.PreflightACRH1K, benchmarks.PreflightACRH64K, benchmarks.PreflightACRH1M} {
			if res := results["BenchmarkCORS/"+c.Name+"/"+req+"/"+benchmarks.Ours]; res != nil {
				ns = append(ns, res.Reduce(Stat).NsPerOp)
			}
		}
		if len(ns) == 3 {
			// Both 64 KiB and 1 MiB are past any sane parsing bound, so
			// flat means the 16-fold larger header costs no more.
			fmt.Fprintf(w, "- Hostile preflight, %s, ACRH 1 KiB / 64 KiB / 1 MiB: %s / %s / %s ns (1 MiB ÷ 64 KiB: %.2f).\n",
				c.Name, FormatNs(ns[0]), FormatNs(ns[1]), FormatNs(ns[2]), ns[2]/ns[1])
		}
	}
	var ctor []string
	for _, lib := range benchmarks.Libraries() {
		if res := results["BenchmarkNew/1000_origins/"+lib.Name]; res != nil {
			m := res.Reduce(Stat)
			mark := ""
			if lib.Name == benchmarks.Ours {
				mark = " ✓"
				if m.NsPerOp >= 1e6 {
					mark = " ✗"
				}
			}
			ctor = append(ctor, fmt.Sprintf("%s %s µs%s (%s B, %s allocs)", lib.Name,
				strconv.FormatFloat(m.NsPerOp/1e3, 'f', 1, 64), mark, thousands(m.BytesPerOp), thousands(m.AllocsPerOp)))
		}
	}
	if len(ctor) > 0 {
		fmt.Fprintf(w, "- Building a middleware with 1,000 origins (target for ours: < 1 ms): %s.\n", strings.Join(ctor, "; "))
	}
	fmt.Fprintln(w)
}

func ratioCell(ratio float64, peer string) string {
	if math.IsNaN(ratio) {
		return "—"
	}
	return fmt.Sprintf("%.2f (%s) %s", ratio, peer, Verdict(ratio))
}

func list(items []string) string {
	if len(items) == 0 {
		return ""
	}
	return " (" + strings.Join(items, "; ") + ")"
}
