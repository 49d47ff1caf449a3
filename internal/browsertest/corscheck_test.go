package browsertest

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log"
	"net/http"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/crossorigin/cors"
	"github.com/crossorigin/cors/corstest"
	"github.com/crossorigin/cors/internal/browsertest/browser"
)

// TestCorscheckInBrowsers proves that corscheck's and corstest's verdicts equal real browsers'. Every
// case is a server behaviour (this library under a policy, or a hand-written handler reproducing a
// misconfiguration seen in the wild) called once by a page with fetch(), then judged, each judge in a
// subtest of the case and in this order, by:
//   - corscheck: the command (the binary, built from cmd/corscheck) with -json;
//   - corstest.CheckURL: the same call to the same live server;
//   - corstest.Check: the same call, in-process, to the API's handler (the one its server runs), with
//     the same absolute URL so that the host matches.
//
// The browser runs each call once for the three judges. For each judge, the browser's verdict, the step
// it failed at (seen by the server: a preflight and no actual request means the preflight failed),
// whether it sent a preflight, and the response headers the page could read (Headers iteration) must
// equal the judge's verdict, blocked_at (BlockedAt), preflight (Preflight) and readable_headers
// (Readable); and the requests the judge sent must be formed as the browser's were, in the same order:
// server, method, path, Origin (null after a cross-origin redirect), and for preflights
// Access-Control-Request-Method and Access-Control-Request-Headers. Where an engine departs from the
// standard, every judge must say the standard's verdict and warn of the departure.
//
// The network is loopback origins only, which every engine treats as cross-origin without name
// mapping: the page is on http://localhost:<front>, the API on http://127.0.0.1:<api>, and the target
// of cross-origin redirects on http://127.0.0.1:<other>. Check serves the API's host alone: it must
// judge every case whose calls stay there (ccCheckCases of them) and refuse, saying why, each case whose
// call the browser followed to the other server. corscheck's and corstest's requests carry one
// User-Agent, which the servers tell from the browser's; the judges run one after the other, and each
// counts its requests from a mark taken when it starts.
func TestCorscheckInBrowsers(t *testing.T) {
	bin := buildCorscheck(t)
	quiet := log.New(io.Discard, "", 0)
	front := startServer(browser.Page, false, quiet)
	defer front.Close()
	var rec ccRecorder
	apiHandler := rec.wrap("api", ccCases)
	api := startServer(apiHandler, false, quiet)
	defer api.Close()
	other := startServer(rec.wrap("other", ccCases), false, quiet)
	defer other.Close()
	n := ccNet{page: "http://localhost:" + port(front), api: api.URL, other: other.URL}
	ccTargets["api"], ccTargets["other"], ccPage = api.URL, other.URL, n.page
	require.Len(t, ccCases, ccCaseCount, "the docs cite %d server behaviours: change ccCaseCount and them together", ccCaseCount)

	browser.ForEach(t, browser.Config{}, func(t *testing.T, b *browser.Browser) {
		start := time.Now()
		engine := b.Engine()
		judges := newCCJudges(engine.Name, b.Product())
		for i, tc := range ccCases {
			t.Run(tc.name, func(t *testing.T) {
				judges.ran.cases++
				deviation := tc.deviation[engine.Name]
				path := fmt.Sprintf("/cc/%s/%d/x", engine.Name, i)
				url := n.api + path
				from := rec.mark()
				got, err := b.Fetch(n.page, url, tc.req)
				require.NoError(t, err)
				br := observeBrowser(t, engine, got, rec.since(from, path, false))
				ctx := fmt.Sprintf("%s: fetch(%s, %+v) from %s\nthe page saw: %+v\nthe servers saw from the browser: %+v",
					engine.Name, url, tc.req, n.page, got, br.seen)

				// The case's own expectation, so that the judges and the browser cannot agree on a broken setup.
				want := tc.want
				if deviation != "" {
					want = tc.deviationWant
					require.NotEmpty(t, tc.deviationWarning, "a deviation names the warning the judges give of it")
					t.Logf("deviation in %s: %s", engine.Name, deviation)
				}
				assert.Equal(t, want, joinVerdict(br.verdict, br.blockedAt), "what the browser did\n%s", ctx)

				t.Run("corscheck", func(t *testing.T) {
					judges.corscheck.Record(t, func() string { return deviation })
					rep, code := runCorscheck(t, bin, n.page, url, tc.req)
					judges.ran.corscheck++
					checked := rec.since(from, path, true)
					ctx := fmt.Sprintf("%s\nthe servers saw from corscheck: %+v\ncorscheck said: %+v", ctx, checked, rep)

					assert.Equal(t, tc.want, joinVerdict(rep.Verdict, rep.BlockedAt), "what corscheck said\n%s", ctx)
					wantCode := 0
					if rep.Verdict == "blocked" {
						wantCode = 1
					}
					assert.Equal(t, wantCode, code, "corscheck's exit status\n%s", ctx)
					assert.Positive(t, checked.preflights+checked.actual, "corscheck reached the server\n%s", ctx)

					if deviation != "" {
						assert.True(t, slices.ContainsFunc(rep.Warnings, func(w ccWarning) bool {
							return strings.Contains(w.Message, tc.deviationWarning)
						}), "corscheck warns of %s's deviation (%q)\n%s", engine.Name, tc.deviationWarning, ctx)
						return
					}
					// The differential: corscheck says what the browser did.
					assert.Equal(t, br.verdict, rep.Verdict, "verdict\n%s", ctx)
					assert.Equal(t, br.blockedAt, rep.BlockedAt, "blocked_at\n%s", ctx)
					assert.Equal(t, br.seen.preflights > 0, rep.Preflight != nil, "whether a preflight was sent\n%s", ctx)
					assert.Equal(t, br.seen.wire, checked.wire, "corscheck's requests are formed as the browser's (server, method, Origin, ACRM, ACRH, in order)\n%s", ctx)
					corsReadable := []string{}
					if rep.Request != nil && rep.Verdict == "allowed" {
						corsReadable = rep.Request.ReadableHeaders
					}
					assert.Equal(t, br.readable, corsReadable, "readable_headers\n%s", ctx)
				})

				call := ccCall(n.page, url, tc.req)
				t.Run("corstest.CheckURL", func(t *testing.T) {
					judges.checkURL.Record(t, func() string { return deviation })
					mark := rec.mark()
					res, err := corstest.CheckURL(context.Background(), nil, call) // nil: 10 s per request
					require.NoError(t, err, "CheckURL(%+v)\n%s", call, ctx)
					judges.ran.checkURL++
					assertCorstest(t, tc, deviation, br, res, rec.since(mark, path, true), ctx)
				})
				if br.seen.offHost > 0 {
					t.Run("corstest.Check refuses the redirect to another host", func(t *testing.T) {
						res, err := corstest.Check(apiHandler, call)
						require.Error(t, err, "the browser followed the call to %s, which Check does not serve; Check said %s\n%s", n.other, describeResult(res), ctx)
						assert.ErrorContains(t, err, "to "+strings.TrimPrefix(n.other, "http://")+", another host", "Check's refusal names the host it does not serve\n%s", ctx)
						judges.ran.refused++
					})
					return
				}
				t.Run("corstest.Check", func(t *testing.T) {
					judges.check.Record(t, func() string { return deviation })
					mark := rec.mark()
					res, err := corstest.Check(apiHandler, call)
					require.NoError(t, err, "Check(%+v)\n%s", call, ctx)
					judges.ran.check++
					assertCorstest(t, tc, deviation, br, res, rec.since(mark, path, true), ctx)
				})
			})
		}
		judges.finish(t, time.Since(start), len(ccCases))
	})
}

