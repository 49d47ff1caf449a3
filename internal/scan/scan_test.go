package scan

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/crossorigin/cors/internal/fetch"
)

// echo reflects every Origin it is sent, with credentials, when allowed says so.
func echo(allowed func(string) bool) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Add("Vary", "Origin")
		if o := r.Header.Get("Origin"); o != "" && allowed(o) {
			w.Header().Set("Access-Control-Allow-Origin", o)
			w.Header().Set("Access-Control-Allow-Credentials", "true")
		}
	})
}

func scanner(h http.Handler) *Scanner {
	return &Scanner{
		Transport: fetch.HandlerTransport{Handler: h},
		Timeout:   time.Second,
		URL:       &url.URL{Scheme: "https", Host: "api.example.co.uk", Path: "/v1"},
	}
}

func TestScanDerivesTrustedOriginsFromTheRegistrableDomain(t *testing.T) {
	s := scanner(echo(func(o string) bool {
		return o == "https://www.example.co.uk" || strings.HasSuffix(o, "example.co.uk.evil.net")
	}))
	fs, err := s.Run(context.Background(), "")
	require.NoError(t, err)
	require.NotEmpty(t, fs)
	assert.Equal(t, IDLookalike, fs[0].ID)
	assert.Equal(t, "https://www.example.co.uk.evil.net", fs[0].Origin, "the lookalike is built on the derived trusted origin")
}

// An API may check the origins it allows each its own way: every derived origin it allows gets its
// lookalikes, so a prefix match on the second is found although the first is compared exactly.
func TestScanBuildsLookalikesOnEveryDerivedOriginTheAPIAllows(t *testing.T) {
	s := scanner(echo(func(o string) bool {
		return o == "https://www.example.co.uk" || strings.HasPrefix(o, "https://app.example.co.uk")
	}))
	fs, err := s.Run(context.Background(), "")
	require.NoError(t, err)
	var lookalikes []string
	for _, f := range fs {
		if f.ID == IDLookalike {
			lookalikes = append(lookalikes, f.Origin)
		}
	}
	assert.ElementsMatch(t, []string{
		"https://app.example.co.uk.evil.net", "https://app.example.co.uk_.evil.net",
		"https://app.example.co.uk`.evil.net", "https://app.example.co.uk%60.evil.net",
	}, lookalikes, "the lookalikes of app, which the prefix match lets through; none of www's")
}

func TestEachOriginIsAskedOnceAndNoTrustedOneAsAProbe(t *testing.T) {
	trusted := []string{"https://example.com", "https://www.example.com", "https://app.example.com"}
	ps, err := batteries(trusted)
	require.NoError(t, err)
	seen := map[string]bool{}
	for _, p := range ps {
		assert.False(t, seen[p.origin], "%s asked twice", p.origin)
		seen[p.origin] = true
		assert.NotContains(t, trusted, p.origin)
	}
	for _, want := range []string{"https://www.example.com.evil.net", "https://app.example.com.evil.net", "http://app.example.com", "https://evil-example.com"} {
		assert.True(t, seen[want], "%s is asked", want)
	}
}

func TestATrustedOriginNoPageHasIsAnOriginError(t *testing.T) {
	for _, trusted := range []string{"null", "https://app.example.com/", "HTTPS://app.example.com", "app.example.com"} {
		t.Run(trusted, func(t *testing.T) {
			_, err := scanner(echo(func(string) bool { return true })).Run(context.Background(), trusted)
			var bad *OriginError
			require.ErrorAs(t, err, &bad)
			assert.Equal(t, trusted, bad.Origin)
		})
	}
}

func TestAHostNoOriginCanBeDerivedFromIsADeriveError(t *testing.T) {
	s := scanner(echo(func(string) bool { return true }))
	s.URL = &url.URL{Scheme: "http", Host: "[::1%lo]:8080"}
	_, err := s.Run(context.Background(), "")
	var underived *DeriveError
	require.ErrorAs(t, err, &underived)
	assert.Equal(t, "::1%lo", underived.Host)
}

