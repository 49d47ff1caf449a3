package main

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/crossorigin/cors"
	"github.com/crossorigin/cors/internal/explain"
	"github.com/crossorigin/cors/internal/fetch"
)

const app = "https://app.example.com"

// run runs the command and returns its exit status, stdout and stderr.
func run(t *testing.T, args ...string) (int, string, string) {
	t.Helper()
	var out, errOut bytes.Buffer
	code := Run(context.Background(), args, &out, &errOut)
	return code, out.String(), errOut.String()
}

// explainJSON runs an explanation with -json and decodes it.
func explainJSON(t *testing.T, args ...string) (int, report) {
	t.Helper()
	code, out, errOut := run(t, append([]string{"-json"}, args...)...)
	require.NotEqual(t, exitTrouble, code, "stderr: %s", errOut)
	var rep report
	require.NoError(t, json.Unmarshal([]byte(out), &rep), out)
	return code, rep
}

// serve starts h and returns its URL.
func serve(t *testing.T, h http.Handler) string {
	t.Helper()
	s := httptest.NewServer(h)
	t.Cleanup(s.Close)
	return s.URL
}

// library wraps a plain application in this library under opts.
func library(t *testing.T, opts cors.Options) http.Handler {
	t.Helper()
	c, err := cors.New(opts)
	require.NoError(t, err)
	return c.Handler(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("X-Request-Id", "42")
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write([]byte(`{"ok":true}`))
	}))
}

// handler is a hand-written CORS implementation: pre answers preflights (OPTIONS with
// Access-Control-Request-Method), act sets the headers of every other response.
func handler(pre func(w http.ResponseWriter, r *http.Request), act func(h http.Header, r *http.Request)) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method == http.MethodOptions && r.Header.Get("Access-Control-Request-Method") != "" {
			pre(w, r)
			return
		}
		act(w.Header(), r)
		w.Header().Set("X-Request-Id", "42")
		_, _ = w.Write([]byte("ok"))
	})
}

// reflectAll answers every preflight for what it asks, reflecting the origin, with credentials.
func reflectAll(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Access-Control-Allow-Origin", r.Header.Get("Origin"))
	w.Header().Set("Access-Control-Allow-Credentials", "true")
	w.Header().Set("Access-Control-Allow-Methods", r.Header.Get("Access-Control-Request-Method"))
	if h := r.Header.Get("Access-Control-Request-Headers"); h != "" {
		w.Header().Set("Access-Control-Allow-Headers", h)
	}
	w.Header().Set("Vary", "Origin")
	w.WriteHeader(http.StatusNoContent)
}

func reflectActual(h http.Header, r *http.Request) {
	h.Set("Access-Control-Allow-Origin", r.Header.Get("Origin"))
	h.Set("Access-Control-Allow-Credentials", "true")
	h.Set("Vary", "Origin")
}

