package corstest_test

import (
	"context"
	"errors"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/crossorigin/cors"
	"github.com/crossorigin/cors/corstest"
)

func TestCheckURLMakesTheCallOverTheNetwork(t *testing.T) {
	h := policy(t, cors.Options{AllowedOrigins: []string{page}, AllowedMethods: []string{"PUT"}, AllowedHeaders: []string{"Content-Type"}, AllowCredentials: true})
	for _, tls := range []bool{false, true} {
		srv := httptest.NewUnstartedServer(h)
		if tls {
			srv.StartTLS()
		} else {
			srv.Start()
		}
		t.Cleanup(srv.Close)
		res, err := corstest.CheckURL(context.Background(), srv.Client(), corstest.Call{
			Origin: page, Method: "PUT", URL: srv.URL + "/api/items/1", Header: json(), Credentials: "include",
		})
		require.NoError(t, err)
		assert.True(t, res.Allowed, "%v", res.Err())
		assert.NotNil(t, res.Preflight)
		assert.Equal(t, srv.URL+"/api/items/1", res.Response.Request.URL.String())
	}
}

func TestCheckURLUsesOnlyTheClientsTransportAndTimeout(t *testing.T) {
	var cookies []string
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		cookies = append(cookies, r.Header.Get("Cookie"))
		reflect(true, true)(w.Header(), r)
		if r.URL.Path == "/start" {
			http.Redirect(w, r, "/final", http.StatusFound)
		}
	}))
	t.Cleanup(srv.Close)
	jar, err := cookiejar.New(nil)
	require.NoError(t, err)
	client := srv.Client()
	client.Jar = jar
	base, err := url.Parse(srv.URL)
	require.NoError(t, err)
	jar.SetCookies(base, []*http.Cookie{{Name: "from-the-clients-jar", Value: "1", Path: "/"}})
	client.CheckRedirect = func(*http.Request, []*http.Request) error { return errors.New("the client's redirect policy was used") }
	res, err := corstest.CheckURL(context.Background(), client, corstest.Call{Origin: page, URL: srv.URL + "/start", Credentials: "include"})
	require.NoError(t, err)
	assert.True(t, res.Allowed, "%v", res.Err())
	assert.Equal(t, "/final", res.Response.Request.URL.Path, "redirects are followed as Fetch follows them")
	assert.Equal(t, []string{"", ""}, cookies, "a fresh browser: the client's jar is not the browser's")
}

func TestCheckURLReportsANetworkErrorAsAnError(t *testing.T) {
	srv := httptest.NewServer(http.NotFoundHandler())
	url := srv.URL
	srv.Close()
	_, err := corstest.CheckURL(context.Background(), nil, corstest.Call{Origin: page, URL: url + "/x"})
	require.Error(t, err)
	assert.Contains(t, err.Error(), "refused")

	hang := make(chan struct{})
	slow := httptest.NewServer(http.HandlerFunc(func(http.ResponseWriter, *http.Request) { <-hang }))
	t.Cleanup(slow.Close)
	t.Cleanup(func() { close(hang) })
	_, err = corstest.CheckURL(context.Background(), &http.Client{Timeout: 100 * time.Millisecond}, corstest.Call{Origin: page, URL: slow.URL})
	require.Error(t, err)
	assert.Contains(t, err.Error(), "no response within 100ms")
}

func TestCheckURLNeedsAnAbsoluteURL(t *testing.T) {
	_, err := corstest.CheckURL(context.Background(), nil, corstest.Call{Origin: page, URL: "/api/items"})
	require.Error(t, err)
	assert.Contains(t, err.Error(), "give an absolute http or https URL")
}

func TestScanFindsWhatTheBatteryFinds(t *testing.T) {
	echo := hand(headers("Access-Control-Allow-Origin", "$ORIGIN", "Access-Control-Allow-Credentials", "true"), reflect(true, true))
	tests := []struct {
		name string
		h    http.Handler
		want map[string]string // id → severity, exactly
	}{
		{"an echo with credentials trusts everyone", echo, map[string]string{
			"reflects-any-origin": "critical", "allows-null-origin": "critical", "wildcard-with-credentials": "medium"}},
		{"an exact list with credentials finds nothing", policy(t, cors.Options{AllowedOrigins: []string{page}, AllowCredentials: true}), map[string]string{}},
		{"a subdomain wildcard with credentials trusts every subdomain", policy(t, cors.Options{AllowedOrigins: []string{"https://*.example.com"}, AllowCredentials: true}),
			map[string]string{"any-subdomain-trusted": "medium"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			trusted := page
			if strings.Contains(tt.name, "subdomain") {
				trusted = "https://app.example.com"
			}
			fs, err := corstest.Scan(tt.h, trusted)
			require.NoError(t, err)
			got := map[string]string{}
			for _, f := range fs {
				got[f.ID] = f.Severity
				assert.NotEmpty(t, f.Origin)
				assert.NotEmpty(t, f.Message)
				assert.NotEmpty(t, f.Fix)
			}
			assert.Equal(t, tt.want, got)
		})
	}
}

func TestScanNeedsATrustedOriginAPageHas(t *testing.T) {
	h := policy(t, cors.Options{AllowedOrigins: []string{page}})
	for _, trusted := range []string{"", "null", page + "/", "localhost:3000"} {
		_, err := corstest.Scan(h, trusted)
		assert.Error(t, err, "trusted %q", trusted)
	}
	_, err := corstest.Scan(nil, page)
	assert.ErrorContains(t, err, "needs a handler")
}

