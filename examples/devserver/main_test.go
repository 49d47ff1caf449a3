package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"io"
	"io/fs"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/crossorigin/cors"
	"github.com/crossorigin/cors/corstest"
)

// pageOrigin is the frontend origin the default cors.json allows.
const pageOrigin = "http://localhost:3000"

// startDemo runs the frontend and the API built from configPath on two
// httptest servers, as the devserver command does, and returns their URLs.
func startDemo(t *testing.T, configPath string) (frontendURL, apiURL string) {
	t.Helper()
	api := httptest.NewUnstartedServer(nil)
	apiURL = "http://" + api.Listener.Addr().String()
	h, err := buildHandlers(configPath, apiURL, nil)
	require.NoError(t, err)
	api.Config.Handler = h.api
	api.Start()
	t.Cleanup(api.Close)
	frontend := httptest.NewServer(h.frontend)
	t.Cleanup(frontend.Close)
	return frontend.URL, apiURL
}

// commaList splits a header's values into lower-cased list elements.
func commaList(h http.Header, name string) []string {
	var out []string
	for _, v := range h.Values(name) {
		for _, e := range strings.Split(v, ",") {
			if e = strings.TrimSpace(e); e != "" {
				out = append(out, strings.ToLower(e))
			}
		}
	}
	return out
}

// corsHeaderNames are the Access-Control-* response headers present in h.
func corsHeaderNames(h http.Header) []string {
	var names []string
	for name := range h {
		if strings.HasPrefix(name, "Access-Control-") {
			names = append(names, name)
		}
	}
	return names
}

