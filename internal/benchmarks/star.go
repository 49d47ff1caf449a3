package benchmarks

import (
	"fmt"
	"net/http"
	"strings"
	"sync"
)

// StarCheck is one request sent to every library configured with "*" (the
// any_origin configuration), to see whether it answers as a public
// resource should. Fetch ("CORS protocol and HTTP caches"): when a
// resource's CORS answer is "*" for everyone, "always send ACAO … for
// non-CORS requests as well … and do not use Vary"; and a preflight never
// carries credentials, so "*" passes its CORS check whoever asks.
type StarCheck struct {
	Name      string
	Request   *http.Request
	Preflight bool
}

// StarChecks lists the checks in report order.
func StarChecks() []StarCheck {
	const app = "https://app.example.com"
	return []StarCheck{
		{Name: "actual, no Origin", Request: actual("")},
		{Name: "actual, Origin " + app, Request: actual(app)},
		{Name: "actual, Origin null", Request: actual("null")},
		{Name: "actual, 1 MiB Origin", Request: actual(hostileOrigin())},
		{Name: "preflight, Origin " + app, Request: preflight(app, "content-type"), Preflight: true},
		{Name: "preflight, Origin null", Request: preflight("null", "content-type"), Preflight: true},
	}
}

// StarResult is what one library answered to one check.
type StarResult struct {
	Check   StarCheck
	Library string
	// Label says what the response carried: "*" or the reflected origin or
	// "no ACAO", then whether it said Vary: Origin.
	Label string
	// Public reports whether the answer is what a public "*" policy gives
	// (what this library promises): for an actual request
	// "Access-Control-Allow-Origin: *", no credentials and no
	// "Vary: Origin"; for a preflight an ok status granting the method.
	Public bool
}

// JudgeStar judges one response to a check.
func JudgeStar(c StarCheck, w *Writer, handlerRan bool) StarResult {
	h := w.Header()
	acao := h["Access-Control-Allow-Origin"]
	vary := listed(h["Vary"], "Origin", true)
	var label string
	switch {
	case len(acao) == 0:
		label = "no ACAO"
	case len(acao) == 1 && acao[0] == "*":
		label = "*"
	case len(acao) == 1 && len(acao[0]) > 40:
		label = fmt.Sprintf("reflects %d bytes", len(acao[0]))
	case len(acao) == 1:
		label = acao[0]
	default:
		label = fmt.Sprintf("%d ACAO lines", len(acao))
	}
	if len(h["Access-Control-Allow-Credentials"]) > 0 {
		label += ", ACAC"
	}
	r := StarResult{Check: c}
	if c.Preflight {
		status := w.Status()
		label += fmt.Sprintf(" %d", status)
		origin := c.Request.Header.Get("Origin")
		r.Public = !handlerRan && status >= 200 && status <= 299 && len(acao) == 1 &&
			(acao[0] == "*" || acao[0] == origin) && listed(h["Access-Control-Allow-Methods"], http.MethodPut, true)
		if handlerRan {
			label += ", passed on"
		}
	} else {
		if vary {
			label += ", Vary: Origin"
		}
		r.Public = handlerRan && label == "*"
	}
	r.Label = label
	return r
}

// Star sends every check to every library but the bare floor, once per
// process.
var Star = sync.OnceValue(func() []StarResult {
	var c Config
	for _, cfg := range Configs() {
		if cfg.AllowsAnyOrigin() {
			c = cfg
		}
	}
	var out []StarResult
	for _, lib := range Libraries() {
		if lib.Name == Bare {
			continue
		}
		next := &Next{}
		h, err := build(lib, c, next)
		for _, check := range StarChecks() {
			var r StarResult
			if err != nil {
				r = StarResult{Check: check, Label: "✗ " + err.Error()}
			} else {
				r = serveStar(h, next, check)
			}
			r.Library = lib.Name
			out = append(out, r)
		}
	}
	return out
})

// serveStar sends check to h, whose wrapped handler is next, and judges the
// answer; a panic becomes the label.
func serveStar(h http.Handler, next *Next, check StarCheck) (r StarResult) {
	defer func() {
		if p := recover(); p != nil {
			r = StarResult{Check: check, Label: fmt.Sprint("panic: ", p)}
		}
	}()
	w := NewWriter()
	before := next.Calls
	h.ServeHTTP(w, check.Request)
	return JudgeStar(check, w, next.Calls > before)
}

// StarTable renders the checks as Markdown: a row per check, a column per
// library, each cell marked ✓ where it is the public answer.
func StarTable(results []StarResult) string {
	var libs []string
	for _, l := range Libraries() {
		if l.Name != Bare {
			libs = append(libs, l.Name)
		}
	}
	var b strings.Builder
	b.WriteString("| request under `*` | public answer |")
	for _, l := range libs {
		b.WriteString(" " + l + " |")
	}
	b.WriteString("\n|---|---|" + strings.Repeat("---|", len(libs)) + "\n")
	for _, c := range StarChecks() {
		want := "`*`, no `Vary: Origin`"
		if c.Preflight {
			want = "answered (ok status, ACAO, ACAM)"
		}
		fmt.Fprintf(&b, "| %s | %s |", c.Name, want)
		for _, l := range libs {
			for _, r := range results {
				if r.Library == l && r.Check.Name == c.Name {
					mark := "✗ "
					if r.Public {
						mark = "✓ "
					}
					b.WriteString(" " + mark + r.Label + " |")
				}
			}
		}
		b.WriteString("\n")
	}
	return b.String()
}
