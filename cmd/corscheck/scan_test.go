package main

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"net/url"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/crossorigin/cors"
	"github.com/crossorigin/cors/internal/fetch"
	"github.com/crossorigin/cors/internal/scan"
)

// answer says how originCheck answers.
type answer struct {
	credentials bool // an allowed origin gets Access-Control-Allow-Credentials: true
	noVary      bool // no response has Vary: Origin
}

// originCheck is a hand-written server whose whole CORS policy is allowed(origin): it reflects an
// allowed origin, with credentials if a.credentials, and always adds Vary: Origin unless a.noVary.
func originCheck(allowed func(string) bool, a answer) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if !a.noVary {
			w.Header().Add("Vary", "Origin")
		}
		if o := r.Header.Get("Origin"); o != "" && allowed(o) {
			w.Header().Set("Access-Control-Allow-Origin", o)
			if a.credentials {
				w.Header().Set("Access-Control-Allow-Credentials", "true")
			}
			if r.Method == http.MethodOptions {
				w.Header().Set("Access-Control-Allow-Methods", "GET, POST")
				w.WriteHeader(http.StatusNoContent)
				return
			}
		}
		_, _ = w.Write([]byte("ok"))
	})
}

func exactly(origins ...string) func(string) bool {
	return func(o string) bool { return slices.Contains(origins, o) }
}

// scanJSON scans url from the trusted origin and returns the exit status and the findings.
func scanJSON(t *testing.T, url, trusted string) (int, []scan.Finding) {
	t.Helper()
	args := []string{"-scan", "-json"}
	if trusted != "" {
		args = append(args, "-origin", trusted)
	}
	code, out, errOut := run(t, append(args, url)...)
	require.NotEqual(t, exitTrouble, code, errOut)
	var rep scanReport
	require.NoError(t, json.Unmarshal([]byte(out), &rep), out)
	require.NotNil(t, rep.Findings, "findings is a list, never null")
	return code, rep.Findings
}

func ids(fs []scan.Finding) map[string]string {
	out := map[string]string{}
	for _, f := range fs {
		out[f.ID] = f.Severity
	}
	return out
}

func TestScanFindsEachMisconfiguration(t *testing.T) {
	tests := []struct {
		name string
		h    http.Handler
		want map[string]string // id → severity, exactly
		exit int
	}{
		{"an echo with credentials", originCheck(func(string) bool { return true }, answer{credentials: true}),
			// It even echoes the literal origin "*", which makes "*" with credentials.
			map[string]string{scan.IDReflectsAny: scan.SeverityCritical, scan.IDAllowsNull: scan.SeverityCritical, scan.IDWildcardCreds: scan.SeverityMedium}, exitFailed},
		{"an echo without credentials is as public as *", originCheck(func(o string) bool { return o != "null" }, answer{}),
			map[string]string{scan.IDReflectsAny: scan.SeverityLow}, exitOK},
		{"null trusted with credentials", originCheck(exactly(app, "null"), answer{credentials: true}),
			map[string]string{scan.IDAllowsNull: scan.SeverityCritical}, exitFailed},
		{"null trusted without credentials", originCheck(exactly(app, "null"), answer{}),
			map[string]string{scan.IDAllowsNull: scan.SeverityLow}, exitOK},
		{"a prefix check with credentials", originCheck(func(o string) bool { return strings.HasPrefix(o, app) }, answer{credentials: true}),
			map[string]string{scan.IDLookalike: scan.SeverityCritical}, exitFailed},
		{"a prefix check without credentials", originCheck(func(o string) bool { return strings.HasPrefix(o, app) }, answer{}),
			map[string]string{scan.IDLookalike: scan.SeverityMedium}, exitOK},
		{"a suffix check also trusts every subdomain and the http variant", originCheck(func(o string) bool { return strings.HasSuffix(o, "example.com") }, answer{credentials: true}),
			map[string]string{scan.IDLookalike: scan.SeverityCritical, scan.IDAnySubdomain: scan.SeverityMedium, scan.IDInsecureOrigin: scan.SeverityHigh}, exitFailed},
		{"the http variant with credentials", originCheck(exactly(app, "http://app.example.com"), answer{credentials: true}),
			map[string]string{scan.IDInsecureOrigin: scan.SeverityHigh}, exitFailed},
		{"any subdomain with credentials", originCheck(func(o string) bool {
			u, err := url.Parse(o)
			return err == nil && u.Scheme == "https" && strings.HasSuffix(u.Host, ".example.com")
		}, answer{credentials: true}), map[string]string{scan.IDAnySubdomain: scan.SeverityMedium}, exitOK},
		{"* with credentials", http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Access-Control-Allow-Origin", "*")
			w.Header().Set("Access-Control-Allow-Credentials", "true")
		}), map[string]string{scan.IDWildcardCreds: scan.SeverityMedium}, exitOK},
		{"an allowlist without Vary", originCheck(exactly(app), answer{credentials: true, noVary: true}),
			map[string]string{scan.IDMissingVary: scan.SeverityMedium}, exitOK},
		{"a preflight answered 405", http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			w.Header().Add("Vary", "Origin")
			if r.Method == http.MethodOptions {
				w.WriteHeader(http.StatusMethodNotAllowed)
				return
			}
			if r.Header.Get("Origin") == app {
				w.Header().Set("Access-Control-Allow-Origin", app)
			}
		}), map[string]string{scan.IDPreflightNotAnswered: scan.SeverityInfo}, exitOK},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, fs := scanJSON(t, serve(t, tt.h), app)
			assert.Equal(t, tt.want, ids(fs), "%+v", fs)
			assert.Equal(t, tt.exit, code)
			for _, f := range fs {
				assert.NotEmpty(t, f.Origin)
				assert.NotEmpty(t, f.Evidence, "a finding shows the headers it rests on")
				assert.NotEmpty(t, f.Message)
				assert.NotEmpty(t, f.Fix)
			}
		})
	}
}