func TestDemoOverHTTP(t *testing.T) {
	frontendURL, apiURL := startDemo(t, "")

	tests := []struct {
		name     string
		frontend bool // send to the frontend instead of the API
		method   string
		path     string
		header   map[string]string
		// wantStatus is the response status.
		wantStatus int
		// wantExact maps a header to the one value it must carry exactly once.
		wantExact map[string]string
		// wantInList maps a header to elements its comma list must contain (case-insensitively).
		wantInList map[string][]string
		// wantNotInList maps a header to elements its comma list must not contain.
		wantNotInList map[string][]string
		// wantNoCORS: the response has no Access-Control-* header at all.
		wantNoCORS bool
		// wantHandlerRan: the API handler ran (it sets X-Request-Id).
		wantHandlerRan bool
		// wantSessionCookie: the response sets the HttpOnly, SameSite=Lax session cookie.
		wantSessionCookie bool
		wantBody          []string
	}{
		{
			name:     "the frontend serves the page, which calls the API and shows four outcomes",
			frontend: true, method: "GET", path: "/",
			wantStatus: http.StatusOK,
			wantExact:  map[string]string{"Content-Type": "text/html; charset=utf-8"},
			wantNoCORS: true,
			wantBody: []string{
				"<code>" + apiURL + "</code>",
				"Simple GET", "Preflighted PUT with a custom header", "Credentialed request (cookie)", "DELETE, which the config refuses",
				`credentials: "include"`, `"X-Demo": "hello"`, `method: "DELETE"`,
			},
		},
		{
			name:   "a simple GET from the allowed origin gets that origin in ACAO and X-Request-Id exposed, X-Api-Version not",
			method: "GET", path: "/api/hello",
			header:         map[string]string{"Origin": pageOrigin},
			wantStatus:     http.StatusOK,
			wantExact:      map[string]string{"Access-Control-Allow-Origin": pageOrigin},
			wantInList:     map[string][]string{"Access-Control-Expose-Headers": {"x-request-id"}, "Vary": {"origin"}},
			wantNotInList:  map[string][]string{"Access-Control-Expose-Headers": {"x-api-version"}},
			wantHandlerRan: true,
			wantBody:       []string{`"message":"hello from the API"`, `"origin":"` + pageOrigin + `"`},
		},
		{
			name:   "a preflight for PUT with Content-Type and X-Demo is allowed with every header the browser checks",
			method: "OPTIONS", path: "/api/items/42",
			header: map[string]string{
				"Origin":                         pageOrigin,
				"Access-Control-Request-Method":  "PUT",
				"Access-Control-Request-Headers": "content-type,x-demo",
			},
			wantStatus: http.StatusNoContent,
			wantExact: map[string]string{
				"Access-Control-Allow-Origin":      pageOrigin,
				"Access-Control-Allow-Credentials": "true",
				"Access-Control-Max-Age":           "10",
			},
			wantInList: map[string][]string{
				"Access-Control-Allow-Methods": {"put"},
				"Access-Control-Allow-Headers": {"content-type", "x-demo"},
				"Vary":                         {"origin", "access-control-request-method", "access-control-request-headers"},
			},
			wantHandlerRan: false, // a preflight never reaches the API handler
		},
		{
			name:   "the PUT that follows the preflight reaches the handler with its custom header",
			method: "PUT", path: "/api/items/42",
			header:         map[string]string{"Origin": pageOrigin, "Content-Type": "application/json", "X-Demo": "hello"},
			wantStatus:     http.StatusOK,
			wantExact:      map[string]string{"Access-Control-Allow-Origin": pageOrigin, "Access-Control-Allow-Credentials": "true"},
			wantHandlerRan: true,
			wantBody:       []string{`"id":"42"`, `"x_demo":"hello"`},
		},
		{
			name:   "a preflight for DELETE, which the config does not allow, gets 403 and no CORS headers",
			method: "OPTIONS", path: "/api/items/42",
			header:     map[string]string{"Origin": pageOrigin, "Access-Control-Request-Method": "DELETE"},
			wantStatus: http.StatusForbidden,
			wantNoCORS: true,
		},
		{
			name:   "a preflight asking for a header the config does not allow gets 403 and no CORS headers",
			method: "OPTIONS", path: "/api/items/42",
			header: map[string]string{
				"Origin":                         pageOrigin,
				"Access-Control-Request-Method":  "PUT",
				"Access-Control-Request-Headers": "x-demo,x-not-allowed",
			},
			wantStatus: http.StatusForbidden,
			wantNoCORS: true,
		},
		{
			name:   "an actual request from an origin the config does not list gets no ACAO, yet the handler runs and Vary says Origin",
			method: "GET", path: "/api/hello",
			header:         map[string]string{"Origin": "http://localhost:3001"},
			wantStatus:     http.StatusOK,
			wantNoCORS:     true,
			wantInList:     map[string][]string{"Vary": {"origin"}},
			wantHandlerRan: true,
		},
		{
			name:   "login sets an HttpOnly, SameSite=Lax session cookie on a credentialed CORS response",
			method: "POST", path: "/api/login",
			header:            map[string]string{"Origin": pageOrigin},
			wantStatus:        http.StatusOK,
			wantExact:         map[string]string{"Access-Control-Allow-Origin": pageOrigin, "Access-Control-Allow-Credentials": "true"},
			wantHandlerRan:    true,
			wantSessionCookie: true,
		},
		{
			name:   "a credentialed GET carrying the cookie gets the exact origin and Access-Control-Allow-Credentials: true",
			method: "GET", path: "/api/me",
			header:         map[string]string{"Origin": pageOrigin, "Cookie": sessionCookie + "=abc123"},
			wantStatus:     http.StatusOK,
			wantExact:      map[string]string{"Access-Control-Allow-Origin": pageOrigin, "Access-Control-Allow-Credentials": "true"},
			wantInList:     map[string][]string{"Vary": {"origin"}},
			wantHandlerRan: true,
			wantBody:       []string{`"cookie_received":true`, `"session":"abc123"`},
		},
		{
			name:   "a non-browser client (no Origin) is served normally, without CORS headers but with Vary: Origin",
			method: "GET", path: "/api/hello",
			wantStatus:     http.StatusOK,
			wantNoCORS:     true,
			wantInList:     map[string][]string{"Vary": {"origin"}},
			wantHandlerRan: true,
			wantBody:       []string{`"message":"hello from the API"`},
		},
		{
			name:   "a non-browser client may DELETE: CORS restricts what pages read, it is not access control",
			method: "DELETE", path: "/api/items/42",
			wantStatus:     http.StatusNoContent,
			wantNoCORS:     true,
			wantHandlerRan: true,
		},
		{
			name:   "GET / on the API tells a non-browser client what to try",
			method: "GET", path: "/",
			wantStatus:     http.StatusOK,
			wantHandlerRan: true,
			wantBody:       []string{"curl -i " + apiURL + "/api/hello", "GET    /api/hello"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			base := apiURL
			if tt.frontend {
				base = frontendURL
			}
			req, err := http.NewRequest(tt.method, base+tt.path, nil)
			require.NoError(t, err)
			for k, v := range tt.header {
				req.Header.Set(k, v)
			}
			if tt.method == "PUT" {
				req.Body = io.NopCloser(strings.NewReader(`{"name":"demo"}`))
			}
			res, err := http.DefaultClient.Do(req)
			require.NoError(t, err)
			body, err := io.ReadAll(res.Body)
			require.NoError(t, res.Body.Close())
			require.NoError(t, err)

			assert.Equal(t, tt.wantStatus, res.StatusCode)
			for name, want := range tt.wantExact {
				assert.Equal(t, []string{want}, res.Header.Values(name), "header %s", name)
			}
			for name, elems := range tt.wantInList {
				got := commaList(res.Header, name)
				for _, e := range elems {
					assert.Contains(t, got, e, "header %s", name)
				}
			}
			for name, elems := range tt.wantNotInList {
				got := commaList(res.Header, name)
				for _, e := range elems {
					assert.NotContains(t, got, e, "header %s", name)
				}
			}
			if tt.wantNoCORS {
				assert.Empty(t, corsHeaderNames(res.Header))
			}
			if !tt.frontend {
				assert.Equal(t, tt.wantHandlerRan, res.Header.Get("X-Request-Id") != "", "did the API handler run")
			}
			var session *http.Cookie
			for _, c := range res.Cookies() {
				if c.Name == sessionCookie {
					session = c
				}
			}
			if tt.wantSessionCookie && assert.NotNil(t, session, "Set-Cookie: %q", res.Header.Values("Set-Cookie")) {
				assert.NotEmpty(t, session.Value)
				assert.True(t, session.HttpOnly)
				assert.Equal(t, http.SameSiteLaxMode, session.SameSite)
				assert.Equal(t, "/", session.Path)
			} else if !tt.wantSessionCookie {
				assert.Nil(t, session)
			}
			for _, want := range tt.wantBody {
				assert.Contains(t, string(body), want)
			}
		})
	}
}