func TestScanURLScansOneSubtreeOfAServer(t *testing.T) {
	mux := http.NewServeMux()
	mux.Handle("/public/", policy(t, cors.Options{AllowedOrigins: []string{"*"}}))
	mux.Handle("/api/", hand(headers(), reflect(true, true))) // echoes any origin with credentials
	srv := httptest.NewServer(mux)
	t.Cleanup(srv.Close)

	fs, err := corstest.ScanURL(context.Background(), srv.Client(), srv.URL+"/public/", page)
	require.NoError(t, err)
	assert.Empty(t, fs, "a * subtree trusts nobody with credentials")

	fs, err = corstest.ScanURL(context.Background(), srv.Client(), srv.URL+"/api/", page)
	require.NoError(t, err)
	require.NotEmpty(t, fs)
	assert.Equal(t, "reflects-any-origin", fs[0].ID)
	assert.Equal(t, "critical", fs[0].Severity)

	_, err = corstest.ScanURL(context.Background(), nil, "/api/", page)
	assert.ErrorContains(t, err, "absolute")
}

// The browser suite found Check missing the Date header that net/http's server adds to every response:
// a page that may read every header (Access-Control-Expose-Headers: *) reads Date in every engine, and
// CheckURL said so while Check did not. In-process, Check must read the headers a server adds as
// CheckURL reads them off the wire.
func TestCheckReadsTheHeadersNetHTTPsServerAddsAsCheckURLDoes(t *testing.T) {
	exposeAll := func(status int, body string, set func(h http.Header)) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Access-Control-Allow-Origin", "*")
			w.Header().Set("Access-Control-Expose-Headers", "*")
			if set != nil {
				set(w.Header())
			}
			w.WriteHeader(status)
			_, _ = io.WriteString(w, body)
		})
	}
	tests := []struct {
		name     string
		h        http.Handler
		readDate bool
	}{
		{"this module's policy, every header exposed", policy(t, cors.Options{AllowedOrigins: []string{"*"}, ExposedHeaders: []string{"*"}}), true},
		{"a short body, its type sniffed", exposeAll(200, "<html></html>", nil), true},
		{"a body too long to be buffered, chunked", exposeAll(200, strings.Repeat("a", 4096), nil), true},
		{"a 204", exposeAll(204, "", nil), true},
		{"a 500", exposeAll(500, "oops", nil), true},
		{"a Date the handler set", exposeAll(200, "{}", func(h http.Header) { h.Set("Date", "Tue, 01 Dec 2026 00:00:00 GMT") }), true},
		{"Date suppressed with a nil value", exposeAll(200, "{}", func(h http.Header) { h["Date"] = nil }), false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := httptest.NewServer(tt.h)
			t.Cleanup(srv.Close)
			call := corstest.Call{Origin: page, URL: srv.URL + "/x"}
			wire, err := corstest.CheckURL(context.Background(), srv.Client(), call)
			require.NoError(t, err)
			inProcess, err := corstest.Check(tt.h, call)
			require.NoError(t, err)
			require.True(t, wire.Allowed, "%v", wire.Err())
			assert.Equal(t, wire.Readable, inProcess.Readable, "Check reads what CheckURL reads off the wire")
			assert.Equal(t, tt.readDate, inProcess.CanRead("Date"), "Check: the page reads Date")
			assert.Equal(t, tt.readDate, wire.CanRead("Date"), "CheckURL: the page reads Date")
		})
	}
}

func TestCheckURLAndScanURLStopWhenTheContextIsDone(t *testing.T) {
	srv := httptest.NewServer(policy(t, cors.Options{AllowedOrigins: []string{page}}))
	t.Cleanup(srv.Close)
	done, cancel := context.WithCancel(context.Background())
	cancel()
	_, err := corstest.CheckURL(done, srv.Client(), corstest.Call{Origin: page, URL: srv.URL + "/api/items"})
	assert.ErrorIs(t, err, context.Canceled)
	_, err = corstest.ScanURL(done, srv.Client(), srv.URL+"/api/", page)
	assert.ErrorIs(t, err, context.Canceled)
}

func TestScanURLNeedsAnHTTPOrHTTPSURL(t *testing.T) {
	srv := httptest.NewTLSServer(policy(t, cors.Options{AllowedOrigins: []string{page}, AllowCredentials: true}))
	t.Cleanup(srv.Close)
	fs, err := corstest.ScanURL(context.Background(), srv.Client(), srv.URL+"/api/", page)
	require.NoError(t, err, "https is scanned")
	assert.Empty(t, fs)
	for _, u := range []string{"ftp://example.com/api/", "ws://example.com/api/", "https:///api/", "/api/"} {
		_, err := corstest.ScanURL(context.Background(), srv.Client(), u, page)
		assert.ErrorContains(t, err, "needs an absolute http or https URL", u)
	}
}

func TestScanURLReportsANetworkErrorAsAnError(t *testing.T) {
	srv := httptest.NewServer(http.NotFoundHandler())
	url := srv.URL
	srv.Close()
	_, err := corstest.ScanURL(context.Background(), nil, url+"/api/", page)
	require.Error(t, err)
	assert.Contains(t, err.Error(), "refused")
	assert.NotContains(t, err.Error(), "the trusted origin", "the origin is not what is wrong")
}