func TestExplainAgainstTheLibrary(t *testing.T) {
	api := serve(t, library(t, cors.Options{
		AllowedOrigins:   []string{app},
		AllowedMethods:   []string{"GET", "POST", "PUT"},
		AllowedHeaders:   []string{"X-Token", "Content-Type"},
		ExposedHeaders:   []string{"X-Request-Id"},
		AllowCredentials: true,
		MaxAge:           time.Hour,
	}))
	star := serve(t, library(t, cors.Options{AllowedOrigins: []string{"*"}, AllowedHeaders: []string{"*"}}))

	tests := []struct {
		name      string
		args      []string
		verdict   string
		blockedAt string
		preflight bool
		check     string // the first problem's check
		fix       string // a part of the first problem's fix
		readable  []string
	}{
		{"a simple GET is allowed with the exposed header readable", []string{"-origin", app, api + "/a"}, "allowed", "", false, "", "", []string{"content-length", "content-type", "x-request-id"}},
		{"a credentialed PUT with a listed header passes the preflight", []string{"-origin", app, "-method", "put", "-H", "X-Token: 1", "-H", "Content-Type: application/json", "-credentials", api + "/b"}, "allowed", "", true, "", "", []string{"content-length", "content-type", "x-request-id"}},
		{"a DELETE not in AllowedMethods fails at the preflight", []string{"-origin", app, "-method", "DELETE", api + "/c"}, "blocked", "preflight", true, "status", "DELETE in AllowedMethods", nil},
		{"a refused origin reads nothing of a simple GET", []string{"-origin", "https://evil.example", api + "/d"}, "blocked", "request", false, "allow-origin", "Add https://evil.example to AllowedOrigins", nil},
		{"a credentialed call against * fails", []string{"-origin", app, "-credentials", star + "/e"}, "blocked", "request", false, "allow-origin", `replace "*"`, nil},
		{"Authorization against * is refused by the library", []string{"-origin", app, "-H", "Authorization: Bearer t", star + "/f"}, "blocked", "preflight", true, "status", "authorization in AllowedHeaders", nil},
		{"a custom header against * passes", []string{"-origin", app, "-H", "X-Anything: 1", star + "/g"}, "allowed", "", true, "", "", []string{"content-length", "content-type"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, rep := explainJSON(t, tt.args...)
			assert.Equal(t, tt.verdict, rep.Verdict)
			assert.Equal(t, tt.blockedAt, rep.BlockedAt)
			assert.Equal(t, tt.preflight, rep.Preflight != nil)
			if tt.verdict == "allowed" {
				assert.Equal(t, exitOK, code)
				assert.Empty(t, rep.Problems)
				require.NotNil(t, rep.Request)
				assert.True(t, rep.Request.Passed)
				assert.Equal(t, tt.readable, rep.Request.ReadableHeaders)
				return
			}
			assert.Equal(t, exitFailed, code)
			require.NotEmpty(t, rep.Problems)
			assert.Equal(t, tt.blockedAt, rep.Problems[0].Step)
			assert.Equal(t, tt.check, rep.Problems[0].Check)
			assert.Contains(t, rep.Problems[0].Fix, tt.fix)
			if tt.blockedAt == "preflight" {
				assert.Nil(t, rep.Request, "the browser never sends the request after a failed preflight")
				assert.False(t, rep.Preflight.Passed)
			} else {
				assert.Empty(t, rep.Request.ReadableHeaders)
			}
		})
	}
}

func TestExplainPreflightIsFormedAsBrowsersFormIt(t *testing.T) {
	api := serve(t, handler(reflectAll, reflectActual))
	_, rep := explainJSON(t, "-origin", app, "-method", "PUT", "-H", "X-B: 1", "-H", "x-a: 2", "-H", "Content-Type: application/json", "-H", "Cookie: a=b", "-credentials", "-cookie", "session=1", api)
	require.NotNil(t, rep.Preflight)
	h := rep.Preflight.RequestHeaders
	assert.Equal(t, []string{"content-type,x-a,x-b"}, h["access-control-request-headers"])
	assert.Equal(t, []string{"PUT"}, h["access-control-request-method"])
	assert.Equal(t, []string{app}, h["origin"])
	assert.NotContains(t, h, "cookie", "a preflight never carries cookies")
	assert.NotContains(t, h, "x-a")
	require.NotEmpty(t, rep.Warnings)
	assert.Equal(t, "forbidden-header", rep.Warnings[0].Check)
	assert.Contains(t, rep.Warnings[0].Message, "Cookie")
}

