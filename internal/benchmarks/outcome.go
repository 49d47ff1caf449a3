package benchmarks

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"unsafe"
)

// Next is the wrapped handler: it does nothing but count its calls, so
// that the outcome check can tell whether a request reached it.
type Next struct{ Calls int }

// ServeHTTP counts the call and writes nothing.
func (n *Next) ServeHTTP(http.ResponseWriter, *http.Request) { n.Calls++ }

// Verdict classifies a response.
type Verdict string

const (
	// Allowed: a browser would let the page read the response (or, for a
	// preflight, send the actual request).
	Allowed Verdict = "allowed"
	// Refused: no Access-Control-Allow-Origin, so a browser would not.
	Refused Verdict = "refused"
	// Invalid: CORS headers are present but a browser would reject them
	// (or they grant something the configuration does not).
	Invalid Verdict = "invalid"
	// Panicked: the library panicked while building or serving.
	Panicked Verdict = "panic"
)

// Outcome is what one library answered in one scenario.
type Outcome struct {
	Verdict    Verdict
	Status     int
	HandlerRan bool
	Wildcard   bool // ACAO was "*"
	// VaryOrigin: the response's Vary lists Origin (or "*").
	VaryOrigin bool
	Detail     string // why Invalid or Panicked
	// Shortcut names a corner cut that makes a library cheaper without
	// changing the verdict (NoVary, SharedSlice); "" if none.
	Shortcut string
}

// Corner cuts a correct response does not take, which the outcome table
// shows next to the verdict because they explain a peer's lower cost.
const (
	// NoVary: an actual response that is not a blanket "ACAO: *" does not
	// say Vary: Origin, so a shared cache may serve it to another origin
	// (or the no-CORS answer to a cross-origin request).
	NoVary = "no Vary"
	// SharedSlice: two different requests got the same backing array for a
	// header value, so a handler editing it in place edits every response.
	SharedSlice = "shared header slice"
)

// String is the outcome as the outcome table shows it: the verdict, "(*)"
// for a wildcard answer, the status and any shortcut; or, when Invalid or
// Panicked, the verdict and why.
func (o Outcome) String() string {
	switch o.Verdict {
	case Invalid, Panicked:
		return string(o.Verdict) + ": " + o.Detail
	}
	s := string(o.Verdict)
	switch {
	case o.Wildcard && o.VaryOrigin && o.HandlerRan:
		// Allowed, but a cache keeps one copy per calling site of an
		// answer that is the same for all of them.
		s += " (*, Vary: Origin)"
	case o.Wildcard:
		s += " (*)"
	}
	s += " " + strconv.Itoa(o.Status)
	if o.Shortcut != "" {
		s += " [" + o.Shortcut + "]"
	}
	return s
}

// Matches reports whether the outcome is what the scenario's name says.
func (s *Scenario) Matches(o Outcome) bool {
	switch s.Expect {
	case ExpectAllowed, ExpectPreflightAllowed:
		return o.Verdict == Allowed
	default:
		return o.Verdict == Refused || (s.WildcardOK && o.Verdict == Allowed && o.Wildcard)
	}
}

// OursMatches reports whether our outcome is what the scenario's name says
// and, under "*", what this library promises beyond it: a public "*"
// policy's answer does not depend on who asks, so every actual response
// carries "Access-Control-Allow-Origin: *" — with or without Origin, and
// for an Origin nothing could reflect — and no "Vary: Origin" (Fetch,
// "CORS protocol and HTTP caches").
func (s *Scenario) OursMatches(o Outcome) bool {
	if s.Config.AllowsAnyOrigin() && !s.Expect.IsPreflight() {
		return o.Verdict == Allowed && o.Wildcard && !o.VaryOrigin
	}
	return s.Matches(o)
}

// OursExpected is what OursMatches wants, as the outcome table says it.
func (s *Scenario) OursExpected() string {
	if s.Request != nil && s.Config.AllowsAnyOrigin() && !s.Expect.IsPreflight() {
		return "allowed (*) without Vary: Origin"
	}
	return s.Expected()
}

