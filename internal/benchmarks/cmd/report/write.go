package main

import (
	"fmt"
	"io"
	"math"
	"slices"
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

// E2E is the end-to-end suite's outcome, for the report.
type E2E struct {
	Options benchmarks.E2EOptions
	Series  []benchmarks.E2ESeries
}

// Targets of the issue beyond the ratios.
const (
	// fairShare: ours at ≤ aimRatio × the fastest peer without shortcut on
	// at least this many of the matrix's scenarios.
	fairShare = 24
	// hostileMaxNs and hostileFlat: the 1 MiB hostile preflight costs under
	// 1 µs and at most hostileFlat × the 1 KiB one.
	hostileMaxNs = 1000
	hostileFlat  = 1.5
	// newThousandMaxNs: building with 1,000 exact origins.
	newThousandMaxNs = 1e6
)

// Write prints the whole Markdown report.
func Write(w io.Writer, env Env, results map[string]*Result, e2e *E2E) {
	cells := benchmarks.Matrix()
	sweep := benchmarks.Sweep()
	fmt.Fprintf(w, "Machine: %s, %d CPUs, %s/%s; %s; %s; 1-minute load average %s.",
		env.CPU, env.CPUs, env.GOOS, env.GOARCH, env.Go, env.Run, env.Load)
	if env.Library != "" {
		fmt.Fprintf(w, " Built from the %s.", env.Library)
	}
	fmt.Fprintln(w)
	fmt.Fprintln(w)

	seq := Rows(results, cells, "BenchmarkCORS")
	par := Rows(results, cells, "BenchmarkCORSParallel")
	fmt.Fprintln(w, "#### Against the targets")
	fmt.Fprintln(w)
	writeTargets(w, seq, par, sweep, results, e2e)

	if measured(seq) {
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
	if measured(par) {
		fmt.Fprintf(w, "#### The same under `b.RunParallel` (%d goroutines, each with its own writer and request): wall ns/op · B/op · allocs/op\n\n", env.CPUs)
		writeRows(w, par, seq)
		fmt.Fprintf(w, "With no lock or shared counter on the request path, wall time per request is the sequential "+
			"time divided by the number of CPUs; the last column is ours sequential ÷ ours parallel (ideal: %d).\n\n", env.CPUs)
	}
	writeSweep(w, sweep, results)
	writeNew(w, results)
	writeVaryMerge(w, results)
	writeE2E(w, e2e)

	fmt.Fprintln(w, "#### Public `*` policy (checked, not timed)")
	fmt.Fprintln(w)
	fmt.Fprint(w, benchmarks.StarTable(benchmarks.Star()))
	fmt.Fprintln(w)
	fmt.Fprintln(w, "A `*` resource's answer does not depend on who asks, so Fetch (\"CORS protocol and HTTP caches\") "+
		"says to send `Access-Control-Allow-Origin: *` to every request, CORS or not, and no `Vary`: a cache then "+
		"keeps one copy for every calling site. A preflight never carries credentials, so `*` passes its check "+
		"for any Origin, `null` included.")
	fmt.Fprintln(w)

	fmt.Fprintln(w, "#### Outcomes (checked before timing)")
	fmt.Fprintln(w)
	fmt.Fprint(w, benchmarks.OutcomeTable(cells))
	fmt.Fprintln(w)
	writeSweepOutcomes(w, sweep)
}

func measured(rows []Row) bool {
	for _, r := range rows {
		if r.Ours != nil {
			return true
		}
	}
	return false
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

// ratioChecks counts, over the rows, ours against both targets.
type ratioChecks struct {
	rows, within, fair int
	missed, unfair     []string
	allocs             []string
}

func checkRows(rows []Row) ratioChecks {
	var c ratioChecks
	for _, r := range rows {
		if r.Ours == nil {
			continue
		}
		c.rows++
		if x := r.Ratio(); math.IsNaN(x) || x <= targetRatio {
			c.within++
		} else {
			c.missed = append(c.missed, fmt.Sprintf("%s %.2f × %s", r.Scenario, x, r.Peer))
		}
		if x := r.FairRatio(); math.IsNaN(x) || x <= aimRatio {
			c.fair++
		} else {
			c.unfair = append(c.unfair, fmt.Sprintf("%s %.2f × %s", r.Scenario, x, r.PeerFair))
		}
		if r.Ours.AllocsPerOp > benchmarks.AllocTarget(r.Request) {
			c.allocs = append(c.allocs, fmt.Sprintf("%s %s", r.Scenario, strconv.FormatFloat(r.Ours.AllocsPerOp, 'g', 3, 64)))
		}
	}
	return c
}

func mark(ok bool) string {
	if ok {
		return "✓"
	}
	return "✗"
}

func writeTargets(w io.Writer, seq, par []Row, sweep []*benchmarks.Cell, results map[string]*Result, e2e *E2E) {
	for _, t := range []struct {
		name string
		rows []Row
	}{{"Per request", seq}, {"Under b.RunParallel", par}} {
		if !measured(t.rows) {
			continue
		}
		c := checkRows(t.rows)
		fmt.Fprintf(w, "- %s, ours ≤ 1.0 × the fastest peer (rs/cors included; gorilla out where it skips Vary): "+
			"%s %d of %d%s.\n", t.name, mark(c.within == c.rows), c.within, c.rows, list(c.missed))
		fmt.Fprintf(w, "- %s, ours ≤ %.1f × the fastest peer without shortcut on at least %d of %d: %s %d%s.\n",
			t.name, aimRatio, fairShare, c.rows, mark(c.fair >= fairShare), c.fair, list(c.unfair))
		fmt.Fprintf(w, "- %s, 0 allocs/op on every path: %s", t.name, mark(len(c.allocs) == 0))
		if len(c.allocs) > 0 {
			fmt.Fprintf(w, " (over: %s)", strings.Join(c.allocs, "; "))
		}
		fmt.Fprintln(w, ".")
	}
	if res := results[benchmarks.VaryMergeBench+"/"+benchmarks.Ours]; res != nil {
		m := res.Reduce(Stat)
		fmt.Fprintf(w, "- The Vary merge (an earlier layer set Vary), the one path that may allocate: %s allocs/op %s (at most %d).\n",
			thousands(m.AllocsPerOp), mark(m.AllocsPerOp <= benchmarks.VaryMergeAllocTarget), benchmarks.VaryMergeAllocTarget)
	}
	for _, c := range benchmarks.Configs() {
		var ns []float64
		for _, req := range []string{benchmarks.PreflightACRH1K, benchmarks.PreflightACRH64K, benchmarks.PreflightACRH1M} {
			if res := results["BenchmarkCORS/"+c.Name+"/"+req+"/"+benchmarks.Ours]; res != nil {
				ns = append(ns, res.Reduce(Stat).NsPerOp)
			}
		}
		if len(ns) == 3 {
			ok := ns[2] < hostileMaxNs && ns[2] <= hostileFlat*ns[0]
			fmt.Fprintf(w, "- Hostile preflight, %s, ACRH 1 KiB / 64 KiB / 1 MiB: %s / %s / %s ns; 1 MiB under 1 µs and ≤ %.1f × 1 KiB: %s (%.2f ×).\n",
				c.Name, FormatNs(ns[0]), FormatNs(ns[1]), FormatNs(ns[2]), hostileFlat, mark(ok), ns[2]/ns[0])
		}
	}
	var ratios []string
	sweepOK := true
	for _, req := range benchmarks.SweepRequests() {
		if x := sweepRatio(results, req, benchmarks.Ours); !math.IsNaN(x) {
			ratios = append(ratios, fmt.Sprintf("%s %.2f", req, x))
			sweepOK = sweepOK && x <= benchmarks.SweepMaxRatio
		}
	}
	if len(ratios) > 0 {
		fmt.Fprintf(w, "- Origin sweep, ours with 10,000 origins ÷ with 1 (at most %.1f): %s %s.\n",
			benchmarks.SweepMaxRatio, mark(sweepOK), strings.Join(ratios, "; "))
	}
	for _, t := range []struct {
		name string
		max  float64
	}{{"1000_origins", newThousandMaxNs}, {"10000_origins", benchmarks.NewMaxNs}} {
		if res := results["BenchmarkNew/"+t.name+"/"+benchmarks.Ours]; res != nil {
			m := res.Reduce(Stat)
			fmt.Fprintf(w, "- `New` with %s origins: %s ms, under %s ms %s.\n", strings.TrimSuffix(t.name, "_origins"),
				strconv.FormatFloat(m.NsPerOp/1e6, 'f', 2, 64), strconv.FormatFloat(t.max/1e6, 'f', 0, 64), mark(m.NsPerOp < t.max))
		}
	}
	if e2e != nil {
		if o := benchmarks.Overheads(e2e.Series, benchmarks.Ours); len(o) > 0 {
			med, lo, hi := spread(o)
			aa := benchmarks.Overheads(e2e.Series, benchmarks.BareAgain)
			verdict, u := e2eVerdict(med, aa, benchmarks.E2ETarget)
			fmt.Fprintf(w, "- End to end, ours within %.0f%% of the bare handler's requests per second: %s median %s over %d rounds "+
				"(rounds from %s to %s); noise, from the bare handler against itself: ±%s (twice the standard error of a median of %d rounds).\n",
				benchmarks.E2ETarget*100, verdict, percent(med), len(o), percent(lo), percent(hi), percent(2*u), len(aa))
			if c := benchmarks.CPUOverheads(e2e.Series, benchmarks.Ours); len(c) > 0 {
				cmed, _, _ := spread(c)
				cv, cu := e2eVerdict(cmed, benchmarks.CPUOverheads(e2e.Series, benchmarks.BareAgain), benchmarks.E2ETarget)
				fmt.Fprintf(w, "- End to end, CPU time per request (clients and server; steadier than the wall clock on a busy machine): "+
					"ours %s against the bare handler, median over the rounds, noise ±%s: %s within %.0f%%.\n",
					signedPercent(cmed), percent(2*cu), cv, benchmarks.E2ETarget*100)
			}
		}
		// The same, set against the CORS headers sent without a middleware: the middleware's own cost.
		if o := benchmarks.OverheadsAgainst(e2e.Series, benchmarks.Ours, benchmarks.HeadersOnly); len(o) > 0 {
			med, _, _ := spread(o)
			verdict, u := e2eVerdict(med, benchmarks.Overheads(e2e.Series, benchmarks.BareAgain), benchmarks.E2ETarget)
			cmed, _, _ := spread(benchmarks.CPUOverheadsAgainst(e2e.Series, benchmarks.Ours, benchmarks.HeadersOnly))
			cv, cu := e2eVerdict(cmed, benchmarks.CPUOverheads(e2e.Series, benchmarks.BareAgain), benchmarks.E2ETarget)
			hb, _, _ := spread(benchmarks.CPUOverheads(e2e.Series, benchmarks.HeadersOnly))
			fmt.Fprintf(w, "- End to end, the middleware's own cost: ours against `%s` (the same CORS headers set by a wrapper "+
				"that decides nothing; those headers alone cost %s CPU per request against the bare handler): requests per "+
				"second %s, noise ±%s: %s within %.0f%%; CPU per request %s, noise ±%s: %s within %.0f%%.\n",
				benchmarks.HeadersOnly, signedPercent(hb), percent(med), percent(2*u), verdict, benchmarks.E2ETarget*100,
				signedPercent(cmed), percent(2*cu), cv, benchmarks.E2ETarget*100)
		}
	}
	ours, bad := 0, []string{}
	for _, c := range append(benchmarks.Matrix(), sweep...) {
		if c.Library.Name != benchmarks.Ours || c.Scenario.Request == nil {
			continue
		}
		ours++
		if !c.Scenario.OursMatches(c.Outcome) {
			bad = append(bad, c.Scenario.FullName()+": "+c.Outcome.String())
		}
	}
	fmt.Fprintf(w, "- Outcomes, ours does what every scenario and sweep request says (under `*`: ACAO `*` without `Vary: Origin` on every actual response): %s %d of %d%s.\n",
		mark(len(bad) == 0), ours-len(bad), ours, list(bad))
	star, starBad := 0, []string{}
	for _, r := range benchmarks.Star() {
		if r.Library == benchmarks.Ours {
			star++
			if !r.Public {
				starBad = append(starBad, r.Check.Name+": "+r.Label)
			}
		}
	}
	fmt.Fprintf(w, "- Public `*` policy, ours answers as a public resource (actual: `*`, no `Vary: Origin`, also for no Origin, `null` and a 1 MiB Origin; preflight from `null` answered): %s %d of %d%s.\n",
		mark(len(starBad) == 0), star-len(starBad), star, list(starBad))
	fmt.Fprintln(w)
}

// sweepRatio is a library's cost with the most origins ÷ with the fewest.
func sweepRatio(results map[string]*Result, req, lib string) float64 {
	sizes := benchmarks.SweepSizes
	lo := results[benchmarks.SweepBenchName(req, sizes[0], lib)]
	hi := results[benchmarks.SweepBenchName(req, sizes[len(sizes)-1], lib)]
	if lo == nil || hi == nil {
		return math.NaN()
	}
	l, h := lo.Reduce(Stat), hi.Reduce(Stat)
	return ratio(&h, &l)
}

func writeSweep(w io.Writer, cells []*benchmarks.Cell, results map[string]*Result) {
	var libs []*benchmarks.Library
	for _, l := range benchmarks.Libraries() {
		if l.Name != benchmarks.Bare {
			libs = append(libs, l)
		}
	}
	found := false
	for _, l := range libs {
		if results[benchmarks.SweepBenchName(benchmarks.SweepActualExact, 1, l.Name)] != nil {
			found = true
		}
	}
	if !found {
		return
	}
	fmt.Fprintln(w, "#### Origin-count sweep: ns/op · allocs/op with 1 to 10,000 configured origins")
	fmt.Fprintln(w)
	fmt.Fprint(w, "| request | origins |")
	for _, l := range libs {
		fmt.Fprintf(w, " %s |", l.Name)
	}
	fmt.Fprintln(w)
	fmt.Fprintln(w, "|---|--:|"+strings.Repeat("--:|", len(libs)))
	for _, req := range benchmarks.SweepRequests() {
		for _, n := range benchmarks.SweepSizes {
			fmt.Fprintf(w, "| %s | %s |", req, thousands(float64(n)))
			for _, l := range libs {
				cell := benchmarks.FindSweep(cells, req, n, l.Name)
				res := results[benchmarks.SweepBenchName(req, n, l.Name)]
				switch {
				case cell != nil && cell.Skip != "" && cell.Wrong():
					fmt.Fprint(w, " ✗ "+string(cell.Outcome.Verdict)+" |")
				case cell != nil && cell.Skip != "":
					fmt.Fprint(w, " n/a |")
				case cell != nil && cell.Outcome.Shortcut == benchmarks.NoVary:
					fmt.Fprint(w, " "+skipsVary+" |")
				case res == nil:
					fmt.Fprint(w, " – |")
				default:
					m := res.Reduce(Stat)
					fmt.Fprintf(w, " %s ns · %s |", FormatNs(m.NsPerOp), thousands(m.AllocsPerOp))
				}
			}
			fmt.Fprintln(w)
		}
		fmt.Fprintf(w, "| %s | **10,000 ÷ 1** |", req)
		for _, l := range libs {
			x := sweepRatio(results, req, l.Name)
			switch {
			case math.IsNaN(x):
				fmt.Fprint(w, " — |")
			case l.Name == benchmarks.Ours:
				fmt.Fprintf(w, " **%.2f** %s |", x, mark(x <= benchmarks.SweepMaxRatio))
			default:
				fmt.Fprintf(w, " %.2f |", x)
			}
		}
		fmt.Fprintln(w)
	}
	fmt.Fprintln(w)
	fmt.Fprintf(w, "Each configuration alternates exact origins (`https://customer-N.com`) and subdomain wildcards "+
		"(`https://*.customer-N.com`), half each, credentials on; the origin that lets the request in is the last one "+
		"listed (a list scan's worst case), and with 1 origin it is the only one. Refusals come from "+
		"`%s`, shaped like an unlisted tenant's subdomain, under the configuration whose last origin is a wildcard. "+
		"gorilla/handlers has no subdomain wildcard, so it can state only the one exact origin (n/a elsewhere), "+
		"and there it skips `Vary: Origin` on actual responses; "+
		"rs/cors and go-chi/cors read `https://*.customer-N.com` as a prefix and a suffix, which lets in the same "+
		"origins here; jub0bs/cors states it as written. Target for ours: 10,000 origins at most %.1f × the cost of 1.\n\n",
		benchmarks.SweepRefusedOrigin, benchmarks.SweepMaxRatio)
}

func writeNew(w io.Writer, results map[string]*Result) {
	rows := []struct{ name, desc, target string }{
		{"1000_origins", "1,000 exact origins", "< 1 ms"},
		{"10000_origins", "10,000 origins, half subdomain wildcards", "< 20 ms"},
	}
	printed := false
	for _, r := range rows {
		var cells []string
		for _, l := range benchmarks.Libraries() {
			if l.Name == benchmarks.Bare {
				continue
			}
			res := results["BenchmarkNew/"+r.name+"/"+l.Name]
			if res == nil {
				cells = append(cells, "n/a")
				continue
			}
			m := res.Reduce(Stat)
			cells = append(cells, fmt.Sprintf("%s ms · %s B · %s allocs", strconv.FormatFloat(m.NsPerOp/1e6, 'f', 3, 64),
				thousands(m.BytesPerOp), thousands(m.AllocsPerOp)))
		}
		if strings.Count(strings.Join(cells, "|"), "n/a") == len(cells) {
			continue
		}
		if !printed {
			fmt.Fprintln(w, "#### Building a middleware")
			fmt.Fprintln(w)
			fmt.Fprint(w, "| configuration | target for ours |")
			for _, l := range benchmarks.Libraries() {
				if l.Name != benchmarks.Bare {
					fmt.Fprintf(w, " %s |", l.Name)
				}
			}
			fmt.Fprintln(w)
			fmt.Fprintln(w, "|---|---|"+strings.Repeat("--:|", len(cells)))
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

func writeE2E(w io.Writer, e2e *E2E) {
	if e2e == nil || len(e2e.Series) == 0 || len(e2e.Series[0].Rounds) == 0 {
		return
	}
	o := e2e.Options
	fmt.Fprintf(w, "#### End to end: loopback HTTP/1.1, %d keep-alive connections, %d rounds of %s requests per middleware\n\n",
		o.Conns, len(e2e.Series[0].Rounds), thousands(float64(o.PerRound)))
	fmt.Fprintln(w, "| handler | req/s (median of rounds) | p50 µs | p99 µs | overhead vs bare (median) | overhead, lowest to highest round | CPU µs per request | CPU vs bare (median) | req/s per round |")
	fmt.Fprintln(w, "|---|--:|--:|--:|--:|---|--:|--:|---|")
	for _, s := range e2e.Series {
		var rps []float64
		var all benchmarks.E2EResult
		for _, r := range s.Rounds {
			rps = append(rps, r.RequestsPerSecond())
			all.Latencies = append(all.Latencies, r.Latencies...)
			all.Requests += r.Requests
			all.CPU += r.CPU
		}
		slices.Sort(all.Latencies)
		med, _, _ := spread(rps)
		var perRound []string
		for _, x := range rps {
			perRound = append(perRound, thousands(x))
		}
		overhead, rng, cpu := "—", "—", "—"
		if s.Name != benchmarks.Bare {
			m, lo, hi := spread(benchmarks.Overheads(e2e.Series, s.Name))
			overhead, rng = percent(m), percent(lo)+" to "+percent(hi)
			if c := benchmarks.CPUOverheads(e2e.Series, s.Name); len(c) > 0 {
				cm, _, _ := spread(c)
				cpu = signedPercent(cm)
			}
		}
		name := s.Name
		switch name {
		case benchmarks.BareAgain:
			name += " (control)"
		case benchmarks.HeadersOnly:
			name += " (the headers, no middleware)"
		}
		fmt.Fprintf(w, "| %s | %s | %s | %s | %s | %s | %s | %s | %s |\n", name, thousands(med),
			strconv.FormatFloat(float64(all.Quantile(0.50).Nanoseconds())/1e3, 'f', 1, 64),
			strconv.FormatFloat(float64(all.Quantile(0.99).Nanoseconds())/1e3, 'f', 1, 64),
			overhead, rng, strconv.FormatFloat(float64(all.CPUPerRequest().Nanoseconds())/1e3, 'f', 1, 64), cpu,
			strings.Join(perRound, ", "))
	}
	fmt.Fprintln(w)
	fmt.Fprintf(w, "Every middleware (configuration one_origin_creds) wraps the same handler, which encodes a small JSON "+
		"document on every request; the client sends an allowed cross-origin GET and reads the whole body. The "+
		"load generator reads each response as bytes, as wrk does, checking its status, length, body and CORS lines "+
		"without building a header map, so that the CPU it shares with the server goes to the server; Go's own "+
		"client checks every server's answers once beforehand. All "+
		"servers are started and their connections warmed (and each answer checked) first; then each round runs "+
		"every handler once, in an order that rotates from round to round, and each handler's overhead is set against "+
		"the bare handler of the same round (positive: fewer requests per second). `bare_again` is the bare handler "+
		"once more: its overhead is the noise, against which a \"within %.0f%%\" claim is to be read. Client and "+
		"server share the machine's CPUs, so the wall clock moves with any other load on it; the process's CPU time "+
		"per request (clients and server together, from getrusage) moves far less, and its difference from the bare "+
		"handler's is the middleware's cost plus the noise of the control's row. `%s` sets the very headers ours "+
		"sets (fresh copies, no decision): against the bare handler it is what those headers cost to send (net/http "+
		"copies, sorts and writes every header line) and to read, which every correct middleware pays; ours against "+
		"it is what deciding them costs.\n\n",
		benchmarks.E2ETarget*100, benchmarks.HeadersOnly)
}

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

// e2eVerdict judges an end-to-end overhead (the median over the rounds)
// against target, given the A/A control's overheads (the bare handler
// against itself, round by round), whose spread is the noise. u estimates
// the standard error of a median of that many rounds from the control's
// interquartile range (for normal noise, σ ≈ IQR/1.35 and the median's
// standard error ≈ 1.25 σ/√n). The verdict is ✓ only when the overhead
// plus 2u is within target, ✗ when the overhead minus 2u is past it, and
// "undecided" otherwise: on a noisy machine the run cannot tell.
func e2eVerdict(overhead float64, control []float64, target float64) (verdict string, u float64) {
	if len(control) < 2 {
		return "undecided (no control)", math.Inf(1)
	}
	s := slices.Clone(control)
	slices.Sort(s)
	iqr := quantile(s, 0.75) - quantile(s, 0.25)
	u = 1.25 * iqr / 1.35 / math.Sqrt(float64(len(s)))
	switch {
	case overhead+2*u <= target:
		return "✓", u
	case overhead-2*u > target:
		return "✗", u
	}
	return "undecided at this noise", u
}

// quantile interpolates linearly between the nearest ranks of sorted v.
func quantile(v []float64, q float64) float64 {
	if len(v) == 0 {
		return math.NaN()
	}
	pos := q * float64(len(v)-1)
	i := int(pos)
	if i+1 >= len(v) {
		return v[len(v)-1]
	}
	return v[i] + (pos-float64(i))*(v[i+1]-v[i])
}

// spread is the median, lowest and highest of v (zeros when empty).
func spread(v []float64) (med, lo, hi float64) {
	if len(v) == 0 {
		return 0, 0, 0
	}
	s := slices.Clone(v)
	slices.Sort(s)
	return Median(s), s[0], s[len(s)-1]
}

// signedPercent is percent with a "+" on increases.
func signedPercent(f float64) string {
	if f > 0 {
		return "+" + percent(f)
	}
	return percent(f)
}

func percent(f float64) string {
	return strconv.FormatFloat(f*100, 'f', 1, 64) + "%"
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