// misbehaving are hand-written servers reproducing misconfigurations seen in the wild.
func TestExplainMisbehavingServers(t *testing.T) {
	exact := func(v string) func(h http.Header, r *http.Request) {
		return func(h http.Header, r *http.Request) { h.Set("Access-Control-Allow-Origin", v) }
	}
	okPreflight := func(kv ...string) func(w http.ResponseWriter, r *http.Request) {
		return func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Access-Control-Allow-Origin", r.Header.Get("Origin"))
			for i := 0; i < len(kv); i += 2 {
				w.Header().Add(kv[i], kv[i+1])
			}
			w.WriteHeader(http.StatusNoContent)
		}
	}
	status := func(code int) func(w http.ResponseWriter, r *http.Request) {
		return func(w http.ResponseWriter, r *http.Request) { w.WriteHeader(code) }
	}
	tests := []struct {
		name      string
		h         http.Handler
		args      []string
		verdict   string
		blockedAt string
		check     string
		fix       string
		warning   string // a warning check that must be present
	}{
		{"origin reflection without Vary is allowed but warned about", handler(reflectAll, func(h http.Header, r *http.Request) {
			h.Set("Access-Control-Allow-Origin", r.Header.Get("Origin"))
		}), nil, "allowed", "", "", "", "vary"},
		{"* with credentials fails a credentialed call", handler(reflectAll, func(h http.Header, r *http.Request) {
			h.Set("Access-Control-Allow-Origin", "*")
			h.Set("Access-Control-Allow-Credentials", "true")
		}), []string{"-credentials"}, "blocked", "request", "allow-origin", "never sends", ""},
		{"* with credentials still serves an uncredentialed call", handler(reflectAll, func(h http.Header, r *http.Request) {
			h.Set("Access-Control-Allow-Origin", "*")
			h.Set("Access-Control-Allow-Credentials", "true")
		}), nil, "allowed", "", "", "", "allow-origin"},
		{"a 405 to OPTIONS blames the router", handler(status(405), reflectActual), []string{"-method", "PUT"}, "blocked", "preflight", "status", "Wrap the router", ""},
		{"a 404 to OPTIONS blames the router", handler(status(404), reflectActual), []string{"-method", "PUT"}, "blocked", "preflight", "status", "Wrap the router", ""},
		{"a 401 to OPTIONS blames authentication", handler(status(401), reflectActual), []string{"-method", "PUT"}, "blocked", "preflight", "status", "before authentication", ""},
		{"a redirecting preflight fails", handler(func(w http.ResponseWriter, r *http.Request) {
			http.Redirect(w, r, "/elsewhere/", http.StatusMovedPermanently)
		}, reflectActual), []string{"-method", "PUT"}, "blocked", "preflight", "status", "never follow a redirect", ""},
		{"ACAO with a trailing slash fails", handler(reflectAll, exact(app+"/")), nil, "blocked", "request", "allow-origin", "trailing slash", ""},
		{"ACAO in another case fails", handler(reflectAll, exact("https://App.Example.com")), nil, "blocked", "request", "allow-origin", "byte for byte", ""},
		{"two ACAO values fail", handler(reflectAll, func(h http.Header, r *http.Request) {
			h.Add("Access-Control-Allow-Origin", app)
			h.Add("Access-Control-Allow-Origin", app)
		}), nil, "blocked", "request", "allow-origin", "keep exactly one", ""},
		{"ACAH * never covers Authorization", handler(okPreflight("Access-Control-Allow-Headers", "*"), reflectActual),
			[]string{"-H", "Authorization: Bearer x"}, "blocked", "preflight", "allow-headers", "never covers it", "allow-headers"},
		{"ACAH * with Authorization listed passes", handler(okPreflight("Access-Control-Allow-Headers", "*, Authorization"), reflectActual),
			[]string{"-H", "Authorization: Bearer x", "-H", "X-Other: 1"}, "allowed", "", "", "", ""},
		{"lower-case methods in ACAM fail", handler(okPreflight("Access-Control-Allow-Methods", "get, put"), reflectActual),
			[]string{"-method", "PUT"}, "blocked", "preflight", "allow-methods", `write PUT, not "put"`, ""},
		{"fetch sends patch as written", handler(okPreflight("Access-Control-Allow-Methods", "PATCH"), reflectActual),
			[]string{"-method", "patch"}, "blocked", "preflight", "allow-methods", `method: "PATCH"`, ""},
		{"ACAM * is literal with credentials", handler(func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Access-Control-Allow-Origin", r.Header.Get("Origin"))
			w.Header().Set("Access-Control-Allow-Credentials", "true")
			w.Header().Set("Access-Control-Allow-Methods", "*")
			w.WriteHeader(http.StatusNoContent)
		}, reflectActual), []string{"-method", "DELETE", "-credentials"}, "blocked", "preflight", "allow-methods", "literally named '*'", ""},
		{"a credentialed call needs ACAC true on the preflight", handler(okPreflight("Access-Control-Allow-Methods", "PUT"), reflectActual),
			[]string{"-method", "PUT", "-credentials"}, "blocked", "preflight", "allow-credentials", "AllowCredentials", ""},
		{"ACAC True is not true", handler(reflectAll, func(h http.Header, r *http.Request) {
			h.Set("Access-Control-Allow-Origin", r.Header.Get("Origin"))
			h.Set("Access-Control-Allow-Credentials", "True")
		}), []string{"-credentials"}, "blocked", "request", "allow-credentials", "lower case", ""},
		{"an error response without CORS headers", handler(reflectAll, func(h http.Header, r *http.Request) {}), nil, "blocked", "request", "allow-origin", "AllowedOrigins", ""},
		{"max-age 0 is warned about", handler(okPreflight("Access-Control-Allow-Methods", "PUT", "Access-Control-Max-Age", "0"), reflectActual),
			[]string{"-method", "PUT"}, "allowed", "", "", "", "max-age"},
		{"max-age past Chromium's cap is warned about", handler(okPreflight("Access-Control-Allow-Methods", "PUT", "Access-Control-Max-Age", "86400"), reflectActual),
			[]string{"-method", "PUT"}, "allowed", "", "", "", "max-age"},
		{"a malformed ACAH fails", handler(okPreflight("Access-Control-Allow-Headers", "x-a x-b"), reflectActual),
			[]string{"-H", "X-A: 1"}, "blocked", "preflight", "allow-headers", "comma-separated", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			api := serve(t, tt.h)
			code, rep := explainJSON(t, append(append([]string{"-origin", app}, tt.args...), api+"/x")...)
			assert.Equal(t, tt.verdict, rep.Verdict)
			assert.Equal(t, tt.blockedAt, rep.BlockedAt)
			if tt.verdict == "blocked" {
				assert.Equal(t, exitFailed, code)
				require.NotEmpty(t, rep.Problems)
				assert.Equal(t, tt.check, rep.Problems[0].Check, rep.Problems[0].Message)
				assert.Contains(t, rep.Problems[0].Fix, tt.fix)
			} else {
				assert.Equal(t, exitOK, code)
			}
			if tt.warning != "" {
				var checks []string
				for _, w := range rep.Warnings {
					checks = append(checks, w.Check)
				}
				assert.Contains(t, checks, tt.warning)
			}
		})
	}
}