func joinVerdict(verdict, at string) string {
	if at == "" {
		return verdict
	}
	return verdict + "@" + at
}

// buildCorscheck builds the command once for the test binary.
func buildCorscheck(t *testing.T) string {
	t.Helper()
	bin := filepath.Join(t.TempDir(), "corscheck")
	cmd := exec.Command("go", "build", "-o", bin, "github.com/crossorigin/cors/cmd/corscheck")
	out, err := cmd.CombinedOutput()
	require.NoError(t, err, "building corscheck: %s", out)
	return bin
}

// ccReport is the part of corscheck's JSON the test compares.
type ccReport struct {
	Verdict   string `json:"verdict"`
	BlockedAt string `json:"blocked_at"`
	Preflight *struct {
		Status int  `json:"status"`
		Passed bool `json:"passed"`
	} `json:"preflight"`
	Request *struct {
		Status          int      `json:"status"`
		Passed          bool     `json:"passed"`
		ReadableHeaders []string `json:"readable_headers"`
	} `json:"request"`
	Problems []struct {
		Step, Check, Message, Fix string
	} `json:"problems"`
	Warnings []ccWarning `json:"warnings"`
}

// ccWarning is one of corscheck's warnings.
type ccWarning struct {
	Check   string `json:"check"`
	Message string `json:"message"`
}