// Classify judges the response w (to s.Request) the way a browser would.
func Classify(s *Scenario, w *Writer, handlerRan bool) Outcome {
	o := Outcome{Status: w.Status(), HandlerRan: handlerRan}
	o.VaryOrigin = listed(w.Header()["Vary"], "Origin", true)
	// CORS decides what the browser lets a page read, not what the server
	// does: an actual request reaches the handler whatever its origin, and
	// a preflight is the middleware's to answer.
	switch preflight := s.Expect.IsPreflight(); {
	case !preflight && !handlerRan:
		return o.invalid("handler never ran")
	case preflight && handlerRan:
		return o.invalid("passed to the handler")
	}
	h := w.Header()
	acao := h["Access-Control-Allow-Origin"]
	if len(acao) == 0 {
		o.Verdict = Refused
		return o
	}
	o.Wildcard = len(acao) == 1 && acao[0] == "*"
	if problem := allowOriginProblem(s, h, o.Wildcard); problem != "" {
		return o.invalid(problem)
	}
	if s.Expect.IsPreflight() {
		if problem := preflightProblem(s, o.Status, h); problem != "" {
			return o.invalid(problem)
		}
	}
	o.Verdict = Allowed
	return o
}

// invalid is o judged Invalid for the reason detail.
func (o Outcome) invalid(detail string) Outcome {
	o.Verdict, o.Detail = Invalid, detail
	return o
}

// allowOriginProblem says what a browser would reject in the
// Access-Control-Allow-Origin that h carries (wildcard: it is "*") and the
// credentials with it, or what it grants that the configuration does not;
// "" when nothing. The answer must be one line: "*" only without
// credentials and where every origin is allowed, or else the request's
// Origin, no longer than an origin with a DNS name can be, with
// Access-Control-Allow-Credentials: true where the configuration has
// credentials.
func allowOriginProblem(s *Scenario, h http.Header, wildcard bool) string {
	acao := h["Access-Control-Allow-Origin"]
	origin := s.Request.Header.Get("Origin")
	acac := h["Access-Control-Allow-Credentials"]
	credentialed := len(acac) == 1 && acac[0] == "true"
	switch {
	case len(acao) != 1:
		return fmt.Sprintf("%d ACAO lines", len(acao))
	case wildcard && credentialed:
		return "ACAO * with credentials"
	case wildcard && !s.Config.AllowsAnyOrigin():
		return "ACAO * but not every origin is allowed"
	case !wildcard && acao[0] != origin:
		return fmt.Sprintf("ACAO %.40q is not the Origin", acao[0])
	case !wildcard && len(acao[0]) > 253+len("https://"):
		return fmt.Sprintf("reflects a %d-byte origin", len(acao[0]))
	case s.Config.Credentials && !credentialed:
		return "no ACAC: true"
	}
	return ""
}

// preflightProblem says why a browser would fail the preflight answered
// with status and h, which allow its origin, or "" when it would pass it:
// an ok status, PUT among the allowed methods and every requested header
// among the allowed ones ("*" counting only without credentials, and never
// for Authorization). A scenario without ACRH is a hostile list, which no
// answer should have let through.
func preflightProblem(s *Scenario, status int, h http.Header) string {
	if status < 200 || status > 299 {
		return fmt.Sprintf("ACAO with status %d", status)
	}
	if !listed(h["Access-Control-Allow-Methods"], http.MethodPut, !s.Config.Credentials) {
		return fmt.Sprintf("ACAM %q lacks PUT", h["Access-Control-Allow-Methods"])
	}
	for _, name := range s.ACRH {
		// "*" never covers Authorization, and covers nothing with credentials.
		wild := !s.Config.Credentials && !strings.EqualFold(name, "authorization")
		if !listed(h["Access-Control-Allow-Headers"], name, wild) {
			return fmt.Sprintf("ACAH %q lacks %s", h["Access-Control-Allow-Headers"], name)
		}
	}
	if s.ACRH == nil {
		// A hostile list was answered with ACAO: it was let through.
		return "hostile ACRH accepted"
	}
	return ""
}

// listed reports whether the comma-separated lines name want
// (case-insensitively), or "*" when wildcard counts.
func listed(lines []string, want string, wildcard bool) bool {
	for _, line := range lines {
		for item := range strings.SplitSeq(line, ",") {
			item = strings.TrimSpace(item)
			if strings.EqualFold(item, want) || (wildcard && item == "*") {
				return true
			}
		}
	}
	return false
}

// Cell is one library in one scenario, ready to serve.
type Cell struct {
	Library  *Library
	Scenario *Scenario
	Handler  http.Handler // nil when Skip is set for lack of one
	Next     *Next
	// Quiet is the same library and configuration around a handler that
	// keeps no state, for serving from many goroutines at once (Next's
	// counter would be a data race, and an atomic one a hot shared cache
	// line that the parallel benchmarks would measure instead).
	Quiet   http.Handler
	Outcome Outcome
	// Skip is why the cell is not measured ("" = measured): n/a, or the
	// library did not do what the scenario's name says.
	Skip string
}

