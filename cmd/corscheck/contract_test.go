package main

import (
	"encoding/json"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/crossorigin/cors"
)

// contractJSON runs -calls with -json and decodes the output.
func contractJSON(t *testing.T, args ...string) (int, contractReport, string) {
	t.Helper()
	code, out, errOut := run(t, append([]string{"-json"}, args...)...)
	var rep contractReport
	require.NoError(t, json.Unmarshal([]byte(out), &rep), "stdout: %s\nstderr: %s", out, errOut)
	return code, rep, errOut
}

// theLibrary serves testdata/policy.json's policy with this library, in front of an application that
// sets X-Request-Id, which the policy exposes.
func theLibrary(t *testing.T) string {
	t.Helper()
	return serve(t, library(t, cors.Options{
		AllowedOrigins:   []string{app, "https://*.example.com"},
		AllowedMethods:   []string{"GET", "POST", "PUT"},
		AllowedHeaders:   []string{"Content-Type", "X-Token"},
		ExposedHeaders:   []string{"X-Request-Id"},
		AllowCredentials: true,
		MaxAge:           2 * time.Hour,
	}))
}

// matching are calls that testdata/policy.json, and theLibrary, decide as each expects.
const matching = `{"calls": [
	{"name": "the app updates an item", "origin": "https://app.example.com", "method": "PUT", "url": "/api/items/1",
	 "headers": {"Content-Type": "application/json", "X-Token": "t"}, "credentials": "include", "expect": "allowed", "read": ["X-Request-Id", "content-type"]},
	{"name": "a subdomain reads items", "origin": "https://admin.example.com", "url": "/api/items", "expect": "allowed"},
	{"name": "a lookalike cannot read", "origin": "https://evil-example.com", "url": "/api/items", "credentials": "include", "expect": "blocked"},
	{"name": "no DELETE", "origin": "https://app.example.com", "method": "DELETE", "url": "/api/items/1", "expect": "blocked"}
]}`

func TestCallsThatAllMatchExitZero(t *testing.T) {
	path := writeCalls(t, matching)
	targets := map[string][]string{
		"the policy in-process": {"-config", policyFile},
		"the live API":          {theLibrary(t)},
	}
	for name, target := range targets {
		t.Run(name, func(t *testing.T) {
			code, out, errOut := run(t, append([]string{"-calls", path}, target...)...)
			assert.Equal(t, exitOK, code, errOut)
			assert.Empty(t, errOut)
			want := "✓ the app updates an item (allowed)\n✓ a subdomain reads items (allowed)\n✓ a lookalike cannot read (blocked)\n✓ no DELETE (blocked)\n\n4 calls: 4 passed, 0 failed (" + path + " against "
			assert.True(t, strings.HasPrefix(out, want), out)
		})
	}
}

func TestCallsEachKindOfMismatchExitsOneWithItsExplanationAndFix(t *testing.T) {
	tests := []struct {
		name     string
		call     string
		headline string
		blocked  string // blocked_at
		message  string
		fix      string
	}{
		{
			"a call expected blocked but allowed says what let it through and how to stop it",
			`"name": "m", "origin": "https://shop.example.com", "url": "/api/me", "credentials": "include", "expect": "blocked"`,
			"expected blocked, but the browser allows GET https://api.corscheck.invalid/api/me from https://shop.example.com (credentials: include):",
			"",
			"The browser allows the call: the response got 200 with Access-Control-Allow-Origin: https://shop.example.com, Access-Control-Allow-Credentials: true.",
			"Remove https://shop.example.com from the allowed origins, or the wildcard pattern or AllowOriginFunc that admits it.",
		},
		{
			"a call expected allowed but blocked gives the problems with the policy's fix",
			`"name": "m", "origin": "https://app.example.com", "method": "PATCH", "url": "/api/items/1", "expect": "allowed"`,
			"expected allowed, but the browser blocks PATCH https://api.corscheck.invalid/api/items/1 from https://app.example.com (credentials: same-origin) at the preflight:",
			"preflight",
			"The response to the preflight request does not have an HTTP ok status (got 403).",
			"The policy refused the preflight (403): add PATCH to allowed_methods.",
		},
		{
			"an allowed call whose read header is not exposed says so with the fix",
			`"name": "m", "origin": "https://app.example.com", "url": "/api/items", "expect": "allowed", "read": ["X-Request-Id", "X-Total-Count"]`,
			"the browser allows GET https://api.corscheck.invalid/api/items from https://app.example.com (credentials: same-origin), but the page cannot read X-Total-Count:",
			"",
			"The page cannot read X-Total-Count: it is not CORS-safelisted and Access-Control-Expose-Headers does not list it.",
			"Add X-Total-Count to ExposedHeaders (Access-Control-Expose-Headers).",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			path := writeCalls(t, oneCall(tt.call))
			code, out, _ := run(t, "-calls", path, "-config", policyFile)
			assert.Equal(t, exitFailed, code)
			want := "✗ m\n  " + tt.headline + "\n  1. " + tt.message + "\n     fix: " + tt.fix + "\n"
			assert.True(t, strings.HasPrefix(out, want), "want:\n%s\ngot:\n%s", want, out)
			assert.Contains(t, out, "1 call: 0 passed, 1 failed")

			code, rep, _ := contractJSON(t, "-calls", path, "-config", policyFile)
			assert.Equal(t, exitFailed, code)
			require.Len(t, rep.Calls, 1)
			c := rep.Calls[0]
			assert.False(t, c.OK)
			assert.Equal(t, tt.blocked, c.BlockedAt)
			require.NotEmpty(t, c.Problems)
			assert.Equal(t, callProblem{Message: tt.message, Fix: tt.fix}, c.Problems[0])
			assert.Equal(t, 0, rep.Passed)
			assert.Equal(t, 1, rep.Failed)
		})
	}
}