// runCorscheck explains the page's call with the command.
func runCorscheck(t *testing.T, bin, page, url string, req browser.Request) (ccReport, int) {
	t.Helper()
	args := []string{"-json", "-timeout", "5s", "-origin", page}
	if req.Method != "" {
		args = append(args, "-method", req.Method)
	}
	names := make([]string, 0, len(req.Headers))
	for k := range req.Headers {
		names = append(names, k)
	}
	slices.Sort(names)
	for _, k := range names {
		args = append(args, "-H", k+": "+req.Headers[k])
	}
	if req.Credentials == "include" {
		args = append(args, "-credentials")
	}
	args = append(args, url)
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	cmd := exec.CommandContext(ctx, bin, args...)
	var stderr strings.Builder
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	code := 0
	var exit *exec.ExitError
	if errors.As(err, &exit) {
		code = exit.ExitCode()
	} else {
		require.NoError(t, err)
	}
	require.NotEqual(t, 2, code, "corscheck %s failed: %s", strings.Join(args, " "), stderr.String())
	var rep ccReport
	require.NoError(t, json.Unmarshal(out, &rep), "corscheck's output: %s", out)
	return rep, code
}

// ccRecorder remembers every request the case servers got.
type ccRecorder struct {
	mu   sync.Mutex
	seen []ccExchange
}

type ccExchange struct {
	server    string // "api" or "other"
	path      string
	preflight bool
	// tool is set for the requests of corscheck and corstest, which carry one User-Agent
	// (fetch.DefaultUserAgent); the others are the browser's.
	tool bool
	// wire is what identifies the request as a browser forms it: the server, method, path, Origin, and
	// for a preflight Access-Control-Request-Method and -Headers.
	wire string
}

// ccSeen counts a case's requests, and lists them as formed on the wire.
type ccSeen struct {
	preflights, actual int
	// offHost counts the requests that reached another server than the API's.
	offHost int
	wire    []string
}

func (r *ccRecorder) mark() int {
	r.mu.Lock()
	defer r.mu.Unlock()
	return len(r.seen)
}

// since counts the requests for the case at path (on any server) since mark, from the browser or from
// the tools (corscheck and corstest).
func (r *ccRecorder) since(mark int, path string, tool bool) ccSeen {
	r.mu.Lock()
	defer r.mu.Unlock()
	var s ccSeen
	prefix := path[:strings.LastIndex(path, "/")+1]
	for _, e := range r.seen[mark:] {
		if !strings.HasPrefix(e.path, prefix) || e.tool != tool {
			continue
		}
		if e.preflight {
			s.preflights++
		} else {
			s.actual++
		}
		if e.server != "api" {
			s.offHost++
		}
		s.wire = append(s.wire, e.wire)
	}
	return s
}

// wrap serves /cc/<engine>/<case>/... with the case's handler for that server.
func (r *ccRecorder) wrap(server string, cases []ccCase) http.Handler {
	handlers := make([]http.Handler, len(cases))
	return http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
		parts := strings.SplitN(req.URL.Path, "/", 5) // "", "cc", engine, case, rest
		var i int
		if len(parts) < 5 || parts[1] != "cc" {
			http.NotFound(w, req)
			return
		}
		if _, err := fmt.Sscanf(parts[3], "%d", &i); err != nil || i < 0 || i >= len(cases) {
			http.NotFound(w, req)
			return
		}
		r.mu.Lock()
		r.seen = append(r.seen, ccExchange{
			server:    server,
			path:      req.URL.Path,
			preflight: req.Method == http.MethodOptions && req.Header.Get("Access-Control-Request-Method") != "",
			tool:      strings.Contains(req.Header.Get("User-Agent"), "corscheck"),
			wire: fmt.Sprintf("%s: %s %s Origin=%q ACRM=%q ACRH=%q", server, req.Method, req.URL.Path, req.Header.Values("Origin"),
				req.Header.Values("Access-Control-Request-Method"), req.Header.Values("Access-Control-Request-Headers")),
		})
		if handlers[i] == nil {
			handlers[i] = cases[i].build(server)
		}
		h := handlers[i]
		r.mu.Unlock()
		h.ServeHTTP(w, req)
	})
}

// ccNet is the test's network.
type ccNet struct{ page, api, other string }

// ccCase is one server behaviour and the call made against it.
type ccCase struct {
	name string
	// server builds the handler of the API ("api") and of the redirect target ("other").
	server func(server string) http.Handler
	req    browser.Request
	// want is the standard's verdict, "allowed", "blocked@preflight" or "blocked@request": corscheck
	// and corstest must say it, and every engine must do it unless deviation names how the engine departs.
	want string
	// deviation, per engine, names a documented departure from the Fetch standard; the engine must
	// then do deviationWant, while corscheck and corstest still say want, with a warning that contains
	// deviationWarning.
	deviation        map[string]string
	deviationWant    string
	deviationWarning string
}

func (c ccCase) build(server string) http.Handler {
	if h := c.server(server); h != nil {
		return h
	}
	return http.NotFoundHandler()
}

// ccPolicy is a case server running this library with opts in front of ccApp.
func ccPolicy(opts cors.Options) func(string) http.Handler {
	return func(server string) http.Handler {
		if server != "api" {
			return nil
		}
		return cors.MustNew(opts).Handler(ccApp)
	}
}