// The page's four calls, as the browser judges them against the API with the default config: what the page
// shows. The DELETE is blocked at its preflight, so the browser never sends it and the handler never runs (a
// non-browser client may still DELETE: see TestDemoOverHTTP).
func TestThePagesCallsAsTheBrowserJudgesThem(t *testing.T) {
	h, err := buildHandlers("", "http://localhost:8080", nil)
	require.NoError(t, err)
	session := []*http.Cookie{{Name: sessionCookie, Value: "abc123"}}

	t.Run("a simple GET is readable without a preflight, X-Request-Id with it and X-Api-Version not", func(t *testing.T) {
		res := corstest.Allowed(t, h.api, corstest.Call{Origin: pageOrigin, URL: "/api/hello"})
		require.NotNil(t, res)
		assert.Nil(t, res.Preflight)
		assert.True(t, res.CanRead("X-Request-Id"), "exposed_headers lists it")
		assert.False(t, res.CanRead("X-Api-Version"), "sent, but not exposed")
	})
	t.Run("a PUT with Content-Type and X-Demo passes its preflight", func(t *testing.T) {
		res := corstest.Allowed(t, h.api, corstest.Call{
			Origin: pageOrigin, Method: http.MethodPut, URL: "/api/items/42",
			Header: http.Header{"Content-Type": {"application/json"}, "X-Demo": {"hello"}},
		})
		require.NotNil(t, res)
		require.NotNil(t, res.Preflight)
		assert.Equal(t, http.StatusNoContent, res.Preflight.Status)
	})
	t.Run("the credentialed login and the GET that reads its cookie back are readable", func(t *testing.T) {
		corstest.Allowed(t, h.api, corstest.Call{Origin: pageOrigin, Method: http.MethodPost, URL: "/api/login", Credentials: "include"})
		res := corstest.Allowed(t, h.api, corstest.Call{Origin: pageOrigin, URL: "/api/me", Credentials: "include", Cookies: session})
		require.NotNil(t, res)
		require.NotNil(t, res.Response)
		assert.Equal(t, http.StatusOK, res.Response.Status, "the API got the cookie")
	})
	t.Run("the DELETE, which the config does not allow, is blocked at its preflight and never sent", func(t *testing.T) {
		res := corstest.Blocked(t, h.api, corstest.Call{Origin: pageOrigin, Method: http.MethodDelete, URL: "/api/items/42"})
		require.NotNil(t, res)
		assert.Equal(t, "preflight", res.BlockedAt)
		assert.Nil(t, res.Response, "the browser never sends the DELETE")
		require.NotNil(t, res.Preflight)
		assert.Equal(t, http.StatusForbidden, res.Preflight.Status)
	})
	t.Run("another origin cannot read the credentialed GET", func(t *testing.T) {
		corstest.Blocked(t, h.api, corstest.Call{Origin: "http://localhost:3001", URL: "/api/me", Credentials: "include", Cookies: session})
	})
}