func TestExplainExposedHeadersMissing(t *testing.T) {
	api := serve(t, handler(reflectAll, func(h http.Header, r *http.Request) {
		reflectActual(h, r)
		h.Set("Access-Control-Expose-Headers", "X-Other")
	}))
	_, rep := explainJSON(t, "-origin", app, api)
	require.NotNil(t, rep.Request)
	assert.NotContains(t, rep.Request.ReadableHeaders, "x-request-id", "not exposed, so not readable")
	assert.Contains(t, rep.Request.ResponseHeaders, "x-request-id", "though the server sent it")
	code, out, _ := run(t, "-origin", app, api)
	assert.Equal(t, exitOK, code)
	assert.Contains(t, out, "and not these (expose them with ExposedHeaders): ")
	assert.Contains(t, out, "x-request-id")
}

func TestExplainCrossOriginRedirectSendsNull(t *testing.T) {
	target := serve(t, handler(reflectAll, func(h http.Header, r *http.Request) {
		if r.Header.Get("Origin") == app {
			h.Set("Access-Control-Allow-Origin", app)
		}
	}))
	redirecting := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Access-Control-Allow-Origin", r.Header.Get("Origin"))
		http.Redirect(w, r, target+"/final", http.StatusFound)
	})
	src := serve(t, redirecting)
	code, rep := explainJSON(t, "-origin", app, src)
	assert.Equal(t, exitFailed, code)
	assert.Equal(t, "request", rep.BlockedAt)
	require.NotEmpty(t, rep.Problems)
	assert.Contains(t, rep.Problems[0].Message, "'null'")
	var redirect bool
	for _, w := range rep.Warnings {
		redirect = redirect || (w.Check == "redirect" && strings.Contains(w.Message, "Origin: null"))
	}
	assert.True(t, redirect, "the redirect and the null Origin are explained: %+v", rep.Warnings)
}