func TestCallsBlockedCallNotesWhatABrowserMayDoDifferently(t *testing.T) {
	// Only "*" covers Authorization: Fetch blocks the call, some browsers still let it through.
	api := serve(t, handler(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Access-Control-Allow-Origin", "*")
		w.Header().Set("Access-Control-Allow-Headers", "*")
		w.WriteHeader(http.StatusNoContent)
	}, func(h http.Header, r *http.Request) { h.Set("Access-Control-Allow-Origin", "*") }))
	path := writeCalls(t, oneCall(`"name": "token", "origin": "https://app.example.com", "url": "/me", "headers": {"Authorization": "Bearer x"}, "cookies": {"s": "1"}, "expect": "allowed"`))
	code, out, _ := run(t, "-calls", path, api)
	assert.Equal(t, exitFailed, code)
	assert.Contains(t, out, "fix: List Authorization in AllowedHeaders: '*' never covers it.")
	assert.Contains(t, out, "  note: Chromium (unless its CorsNonWildcardRequestHeadersSupport feature is on)")
	assert.Contains(t, out, `  note: "cookies" without "credentials": "include"`, "the fixes about the call are in the file's terms")
}

func TestCallsJSONHasOneEntryPerCallInTheFilesOrder(t *testing.T) {
	path := writeCalls(t, `{"calls": [
		{"name": "z passes", "origin": "https://app.example.com", "url": "/", "expect": "allowed"},
		{"name": "a fails", "origin": "https://app.example.com", "method": "DELETE", "url": "/", "expect": "allowed"},
		{"name": "m passes", "origin": "https://evil.example", "url": "/", "expect": "blocked"}
	]}`)
	code, out, errOut := run(t, "-json", "-calls", path, "-config", policyFile)
	assert.Equal(t, exitFailed, code, errOut)

	var raw struct {
		Calls  []map[string]json.RawMessage `json:"calls"`
		Passed *int                         `json:"passed"`
		Failed *int                         `json:"failed"`
	}
	require.NoError(t, json.Unmarshal([]byte(out), &raw))
	require.NotNil(t, raw.Passed)
	require.NotNil(t, raw.Failed)
	assert.Equal(t, 2, *raw.Passed)
	assert.Equal(t, 1, *raw.Failed)
	require.Len(t, raw.Calls, 3)
	for _, c := range raw.Calls {
		keys := sortedKeys(c)
		assert.Equal(t, []string{"blocked_at", "expect", "name", "ok", "problems", "verdict"}, keys)
	}

	_, rep, _ := contractJSON(t, "-calls", path, "-config", policyFile)
	var names []string
	for _, c := range rep.Calls {
		names = append(names, c.Name)
	}
	assert.Equal(t, []string{"z passes", "a fails", "m passes"}, names, "the file's order")
	assert.Equal(t, callReport{Name: "z passes", Expect: "allowed", Verdict: "allowed", OK: true, Problems: []callProblem{}}, rep.Calls[0])
	assert.Equal(t, callReport{Name: "m passes", Expect: "blocked", Verdict: "blocked", BlockedAt: "request", OK: true, Problems: []callProblem{}}, rep.Calls[2])
	assert.JSONEq(t, `[]`, string(raw.Calls[0]["problems"]), "a call that matches has an empty list of problems, not null")
	assert.Equal(t, "blocked", rep.Calls[1].Verdict)
	assert.Equal(t, "preflight", rep.Calls[1].BlockedAt)
	assert.False(t, rep.Calls[1].OK)
}