func TestScanOfSoundLibraryPoliciesFindsNothingAboveLow(t *testing.T) {
	policies := []cors.Options{
		{AllowedOrigins: []string{app}, AllowCredentials: true, AllowedMethods: []string{"GET", "PUT"}},
		{AllowedOrigins: []string{app, "https://admin.example.com"}, AllowCredentials: true, AllowedHeaders: []string{"*"}},
		{AllowedOrigins: []string{app}},
		{AllowedOrigins: []string{"*"}},
		{AllowedOrigins: []string{"*"}, AllowedHeaders: []string{"*"}, ExposedHeaders: []string{"*"}, MaxAge: time.Hour},
		{AllowedOrigins: []string{"http://localhost:*"}, AllowCredentials: true},
		{AllowedOrigins: []string{"https://*.example.com"}},
	}
	for _, p := range policies {
		code, fs := scanJSON(t, serve(t, library(t, p)), app)
		assert.Equal(t, exitOK, code)
		for _, f := range fs {
			assert.Contains(t, []string{scan.SeverityLow, scan.SeverityInfo}, f.Severity, "%+v gave %+v", p.AllowedOrigins, f)
		}
	}
}

func TestScanWithASubdomainWildcardAndCredentialsIsMedium(t *testing.T) {
	_, fs := scanJSON(t, serve(t, library(t, cors.Options{AllowedOrigins: []string{"https://*.example.com"}, AllowCredentials: true})), app)
	assert.Equal(t, map[string]string{scan.IDAnySubdomain: scan.SeverityMedium}, ids(fs))
}

func TestScanHumanOutput(t *testing.T) {
	code, out, _ := run(t, "-scan", "-origin", app, serve(t, originCheck(func(string) bool { return true }, answer{credentials: true})))
	assert.Equal(t, exitFailed, code)
	assert.True(t, strings.HasPrefix(out, "3 finding(s) for "), out)
	assert.Contains(t, out, "[CRITICAL] reflects-any-origin")
	assert.Contains(t, out, "< access-control-allow-credentials: true")

	code, out, _ = run(t, "-scan", "-origin", app, serve(t, library(t, cors.Options{AllowedOrigins: []string{app}, AllowCredentials: true})))
	assert.Equal(t, exitOK, code)
	assert.True(t, strings.HasPrefix(out, "No finding"), out)
}

func TestScanOfAnUnreachableServerExitsTwo(t *testing.T) {
	code, _, errOut := run(t, "-scan", "-origin", app, "http://127.0.0.1:1/")
	assert.Equal(t, exitTrouble, code)
	assert.Contains(t, errOut, "refused")
	code, _, errOut = run(t, "-scan", "-origin", "https://app.example.com/", "http://127.0.0.1:1/")
	assert.Equal(t, exitTrouble, code)
	assert.Contains(t, errOut, "-origin")

	hang := make(chan struct{})
	slow := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { <-hang }))
	defer slow.Close()
	defer close(hang)
	start := time.Now()
	code, _, errOut = run(t, "-scan", "-timeout", "300ms", "-origin", app, slow.URL)
	assert.Equal(t, exitTrouble, code)
	assert.Contains(t, errOut, "no response within 300ms")
	assert.Less(t, time.Since(start), 5*time.Second)

	big := serve(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("X-Big", strings.Repeat("a", 2<<20))
	}))
	code, _, errOut = run(t, "-scan", "-origin", app, big)
	assert.Equal(t, exitTrouble, code)
	assert.Contains(t, errOut, "exceeded")
}

func TestScanWithoutOriginRefusesAHostNoTrustedOriginCanBeDerivedFrom(t *testing.T) {
	everyone := originCheck(func(string) bool { return true }, answer{credentials: true})
	cases := []struct {
		name, url string
		derives   bool
	}{
		{"an IPv6 address with a zone", "http://[::1%25lo]:18087/", false},
		{"a percent sign in the host", "http://a%25b.example/", false},
		{"an IPv6 address without zone derives its own origin", "http://[::1]:18087/", true},
		{"an IPv4 address derives its own origin", "http://127.0.0.1:18087/", true},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			var out, errOut bytes.Buffer
			code := runScanWith(context.Background(), &options{scan: true, url: tc.url, timeout: time.Second}, fetch.HandlerTransport{Handler: everyone}, &out, &errOut)
			if !tc.derives {
				assert.Equal(t, exitTrouble, code)
				assert.Contains(t, errOut.String(), "cannot derive a trusted origin from ")
				assert.Contains(t, errOut.String(), ": pass -origin")
				assert.Empty(t, out.String())
				return
			}
			assert.Equal(t, exitFailed, code, "the echoing server trusts everyone: %s", errOut.String())
			assert.Contains(t, out.String(), "reflects-any-origin")
		})
	}
}