// ccApp is the application: 200, a short JSON body and a header that is not safelisted.
var ccApp = http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("X-Request-Id", "42")
	w.Header().Set("Content-Type", "application/json")
	_, _ = io.WriteString(w, `{"ok":true}`)
})

// ccHand is a case server written by hand: pre answers preflights, act sets the headers of every other
// response (and may write the status), and the application answers.
func ccHand(pre func(w http.ResponseWriter, r *http.Request), act func(w http.ResponseWriter, r *http.Request) bool) func(string) http.Handler {
	return func(server string) http.Handler {
		if server != "api" {
			return nil
		}
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if r.Method == http.MethodOptions && r.Header.Get("Access-Control-Request-Method") != "" {
				pre(w, r)
				return
			}
			if act(w, r) {
				return
			}
			ccApp(w, r)
		})
	}
}

// Building blocks of hand-written servers.
func setHeaders(kv ...string) func(w http.ResponseWriter, r *http.Request) bool {
	return func(w http.ResponseWriter, r *http.Request) bool {
		for i := 0; i < len(kv); i += 2 {
			v := strings.ReplaceAll(kv[i+1], "$ORIGIN", r.Header.Get("Origin"))
			w.Header().Add(kv[i], strings.ReplaceAll(v, "$PAGE", ccPage))
		}
		return false
	}
}

func preflightWith(status int, kv ...string) func(w http.ResponseWriter, r *http.Request) {
	return func(w http.ResponseWriter, r *http.Request) {
		for i := 0; i < len(kv); i += 2 {
			v := strings.ReplaceAll(kv[i+1], "$ORIGIN", r.Header.Get("Origin"))
			v = strings.ReplaceAll(v, "$ACRM", r.Header.Get("Access-Control-Request-Method"))
			v = strings.ReplaceAll(v, "$ACRH", r.Header.Get("Access-Control-Request-Headers"))
			w.Header().Add(kv[i], v)
		}
		w.WriteHeader(status)
	}
}

// reflectPreflight grants whatever a preflight asks, to whichever origin, with credentials.
var reflectPreflight = preflightWith(http.StatusNoContent,
	"Access-Control-Allow-Origin", "$ORIGIN", "Access-Control-Allow-Credentials", "true",
	"Access-Control-Allow-Methods", "$ACRM", "Access-Control-Allow-Headers", "$ACRH", "Vary", "Origin")

// reflectActual grants every actual request to whichever origin, with credentials.
var reflectActual = setHeaders("Access-Control-Allow-Origin", "$ORIGIN", "Access-Control-Allow-Credentials", "true", "Vary", "Origin")

// ccTargets are the bases of the servers, by name ("api", "other"), and ccPage the page's origin; they
// are known once the servers run, before the first request.
var (
	ccTargets = map[string]string{}
	ccPage    string
)

// redirectCase builds a case whose API answers the call with a 302 carrying redirectHeaders, to the
// same case's path ".../final" on the target server ("api" or "other"), which answers with
// targetHeaders ("$PAGE" stands for the page's origin, "$ORIGIN" for the request's).
func redirectCase(name, target string, redirectHeaders, targetHeaders []string, req browser.Request, want string) ccCase {
	return ccCase{name: name, req: req, want: want, server: func(server string) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if strings.HasSuffix(r.URL.Path, "/final") {
				if server != target {
					http.NotFound(w, r)
					return
				}
				ccHand(reflectPreflight, setHeaders(targetHeaders...))("api").ServeHTTP(w, r)
				return
			}
			if server != "api" {
				http.NotFound(w, r)
				return
			}
			setHeaders(redirectHeaders...)(w, r)
			http.Redirect(w, r, ccTargets[target]+strings.TrimSuffix(r.URL.Path, "x")+"final", http.StatusFound)
		})
	}}
}

const webkitAuthorization = "Access-Control-Allow-Headers: * covers Authorization, against Fetch's CORS non-wildcard request-header name rule (WebKit has no switch for it)"

// webkitAuthorizationWarning is what corscheck's and corstest's warning says of it, naming WebKit by
// its browser.
const webkitAuthorizationWarning = "Safari still let '*' cover Authorization"

func init() {
	// The targets are known only once the servers run: the redirect handlers read ccTargets then.
	ccCases = append(ccLibraryCases(), ccHandCases()...)
}

// ccCases are the server behaviours, each with one call.
var ccCases []ccCase

func get() browser.Request { return browser.Request{} }
func with(method string, kv ...string) browser.Request {
	r := browser.Request{Method: method}
	if len(kv) > 0 {
		r.Headers = map[string]string{}
		for i := 0; i < len(kv); i += 2 {
			r.Headers[kv[i]] = kv[i+1]
		}
	}
	return r
}
func credentialed(r browser.Request) browser.Request { r.Credentials = "include"; return r }