// flaky is an API that answers like the library except on /down, where it drops the connection.
func flaky(t *testing.T) string {
	t.Helper()
	lib := library(t, cors.Options{AllowedOrigins: []string{app}})
	return serve(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != "/down" {
			lib.ServeHTTP(w, r)
			return
		}
		conn, _, err := http.NewResponseController(w).Hijack()
		if err == nil {
			_ = conn.Close()
		}
	}))
}

func TestCallsNetworkErrorMidFileExitsTwoAfterTheCallsJudgedSoFar(t *testing.T) {
	api := flaky(t)
	path := writeCalls(t, `{"calls": [
		{"name": "first", "origin": "https://app.example.com", "url": "/up", "expect": "allowed"},
		{"name": "second", "origin": "https://app.example.com", "url": "/up", "expect": "blocked"},
		{"name": "dropped", "origin": "https://app.example.com", "url": "/down", "expect": "allowed"},
		{"name": "never made", "origin": "https://app.example.com", "url": "/up", "expect": "allowed"}
	]}`)
	code, out, errOut := run(t, "-calls", path, api)
	assert.Equal(t, exitTrouble, code)
	assert.True(t, strings.HasPrefix(out, "✓ first (allowed)\n✗ second\n"), out)
	assert.NotContains(t, out, "never made")
	assert.NotContains(t, out, "passed", "no summary for a run that did not finish")
	assert.True(t, strings.HasPrefix(errOut, `corscheck: call 3 ("dropped"): network error: GET `+api+"/down: "), errOut)
	assert.NotContains(t, errOut, "corstest")

	code, rep, errOut := contractJSON(t, "-calls", path, api)
	assert.Equal(t, exitTrouble, code)
	assert.Contains(t, errOut, "network error")
	require.Len(t, rep.Calls, 2, "the calls judged before the error")
	assert.Equal(t, 1, rep.Passed)
	assert.Equal(t, 1, rep.Failed)
}

func TestCallsDeadlineBoundsTheWholeFile(t *testing.T) {
	slow := serve(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		time.Sleep(250 * time.Millisecond)
		w.Header().Set("Access-Control-Allow-Origin", "*")
	}))
	var calls []string
	for _, n := range []string{"a", "b", "c", "d", "e", "f"} {
		calls = append(calls, `{"name": "`+n+`", "origin": "https://app.example.com", "url": "/", "expect": "allowed"}`)
	}
	path := writeCalls(t, `{"calls": [`+strings.Join(calls, ",")+`]}`)
	start := time.Now()
	code, out, errOut := run(t, "-calls", path, "-timeout", "2s", "-deadline", "600ms", slow)
	assert.Equal(t, exitTrouble, code)
	assert.Less(t, time.Since(start), 2*time.Second)
	assert.True(t, strings.HasPrefix(out, "✓ a (allowed)\n✓ b (allowed)\n"), out)
	assert.Contains(t, errOut, "the whole run took longer than -deadline 600ms")

	code, _, errOut = run(t, "-calls", path, "-timeout", "100ms", slow)
	assert.Equal(t, exitTrouble, code)
	assert.Contains(t, errOut, `call 1 ("a"): network error: GET `+slow+"/: no response within 100ms")
}

func TestCallsReadNeedsTheHeaderPresentAndExposed(t *testing.T) {
	live := theLibrary(t)
	star := serve(t, library(t, cors.Options{AllowedOrigins: []string{app}, ExposedHeaders: []string{"*"}}))
	literalStar := serve(t, handler(reflectAll, func(h http.Header, r *http.Request) {
		reflectActual(h, r)
		h.Set("Access-Control-Expose-Headers", "*")
		h.Set("X-Total-Count", "3")
	}))
	tests := []struct {
		name   string
		target []string
		call   string
		fix    string // "" when the call passes
	}{
		{"an exposed header the policy's stand-in application sets is readable", []string{"-config", policyFile}, `"read": ["x-request-id"]`, ""},
		{"an unexposed header fails against the policy, with the fix in the policy", []string{"-config", policyFile}, `"read": ["X-Total-Count"]`, "Add X-Total-Count to ExposedHeaders (Access-Control-Expose-Headers)."},
		{"a safelisted header needs no exposure", []string{"-config", policyFile}, `"read": ["Content-Type", "Content-Length"]`, ""},
		{"Set-Cookie is never readable", []string{"-config", policyFile}, `"read": ["Set-Cookie"]`, "Read the cookie on the server; a page never sees Set-Cookie."},
		{"an exposed header the live application sets is readable", []string{live}, `"read": ["X-Request-Id"]`, ""},
		{"a header the live application does not set fails however exposed", []string{live}, `"read": ["X-Request-Id", "X-Total-Count"]`, "Make the handler set X-Total-Count on this response."},
		{"an unexposed header the live application sets fails", []string{serve(t, library(t, cors.Options{AllowedOrigins: []string{app}}))}, `"read": ["X-Request-Id"]`, "Add X-Request-Id to ExposedHeaders (Access-Control-Expose-Headers)."},
		{"* exposes every header without credentials", []string{star}, `"read": ["X-Request-Id"]`, ""},
		{"* exposes nothing with credentials", []string{literalStar}, `"credentials": "include", "read": ["X-Total-Count"]`, "List X-Total-Count in ExposedHeaders (Access-Control-Expose-Headers)."},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			path := writeCalls(t, oneCall(`"name": "r", "origin": "https://app.example.com", "url": "/api/items", "expect": "allowed", `+tt.call))
			code, rep, errOut := contractJSON(t, append([]string{"-calls", path}, tt.target...)...)
			require.Len(t, rep.Calls, 1, errOut)
			c := rep.Calls[0]
			assert.Equal(t, "allowed", c.Verdict)
			if tt.fix == "" {
				assert.Equal(t, exitOK, code)
				assert.True(t, c.OK, "%+v", c.Problems)
				return
			}
			assert.Equal(t, exitFailed, code)
			assert.False(t, c.OK)
			require.Len(t, c.Problems, 1, "one problem per unreadable header")
			assert.Equal(t, tt.fix, c.Problems[0].Fix)
		})
	}
}