func TestExplainHumanOutputPutsTheFailureFirst(t *testing.T) {
	api := serve(t, library(t, cors.Options{AllowedOrigins: []string{app}}))
	code, out, _ := run(t, "-origin", app, "-method", "PUT", api+"/items")
	assert.Equal(t, exitFailed, code)
	lines := strings.Split(out, "\n")
	require.GreaterOrEqual(t, len(lines), 5)
	assert.True(t, strings.HasPrefix(lines[0], "BLOCKED at the preflight: PUT "), lines[0])
	assert.True(t, strings.HasPrefix(lines[3], "1. "), out)
	assert.Contains(t, lines[4], "fix:")
	assert.Contains(t, out, "PUT was not sent")
}

func TestExplainWithConfigRunsThePolicyInProcess(t *testing.T) {
	dir := t.TempDir()
	file := filepath.Join(dir, "cors.json")
	require.NoError(t, os.WriteFile(file, []byte(`{"allowed_origins": ["https://app.example.com"], "allowed_methods": ["GET", "PUT"], "allowed_headers": ["*"]}`), 0o600))

	code, rep := explainJSON(t, "-config", file, "-origin", app, "-method", "PUT")
	assert.Equal(t, exitOK, code)
	assert.Equal(t, "allowed", rep.Verdict)

	code, rep = explainJSON(t, "-config", file, "-origin", app, "-method", "DELETE", "-H", "Authorization: x", "https://api.example.com/v1/items")
	assert.Equal(t, exitFailed, code)
	require.Len(t, rep.Problems, 1)
	assert.Equal(t, "The policy refused the preflight (403): add DELETE to allowed_methods; list Authorization in allowed_headers: '*' never covers it.", rep.Problems[0].Fix)

	code, rep = explainJSON(t, "-config", file, "-origin", "https://other.example", "-method", "PUT")
	assert.Equal(t, exitFailed, code)
	assert.Equal(t, "The policy refused the preflight (403): add https://other.example to allowed_origins.", rep.Problems[0].Fix)

	// Offline only the path matters, so a bare path is enough.
	code, rep = explainJSON(t, "-config", file, "-origin", app, "-method", "PUT", "/v1/items/7")
	assert.Equal(t, exitOK, code)
	assert.Equal(t, "allowed", rep.Verdict)

	code, rep = explainJSON(t, "-config", file, "-origin", "https://other.example")
	assert.Equal(t, exitFailed, code)
	assert.Equal(t, "The policy does not allow this origin: add https://other.example to allowed_origins.", rep.Problems[0].Fix)

	// Whatever options the library gains, the file goes through LoadOptions and New as is.
	cop := filepath.Join(dir, "cop.json")
	require.NoError(t, os.WriteFile(cop, []byte(`{"allowed_origins": ["https://app.example.com"], "cross_origin_protection": true}`), 0o600))
	code, rep = explainJSON(t, "-config", cop, "-origin", "https://other.example", "-method", "POST")
	assert.Equal(t, exitFailed, code)
	assert.Equal(t, 403, rep.Request.Status)
	assert.Equal(t, "The policy refused this cross-origin write before the handler ran (cross_origin_protection) (403): add https://other.example to allowed_origins.", rep.Problems[0].Fix)

	bad := filepath.Join(dir, "bad.json")
	require.NoError(t, os.WriteFile(bad, []byte(`{"allowed_origins": ["*"], "allow_credentials": true}`), 0o600))
	code, _, errOut := run(t, "-config", bad, "-origin", app)
	assert.Equal(t, exitTrouble, code)
	assert.Contains(t, errOut, "the policy is invalid")

	typo := filepath.Join(dir, "typo.json")
	require.NoError(t, os.WriteFile(typo, []byte(`{"allowed_origin": ["https://a.example"]}`), 0o600))
	code, _, errOut = run(t, "-config", typo, "-origin", app)
	assert.Equal(t, exitTrouble, code)
	assert.Contains(t, errOut, "allowed_origins")
}