// pageOnly allows exactly the page's origin, whatever its port: a function, since the port is
// chosen at run time.
func pageOnly(o string) bool { return strings.HasPrefix(o, "http://localhost:") }

const (
	allowed     = "allowed"
	atPreflight = "blocked@preflight"
	atRequest   = "blocked@request"
)

func ccLibraryCases() []ccCase {
	page := func(opts cors.Options) cors.Options {
		opts.AllowedOrigins = []string{"http://localhost:*"} // the page's origin, whatever port it got
		return opts
	}
	return []ccCase{
		{name: "lib: an allowed origin reads a GET", server: ccPolicy(page(cors.Options{})), req: get(), want: allowed},
		{name: "lib: a refused origin reads nothing", server: ccPolicy(cors.Options{AllowedOrigins: []string{"https://app.example.com"}}), req: get(), want: atRequest},
		{name: "lib: * lets any origin read", server: ccPolicy(cors.Options{AllowedOrigins: []string{"*"}}), req: get(), want: allowed},
		{name: "lib: * never shares a credentialed response", server: ccPolicy(cors.Options{AllowedOrigins: []string{"*"}}), req: credentialed(get()), want: atRequest},
		{name: "lib: credentials allowed", server: ccPolicy(page(cors.Options{AllowCredentials: true})), req: credentialed(get()), want: allowed},
		{name: "lib: credentials not allowed", server: ccPolicy(page(cors.Options{})), req: credentialed(get()), want: atRequest},
		{name: "lib: PUT allowed", server: ccPolicy(page(cors.Options{AllowedMethods: []string{"GET", "PUT"}})), req: with("PUT"), want: allowed},
		{name: "lib: PUT not allowed", server: ccPolicy(page(cors.Options{})), req: with("PUT"), want: atPreflight},
		{name: "lib: DELETE allowed", server: ccPolicy(page(cors.Options{AllowedMethods: []string{"DELETE"}})), req: with("delete"), want: allowed},
		{name: "lib: fetch sends patch as written, PATCH does not allow it", server: ccPolicy(page(cors.Options{AllowedMethods: []string{"PATCH"}})), req: with("patch"), want: atPreflight},
		{name: "lib: PATCH allowed", server: ccPolicy(page(cors.Options{AllowedMethods: []string{"PATCH"}})), req: with("PATCH"), want: allowed},
		{name: "lib: methods *", server: ccPolicy(page(cors.Options{AllowedMethods: []string{"*"}})), req: with("DELETE"), want: allowed},
		{name: "lib: methods * with credentials", server: ccPolicy(page(cors.Options{AllowedMethods: []string{"*"}, AllowCredentials: true})), req: credentialed(with("DELETE")), want: allowed},
		{name: "lib: a listed header", server: ccPolicy(page(cors.Options{AllowedHeaders: []string{"X-Token"}})), req: with("GET", "X-Token", "1"), want: allowed},
		{name: "lib: an unlisted header", server: ccPolicy(page(cors.Options{})), req: with("GET", "X-Token", "1"), want: atPreflight},
		{name: "lib: headers *", server: ccPolicy(page(cors.Options{AllowedHeaders: []string{"*"}})), req: with("GET", "X-Anything", "1"), want: allowed},
		{name: "lib: headers * never covers Authorization", server: ccPolicy(page(cors.Options{AllowedHeaders: []string{"*"}})), req: with("GET", "Authorization", "Bearer t"), want: atPreflight},
		{name: "lib: Authorization listed", server: ccPolicy(page(cors.Options{AllowedHeaders: []string{"Authorization"}})), req: with("GET", "Authorization", "Bearer t"), want: allowed},
		{name: "lib: headers * with credentials", server: ccPolicy(page(cors.Options{AllowedHeaders: []string{"*"}, AllowCredentials: true})), req: credentialed(with("GET", "X-Anything", "1")), want: allowed},
		{name: "lib: a JSON POST with Content-Type allowed", server: ccPolicy(page(cors.Options{AllowedHeaders: []string{"Content-Type"}})), req: with("POST", "Content-Type", "application/json"), want: allowed},
		{name: "lib: a JSON POST without", server: ccPolicy(page(cors.Options{})), req: with("POST", "Content-Type", "application/json"), want: atPreflight},
		{name: "lib: a text/plain POST needs no preflight", server: ccPolicy(page(cors.Options{})), req: with("POST", "Content-Type", "text/plain; charset=utf-8"), want: allowed},
		{name: "lib: two MIME types in Content-Type need a preflight", server: ccPolicy(page(cors.Options{})), req: with("POST", "Content-Type", "application/json, text/plain"), want: atPreflight},
		{name: "lib: a single byte range needs no preflight", server: ccPolicy(page(cors.Options{})), req: with("GET", "Range", "bytes=0-5"), want: allowed},
		{name: "lib: a suffix range needs a preflight", server: ccPolicy(page(cors.Options{})), req: with("GET", "Range", "bytes=-5"), want: atPreflight},
		{name: "lib: a 129-byte Accept needs a preflight", server: ccPolicy(page(cors.Options{})), req: with("GET", "Accept", strings.Repeat("a", 129)), want: atPreflight},
		{name: "lib: a 128-byte Accept needs none", server: ccPolicy(page(cors.Options{})), req: with("GET", "Accept", strings.Repeat("a", 128)), want: allowed},
		{name: "lib: Content-Language with an underscore needs a preflight", server: ccPolicy(page(cors.Options{})), req: with("GET", "Content-Language", "en_US"), want: atPreflight},
		{name: "lib: Content-Language listed", server: ccPolicy(page(cors.Options{AllowedHeaders: []string{"Content-Language"}})), req: with("GET", "Content-Language", "en_US"), want: allowed},
		{name: "lib: a forbidden header is dropped, so no preflight", server: ccPolicy(page(cors.Options{})), req: with("GET", "Cookie", "a=b", "Sec-Test", "1"), want: allowed},
		{name: "lib: several headers, all listed", server: ccPolicy(page(cors.Options{AllowedHeaders: []string{"X-A", "X-B"}})), req: with("GET", "X-B", "1", "x-a", "2"), want: allowed},
		{name: "lib: several headers, one not listed", server: ccPolicy(page(cors.Options{AllowedHeaders: []string{"X-A"}})), req: with("GET", "X-B", "1", "X-A", "2"), want: atPreflight},
		{name: "lib: an exposed header is readable", server: ccPolicy(page(cors.Options{ExposedHeaders: []string{"X-Request-Id"}})), req: get(), want: allowed},
		{name: "lib: exposed * shows every header", server: ccPolicy(page(cors.Options{ExposedHeaders: []string{"*"}})), req: get(), want: allowed},
		{name: "lib: an exposed header with credentials", server: ccPolicy(page(cors.Options{ExposedHeaders: []string{"X-Request-Id"}, AllowCredentials: true})), req: credentialed(get()), want: allowed},
		{name: "lib: a negative MaxAge", server: ccPolicy(page(cors.Options{AllowedMethods: []string{"PUT"}, MaxAge: -1})), req: with("PUT"), want: allowed},
		{name: "lib: PreflightStatus 200", server: ccPolicy(page(cors.Options{AllowedMethods: []string{"PUT"}, PreflightStatus: 200})), req: with("PUT"), want: allowed},
		{name: "lib: AllowOriginFunc", server: ccPolicy(cors.Options{AllowOriginFunc: pageOnly, AllowCredentials: true, AllowedMethods: []string{"PUT"}, AllowedHeaders: []string{"Content-Type"}}), req: credentialed(with("PUT", "Content-Type", "application/json")), want: allowed},
		{name: "lib: credentials omit against *", server: ccPolicy(cors.Options{AllowedOrigins: []string{"*"}}), req: browser.Request{Credentials: "omit"}, want: allowed},
	}
}

