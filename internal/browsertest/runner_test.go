package browsertest

import (
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/crossorigin/cors"
)

// The origins the pages are loaded from. Those with a port chosen at run time
// are functions.
const (
	pageApp         = "https://app.example.com"
	pageAdmin       = "https://admin.example.com"
	pageDeepSub     = "https://eu.admin.example.com"
	pageApex        = "https://example.com"
	pageEvilPrefix  = "https://evil-example.com"
	pageEvilSuffix  = "https://app.example.com.evil"
	pageOtherPort   = "https://app.example.com:8443"
	pageAdminPort   = "https://admin.example.com:8443"
	pagePlainHTTP   = "http://app.example.com"
	pageAdminHTTP   = "http://admin.example.com"
	pageAttacker    = "https://attacker.example.net"
	pagePartner     = "https://partner.example.org"
	pageLocalhostS  = "https://localhost"
	pageLocalhost80 = "http://localhost"
	pageIDN         = "https://xn--caf-dma.example.com" // café.example.com
)

func pageLocalhost() string  { return "http://localhost:" + port(env.frontPlain) }
func pageLocalhost2() string { return "http://localhost:" + port(env.frontPlain2) }
func pageLoopbackIP() string { return "http://127.0.0.1:" + port(env.frontPlain) }
func pagePublic() string     { return "https://127.0.0.1:" + port(env.frontPublic) }

// apiLoopbackIP is the API's own listener, as an IP-literal origin.
func apiLoopbackIP() string { return "https://127.0.0.1:" + port(env.api) }

// browserCase is one configuration of the middleware and what pages do with it.
type browserCase struct {
	name string
	opts cors.Options
	// handler is the API behind the middleware; nil means apiHandler.
	handler http.Handler
	// outer wraps the middleware, as a router's other middleware would.
	outer func(http.Handler) http.Handler
	// apply builds the backend with Cors.Apply instead of Cors.Handler.
	apply bool

	// A one-step case sets page, req and want; a longer one sets steps.
	page  string
	req   request
	want  expect
	steps []step

	// in holds, by engine name, how the case runs in an engine that does
	// not do what the Fetch standard says, or cannot run it at all.
	in map[string]variant
}

// variant is a case as one engine runs it: the engine's actual behaviour is
// asserted (never skipped silently), with the deviation named.
type variant struct {
	// deviation names what the engine does and the Fetch rule it departs
	// from, in one line; the suite's summary lists it.
	deviation string
	// want replaces the want of a one-step case; steps replaces the steps.
	want  *expect
	steps []step
	// skip is set when the case truly cannot run in the engine: why.
	skip string
}

// step is one fetch() from a page, and what must come of it.
type step struct {
	before func(t *testing.T, b *backend) // runs first, e.g. Reconfigure
	page   string
	req    request
	want   expect
}

// expect is what the page and the API must observe for one fetch.
type expect struct {
	ok       bool              // the page can read the response
	status   int               // the status the page reads; 0 means 200
	body     string            // the body the page reads; "" means apiHandler's "handled <METHOD>"
	noBody   bool              // the page reads an empty body (HEAD)
	readable map[string]string // response headers (lower case) the page must read, with their values
	hidden   []string          // response headers the page must not be able to read
	// preflights is how many CORS preflights the API received.
	preflights int
	// arrived is whether the actual request reached the handler behind the middleware.
	arrived bool
	// redirectedCrossOrigin: the fetch was redirected to another origin, so
	// every request after the first carries "Origin: null" (Fetch's
	// redirect-tainted origin).
	redirectedCrossOrigin bool
	// check asserts anything else, on what the page saw and what the API received.
	check func(t *testing.T, got outcome, exs []exchange)
}

// runCases runs each case as a subtest with its own backend, so its own URLs.
func runCases(t *testing.T, cases []browserCase) {
	t.Helper()
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			v := tc.in[env.engine]
			record(t, v)
			if v.skip != "" {
				t.Skipf("cannot run in %s: %s", env.engine, v.skip)
			}
			b := newBackend(t, tc.opts, tc.handler, tc.outer, tc.apply)
			steps := tc.steps
			if len(steps) == 0 {
				want := tc.want
				if v.want != nil {
					want = *v.want
				}
				steps = []step{{page: tc.page, req: tc.req, want: want}}
			}
			if v.steps != nil {
				steps = v.steps
			}
			if v.deviation != "" {
				t.Logf("%s deviates: %s", env.engine, v.deviation)
			}
			for i, s := range steps {
				if s.before != nil {
					s.before(t, b)
				}
				runStep(t, b, i, s)
			}
		})
	}
}

// record counts the case in the engine's tally when it ends.
func record(t *testing.T, v variant) {
	env.tally.Record(t, func() string {
		if v.skip != "" {
			return ""
		}
		return v.deviation
	})
}