func TestBadInputExitsTwoWithAReason(t *testing.T) {
	hang := make(chan struct{})
	slow := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { <-hang }))
	defer slow.Close()
	defer close(hang)
	big := serve(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("X-Big", strings.Repeat("a", 2<<20))
	}))
	closed := httptest.NewServer(http.NotFoundHandler())
	closedURL := closed.URL
	closed.Close()

	tests := []struct {
		name string
		args []string
		want string
	}{
		{"no origin", []string{"http://example.com"}, "-origin is required"},
		{"a malformed origin", []string{"-origin", "app.example.com", "http://example.com"}, "not an origin"},
		{"an origin with a slash", []string{"-origin", app + "/", "http://example.com"}, "trailing slash"},
		{"no URL", []string{"-origin", app}, "URL"},
		{"two URLs", []string{"-origin", app, "http://a", "http://b"}, "one URL"},
		{"a malformed URL", []string{"-origin", app, "example.com/x"}, "not an absolute http or https URL"},
		{"a header without a colon", []string{"-origin", app, "-H", "X-Token", "http://example.com"}, "has no colon"},
		{"a header name with a space", []string{"-origin", app, "-H", "X Token: 1", "http://example.com"}, "not a header name"},
		{"a forbidden method", []string{"-origin", app, "-method", "TRACE", "http://example.com"}, "forbidden method"},
		{"an unknown flag", []string{"-origin", app, "-bogus", "http://example.com"}, "bogus"},
		{"an unreachable host", []string{"-origin", app, closedURL}, "network error"},
		{"a hanging server", []string{"-origin", app, "-timeout", "300ms", slow.URL}, "no response within 300ms"},
		{"megabytes of headers", []string{"-origin", app, big}, "exceeded"},
		{"a missing config file", []string{"-origin", app, "-config", "/nonexistent/cors.json"}, "-config"},
		{"scan with config", []string{"-scan", "-config", "x.json", "http://example.com"}, "-scan works on a live server"},
		{"a malformed cookie", []string{"-origin", app, "-cookie", "novalue", "http://example.com"}, "name=value"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			start := time.Now()
			code, out, errOut := run(t, tt.args...)
			assert.Equal(t, exitTrouble, code)
			assert.Empty(t, out)
			assert.Contains(t, errOut, tt.want)
			assert.Less(t, time.Since(start), 5*time.Second)
		})
	}
}

func TestHelpExitsZero(t *testing.T) {
	code, _, errOut := run(t, "-h")
	assert.Equal(t, exitOK, code)
	assert.Contains(t, errOut, "usage:")
}

func TestExplainHumanOutputOfAnAllowedRedirectedCall(t *testing.T) {
	target := serve(t, handler(reflectAll, func(h http.Header, r *http.Request) {
		h.Set("Access-Control-Allow-Origin", "*")
		h.Set("Access-Control-Max-Age", "0")
	}))
	src := serve(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Access-Control-Allow-Origin", r.Header.Get("Origin"))
		w.Header().Set("Vary", "Origin")
		http.Redirect(w, r, target+"/final", http.StatusFound)
	}))
	code, out, _ := run(t, "-origin", app, "-cookie", "session=1", src+"/start")
	assert.Equal(t, exitOK, code)
	assert.True(t, strings.HasPrefix(out, "ALLOWED: GET "+src+"/start from "+app), out)
	assert.Contains(t, out, "CORS check passed; following the redirect")
	assert.Contains(t, out, "> Origin: null", "the second hop carries the null origin")
	assert.Contains(t, out, "the page can read these response headers: content-length, content-type")
	assert.Contains(t, out, "The browser followed a 302 redirect")
	assert.Contains(t, out, "-cookie without -credentials")
	assert.NotContains(t, out, "> Cookie:", "no cookie without -credentials")
}