func ccHandCases() []ccCase {
	status := func(code int) func(w http.ResponseWriter, r *http.Request) {
		return func(w http.ResponseWriter, r *http.Request) { w.WriteHeader(code) }
	}
	acao := func(v string) func(w http.ResponseWriter, r *http.Request) bool {
		return setHeaders("Access-Control-Allow-Origin", v)
	}
	okPre := func(kv ...string) func(w http.ResponseWriter, r *http.Request) {
		return preflightWith(http.StatusNoContent, append([]string{"Access-Control-Allow-Origin", "$ORIGIN"}, kv...)...)
	}
	return []ccCase{
		{name: "hand: reflection without Vary", server: ccHand(reflectPreflight, acao("$ORIGIN")), req: get(), want: allowed},
		{name: "hand: reflection with credentials", server: ccHand(reflectPreflight, reflectActual), req: credentialed(with("PUT", "X-Token", "1")), want: allowed},
		{name: "hand: * with credentials, credentialed", server: ccHand(reflectPreflight, setHeaders("Access-Control-Allow-Origin", "*", "Access-Control-Allow-Credentials", "true")), req: credentialed(get()), want: atRequest},
		{name: "hand: * with credentials, not credentialed", server: ccHand(reflectPreflight, setHeaders("Access-Control-Allow-Origin", "*", "Access-Control-Allow-Credentials", "true")), req: get(), want: allowed},
		{name: "hand: 405 to OPTIONS", server: ccHand(status(405), reflectActual), req: with("PUT"), want: atPreflight},
		{name: "hand: 404 to OPTIONS", server: ccHand(status(404), reflectActual), req: with("PUT"), want: atPreflight},
		{name: "hand: 405 to OPTIONS with CORS headers", server: ccHand(preflightWith(405, "Access-Control-Allow-Origin", "*", "Access-Control-Allow-Methods", "PUT"), acao("*")), req: with("PUT"), want: atPreflight},
		{name: "hand: a redirecting preflight", server: ccHand(preflightWith(301, "Location", "/elsewhere", "Access-Control-Allow-Origin", "*", "Access-Control-Allow-Methods", "PUT"), acao("*")), req: with("PUT"), want: atPreflight},
		{name: "hand: a 201 preflight", server: ccHand(preflightWith(201, "Access-Control-Allow-Origin", "*", "Access-Control-Allow-Methods", "PUT"), acao("*")), req: with("PUT"), want: allowed},
		{name: "hand: a 299 preflight", server: ccHand(preflightWith(299, "Access-Control-Allow-Origin", "*", "Access-Control-Allow-Methods", "PUT"), acao("*")), req: with("PUT"), want: allowed},
		{name: "hand: a 300 preflight", server: ccHand(preflightWith(300, "Access-Control-Allow-Origin", "*", "Access-Control-Allow-Methods", "PUT"), acao("*")), req: with("PUT"), want: atPreflight},
		{name: "hand: ACAO with a trailing slash", server: ccHand(reflectPreflight, acao("$ORIGIN/")), req: get(), want: atRequest},
		{name: "hand: ACAO in upper case", server: ccHand(reflectPreflight, func(w http.ResponseWriter, r *http.Request) bool {
			w.Header().Set("Access-Control-Allow-Origin", strings.ToUpper(r.Header.Get("Origin")))
			return false
		}), req: get(), want: atRequest},
		{name: "hand: ACAO naming 127.0.0.1 for localhost", server: ccHand(reflectPreflight, func(w http.ResponseWriter, r *http.Request) bool {
			w.Header().Set("Access-Control-Allow-Origin", strings.Replace(r.Header.Get("Origin"), "localhost", "127.0.0.1", 1))
			return false
		}), req: get(), want: atRequest},
		{name: "hand: ACAO with surrounding spaces", server: ccHand(reflectPreflight, acao("  $ORIGIN ")), req: get(), want: allowed},
		{name: "hand: two identical ACAO lines", server: ccHand(reflectPreflight, setHeaders("Access-Control-Allow-Origin", "$ORIGIN", "Access-Control-Allow-Origin", "$ORIGIN")), req: get(), want: atRequest},
		{name: "hand: ACAO origin and * on one line", server: ccHand(reflectPreflight, acao("$ORIGIN, *")), req: get(), want: atRequest},
		{name: "hand: ACAO null for a real origin", server: ccHand(reflectPreflight, acao("null")), req: get(), want: atRequest},
		{name: "hand: no ACAO at all", server: ccHand(reflectPreflight, setHeaders()), req: get(), want: atRequest},
		{name: "hand: ACAH * with Authorization", server: ccHand(okPre("Access-Control-Allow-Headers", "*"), acao("*")), req: with("GET", "Authorization", "Bearer t"), want: atPreflight,
			deviation: map[string]string{browser.WebKit: webkitAuthorization}, deviationWant: allowed, deviationWarning: webkitAuthorizationWarning},
		{name: "hand: ACAH * and Authorization", server: ccHand(okPre("Access-Control-Allow-Headers", "*, Authorization"), acao("*")), req: with("GET", "Authorization", "Bearer t", "X-Other", "1"), want: allowed},
		{name: "hand: ACAH * for a custom header", server: ccHand(okPre("Access-Control-Allow-Headers", "*"), acao("*")), req: with("GET", "X-Custom", "1"), want: allowed},
		{name: "hand: ACAH in another case", server: ccHand(okPre("Access-Control-Allow-Headers", "X-TOKEN"), acao("*")), req: with("GET", "x-token", "1"), want: allowed},
		{name: "hand: ACAH with empty elements", server: ccHand(okPre("Access-Control-Allow-Headers", ",y-lol,x-print, ,,,y-print", "Access-Control-Allow-Methods", ",,PUT,GET"), acao("*")), req: with("PUT", "X-Print", "1"), want: allowed},
		{name: "hand: a malformed ACAH", server: ccHand(okPre("Access-Control-Allow-Headers", "x-a x-b"), acao("*")), req: with("GET", "X-A", "1"), want: atPreflight},
		{name: "hand: a malformed ACAM", server: ccHand(okPre("Access-Control-Allow-Methods", "Bad method name"), acao("*")), req: with("PUT"), want: atPreflight},
		{name: "hand: methods in lower case", server: ccHand(okPre("Access-Control-Allow-Methods", "get, put"), acao("*")), req: with("PUT"), want: atPreflight},
		{name: "hand: PATCH listed, patch sent", server: ccHand(okPre("Access-Control-Allow-Methods", "PATCH"), acao("*")), req: with("patch"), want: atPreflight},
		{name: "hand: patch listed, patch sent", server: ccHand(okPre("Access-Control-Allow-Methods", "patch"), acao("*")), req: with("patch"), want: allowed},
		{name: "hand: no ACAM for PUT", server: ccHand(okPre(), acao("*")), req: with("PUT"), want: atPreflight},
		{name: "hand: ACAM * without credentials", server: ccHand(okPre("Access-Control-Allow-Methods", "*"), acao("*")), req: with("DELETE"), want: allowed},
		{name: "hand: ACAM * with credentials", server: ccHand(okPre("Access-Control-Allow-Methods", "*", "Access-Control-Allow-Credentials", "true"), reflectActual), req: credentialed(with("DELETE")), want: atPreflight},
		{name: "hand: ACAH * with credentials", server: ccHand(okPre("Access-Control-Allow-Headers", "*", "Access-Control-Allow-Credentials", "true"), reflectActual), req: credentialed(with("GET", "X-Custom", "1")), want: atPreflight},
		{name: "hand: a credentialed preflight without ACAC", server: ccHand(okPre("Access-Control-Allow-Methods", "PUT"), reflectActual), req: credentialed(with("PUT")), want: atPreflight},
		{name: "hand: ACAC True", server: ccHand(reflectPreflight, setHeaders("Access-Control-Allow-Origin", "$ORIGIN", "Access-Control-Allow-Credentials", "True")), req: credentialed(get()), want: atRequest},
		{name: "hand: a preflight passes, the response lacks ACAO", server: ccHand(okPre("Access-Control-Allow-Methods", "PUT"), setHeaders()), req: with("PUT"), want: atRequest},
		{name: "hand: exposed headers missing", server: ccHand(reflectPreflight, setHeaders("Access-Control-Allow-Origin", "$ORIGIN", "Vary", "Origin", "Access-Control-Expose-Headers", "X-Other")), req: get(), want: allowed},
		{name: "hand: ACEH listing Set-Cookie", server: ccHand(reflectPreflight, setHeaders("Access-Control-Allow-Origin", "*", "Access-Control-Expose-Headers", "Set-Cookie, X-Request-Id", "Set-Cookie", "a=b")), req: get(), want: allowed},
		{name: "hand: ACEH * with credentials is literal", server: ccHand(reflectPreflight, setHeaders("Access-Control-Allow-Origin", "$ORIGIN", "Access-Control-Allow-Credentials", "true", "Access-Control-Expose-Headers", "*")), req: credentialed(get()), want: allowed},
		{name: "hand: ACEH * without credentials", server: ccHand(reflectPreflight, setHeaders("Access-Control-Allow-Origin", "*", "Access-Control-Expose-Headers", "*")), req: get(), want: allowed},
		{name: "hand: max-age 0", server: ccHand(okPre("Access-Control-Allow-Methods", "PUT", "Access-Control-Max-Age", "0"), acao("*")), req: with("PUT"), want: allowed},
		{name: "hand: an error response without CORS headers", server: ccHand(reflectPreflight, func(w http.ResponseWriter, r *http.Request) bool {
			w.WriteHeader(500)
			return true
		}), req: get(), want: atRequest},
		{name: "hand: an error response with CORS headers", server: ccHand(reflectPreflight, func(w http.ResponseWriter, r *http.Request) bool {
			w.Header().Set("Access-Control-Allow-Origin", "*")
			w.WriteHeader(500)
			return true
		}), req: get(), want: allowed},
		redirectCase("hand: a redirect to another origin, which echoes null", "other",
			[]string{"Access-Control-Allow-Origin", "$ORIGIN"}, []string{"Access-Control-Allow-Origin", "$ORIGIN"}, get(), allowed),
		redirectCase("hand: a redirect to another origin, which allows the page only", "other",
			[]string{"Access-Control-Allow-Origin", "$ORIGIN"}, []string{"Access-Control-Allow-Origin", "$PAGE"}, get(), atRequest),
		redirectCase("hand: a redirect to another origin answering *", "other",
			[]string{"Access-Control-Allow-Origin", "*"}, []string{"Access-Control-Allow-Origin", "*"}, get(), allowed),
		redirectCase("hand: a redirect without CORS headers", "other",
			nil, []string{"Access-Control-Allow-Origin", "*"}, get(), atRequest),
		redirectCase("hand: a redirect within the API", "api",
			[]string{"Access-Control-Allow-Origin", "$ORIGIN"}, []string{"Access-Control-Allow-Origin", "$ORIGIN"}, get(), allowed),
	}
}
