package main

import (
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/crossorigin/cors/corstest"
	"github.com/crossorigin/cors/examples/internal/routerspec"
)

// environ is a fake environment for configure.
func environ(vars map[string]string) func(string) string {
	return func(name string) string { return vars[name] }
}

func serve(t *testing.T, path string, vars map[string]string) string {
	t.Helper()
	c, err := configure(path, environ(vars))
	require.NoError(t, err)
	srv := httptest.NewServer(newHandler(c))
	t.Cleanup(srv.Close)
	return srv.URL
}

// writeFile writes a config file into a fresh directory and returns its path.
func writeFile(t *testing.T, name, content string) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), name)
	require.NoError(t, os.WriteFile(path, []byte(content), 0o600))
	return path
}

func TestShippedConfigFileMeetsRouterSpec(t *testing.T) {
	routerspec.RunRouterSpec(t, serve(t, "cors.json", nil))
}

// The rule as the browser applies it, whether the allowlist comes from the file or the environment: the app's
// page updates an item with its session cookie (a PUT with a JSON body, so the browser sends a preflight
// first), and a page on a lookalike origin making the same call is stopped at the preflight. Turning
// credentials off in the environment blocks the app's call too: a credentialed fetch needs
// Access-Control-Allow-Credentials: true on the preflight and on the response
// (https://fetch.spec.whatwg.org/#cors-check).
func TestTheAppsCredentialedWriteIsAllowedAndALookalikeIsBlocked(t *testing.T) {
	tests := []struct {
		name        string
		vars        map[string]string
		origin      string
		wantAllowed bool
	}{
		{"the file's app", nil, "http://localhost:3000", true},
		{"a lookalike of the file's app", nil, "http://localhost.evil.example:3000", false},
		{"an app the environment adds with a pattern",
			map[string]string{"CORS_ALLOWED_ORIGINS": "http://localhost:3000,https://*.example.com"}, "https://app.example.com", true},
		{"a lookalike of the pattern",
			map[string]string{"CORS_ALLOWED_ORIGINS": "http://localhost:3000,https://*.example.com"}, "https://app.example.com.evil.example", false},
		{"the file's app once the environment turns credentials off",
			map[string]string{"CORS_ALLOW_CREDENTIALS": "false"}, "http://localhost:3000", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, err := configure("cors.json", environ(tt.vars))
			require.NoError(t, err)
			check := corstest.Blocked
			if tt.wantAllowed {
				check = corstest.Allowed
			}
			check(t, newHandler(c), corstest.Call{
				Origin:      tt.origin,
				Method:      http.MethodPut,
				URL:         "/items/1",
				Header:      http.Header{"Content-Type": {"application/json"}},
				Credentials: "include",
				Cookies:     []*http.Cookie{{Name: "session", Value: "abc"}},
			})
		})
	}
}

func TestEnvironmentOverridesTheFile(t *testing.T) {
	preflight := func(origin string) map[string]string {
		return map[string]string{"Origin": origin, "Access-Control-Request-Method": http.MethodPut}
	}
	tests := []struct {
		name      string
		vars      map[string]string
		origin    string
		wantACAO  string // "" = refused: no CORS headers at all
		wantACAC  string
		wantMaxAg string
	}{
		{
			name: "without variables the file's origin is allowed", origin: routerspec.AllowedOrigin,
			wantACAO: routerspec.AllowedOrigin, wantACAC: "true", wantMaxAg: "7200",
		},
		{
			name:   "CORS_ALLOWED_ORIGINS adds a wildcard pattern",
			vars:   map[string]string{"CORS_ALLOWED_ORIGINS": "http://localhost:3000,https://*.example.com"},
			origin: "https://app.example.com", wantACAO: "https://app.example.com", wantACAC: "true", wantMaxAg: "7200",
		},
		{
			name:   "CORS_ALLOWED_ORIGINS tolerates spaces around elements",
			vars:   map[string]string{"CORS_ALLOWED_ORIGINS": " http://localhost:3000 , https://*.example.com "},
			origin: routerspec.AllowedOrigin, wantACAO: routerspec.AllowedOrigin, wantACAC: "true", wantMaxAg: "7200",
		},
		{
			name:   "CORS_ALLOWED_ORIGINS replaces the file's list rather than adding to it",
			vars:   map[string]string{"CORS_ALLOWED_ORIGINS": "https://*.example.com"},
			origin: routerspec.AllowedOrigin,
		},
		{
			name:   "CORS_ALLOW_CREDENTIALS=false drops the credentials header",
			vars:   map[string]string{"CORS_ALLOW_CREDENTIALS": "false"},
			origin: routerspec.AllowedOrigin, wantACAO: routerspec.AllowedOrigin, wantMaxAg: "7200",
		},
		{
			name:   "CORS_MAX_AGE in seconds",
			vars:   map[string]string{"CORS_MAX_AGE": "600"},
			origin: routerspec.AllowedOrigin, wantACAO: routerspec.AllowedOrigin, wantACAC: "true", wantMaxAg: "600",
		},
		{
			name:   "CORS_MAX_AGE as a duration",
			vars:   map[string]string{"CORS_MAX_AGE": "90s"},
			origin: routerspec.AllowedOrigin, wantACAO: routerspec.AllowedOrigin, wantACAC: "true", wantMaxAg: "90",
		},
		{
			name:   "an empty variable leaves the file's value",
			vars:   map[string]string{"CORS_ALLOWED_ORIGINS": ""},
			origin: routerspec.AllowedOrigin, wantACAO: routerspec.AllowedOrigin, wantACAC: "true", wantMaxAg: "7200",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := routerspec.Do(t, http.MethodOptions, serve(t, "cors.json", tt.vars)+"/items/1", preflight(tt.origin))
			if tt.wantACAO == "" {
				routerspec.AssertNoCORS(t, r)
				return
			}
			assert.Equal(t, http.StatusNoContent, r.Status)
			assert.Equal(t, tt.wantACAO, r.Header.Get("Access-Control-Allow-Origin"))
			assert.Equal(t, tt.wantACAC, r.Header.Get("Access-Control-Allow-Credentials"))
			assert.Equal(t, tt.wantMaxAg, r.Header.Get("Access-Control-Max-Age"))
		})
	}
}