// A server may drop the connection over an odd Origin, which is no finding; but a run whose deadline
// passes while such origins are asked must fail, not report the findings gathered so far as the
// whole answer.
func TestADeadlineDuringTheLookalikesEndsTheScanWithAnError(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var asked atomic.Int32
	h := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		// "*" and the last lookalike are the battery's last origins for an http trusted origin.
		if r.Header.Get("Origin") == "*" && asked.Add(1) == 1 {
			cancel()
		}
		echo(func(o string) bool { return o == "http://app.example.co.uk" }).ServeHTTP(w, r)
	})
	fs, err := scanner(h).Run(ctx, "http://app.example.co.uk")
	require.Error(t, err)
	assert.True(t, errors.Is(err, context.Canceled), "%v", err)
	assert.Nil(t, fs)
}

func TestOnlyHighAndCriticalFindingsAreSevere(t *testing.T) {
	for sev, severe := range map[string]bool{SeverityCritical: true, SeverityHigh: true, SeverityMedium: false, SeverityLow: false, SeverityInfo: false} {
		f := Finding{Severity: sev}
		assert.Equal(t, severe, f.Severe(), sev)
	}
}

// handler answers with headers(origin) on every request, and, on a preflight, with preflightStatus.
func handler(preflightStatus int, headers func(origin string) http.Header) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		for k, vs := range headers(r.Header.Get("Origin")) {
			w.Header()[k] = vs
		}
		if r.Method == http.MethodOptions {
			w.WriteHeader(preflightStatus)
		}
	})
}

func TestTheBatteryFindsWhatEachAnswerShows(t *testing.T) {
	const app = "https://app.example.co.uk"
	only := func(allowed string, creds bool, vary bool) func(string) http.Header {
		return func(o string) http.Header {
			h := http.Header{}
			if vary {
				h.Set("Vary", "Origin")
			}
			if o == allowed {
				h.Set("Access-Control-Allow-Origin", o)
				if creds {
					h.Set("Access-Control-Allow-Credentials", "true")
				}
			}
			return h
		}
	}
	fixed := func(h http.Header) func(string) http.Header { return func(string) http.Header { return h } }
	tests := []struct {
		name string
		h    http.Handler
		want []string // "id severity", in the order reported: the most severe first
	}{
		{"an exact origin with credentials and Vary finds nothing", handler(204, only(app, true, true)), nil},
		{"an exact origin answering the preflight with 200 finds nothing", handler(200, only(app, true, true)), nil},
		{"a preflight answered with no Access-Control-Allow-Origin is not answered", handler(204, func(o string) http.Header {
			h := only(app, true, true)(o)
			h.Del("Access-Control-Allow-Origin")
			return h
		}), []string{"preflight-not-answered info"}},
		{"a preflight answered 403 is not answered", handler(403, only(app, true, true)), []string{"preflight-not-answered info"}},
		{"a fixed Access-Control-Allow-Origin needs no Vary", handler(204, fixed(http.Header{"Access-Control-Allow-Origin": {app}})), nil},
		{"an echo of the trusted origin without Vary misses it", handler(204, only(app, false, false)), []string{"missing-vary-origin medium"}},
		{"the trusted origin's answer also sent without Origin, and none to others, still varies", handler(204, func(o string) http.Header {
			if o == "" || o == app {
				return http.Header{"Access-Control-Allow-Origin": {app}}
			}
			return http.Header{}
		}), []string{"missing-vary-origin medium"}},
		{"* with credentials is reported once", handler(204, fixed(http.Header{"Access-Control-Allow-Origin": {"*"}, "Access-Control-Allow-Credentials": {"true"}})),
			[]string{"wildcard-with-credentials medium"}},
		{"* without credentials is public, not misconfigured", handler(204, fixed(http.Header{"Access-Control-Allow-Origin": {"*"}})), nil},
		{"an echo of every origin with credentials: the critical findings come first", echo(func(o string) bool { return o != "*" }),
			[]string{"reflects-any-origin critical", "allows-null-origin critical"}},
		{"an echo of the subdomains, http and * included, with credentials: the high finding, found last, comes first", echo(func(o string) bool { return o == "*" || strings.HasSuffix(o, ".example.co.uk") }),
			[]string{"insecure-origin-trusted high", "any-subdomain-trusted medium", "wildcard-with-credentials medium"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			fs, err := scanner(tt.h).Run(context.Background(), app)
			require.NoError(t, err)
			var got []string
			for _, f := range fs {
				got = append(got, f.ID+" "+f.Severity)
			}
			assert.Equal(t, tt.want, got)
		})
	}
}