// fetchMethod is the method a browser sends for the one a script gives:
// Fetch upper-cases only these six (case-insensitively), every other method is
// sent as written.
func fetchMethod(m string) string {
	if m == "" {
		return http.MethodGet
	}
	for _, n := range []string{"DELETE", "GET", "HEAD", "OPTIONS", "POST", "PUT"} {
		if strings.EqualFold(m, n) {
			return n
		}
	}
	return m
}

func runStep(t *testing.T, b *backend, i int, s step) {
	t.Helper()
	path := s.req.path
	if path == "" {
		path = fmt.Sprintf("step%d", i)
	}
	from := b.count()
	base := b.base
	if s.req.api != "" {
		base = s.req.api + strings.TrimPrefix(b.base, apiOrigin)
	}
	got := probe(t, s.page, base+path, s.req)
	exs := b.exchanges(from)

	var preflights []exchange
	arrived := false
	for _, e := range exs {
		if e.Preflight() {
			preflights = append(preflights, e)
		} else if e.ReachedHandler {
			arrived = true
		}
	}
	credentialed := s.req.credentials == "include"
	library, why := libraryVerdict(b.cors, exs, credentialed)

	// On failure, show both sides in full.
	ctx := fmt.Sprintf("step %d: fetch(%q, %+v) from %s\nthe page saw: %+v\nthe API received:\n%s",
		i, path, s.req, s.page, got, describe(exs))
	w := s.want

	if w.ok {
		assert.True(t, got.OK, "the page must be able to read the response\n%s", ctx)
		status := w.status
		if status == 0 {
			status = http.StatusOK
		}
		assert.Equal(t, status, got.Status, "status the page reads\n%s", ctx)
		body := w.body
		if body == "" && !w.noBody {
			body = "handled " + fetchMethod(s.req.method)
		}
		assert.Equal(t, body, got.Body, "body the page reads\n%s", ctx)
	} else {
		assert.False(t, got.OK, "the page must not be able to read the response\n%s", ctx)
		// A CORS failure is a network error: fetch rejects with a TypeError
		// and the page learns nothing, not even the status.
		assert.Contains(t, got.Error, env.browser.Engine().NetworkError, ctx)
	}
	for name, value := range w.readable {
		assert.Equal(t, value, got.Headers[name], "response header %s as the page reads it\n%s", name, ctx)
	}
	for _, name := range w.hidden {
		assert.NotContains(t, got.Headers, name, "response header %s must be hidden from the page\n%s", name, ctx)
	}
	assert.Len(t, preflights, w.preflights, "preflights the API received\n%s", ctx)
	assert.Equal(t, w.arrived, arrived, "whether the actual request reached the handler\n%s", ctx)

	// Promises that hold for every exchange.
	for n, e := range exs {
		origin := s.page
		if s.req.sandboxed || (n > 0 && w.redirectedCrossOrigin) {
			origin = "null"
		}
		if len(e.Origins) > 0 {
			assert.Equal(t, []string{origin}, e.Origins, "the Origin the browser sends\n%s", ctx)
		}
		if e.Preflight() {
			assert.False(t, e.ReachedHandler, "a preflight never reaches the wrapped handler\n%s", ctx)
		}
		if len(e.Origins) == 1 && !b.cors.OriginAllowed(e.Origins[0]) && !public(e) {
			assert.Empty(t, e.Header.Values("Access-Control-Allow-Origin"),
				"the library set Access-Control-Allow-Origin for an origin its OriginAllowed refuses\n%s", ctx)
		}
	}

	// The differential check: the browser's verdict and the library's own,
	// on the whole fetch and on each preflight (a preflight the library
	// grants must be one the browser accepts, by sending the actual request).
	assert.Equal(t, library, got.OK, "the browser and the library disagree (library: %s)\n%s", why, ctx)
	actualSent := len(exs) > len(preflights)
	for _, p := range preflights {
		ok, why := granted(b.cors, p, credentialed)
		assert.Equal(t, ok, actualSent, "the library granted the preflight: %v (%s); the browser sent the actual request: %v\n%s",
			ok, why, actualSent, ctx)
	}
	t.Logf("step %d: browser read=%v, library granted=%v (%s)", i, got.OK, library, why)

	if w.check != nil {
		w.check(t, got, exs)
	}
	if t.Failed() {
		// Later steps build on this one.
		t.FailNow()
	}
}