// configErrors collects every *cors.ConfigError in err's tree.
func configErrors(err error) []*cors.ConfigError {
	var out []*cors.ConfigError
	var walk func(error)
	walk = func(err error) {
		var ce *cors.ConfigError
		if errors.As(err, &ce) && err == error(ce) {
			out = append(out, ce)
			return
		}
		switch u := err.(type) {
		case interface{ Unwrap() []error }:
			for _, e := range u.Unwrap() {
				walk(e)
			}
		case interface{ Unwrap() error }:
			walk(u.Unwrap())
		}
	}
	if err != nil {
		walk(err)
	}
	return out
}

func TestConfigFileErrorsAreReportedClearly(t *testing.T) {
	type fieldValue struct{ Field, Value string }
	tests := []struct {
		name    string
		content *string // nil: the file does not exist
		// wantIs is an error the result must wrap.
		wantIs error
		// wantMsg are substrings of the message, besides the path, which every message names.
		wantMsg []string
		// wantProblems are the ConfigErrors reported, in any order.
		wantProblems []fieldValue
	}{
		{
			name:    "a config path that does not exist",
			content: nil,
			wantIs:  fs.ErrNotExist,
			wantMsg: []string{"reading CORS config"},
		},
		{
			name:    "a file that is not JSON",
			content: ptr(`{"allowed_origins": ["http://localhost:3000"`),
			wantMsg: []string{"not a valid JSON"},
		},
		{
			name:         "an unknown key, such as a misspelt option, is refused with a suggestion",
			content:      ptr(`{"allowed_origin": ["http://localhost:3000"]}`),
			wantMsg:      []string{`allowed_origin: not an option: did you mean "allowed_origins"?`},
			wantProblems: []fieldValue{{"allowed_origin", ""}},
		},
		{
			name:         "a max_age that is neither a duration nor seconds",
			content:      ptr(`{"allowed_origins": ["http://localhost:3000"], "max_age": "ten minutes"}`),
			wantMsg:      []string{`max_age "ten minutes"`},
			wantProblems: []fieldValue{{"max_age", "ten minutes"}},
		},
		{
			name:         `"*" with credentials is a config error`,
			content:      ptr(`{"allowed_origins": ["*"], "allow_credentials": true}`),
			wantMsg:      []string{"is invalid", "cannot be combined with AllowCredentials"},
			wantProblems: []fieldValue{{"AllowedOrigins", "*"}},
		},
		{
			name:    "every mistake is reported at once",
			content: ptr(`{"allowed_origins": ["http://localhost:3000/", "null"], "allowed_methods": ["CONNECT"]}`),
			wantMsg: []string{"is invalid", "write http://localhost:3000"},
			wantProblems: []fieldValue{
				{"AllowedOrigins", "http://localhost:3000/"},
				{"AllowedOrigins", "null"},
				{"AllowedMethods", "CONNECT"},
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "cors.json")
			if tt.content != nil {
				require.NoError(t, os.WriteFile(path, []byte(*tt.content), 0o600))
			}
			check := func(t *testing.T, err error) {
				require.Error(t, err)
				assert.Contains(t, err.Error(), path, "the message names the file")
				for _, m := range tt.wantMsg {
					assert.Contains(t, err.Error(), m)
				}
				if tt.wantIs != nil {
					assert.ErrorIs(t, err, tt.wantIs)
				}
				var problems []fieldValue
				for _, ce := range configErrors(err) {
					problems = append(problems, fieldValue{ce.Field, ce.Value})
					assert.NotEmpty(t, ce.Reason, "a ConfigError says what is wrong")
				}
				assert.ElementsMatch(t, tt.wantProblems, problems)
			}

			t.Run("buildHandlers", func(t *testing.T) {
				_, err := buildHandlers(path, "http://localhost:8080", nil)
				check(t, err)
			})
			t.Run("the command exits with it before taking the ports", func(t *testing.T) {
				// Both addresses are taken: were the command to listen before
				// checking the config, it would fail with "address already in use".
				busy, err := net.Listen("tcp", "127.0.0.1:0")
				require.NoError(t, err)
				defer busy.Close()
				var stdout, stderr bytes.Buffer
				err = run(context.Background(), []string{"-config", path, "-frontend-addr", busy.Addr().String(), "-api-addr", busy.Addr().String()}, &stdout, &stderr)
				check(t, err)
				assert.Empty(t, stdout.String(), "nothing is announced")
			})
		})
	}
}

