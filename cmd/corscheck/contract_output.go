package main

import (
	"encoding/json"
	"fmt"
	"io"
)

// The JSON output of -calls (docs/corscheck.md documents it).
type (
	// contractReport is the whole output: every call judged, in the file's order, and the counts.
	contractReport struct {
		CorscheckVersion string       `json:"corscheck_version"`
		Calls            []callReport `json:"calls"`
		Passed           int          `json:"passed"`
		Failed           int          `json:"failed"`
	}

	// callReport is one call: what the file expects, what the browser decided, and whether they match.
	callReport struct {
		Name      string        `json:"name"`
		Expect    string        `json:"expect"`     // "allowed" or "blocked"
		Verdict   string        `json:"verdict"`    // the browser's: "allowed" or "blocked"
		BlockedAt string        `json:"blocked_at"` // "" when allowed; "preflight" or "request"
		OK        bool          `json:"ok"`         // the verdict is the one expected, and every "read" header is readable
		Problems  []callProblem `json:"problems"`   // why the call does not match, with fixes; [] when it does
	}

	// callProblem is one reason a call does not match, with the fix on the server.
	callProblem struct {
		Message string `json:"message"`
		Fix     string `json:"fix"`
	}
)

// contractWriter prints the outcomes of the calls: as each is judged in the human output, all at once
// at the end with -json.
type contractWriter struct {
	w      io.Writer
	json   bool
	report contractReport
}

func newContractWriter(w io.Writer, asJSON bool) *contractWriter {
	return &contractWriter{w: w, json: asJSON, report: contractReport{CorscheckVersion: version(), Calls: []callReport{}}}
}

// call records one outcome and, in the human output, prints it: a line with the name, ✓ or ✗, and for
// a mismatch what the browser did instead, each problem with its fix, then the warnings.
func (cw *contractWriter) call(o *outcome) {
	r := o.report
	cw.report.Calls = append(cw.report.Calls, r)
	if r.OK {
		cw.report.Passed++
	} else {
		cw.report.Failed++
	}
	if cw.json {
		return
	}
	if r.OK {
		fmt.Fprintf(cw.w, "✓ %s (%s)\n", printable(r.Name), r.Verdict)
		return
	}
	fmt.Fprintf(cw.w, "✗ %s\n  %s:\n", printable(r.Name), printable(o.headline))
	for i, p := range r.Problems {
		fmt.Fprintf(cw.w, "  %d. %s\n     fix: %s\n", i+1, printable(p.Message), printable(p.Fix))
	}
	for _, w := range o.warnings {
		fmt.Fprintf(cw.w, "  note: %s\n", printable(w))
	}
}

// finish ends the output: with -json the whole report, of the calls judged so far; otherwise the
// summary line, which says what the calls were checked against (about), unless about is "" (a run that
// stopped on an error, which stderr explains).
func (cw *contractWriter) finish(about string) error {
	if cw.json {
		enc := json.NewEncoder(cw.w)
		enc.SetIndent("", "  ")
		return enc.Encode(cw.report)
	}
	if about == "" {
		return nil
	}
	n := cw.report.Passed + cw.report.Failed
	_, err := fmt.Fprintf(cw.w, "\n%d %s: %d passed, %d failed (%s)\n", n, plural(n, "call"), cw.report.Passed, cw.report.Failed, printable(about))
	return err
}

func plural(n int, word string) string {
	if n == 1 {
		return word
	}
	return word + "s"
}