func TestAPreflightNotAnsweredSaysWhatWasMissing(t *testing.T) {
	fs, err := scanner(handler(403, func(string) http.Header { return http.Header{} })).Run(context.Background(), "https://app.example.co.uk")
	require.NoError(t, err)
	require.Len(t, fs, 1)
	assert.Contains(t, fs[0].Message, "got status 403 and no Access-Control-Allow-Origin")
}

func TestTheBatteryIsBuiltOnTheTrustedOrigin(t *testing.T) {
	origins := func(trusted string) []string {
		ps, err := battery(trusted)
		require.NoError(t, err)
		var out []string
		for _, p := range ps {
			out = append(out, p.origin)
		}
		return out
	}
	https := origins("https://app.example.co.uk:8443")
	assert.Contains(t, https, "https://evil-example.co.uk:8443", "the port is kept")
	assert.Contains(t, https, "https://example.co.uk.evil.net:8443", "a lookalike of the registrable domain, when it is not the host")
	assert.Contains(t, https, "http://app.example.co.uk:8443", "the http variant of an https origin")
	local := origins("http://localhost:3000")
	assert.NotContains(t, local, "http://localhost.evil.net:3000.evil.net", "no registrable-domain lookalike when the domain is the host")
	assert.Equal(t, 1, strings.Count(strings.Join(local, " "), "://localhost.evil.net:3000"), "the host lookalike, once")
	for _, o := range local {
		assert.False(t, strings.HasPrefix(o, "http://localhost:"), "no http variant of an http origin: %s", o)
	}
	assert.Contains(t, origins("http://[::1]:8080"), "http://[::1].evil.net:8080", "an IPv6 host is written in brackets")
}

// failing is a transport that fails the requests fail says, and serves the others with h.
type failing struct {
	h    http.Handler
	fail func(*http.Request) bool
}

func (f failing) RoundTrip(r *http.Request) (*http.Response, error) {
	if f.fail(r) {
		return nil, errors.New("connection reset")
	}
	return fetch.HandlerTransport{Handler: f.h}.RoundTrip(r)
}

func TestAServerDroppingAnOddOriginGivesNoFindingForItButAnyOtherErrorEndsTheScan(t *testing.T) {
	ok := echo(func(o string) bool { return o == "https://app.example.co.uk" })
	run := func(fail func(*http.Request) bool) ([]Finding, error) {
		s := scanner(ok)
		s.Transport = failing{h: ok, fail: fail}
		return s.Run(context.Background(), "https://app.example.co.uk")
	}
	fs, err := run(func(r *http.Request) bool { return strings.Contains(r.Header.Get("Origin"), "evil") })
	require.NoError(t, err, "a lookalike dropped")
	assert.Empty(t, fs)
	_, err = run(func(r *http.Request) bool { return r.Header.Get("Origin") == "*" })
	require.NoError(t, err, "the literal * dropped")
	_, err = run(func(r *http.Request) bool { return r.Header.Get("Origin") == "null" })
	assert.ErrorContains(t, err, "connection reset", "null dropped")
	_, err = run(func(r *http.Request) bool { return r.Method == http.MethodOptions })
	assert.ErrorContains(t, err, "connection reset", "a preflight dropped")
}

func TestTimeoutBoundsEachRequestAndZeroMeansNone(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(_ http.ResponseWriter, r *http.Request) { <-r.Context().Done() }))
	t.Cleanup(srv.Close)
	u, err := url.Parse(srv.URL)
	require.NoError(t, err)
	s := &Scanner{Transport: srv.Client().Transport, Timeout: 50 * time.Millisecond, URL: u}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second) // so that a Timeout ignored fails, not hangs
	defer cancel()
	_, err = s.Run(ctx, "https://app.example.co.uk")
	assert.ErrorContains(t, err, "no response within 50ms")

	s = scanner(echo(func(o string) bool { return o == "https://app.example.co.uk" }))
	s.Timeout = 0
	fs, err := s.Run(context.Background(), "https://app.example.co.uk")
	require.NoError(t, err)
	assert.Empty(t, fs)
}

func TestWithoutATrustedOriginNoneAllowedStillScansTheLikelyFrontendsLookalikes(t *testing.T) {
	s := scanner(echo(func(o string) bool { return strings.HasSuffix(o, ".evil.net") }))
	fs, err := s.Run(context.Background(), "")
	require.NoError(t, err)
	require.NotEmpty(t, fs)
	assert.Equal(t, IDLookalike, fs[0].ID)
}