func ptr(s string) *string { return &s }

// syncBuffer is a bytes.Buffer safe for one writer and one reader.
type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

var bannerURLs = regexp.MustCompile(`(?m)^  frontend  (http://\S+).*\n  API       (http://\S+)`)

func TestCommandServesUntilCanceledThenShutsDown(t *testing.T) {
	allowLoopbackIP := filepath.Join(t.TempDir(), "cors.json")
	require.NoError(t, os.WriteFile(allowLoopbackIP, []byte(`{
		"allowed_origins": ["http://127.0.0.1:*"],
		"allowed_methods": ["GET", "PUT"],
		"allow_credentials": true,
		"max_age": 90
	}`), 0o600))

	tests := []struct {
		name        string
		config      string
		wantWarning bool
	}{
		{name: "the default config does not allow the page on 127.0.0.1, and the banner warns", config: "", wantWarning: true},
		{name: "a config that allows the page's origin gives no warning", config: allowLoopbackIP, wantWarning: false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ctx, cancel := context.WithCancel(context.Background())
			defer cancel()
			var stdout, stderr syncBuffer
			done := make(chan error, 1)
			go func() {
				done <- run(ctx, []string{"-config", tt.config, "-frontend-addr", "127.0.0.1:0", "-api-addr", "127.0.0.1:0"}, &stdout, &stderr)
			}()
			var m []string
			require.Eventually(t, func() bool {
				m = bannerURLs.FindStringSubmatch(stdout.String())
				return m != nil && strings.Contains(stdout.String(), "press Ctrl+C")
			}, 5*time.Second, 10*time.Millisecond, "banner; stderr: %s", &stderr)
			frontendURL, apiURL := m[1], m[2]

			res, err := http.Get(frontendURL + "/")
			require.NoError(t, err)
			page, _ := io.ReadAll(res.Body)
			require.NoError(t, res.Body.Close())
			assert.Equal(t, http.StatusOK, res.StatusCode)
			assert.Contains(t, string(page), "<code>"+apiURL+"</code>", "the page calls the API the banner announces")

			req, err := http.NewRequest("GET", apiURL+"/api/hello", nil)
			require.NoError(t, err)
			req.Header.Set("Origin", frontendURL)
			res, err = http.DefaultClient.Do(req)
			require.NoError(t, err)
			require.NoError(t, res.Body.Close())
			assert.Equal(t, http.StatusOK, res.StatusCode)
			if tt.wantWarning {
				assert.Empty(t, res.Header.Values("Access-Control-Allow-Origin"))
				assert.Contains(t, stdout.String(), "warning: the config does not allow the frontend's origin "+frontendURL)
			} else {
				assert.Equal(t, []string{frontendURL}, res.Header.Values("Access-Control-Allow-Origin"))
				assert.NotContains(t, stdout.String(), "warning")
			}

			cancel()
			select {
			case err := <-done:
				require.NoError(t, err)
			case <-time.After(shutdownTimeout + time.Second):
				t.Fatal("run did not return after its context was cancelled")
			}
			assert.Contains(t, stdout.String(), "shutting down")
			_, err = net.DialTimeout("tcp", strings.TrimPrefix(apiURL, "http://"), time.Second)
			assert.Error(t, err, "the API port is closed after shutdown")
		})
	}
}