func TestBrokenConfigurationIsExplained(t *testing.T) {
	const good = `{"allowed_origins": ["http://localhost:3000"], "allow_credentials": true}`
	tests := []struct {
		name string
		file string // content of bad.json; "" = the file does not exist
		vars map[string]string
		want []string // substrings of the error, in order
		// wantLines is the number of problem lines ("  - …") listed, for errors from cors.New.
		wantLines int
	}{
		{
			name: "a missing file names the path",
			want: []string{"cors config: open ", "bad.json", "no such file"},
		},
		{
			name: "a JSON syntax error gives the line and column",
			file: "{\n  \"allowed_origins\": [\"http://localhost:3000\"],\n  \"allow_credentials\": true,\n}\n",
			want: []string{"cors config: ", "bad.json:4:1: ", "invalid character '}'"},
		},
		{
			name:      "a value of the wrong type names its line",
			file:      "{\n  \"allowed_origins\": [\"http://localhost:3000\"],\n  \"allow_credentials\": \"yes\"\n}\n",
			want:      []string{"cors config: 1 problem(s) in ", "bad.json", "\n  - ", "bad.json:3: ", "allow_credentials"},
			wantLines: 1,
		},
		{
			name:      "a misspelt key names its line",
			file:      "{\n  \"allowed_origin\": [\"http://localhost:3000\"]\n}",
			want:      []string{"cors config: 1 problem(s) in ", "\n  - ", "bad.json:2: ", `allowed_origin`},
			wantLines: 1,
		},
		{
			name: "every invalid value is listed, one per line, with the line that set it",
			file: "{\n  \"allowed_origins\": [\"http://localhost:3000/\"],\n  \"allowed_methods\": [\"GET\", \"TRACE\"]\n}",
			want: []string{
				"cors config: 2 problem(s) in ", "bad.json",
				"\n  - ", "bad.json:2: ", "http://localhost:3000/",
				"\n  - ", "bad.json:3: ", "TRACE",
			},
			wantLines: 2,
		},
		{
			name: "a value from the environment names its variable",
			file: good,
			vars: map[string]string{"CORS_ALLOWED_ORIGINS": "https://*.com"},
			want: []string{
				"cors config: 1 problem(s) in ", "bad.json + CORS_ALLOWED_ORIGINS",
				"\n  - CORS_ALLOWED_ORIGINS: ", "https://*.com",
			},
			wantLines: 1,
		},
		{
			name: "an unparsable variable is named with its value",
			file: good,
			vars: map[string]string{"CORS_ALLOW_CREDENTIALS": "yes please"},
			want: []string{`cors config: CORS_ALLOW_CREDENTIALS="yes please": want true or false`},
		},
		{
			name: "an unparsable max age is named with its value",
			file: good,
			vars: map[string]string{"CORS_MAX_AGE": "soon"},
			want: []string{`cors config: CORS_MAX_AGE="soon": want a duration`},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "bad.json")
			if tt.file != "" {
				path = writeFile(t, "bad.json", tt.file)
			}
			c, err := configure(path, environ(tt.vars))
			require.Error(t, err)
			assert.Nil(t, c)
			msg := err.Error()
			rest := msg
			for _, w := range tt.want {
				i := strings.Index(rest, w)
				require.GreaterOrEqual(t, i, 0, "error %q lacks %q (in order)", msg, w)
				rest = rest[i+len(w):]
			}
			assert.Equal(t, tt.wantLines, strings.Count(msg, "\n  - "), "problem lines in %q", msg)
		})
	}
}