func TestExplainSameOriginCallNeedsNoCORS(t *testing.T) {
	api := serve(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("X-Secret", "1")
	}))
	code, rep := explainJSON(t, "-origin", api, "-method", "PUT", "-H", "X-A: 1", api)
	assert.Equal(t, exitOK, code)
	assert.Nil(t, rep.Preflight, "no preflight to one's own origin")
	require.NotNil(t, rep.Request)
	assert.Contains(t, rep.Request.ReadableHeaders, "x-secret")
	require.NotEmpty(t, rep.Warnings)
	assert.Equal(t, "same-origin", rep.Warnings[0].Check)
}

func TestExplainCredentialedCallSendsTheCookieButNotWithThePreflight(t *testing.T) {
	var cookies []string
	api := serve(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		cookies = append(cookies, r.Method+" "+r.Header.Get("Cookie"))
		if r.Method == http.MethodOptions {
			reflectAll(w, r)
			return
		}
		reflectActual(w.Header(), r)
	}))
	code, out, _ := run(t, "-origin", app, "-method", "DELETE", "-credentials", "-cookie", "session=abc", "-cookie", "theme=dark", api)
	assert.Equal(t, exitOK, code, out)
	assert.Equal(t, []string{"OPTIONS ", "DELETE session=abc; theme=dark"}, cookies)
	assert.Contains(t, out, "> Cookie: session=abc; theme=dark")
}

func TestTheDeadlineBoundsTheWholeRunNotJustEachRequest(t *testing.T) {
	// Every answer takes 150ms, far within -timeout; a redirect loop (21 hops) or a scan (about 30
	// requests) would take seconds, but -deadline ends the run at 600ms.
	slowLoop := serve(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		time.Sleep(150 * time.Millisecond)
		w.Header().Set("Access-Control-Allow-Origin", "*")
		http.Redirect(w, r, "/again", http.StatusTemporaryRedirect)
	}))
	slowAPI := serve(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		time.Sleep(150 * time.Millisecond)
		w.Header().Set("Access-Control-Allow-Origin", r.Header.Get("Origin"))
	}))
	cases := []struct {
		name string
		args []string
	}{
		{"an explanation through a slow redirect loop", []string{"-origin", app, slowLoop + "/start"}},
		{"a slow redirect loop with -json", []string{"-json", "-origin", app, slowLoop + "/start"}},
		{"a scan of a slow API", []string{"-scan", "-origin", app, slowAPI}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			start := time.Now()
			code, out, errOut := run(t, append([]string{"-timeout", "2s", "-deadline", "600ms"}, tc.args...)...)
			elapsed := time.Since(start)
			assert.Equal(t, exitTrouble, code, out)
			assert.Contains(t, errOut, "the whole run took longer than -deadline 600ms")
			assert.Less(t, elapsed, 2*time.Second, "bounded by -deadline, not by -timeout times the requests")
			assert.GreaterOrEqual(t, elapsed, 600*time.Millisecond)
		})
	}
	code, _, errOut := run(t, "-deadline", "0s", "-origin", app, slowAPI)
	assert.Equal(t, exitTrouble, code)
	assert.Contains(t, errOut, "-deadline must be positive")
}

func TestConfigLargerThanLoadOptionsAcceptsGetsItsClearError(t *testing.T) {
	const limit = 1 << 20 // LoadOptions' bound
	policy := `{"allowed_origins": ["https://app.example.com"]}`
	cases := []struct {
		name    string
		size    int
		tooBig  bool
		message string
	}{
		{"a file of exactly 1 MiB loads", limit, false, ""},
		{"a file one byte over 1 MiB is refused as too large, not as broken JSON", limit + 1, true, "larger than 1048576 bytes"},
		{"a file of 2 MiB is refused as too large", 2 * limit, true, "larger than 1048576 bytes"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "cors.json")
			padded := policy[:len(policy)-1] + strings.Repeat(" ", tc.size-len(policy)) + "}"
			require.Len(t, padded, tc.size)
			require.NoError(t, os.WriteFile(path, []byte(padded), 0o600))
			code, out, errOut := run(t, "-config", path, "-origin", app, "/x")
			if !tc.tooBig {
				assert.Equal(t, exitOK, code, "stderr: %s", errOut)
				assert.True(t, strings.HasPrefix(out, "ALLOWED"), out)
				return
			}
			assert.Equal(t, exitTrouble, code)
			assert.Contains(t, errOut, tc.message)
			assert.NotContains(t, errOut, "unexpected end of JSON")
		})
	}
}