// The banner's corscheck command, run as printed against the running demo, explains the blocked DELETE
// as the browser judges it: refused at the preflight, because DELETE is not an allowed method.
func TestBannerPrintsTheCorscheckCommandThatExplainsTheBlockedDelete(t *testing.T) {
	bin := filepath.Join(t.TempDir(), "corscheck")
	build := exec.Command("go", "build", "-o", bin, "github.com/crossorigin/cors/cmd/corscheck")
	out, err := build.CombinedOutput()
	require.NoError(t, err, "building corscheck: %s", out)

	config := filepath.Join(t.TempDir(), "cors.json")
	require.NoError(t, os.WriteFile(config, []byte(`{"allowed_origins": ["http://localhost:*"], "allowed_methods": ["GET", "PUT"]}`), 0o600))
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var stdout, stderr syncBuffer
	done := make(chan error, 1)
	go func() {
		done <- run(ctx, []string{"-config", config, "-frontend-addr", "localhost:0", "-api-addr", "localhost:0"}, &stdout, &stderr)
	}()
	printed := regexp.MustCompile(`(?m)^  go run github.com/crossorigin/cors/cmd/corscheck (.+)$`)
	var m []string
	require.Eventually(t, func() bool {
		m = printed.FindStringSubmatch(stdout.String())
		return m != nil
	}, 5*time.Second, 10*time.Millisecond, "the banner prints the command; stdout: %s; stderr: %s", &stdout, &stderr)

	args := append(strings.Fields(m[1]), "-json")
	cmd := exec.Command(bin, args...)
	report, err := cmd.Output()
	var exit *exec.ExitError
	require.ErrorAs(t, err, &exit, "corscheck exits 1 for a blocked call: %s", report)
	assert.Equal(t, 1, exit.ExitCode())
	var got struct {
		Verdict   string `json:"verdict"`
		BlockedAt string `json:"blocked_at"`
		Problems  []struct {
			Check string `json:"check"`
			Fix   string `json:"fix"`
		} `json:"problems"`
	}
	require.NoError(t, json.Unmarshal(report, &got), "%s", report)
	assert.Equal(t, "blocked", got.Verdict)
	assert.Equal(t, "preflight", got.BlockedAt, "the browser never sends the DELETE")
	require.NotEmpty(t, got.Problems)
	assert.Contains(t, string(report), "DELETE", "the explanation names the refused method: %s", report)

	cancel()
	require.NoError(t, <-done)
}

func TestBannerPrintsTheEffectiveOptionsAsAConfigFileThatLoadsBackToThem(t *testing.T) {
	h, err := buildHandlers("", "http://localhost:8080", nil)
	require.NoError(t, err)
	var out bytes.Buffer
	require.NoError(t, printBanner(&out, pageOrigin, "http://localhost:8080", h))

	text := out.String()
	assert.Contains(t, text, "  frontend  "+pageOrigin)
	assert.Contains(t, text, "  API       http://localhost:8080")
	assert.Contains(t, text, "  config    "+defaultConfigSource)
	assert.NotContains(t, text, "warning", "the default config allows the default frontend origin")

	start := strings.Index(text, "{")
	end := strings.LastIndex(text, "}")
	require.True(t, start >= 0 && end > start, "the banner holds a JSON object: %s", text)
	printed, err := cors.LoadOptions(strings.NewReader(text[start : end+1]))
	require.NoError(t, err, "the printed options are a valid config file")
	reloaded, err := cors.New(printed)
	require.NoError(t, err)
	assert.Equal(t, h.cors.Options(), reloaded.Options())
}