// granted is the library's own decision on one exchange: the public answer of
// a "*" policy to a fetch without credentials, or else OriginAllowed accepts
// its origin, and the response the middleware wrote grants access:
// exactly one Access-Control-Allow-Origin, Access-Control-Allow-Credentials:
// true for a credentialed fetch, and an ok status for a preflight.
func granted(c *cors.Cors, e exchange, credentialed bool) (bool, string) {
	switch n := len(e.Header.Values("Access-Control-Allow-Origin")); {
	case public(e) && !credentialed && (!e.Preflight() || e.Status >= 200 && e.Status <= 299):
		// A "*" policy's answer is public: the same for every Origin, null
		// included, since it reflects nothing (OriginAllowed, which guards
		// credentialed uses, still refuses null).
		return true, fmt.Sprintf("%s %s answered with the public *", e.Method, e.Path)
	case len(e.Origins) != 1:
		return false, fmt.Sprintf("%s %s had %d Origin headers", e.Method, e.Path, len(e.Origins))
	case !c.OriginAllowed(e.Origins[0]):
		return false, fmt.Sprintf("OriginAllowed(%q) is false", e.Origins[0])
	case n != 1:
		return false, fmt.Sprintf("the response to %s %s has %d Access-Control-Allow-Origin", e.Method, e.Path, n)
	case credentialed && e.Header.Get("Access-Control-Allow-Credentials") != "true":
		return false, fmt.Sprintf("the response to %s %s does not allow credentials", e.Method, e.Path)
	case e.Preflight() && (e.Status < 200 || e.Status > 299):
		return false, fmt.Sprintf("the preflight was answered %d", e.Status)
	}
	return true, fmt.Sprintf("%s %s granted", e.Method, e.Path)
}

// public reports whether the middleware gave e the public answer of a "*"
// policy: exactly "Access-Control-Allow-Origin: *", nothing reflected.
func public(e exchange) bool {
	acao := e.Header.Values("Access-Control-Allow-Origin")
	return len(acao) == 1 && acao[0] == "*"
}

// libraryVerdict is whether, by the library's own decisions, the page was let
// read the response of this fetch: every exchange of the fetch was granted,
// and the actual request reached the API.
func libraryVerdict(c *cors.Cors, exs []exchange, credentialed bool) (bool, string) {
	actual := false
	for _, e := range exs {
		if ok, why := granted(c, e, credentialed); !ok {
			return false, why
		}
		actual = actual || !e.Preflight()
	}
	if !actual {
		return false, "the actual request never reached the API"
	}
	return true, "every exchange granted"
}

func describe(exs []exchange) string {
	if len(exs) == 0 {
		return "  (nothing)"
	}
	var sb strings.Builder
	for _, e := range exs {
		sb.WriteString("  " + e.String() + "\n")
	}
	return sb.String()
}

// Handlers and wrappers used by the cases.

// sessionAPI sets a session cookie on .../login and answers every request
// with the session cookie it received.
func sessionAPI(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Cache-Control", "no-store")
	if strings.HasSuffix(r.URL.Path, "/login") {
		// The cookie is scoped to the case's own URLs.
		parts := strings.SplitN(r.URL.Path, "/", 4) // "", "c", id, rest
		http.SetCookie(w, &http.Cookie{
			Name: "session", Value: "s-123", Path: "/c/" + parts[2] + "/",
			Secure: true, HttpOnly: true, SameSite: http.SameSiteNoneMode,
		})
	}
	session := "none"
	if c, err := r.Cookie("session"); err == nil {
		session = c.Value
	}
	_, _ = fmt.Fprintf(w, "session=%s", session)
}

// withVary is an outer middleware that sets Vary before the CORS middleware
// runs, as a compression middleware does.
func withVary(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Vary", "Accept-Encoding")
		next.ServeHTTP(w, r)
	})
}

// greedyOPTIONS answers every OPTIONS request itself with a grant of
// everything. The middleware must never let a preflight reach it.
func greedyOPTIONS(w http.ResponseWriter, r *http.Request) {
	if r.Method == http.MethodOptions {
		w.Header().Set("Access-Control-Allow-Origin", r.Header.Get("Origin"))
		w.Header().Set("Access-Control-Allow-Methods", "*")
		w.Header().Set("Access-Control-Allow-Headers", "*")
		w.WriteHeader(http.StatusOK)
		return
	}
	apiHandler(w, r)
}

// teapot answers 418 with a body.
func teapot(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(http.StatusTeapot)
	_, _ = fmt.Fprintf(w, "handled %s", r.Method)
}

// reconfigure returns a step hook that swaps the policy.
func reconfigure(o cors.Options) func(t *testing.T, b *backend) {
	return func(t *testing.T, b *backend) {
		require.NoError(t, b.cors.Reconfigure(o))
	}
}

// tokens splits a header value into its comma-separated elements.
func tokens(v string) []string {
	var out []string
	for _, s := range strings.Split(v, ",") {
		if s = strings.TrimSpace(s); s != "" {
			out = append(out, s)
		}
	}
	return out
}