func TestExplainSaysWhatWasSentWhenASameOriginHopLeadsToAFailedCrossOriginPreflight(t *testing.T) {
	// The page's own API redirects the call to another origin, which answers no preflight.
	other := serve(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { http.NotFound(w, r) }))
	own := serve(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, other+"/x", http.StatusTemporaryRedirect)
	}))
	cases := []struct {
		name, method string
		header       []string
		notSent      string
	}{
		{"a PUT, preflighted for its method", "PUT", nil, "PUT was not sent to " + other + "/x: "},
		{"a GET, preflighted for its header", "GET", []string{"-H", "X-Token: 1"}, "GET was not sent to " + other + "/x: "},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			args := append([]string{"-origin", own, "-method", tc.method}, tc.header...)
			args = append(args, own+"/start")

			code, rep := explainJSON(t, args...)
			assert.Equal(t, exitFailed, code)
			assert.Equal(t, fetch.KindPreflight, rep.BlockedAt)
			require.NotNil(t, rep.Preflight)
			assert.Equal(t, http.StatusNotFound, rep.Preflight.Status)
			require.NotNil(t, rep.Request, "the request to the first hop was sent: request is the redirect, as the docs say")
			assert.Equal(t, http.StatusTemporaryRedirect, rep.Request.Status)
			assert.Empty(t, rep.Request.ReadableHeaders)
			var checks []string
			for _, w := range rep.Warnings {
				checks = append(checks, w.Check)
				if w.Check == "redirect" {
					assert.Contains(t, w.Message, "leaves the page's own origin "+own+", so CORS applies from there on")
				}
			}
			assert.NotContains(t, checks, "same-origin", "CORS blocked the call: it did apply")
			assert.Contains(t, checks, "redirect")

			code, out, _ := run(t, args...)
			assert.Equal(t, exitFailed, code)
			assert.Contains(t, out, tc.notSent)
			assert.NotContains(t, out, tc.method+" was not sent: ", "it was sent, to the first hop")
			assert.NotContains(t, out, "CORS does not apply")
			assert.Contains(t, out, "same origin as the page: no CORS check; following the redirect")
			assert.Less(t, strings.Index(out, "- a preflight is needed"), strings.Index(out, "- OPTIONS "), "the reason comes before the preflight, after the same-origin hop")
			assert.Greater(t, strings.Index(out, "- a preflight is needed"), strings.Index(out, "- "+tc.method+" "+own+"/start -> 307"))
		})
	}
}

func TestDocsListEveryCheckTheJSONOutputCanCarry(t *testing.T) {
	doc, err := os.ReadFile("../../docs/corscheck.md")
	require.NoError(t, err)
	row := func(field string) string {
		for line := range strings.SplitSeq(string(doc), "\n") {
			if strings.HasPrefix(line, "| `"+field+"` |") {
				return line
			}
		}
		t.Fatalf("docs/corscheck.md has no row for %s", field)
		return ""
	}
	problemChecks := []string{fetch.CheckStatus, fetch.CheckAllowOrigin, fetch.CheckAllowCredentials, fetch.CheckAllowMethods, fetch.CheckAllowHeaders, fetch.CheckRedirect}
	cases := []struct {
		field  string
		checks []string
	}{
		{"warnings[].check", explain.WarningChecks},
		{"problems[].check", problemChecks},
	}
	for _, tc := range cases {
		t.Run(tc.field, func(t *testing.T) {
			r := row(tc.field)
			for _, c := range tc.checks {
				assert.Contains(t, r, "`"+c+"`")
			}
		})
	}
}