// The banner tells the developer why the page's DELETE fails, in the browser's words with the fix on the
// server (the Err of the blocked call, judged in-process), and the corscheck command that asks the running
// API the same. Judging the DELETE logs no refusal: the log is for the requests browsers really send.
func TestBannerExplainsThePagesBlockedDeleteInTheBrowsersWords(t *testing.T) {
	allowDelete := filepath.Join(t.TempDir(), "cors.json")
	require.NoError(t, os.WriteFile(allowDelete, []byte(`{"allowed_origins": ["http://localhost:3000"], "allowed_methods": ["GET", "DELETE"]}`), 0o600))
	otherPage := filepath.Join(t.TempDir(), "cors.json")
	require.NoError(t, os.WriteFile(otherPage, []byte(`{"allowed_origins": ["https://app.example.com"]}`), 0o600))

	const api = "http://localhost:8080"
	blocked := []string{
		"why does the page's DELETE fail?",
		"\n  the browser blocks DELETE " + api + "/api/items/42 from " + pageOrigin + " (credentials: same-origin) at the preflight:",
		"\n    1. The response to the preflight request does not have an HTTP ok status (got 403).",
		"\n       fix: ", "DELETE in AllowedMethods",
		"\n  go run github.com/crossorigin/cors/cmd/corscheck -origin " + pageOrigin + " -method DELETE " + api + "/api/items/42\n",
	}
	tests := []struct {
		name    string
		config  string
		want    []string // in this order
		notWant []string
	}{
		{"the default config: the DELETE's verdict with its fix, then the corscheck command", "", blocked, []string{"warning"}},
		{"a config that allows DELETE says so", allowDelete,
			[]string{"the page's DELETE is allowed by this config"}, []string{"why does the page's DELETE fail?", "corscheck"}},
		{"a config that does not allow the page warns instead", otherPage,
			[]string{"warning: the config does not allow the frontend's origin " + pageOrigin}, []string{"DELETE"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var log bytes.Buffer
			h, err := buildHandlers(tt.config, api, slog.New(slog.NewTextHandler(&log, &slog.HandlerOptions{Level: slog.LevelDebug})))
			require.NoError(t, err)
			var out bytes.Buffer
			require.NoError(t, printBanner(&out, pageOrigin, api, h))

			text, rest := out.String(), out.String()
			for _, w := range tt.want {
				i := strings.Index(rest, w)
				require.GreaterOrEqual(t, i, 0, "the banner lacks %q (in order):\n%s", w, text)
				rest = rest[i+len(w):]
			}
			for _, w := range tt.notWant {
				assert.NotContains(t, text, w)
			}
			assert.True(t, strings.HasSuffix(text, "press Ctrl+C to stop\n"), "the banner ends with how to stop:\n%s", text)
			assert.Empty(t, log.String(), "judging the DELETE logs no refusal")
		})
	}
}

func TestBaseURLKeepsTheRequestedHostAndTakesTheActualPort(t *testing.T) {
	tests := []struct {
		requested string
		port      int
		want      string
	}{
		{"localhost:3000", 3000, "http://localhost:3000"},
		{"localhost:0", 41234, "http://localhost:41234"},
		{":8080", 8080, "http://localhost:8080"},
		{"0.0.0.0:8080", 8080, "http://localhost:8080"},
		{"[::]:8080", 8080, "http://localhost:8080"},
		{"127.0.0.1:0", 5555, "http://127.0.0.1:5555"},
		{"[::1]:9000", 9000, "http://[::1]:9000"},
	}
	for _, tt := range tests {
		t.Run(tt.requested, func(t *testing.T) {
			assert.Equal(t, tt.want, baseURL(tt.requested, &net.TCPAddr{IP: net.IPv4(127, 0, 0, 1), Port: tt.port}))
		})
	}
}

func TestCommandLineMistakes(t *testing.T) {
	busy, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	defer busy.Close()
	taken := busy.Addr().String()

	tests := []struct {
		name    string
		args    []string
		wantErr string
		wantIs  error
	}{
		{name: "an unknown flag is a usage error", args: []string{"-port", "3000"}, wantErr: "flag provided but not defined: -port"},
		{name: "a stray argument is refused", args: []string{"cors.json"}, wantErr: `unexpected arguments ["cors.json"]`},
		{name: "-h prints the usage", args: []string{"-h"}, wantIs: flag.ErrHelp},
		{name: "a taken API address names the flag that changes it", args: []string{"-api-addr", taken}, wantErr: "(choose another address with -api-addr)"},
		{name: "a taken frontend address names the flag that changes it", args: []string{"-api-addr", "127.0.0.1:0", "-frontend-addr", taken}, wantErr: "(choose another address with -frontend-addr)"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var stdout, stderr bytes.Buffer
			err := run(context.Background(), tt.args, &stdout, &stderr)
			require.Error(t, err)
			if tt.wantErr != "" {
				assert.ErrorContains(t, err, tt.wantErr)
			}
			if tt.wantIs != nil {
				assert.ErrorIs(t, err, tt.wantIs)
				assert.Contains(t, stderr.String(), "-frontend-addr")
			}
			assert.Empty(t, stdout.String())
		})
	}
}