func TestCallsCookiesGoOnlyWithCredentialsInclude(t *testing.T) {
	var seen []string
	api := serve(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		seen = append(seen, r.URL.Path+" "+r.Header.Get("Cookie"))
		// The API answers a session only: without the cookie the page may not read it.
		if _, err := r.Cookie("session"); err == nil {
			reflectActual(w.Header(), r)
		}
	}))
	path := writeCalls(t, `{"calls": [
		{"name": "include", "origin": "https://app.example.com", "url": "/include", "credentials": "include", "cookies": {"session": "abc", "theme": "dark"}, "expect": "allowed"},
		{"name": "same-origin", "origin": "https://app.example.com", "url": "/same-origin", "cookies": {"session": "abc"}, "expect": "blocked"},
		{"name": "omit", "origin": "https://app.example.com", "url": "/omit", "credentials": "omit", "cookies": {"session": "abc"}, "expect": "blocked"},
		{"name": "the page's own origin", "origin": "`+api+`", "url": "/own", "cookies": {"session": "abc"}, "expect": "allowed"}
	]}`)
	code, out, errOut := run(t, "-calls", path, api)
	assert.Equal(t, exitOK, code, "%s%s", out, errOut)
	assert.Equal(t, []string{"/include session=abc; theme=dark", "/same-origin ", "/omit ", "/own session=abc"}, seen,
		"cookies go cross-origin only with include; same-origin sends them to the page's own origin")
}

func TestCallsResolvePathsAgainstTheBaseURLsPathAndLeaveAbsoluteURLsAlone(t *testing.T) {
	var paths []string
	record := func(h http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			paths = append(paths, r.Host+" "+r.Method+" "+r.URL.RequestURI())
			h.ServeHTTP(w, r)
		})
	}
	lib := library(t, cors.Options{AllowedOrigins: []string{app}})
	api := serve(t, record(lib))
	other := serve(t, record(lib))
	path := writeCalls(t, `{"calls": [
		{"name": "a path", "origin": "https://app.example.com", "url": "/api/items?page=2", "expect": "allowed"},
		{"name": "an absolute URL", "origin": "https://app.example.com", "url": "`+other+`/elsewhere", "expect": "allowed"}
	]}`)
	code, out, errOut := run(t, "-calls", path, api+"/backend/")
	assert.Equal(t, exitOK, code, out+errOut)
	hostOf := func(u string) string { return strings.TrimPrefix(u, "http://") }
	assert.Equal(t, []string{hostOf(api) + " GET /backend/api/items?page=2", hostOf(other) + " GET /elsewhere"}, paths)

	// With -config an absolute URL is served in-process too: nothing goes over the network.
	paths = nil
	code, _, errOut = run(t, "-calls", path, "-config", policyFile)
	assert.Equal(t, exitOK, code, errOut)
	assert.Empty(t, paths)
}

func TestDevserverCallsPassAgainstItsPolicy(t *testing.T) {
	code, rep, errOut := contractJSON(t, "-calls", "../../examples/devserver/calls.json", "-config", "../../examples/devserver/cors.json")
	assert.Equal(t, exitOK, code, errOut)
	assert.Zero(t, rep.Failed)
	var allowed, blocked int
	for _, c := range rep.Calls {
		assert.True(t, c.OK, "%s: %+v", c.Name, c.Problems)
		if c.Expect == "allowed" {
			allowed++
		} else {
			blocked++
		}
	}
	assert.Positive(t, allowed, "the calls the page makes")
	assert.Positive(t, blocked, "the calls that must never work")
}