// Serve sends the scenario's request once through the cell's handler.
func (c *Cell) Serve(w *Writer) {
	w.Reset()
	c.Handler.ServeHTTP(w, c.Scenario.Request)
}

// Wrong reports whether the library answered other than the scenario's
// name says (the bare floor is never wrong: it adds no CORS at all).
func (c *Cell) Wrong() bool {
	return c.Library.Name != Bare && c.Skip != "" && c.Handler != nil || c.Outcome.Verdict == Panicked
}

// Matrix evaluates every library in every scenario, once per process.
var Matrix = sync.OnceValue(func() []*Cell { return Evaluate(Configs(), Scenarios(), true) })

// stateless is the handler behind Cell.Quiet.
var stateless = http.HandlerFunc(func(http.ResponseWriter, *http.Request) {})

// Evaluate builds every library once per configuration and sends it every
// scenario of that configuration (matched by Config.Name), judging each
// answer; a cell the library got wrong is not to be timed (Cell.Skip).
// With quiet, it also builds each cell's Quiet handler.
func Evaluate(configs []Config, scenarios []*Scenario, quiet bool) []*Cell {
	libs := Libraries()
	var cells []*Cell
	for _, c := range configs {
		handlers := make([]http.Handler, len(libs))
		quiets := make([]http.Handler, len(libs))
		nexts := make([]*Next, len(libs))
		errs := make([]error, len(libs))
		for i, lib := range libs {
			nexts[i] = &Next{}
			handlers[i], errs[i] = build(lib, c, nexts[i])
			if errs[i] == nil && quiet {
				quiets[i], errs[i] = build(lib, c, stateless)
			}
		}
		for _, s := range scenarios {
			if s.Config.Name != c.Name {
				continue
			}
			for i, lib := range libs {
				cell := &Cell{Library: lib, Scenario: s, Next: nexts[i]}
				cells = append(cells, cell)
				var ne *NotExpressible
				switch {
				case s.Request == nil:
					cell.Skip = "n/a: " + s.NA
				case errors.As(errs[i], &ne):
					cell.Skip = "n/a: " + ne.Reason
				case errs[i] != nil:
					cell.Outcome = Outcome{Verdict: Panicked, Detail: errs[i].Error()}
					cell.Skip = cell.Outcome.String()
				default:
					cell.Handler, cell.Quiet = handlers[i], quiets[i]
					cell.Outcome = evaluate(cell)
					if lib.Name != Bare && !s.Matches(cell.Outcome) {
						cell.Skip = "wrong: " + cell.Outcome.String()
					}
				}
			}
		}
	}
	return cells
}

// evaluate serves the cell's request once and classifies the answer (a
// panic is the verdict Panicked), then serves it again to see whether the
// library takes a shortcut (SharedSlice, NoVary).
func evaluate(cell *Cell) (o Outcome) {
	defer func() {
		if p := recover(); p != nil {
			o = Outcome{Verdict: Panicked, Detail: fmt.Sprint(p)}
		}
	}()
	w := NewWriter()
	before := cell.Next.Calls
	cell.Serve(w)
	o = Classify(cell.Scenario, w, cell.Next.Calls > before)
	if cell.Library.Name == Bare {
		return o // the floor adds no CORS, hence no Vary: nothing to flag
	}
	// The same request again, as a distinct request with its own header
	// map, into a distinct writer: any value slice both responses hold is
	// shared by every request the middleware serves.
	w2 := NewWriter()
	cell.Handler.ServeHTTP(w2, cell.Scenario.Request.Clone(context.Background()))
	switch {
	case sharesSlice(w.Header(), w2.Header()):
		o.Shortcut = SharedSlice
	case !cell.Scenario.Expect.IsPreflight() && !o.Wildcard && !listed(w.Header()["Vary"], "Origin", true):
		// Only "Access-Control-Allow-Origin: *" is right for every requester;
		// any other answer (the origin, or no CORS headers) is right for
		// some origins only, so a cache must key it on Origin.
		o.Shortcut = NoVary
	}
	return o
}

// sharesSlice reports whether a header value slice of a has the same
// backing array as the same header's slice in b.
func sharesSlice(a, b http.Header) bool {
	for k, va := range a {
		if vb := b[k]; len(va) > 0 && len(vb) > 0 && unsafe.SliceData(va) == unsafe.SliceData(vb) {
			return true
		}
	}
	return false
}
