package fetch

import (
	"context"
	"errors"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// seen records the requests a server received.
type seen struct {
	mu   sync.Mutex
	reqs []*http.Request
}

func (s *seen) add(r *http.Request) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.reqs = append(s.reqs, r.Clone(context.Background()))
}

func (s *seen) all() []*http.Request {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]*http.Request(nil), s.reqs...)
}

// permissive answers every preflight for the request's own origin, method and headers, and every
// request with the origin, as a middleware allowing everything with credentials would.
func permissive(s *seen) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		s.add(r)
		if o := r.Header.Get("Origin"); o != "" {
			w.Header().Set("Access-Control-Allow-Origin", o)
			w.Header().Set("Access-Control-Allow-Credentials", "true")
			w.Header().Set("Vary", "Origin")
		}
		if r.Method == http.MethodOptions && r.Header.Get("Access-Control-Request-Method") != "" {
			w.Header().Set("Access-Control-Allow-Methods", r.Header.Get("Access-Control-Request-Method"))
			if h := r.Header.Get("Access-Control-Request-Headers"); h != "" {
				w.Header().Set("Access-Control-Allow-Headers", h)
			}
			w.WriteHeader(http.StatusNoContent)
			return
		}
		w.Header().Set("X-Secret", "s")
		_, _ = w.Write([]byte("ok"))
	}
}

func TestClientSendsThePreflightAsBrowsersForm(t *testing.T) {
	var s seen
	jar, err := cookiejar.New(nil)
	require.NoError(t, err)
	c := &Client{Transport: HandlerTransport{Handler: permissive(&s)}, Jar: jar}
	u, _ := url.Parse("https://api.example.net/items")
	jar.SetCookies(u, []*http.Cookie{{Name: "session", Value: "1"}})
	tr, err := c.Do(context.Background(), Request{
		URL: u.String(), Origin: app, Method: "put", Credentials: CredentialsInclude,
		Header: []Field{{"X-B", "1"}, {"Content-Type", "application/json"}, {"Cookie", "evil=1"}, {"Origin", "https://evil.example"}},
	})
	require.NoError(t, err)
	assert.False(t, tr.Blocked, tr.Failure)
	assert.Equal(t, "PUT", tr.Method)
	assert.Equal(t, []Field{{"Cookie", "evil=1"}, {"Origin", "https://evil.example"}}, tr.Dropped)
	reqs := s.all()
	require.Len(t, reqs, 2)
	pre, act := reqs[0], reqs[1]
	assert.Equal(t, "OPTIONS", pre.Method)
	assert.Equal(t, "PUT", pre.Header.Get("Access-Control-Request-Method"))
	assert.Equal(t, "content-type,x-b", pre.Header.Get("Access-Control-Request-Headers"))
	assert.Equal(t, "*/*", pre.Header.Get("Accept"))
	assert.Equal(t, app, pre.Header.Get("Origin"))
	assert.Empty(t, pre.Header.Get("Cookie"), "a preflight never carries cookies")
	assert.Empty(t, pre.Header.Get("X-B"), "nor the script's headers")
	assert.Equal(t, "cors", pre.Header.Get("Sec-Fetch-Mode"))
	assert.Equal(t, "PUT", act.Method)
	assert.Equal(t, "session=1", act.Header.Get("Cookie"), "the jar's cookie, not the script's")
	assert.Equal(t, app, act.Header.Get("Origin"))
	assert.Equal(t, "1", act.Header.Get("X-B"))
	assert.Equal(t, []string{"content-length", "content-type"}, tr.Readable, "X-Secret is not exposed")
	require.Len(t, tr.Exchanges, 2)
	assert.Equal(t, KindPreflight, tr.Exchanges[0].Kind)
	assert.Equal(t, KindRequest, tr.Exchanges[1].Kind)
}

func TestClientSendsNoPreflightForASimpleRequestAndNoCookiesByDefault(t *testing.T) {
	var s seen
	jar, _ := cookiejar.New(nil)
	u, _ := url.Parse("https://api.example.net/")
	jar.SetCookies(u, []*http.Cookie{{Name: "session", Value: "1"}})
	c := &Client{Transport: HandlerTransport{Handler: permissive(&s)}, Jar: jar}
	tr, err := c.Do(context.Background(), Request{URL: u.String(), Origin: app, Header: []Field{{"Accept", "application/json"}}})
	require.NoError(t, err)
	assert.False(t, tr.Blocked)
	reqs := s.all()
	require.Len(t, reqs, 1)
	assert.Equal(t, "GET", reqs[0].Method)
	assert.Empty(t, reqs[0].Header.Get("Cookie"), "same-origin credentials send no cookie cross-origin")
	assert.Nil(t, tr.LastOf(KindPreflight))
}

func TestClientStopsAtAFailedPreflight(t *testing.T) {
	var s seen
	h := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		s.add(r)
		w.Header().Set("Access-Control-Allow-Origin", "*")
		if r.Method == http.MethodOptions {
			w.Header().Set("Access-Control-Allow-Methods", "GET, POST")
			w.WriteHeader(204)
		}
	})
	c := &Client{Transport: HandlerTransport{Handler: h}}
	tr, err := c.Do(context.Background(), Request{URL: "https://api.example.net/x", Origin: app, Method: "DELETE"})
	require.NoError(t, err)
	assert.True(t, tr.Blocked)
	assert.Equal(t, KindPreflight, tr.BlockedAt)
	assert.Equal(t, CheckAllowMethods, tr.Failure.Check)
	assert.Len(t, s.all(), 1, "the DELETE is never sent")
	assert.Nil(t, tr.Readable)
}

// redirector answers /hop/N with a redirect to /hop/N-1 and /hop/0 with the permissive handler.
func TestClientFollowsRedirectsAsFetchDoes(t *testing.T) {
	var sa, sb seen
	b := httptest.NewServer(permissive(&sb))
	defer b.Close()
	var a *httptest.Server
	a = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		sa.add(r)
		w.Header().Set("Access-Control-Allow-Origin", r.Header.Get("Origin"))
		w.Header().Set("Access-Control-Allow-Credentials", "true")
		if r.Method == http.MethodOptions {
			w.Header().Set("Access-Control-Allow-Methods", "PUT")
			w.Header().Set("Access-Control-Allow-Headers", "authorization, content-type")
			w.WriteHeader(http.StatusNoContent)
			return
		}
		switch r.URL.Path {
		case "/same":
			http.Redirect(w, r, a.URL+"/final", http.StatusFound)
		case "/cross":
			http.Redirect(w, r, b.URL+"/final", http.StatusTemporaryRedirect)
		case "/see-other":
			http.Redirect(w, r, b.URL+"/final", http.StatusSeeOther)
		case "/loop":
			http.Redirect(w, r, "/loop", http.StatusFound)
		case "/userinfo":
			http.Redirect(w, r, "http://u:p@"+strings.TrimPrefix(b.URL, "http://")+"/final", http.StatusFound)
		case "/ftp":
			http.Redirect(w, r, "ftp://example.com/", http.StatusFound)
		case "/badhost":
			w.Header().Set("Location", "http://::/final") // Go's url.Parse reads it; the URL standard does not
			w.WriteHeader(http.StatusFound)
		case "/bare":
			w.Header().Del("Access-Control-Allow-Origin")
			http.Redirect(w, r, b.URL+"/final", http.StatusFound)
		default:
			_, _ = w.Write([]byte("final"))
		}
	}))
	defer a.Close()
	c := &Client{Transport: NewTransport(0), Timeout: 5 * time.Second}
	do := func(path, method string, headers ...Field) *Trace {
		t.Helper()
		tr, err := c.Do(context.Background(), Request{URL: a.URL + path, Origin: app, Method: method, Header: headers})
		require.NoError(t, err)
		return tr
	}

	tr := do("/same", "GET")
	assert.False(t, tr.Blocked, tr.Failure)
	require.Len(t, tr.Redirects, 1)
	assert.False(t, tr.Redirects[0].Tainted, "a redirect within the API keeps the origin")

	before := len(sb.all())
	tr = do("/cross", "GET", Field{"Authorization", "Bearer x"})
	assert.False(t, tr.Blocked, tr.Failure)
	require.Len(t, tr.Redirects, 1)
	assert.True(t, tr.Redirects[0].Tainted)
	assert.True(t, tr.Redirects[0].AuthorizationDropped)
	got := sb.all()[before:]
	require.NotEmpty(t, got)
	for _, r := range got {
		assert.Equal(t, "null", r.Header.Get("Origin"), "after a cross-origin hop the Origin is null")
		assert.Empty(t, r.Header.Get("Authorization"))
	}

	tr = do("/see-other", "PUT", Field{"Content-Type", "application/json"})
	assert.False(t, tr.Blocked, tr.Failure)
	assert.True(t, tr.Redirects[0].MethodChanged)
	assert.Equal(t, "GET", tr.Exchanges[len(tr.Exchanges)-1].Method)

	tr = do("/loop", "GET")
	assert.True(t, tr.Blocked)
	assert.Equal(t, ReasonTooManyRedirects, tr.Failure.Reason)
	assert.Len(t, tr.Redirects, MaxRedirects, "20 redirects are followed, the 21st fails")

	tr = do("/userinfo", "GET")
	assert.True(t, tr.Blocked)
	assert.Equal(t, ReasonRedirectCredentials, tr.Failure.Reason)

	tr = do("/ftp", "GET")
	assert.True(t, tr.Blocked)
	assert.Equal(t, ReasonRedirectScheme, tr.Failure.Reason)

	tr = do("/badhost", "GET")
	assert.True(t, tr.Blocked, "a Location whose host the URL parser refuses is a network error")
	assert.Equal(t, ReasonRedirectScheme, tr.Failure.Reason)

	tr = do("/bare", "GET")
	assert.True(t, tr.Blocked, "the CORS check applies to the redirect itself")
	assert.Equal(t, CheckAllowOrigin, tr.Failure.Check)
	assert.Equal(t, 302, tr.Failure.Status)
}

func TestClientTreatsASameOriginFetchAsSameOrigin(t *testing.T) {
	var s seen
	c := &Client{Transport: HandlerTransport{Handler: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		s.add(r)
		w.Header().Set("X-Secret", "1")
	})}}
	tr, err := c.Do(context.Background(), Request{URL: app + "/x", Origin: app, Method: "PUT", Header: []Field{{"X-A", "1"}}})
	require.NoError(t, err)
	assert.False(t, tr.Blocked)
	require.Len(t, s.all(), 1, "no preflight to one's own origin")
	assert.Contains(t, tr.Readable, "x-secret")
}

func TestClientBoundsHostileServers(t *testing.T) {
	hang := make(chan struct{})
	slow := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { <-hang }))
	defer slow.Close()
	defer close(hang) // before Close, which waits for the handler
	big := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("X-Big", strings.Repeat("a", 4<<20))
	}))
	defer big.Close()
	c := &Client{Transport: NewTransport(0), Timeout: 200 * time.Millisecond}

	start := time.Now()
	_, err := c.Do(context.Background(), Request{URL: slow.URL, Origin: app})
	require.Error(t, err)
	assert.Contains(t, err.Error(), "no response within 200ms")
	assert.Less(t, time.Since(start), 3*time.Second)

	c.Timeout = 10 * time.Second
	_, err = c.Do(context.Background(), Request{URL: big.URL, Origin: app})
	require.Error(t, err)
	assert.Contains(t, err.Error(), "exceeded")
}

func TestClientRefusesWhatFetchWouldThrowFor(t *testing.T) {
	c := &Client{Transport: HandlerTransport{Handler: http.NotFoundHandler()}}
	bad := []Request{
		{URL: "https://api.example.net/", Origin: app, Method: "TRACE"},
		{URL: "https://api.example.net/", Origin: app, Method: "BAD METHOD"},
		{URL: "ftp://api.example.net/", Origin: app},
		{URL: "/relative", Origin: app},
		{URL: "https://u:p@api.example.net/", Origin: app},
		{URL: "http://::", Origin: app},
		{URL: "https://api.example.net:65536/", Origin: app},
		{URL: "https://api.example.net/", Origin: "https://app.example.com/"},
		{URL: "https://api.example.net/", Origin: app, Header: []Field{{"Bad Name", "1"}}},
		{URL: "https://api.example.net/", Origin: app, Header: []Field{{"X-A", "a\x00b"}}},
		{URL: "https://api.example.net/", Origin: app, Credentials: "always"},
	}
	for _, r := range bad {
		_, err := c.Do(context.Background(), r)
		var refused *RequestError
		require.ErrorAs(t, err, &refused, "%+v", r)
		require.NotEmpty(t, refused.Reason)
	}
}

func TestHandlerTransportCanonicalisesWhatTheHandlerWrote(t *testing.T) {
	h := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header()["access-control-allow-origin"] = []string{" " + app + " "}
		w.WriteHeader(201)
		w.Header().Set("X-Late", "1") // after WriteHeader: never sent
		_, _ = w.Write([]byte("body"))
	})
	res, err := HandlerTransport{Handler: h}.RoundTrip(httptest.NewRequest("GET", "https://api.example.net/", nil))
	require.NoError(t, err)
	assert.Equal(t, 201, res.StatusCode)
	assert.Equal(t, []string{app}, res.Header["Access-Control-Allow-Origin"])
	assert.NotContains(t, res.Header, "X-Late")
}

func TestHandlerTransportTurnsAPanicIntoAnError(t *testing.T) {
	h := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { panic("boom") })
	c := &Client{Transport: HandlerTransport{Handler: h}}
	_, err := c.Do(context.Background(), Request{URL: "https://api.example.net/", Origin: app})
	require.Error(t, err)
	assert.Contains(t, err.Error(), "panicked")
	var refused *RequestError
	assert.False(t, errors.As(err, &refused), "a handler's panic is no fault of the request")
}

func TestClientChecksA304LikeAnyResponseForItHasNoCache(t *testing.T) {
	cases := []struct {
		name    string
		acao    string
		blocked bool
	}{
		{"a 304 without Access-Control-Allow-Origin is blocked", "", true},
		{"a 304 naming another origin is blocked", "https://other.example", true},
		{"a 304 granting the origin is allowed", app, false},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			c := &Client{Transport: HandlerTransport{Handler: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				if tc.acao != "" {
					w.Header().Set("Access-Control-Allow-Origin", tc.acao)
				}
				w.Header().Set("X-Secret", "42")
				w.WriteHeader(http.StatusNotModified)
			})}}
			tr, err := c.Do(context.Background(), Request{URL: "https://api.example.net/", Origin: app})
			require.NoError(t, err)
			require.Len(t, tr.Exchanges, 1)
			assert.Equal(t, http.StatusNotModified, tr.Exchanges[0].Status)
			assert.Equal(t, tc.blocked, tr.Blocked)
			if tc.blocked {
				assert.Equal(t, CheckAllowOrigin, tr.Failure.Check)
				assert.Equal(t, http.StatusNotModified, tr.Failure.Status)
				assert.Nil(t, tr.Readable)
			} else {
				assert.NotContains(t, tr.Readable, "x-secret")
			}
		})
	}
}

func TestClientFailsARedirectWithSeveralLocationLines(t *testing.T) {
	cases := []struct {
		name      string
		locations []string
		blocked   bool
	}{
		{"two different Location lines fail", []string{"/ok", "/other"}, true},
		{"two identical Location lines fail, as Fetch extracts a single-header value", []string{"/ok", "/ok"}, true},
		{"one Location line is followed", []string{"/ok"}, false},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			var s seen
			c := &Client{Transport: HandlerTransport{Handler: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				s.add(r)
				w.Header().Set("Access-Control-Allow-Origin", "*")
				if r.URL.Path == "/start" {
					w.Header()["Location"] = tc.locations
					w.WriteHeader(http.StatusFound)
				}
			})}}
			tr, err := c.Do(context.Background(), Request{URL: "https://api.example.net/start", Origin: app})
			require.NoError(t, err)
			assert.Equal(t, tc.blocked, tr.Blocked)
			if !tc.blocked {
				assert.Len(t, s.all(), 2, "the one Location is followed")
				return
			}
			assert.Len(t, s.all(), 1, "no Location is followed")
			assert.Empty(t, tr.Redirects)
			assert.Equal(t, CheckRedirect, tr.Failure.Check)
			assert.Equal(t, ReasonMultiple, tr.Failure.Reason)
			assert.Equal(t, strings.Join(tc.locations, ", "), tr.Failure.Got)
			assert.Contains(t, tr.Failure.Error(), "several Location headers")
		})
	}
}

func TestClientCannotJudgeA407ForTheBrowserWouldPromptAndRetry(t *testing.T) {
	cases := []struct {
		name   string
		method string
		header []Field
	}{
		{"a 407 to the actual request", "GET", nil},
		{"a 407 to the preflight", "PUT", []Field{{"X-Token", "1"}}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			c := &Client{Transport: HandlerTransport{Handler: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				w.Header().Set("Access-Control-Allow-Origin", "*")
				w.Header().Set("Proxy-Authenticate", "Basic")
				w.WriteHeader(http.StatusProxyAuthRequired)
			})}}
			tr, err := c.Do(context.Background(), Request{URL: "https://api.example.net/", Origin: app, Method: tc.method, Header: tc.header})
			require.Error(t, err)
			var refused *RequestError
			assert.False(t, errors.As(err, &refused), "a 407 is no fault of the request")
			assert.Contains(t, err.Error(), "407 Proxy Authentication Required")
			assert.False(t, tr.Blocked, "no verdict on a response the browser never judges")
		})
	}
}

func TestClientReportsTheCallersBoundWithItsCauseNotAsItsOwnTimeout(t *testing.T) {
	loop := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		time.Sleep(100 * time.Millisecond)
		w.Header().Set("Access-Control-Allow-Origin", "*")
		http.Redirect(w, r, "/again", http.StatusFound)
	}))
	defer loop.Close()
	cause := errors.New("the run is over")
	cases := []struct {
		name    string
		timeout time.Duration
	}{
		{"with a per-exchange timeout longer than the caller's bound", 5 * time.Second},
		{"without a per-exchange timeout", 0},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			ctx, cancel := context.WithTimeoutCause(context.Background(), 350*time.Millisecond, cause)
			defer cancel()
			c := &Client{Transport: NewTransport(0), Timeout: tc.timeout}
			start := time.Now()
			tr, err := c.Do(ctx, Request{URL: loop.URL + "/start", Origin: app})
			require.ErrorIs(t, err, cause)
			assert.NotContains(t, err.Error(), "no response within")
			assert.Less(t, time.Since(start), 2*time.Second)
			assert.NotEmpty(t, tr.Redirects, "some hops were followed before the bound")
		})
	}
}

func TestHandlerTransportDatesEveryResponseAsNetHTTPsServerDoes(t *testing.T) {
	serve := func(status int, set func(h http.Header)) http.Header {
		h := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if set != nil {
				set(w.Header())
			}
			w.WriteHeader(status)
		})
		res, err := HandlerTransport{Handler: h}.RoundTrip(httptest.NewRequest("GET", "https://api.example.net/", nil))
		require.NoError(t, err)
		return res.Header
	}
	for _, status := range []int{200, 204, 304, 500} {
		date := serve(status, nil).Get("Date")
		_, err := http.ParseTime(date)
		assert.NoError(t, err, "a %d is dated in HTTP's format: %q", status, date)
	}
	own := "Tue, 01 Dec 2026 00:00:00 GMT"
	assert.Equal(t, []string{own}, serve(200, func(h http.Header) { h.Set("Date", own) })["Date"], "the handler's Date is kept, alone")
	assert.NotContains(t, serve(200, func(h http.Header) { h["Date"] = nil }), "Date", "a nil Date suppresses it")
}

func TestHandlerTransportServesTheRequestAsNetHTTPsServerWould(t *testing.T) {
	var seen *http.Request
	var body string
	h := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		seen = r
		b, err := io.ReadAll(r.Body)
		require.NoError(t, err)
		body = string(b)
	})
	_, err := HandlerTransport{Handler: h}.RoundTrip(httptest.NewRequest("PUT", "https://api.example.net/items", strings.NewReader(`{"a":1}`)))
	require.NoError(t, err)
	assert.Equal(t, `{"a":1}`, body, "the request's body reaches the handler")
	require.NotNil(t, seen.TLS, "an https request arrives over TLS")
	assert.Equal(t, "api.example.net", seen.TLS.ServerName)

	r := httptest.NewRequest("GET", "http://api.example.net/items", nil)
	r.Body = nil
	_, err = HandlerTransport{Handler: h}.RoundTrip(r)
	require.NoError(t, err)
	assert.Nil(t, seen.TLS, "an http request does not")
	assert.Equal(t, http.NoBody, seen.Body, "a request without a body has an empty one, never nil")
}

func TestHandlerTransportKeepsBodyLimitBytes(t *testing.T) {
	serve := func(limit int64, writes ...string) string {
		h := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			for _, s := range writes {
				_, _ = io.WriteString(w, s)
			}
		})
		res, err := HandlerTransport{Handler: h, BodyLimit: limit}.RoundTrip(httptest.NewRequest("GET", "https://api.example.net/", nil))
		require.NoError(t, err)
		b, err := io.ReadAll(res.Body)
		require.NoError(t, err)
		return string(b)
	}
	assert.Equal(t, "abc", serve(3, "abcd"))
	assert.Equal(t, "abc", serve(3, "ab", "cd"), "a later write is cut where the limit falls")
	assert.Equal(t, "abc", serve(3, "abc", "d"), "nothing is kept once the limit is reached")
	assert.Equal(t, "ab", serve(3, "ab"))
	assert.Equal(t, "a", serve(1, "abc"), "a limit of one byte keeps one byte")
	long := strings.Repeat("x", DefaultBodyLimit+1)
	assert.Len(t, serve(0, long), DefaultBodyLimit, "zero means DefaultBodyLimit")
	assert.Len(t, serve(-1, long), DefaultBodyLimit, "so does a negative limit")
}

func TestHandlerTransportSetsContentLengthUpTo2048BytesAsNetHTTPsServerDoes(t *testing.T) {
	serve := func(method string, n int) http.Header {
		h := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			_, _ = io.WriteString(w, strings.Repeat("x", n))
		})
		res, err := HandlerTransport{Handler: h}.RoundTrip(httptest.NewRequest(method, "https://api.example.net/", nil))
		require.NoError(t, err)
		return res.Header
	}
	for _, n := range []int{2047, 2048} {
		h := serve("GET", n)
		assert.Equal(t, strconv.Itoa(n), h.Get("Content-Length"), "%d bytes", n)
		assert.Empty(t, h.Get("Transfer-Encoding"), "%d bytes", n)
	}
	h := serve("GET", 2049)
	assert.Empty(t, h.Get("Content-Length"))
	assert.Equal(t, "chunked", h.Get("Transfer-Encoding"), "2049 bytes")
	assert.Equal(t, "2049", serve("HEAD", 2049).Get("Content-Length"), "a HEAD response states its length whatever it is")
}

func TestOKStatusesAre200To299(t *testing.T) {
	for s, want := range map[int]bool{199: false, 200: true, 204: true, 299: true, 300: false} {
		assert.Equal(t, want, IsOKStatus(s), s)
	}
}

func TestTheNetworkTransportBoundsTheTLSHandshakeAndTheHeaders(t *testing.T) {
	tr := NewTransport(0)
	assert.Equal(t, 10*time.Second, tr.TLSHandshakeTimeout)
	assert.Equal(t, int64(DefaultMaxHeaderBytes), tr.MaxResponseHeaderBytes, "0 means DefaultMaxHeaderBytes")
	assert.Equal(t, int64(DefaultMaxHeaderBytes), NewTransport(-1).MaxResponseHeaderBytes)
	assert.Equal(t, int64(1), NewTransport(1).MaxResponseHeaderBytes)
}

// redirecting serves /start with a redirect of status to location, and anything else with permissive.
func redirecting(s *seen, status int, location string) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/start" && r.Method != http.MethodOptions {
			s.add(r)
			w.Header().Set("Access-Control-Allow-Origin", app)
			w.Header().Set("Access-Control-Allow-Credentials", "true")
			w.Header()["Location"] = []string{location}
			w.WriteHeader(status)
			return
		}
		permissive(s)(w, r)
	})
}

func TestARedirectChangesTheMethodAsFetchSays(t *testing.T) {
	tests := []struct {
		status  int
		method  string
		changed bool
	}{
		{303, "PUT", true}, {303, "POST", true}, {303, "GET", false}, {303, "HEAD", false},
		{301, "POST", true}, {302, "POST", true}, {301, "PUT", false}, {302, "PUT", false},
		{307, "POST", false}, {308, "POST", false},
	}
	for _, tt := range tests {
		var s seen
		c := &Client{Transport: HandlerTransport{Handler: redirecting(&s, tt.status, "/final")}}
		tr, err := c.Do(context.Background(), Request{URL: "https://api.example.net/start", Origin: app, Method: tt.method, Header: []Field{{"Content-Type", "text/plain"}}})
		require.NoError(t, err)
		require.False(t, tr.Blocked, "%d %s: %v", tt.status, tt.method, tr.Failure)
		require.Len(t, tr.Redirects, 1)
		assert.Equal(t, tt.changed, tr.Redirects[0].MethodChanged, "%d %s", tt.status, tt.method)
		want := tt.method
		if tt.changed {
			want = "GET"
		}
		assert.Equal(t, want, tr.LastOf(KindRequest).Method, "%d %s", tt.status, tt.method)
	}
}

func TestACrossOriginRedirectTaintsOnlyARequestThatWasCrossOrigin(t *testing.T) {
	var s seen
	c := &Client{Transport: HandlerTransport{Handler: redirecting(&s, 302, "https://api.example.net/final")}}
	tr, err := c.Do(context.Background(), Request{URL: app + "/start", Origin: app})
	require.NoError(t, err)
	require.False(t, tr.Blocked, tr.Failure)
	require.Len(t, tr.Redirects, 1)
	assert.False(t, tr.Redirects[0].Tainted, "the page's own origin redirected: its origin stays")
	assert.False(t, tr.Redirects[0].AuthorizationDropped, "no Authorization was sent, so none is dropped")
	assert.Equal(t, app, tr.LastOf(KindRequest).RequestHeader.Get("Origin"))
}

func TestARedirectToAURLWithCredentialsFailsOnlyAcrossOrigins(t *testing.T) {
	var s seen
	same := "https://u:p@" + strings.TrimPrefix(app, "https://") + "/final"
	c := &Client{Transport: HandlerTransport{Handler: redirecting(&s, 302, same)}}
	tr, err := c.Do(context.Background(), Request{URL: app + "/start", Origin: app})
	require.NoError(t, err)
	assert.False(t, tr.Blocked, "a same-origin request may follow a same-origin URL with credentials: %v", tr.Failure)
}

func TestARedirectWithAnEmptyLocationIsTheResponse(t *testing.T) {
	var s seen
	c := &Client{Transport: HandlerTransport{Handler: redirecting(&s, 302, "")}}
	tr, err := c.Do(context.Background(), Request{URL: "https://api.example.net/start", Origin: app})
	require.NoError(t, err)
	assert.False(t, tr.Blocked, tr.Failure)
	assert.Empty(t, tr.Redirects)
	assert.Equal(t, 302, tr.LastOf(KindRequest).Status)
}

func TestCookiesGoWhereTheCredentialsModeSendsThem(t *testing.T) {
	for _, tt := range []struct {
		url   string
		creds Credentials
		sent  bool
	}{
		{app + "/x", "", true},                   // same-origin: the page's own origin
		{"https://api.example.net/x", "", false}, // same-origin mode, cross-origin request
		{"https://api.example.net/x", CredentialsInclude, true},
		{app + "/x", CredentialsOmit, false},
	} {
		var s seen
		jar, _ := cookiejar.New(nil)
		for _, u := range []string{app, "https://api.example.net"} {
			parsed, _ := url.Parse(u)
			jar.SetCookies(parsed, []*http.Cookie{{Name: "session", Value: "1"}})
		}
		c := &Client{Transport: HandlerTransport{Handler: permissive(&s)}, Jar: jar}
		_, err := c.Do(context.Background(), Request{URL: tt.url, Origin: app, Credentials: tt.creds})
		require.NoError(t, err)
		reqs := s.all()
		require.NotEmpty(t, reqs)
		assert.Equal(t, tt.sent, reqs[len(reqs)-1].Header.Get("Cookie") != "", "%s %q", tt.url, tt.creds)
	}
}

func TestExposeStarCoversEveryHeaderOnlyWithoutCredentials(t *testing.T) {
	h := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Access-Control-Allow-Origin", app)
		w.Header().Set("Access-Control-Allow-Credentials", "true")
		w.Header().Set("Access-Control-Expose-Headers", "*")
		w.Header().Set("X-Secret", "s")
	})
	c := &Client{Transport: HandlerTransport{Handler: h}}
	for creds, readable := range map[Credentials]bool{"": true, CredentialsOmit: true, CredentialsInclude: false} {
		tr, err := c.Do(context.Background(), Request{URL: "https://api.example.net/x", Origin: app, Credentials: creds})
		require.NoError(t, err)
		require.False(t, tr.Blocked, tr.Failure)
		assert.Equal(t, readable, slices.Contains(tr.Readable, "x-secret"), "credentials %q", creds)
	}
}

func TestTheRequestCarriesWhatABrowserAdds(t *testing.T) {
	send := func(c *Client, r Request) *http.Request {
		t.Helper()
		var s seen
		c.Transport = HandlerTransport{Handler: permissive(&s)}
		_, err := c.Do(context.Background(), r)
		require.NoError(t, err)
		reqs := s.all()
		require.NotEmpty(t, reqs)
		return reqs[len(reqs)-1]
	}
	api := "https://api.example.net/x"
	r := send(&Client{}, Request{URL: api, Origin: app})
	assert.Equal(t, DefaultUserAgent, r.Header.Get("User-Agent"))
	assert.Equal(t, app+"/", r.Header.Get("Referer"), "strict-origin-when-cross-origin sends the page's origin")
	assert.Equal(t, "*/*", r.Header.Get("Accept"))
	assert.Equal(t, "en-US,en;q=0.9", r.Header.Get("Accept-Language"))
	assert.Equal(t, app, r.Header.Get("Origin"))

	r = send(&Client{UserAgent: "probe/1"}, Request{URL: api, Origin: app, Header: []Field{{"Accept", "application/json"}, {"Accept-Language", "de"}}})
	assert.Equal(t, "probe/1", r.Header.Get("User-Agent"))
	assert.Equal(t, "application/json", r.Header.Get("Accept"), "the script's Accept is kept")
	assert.Equal(t, "de", r.Header.Get("Accept-Language"), "the script's Accept-Language is kept")

	r = send(&Client{}, Request{URL: api, Origin: "null"})
	assert.NotContains(t, r.Header, "Referer", "an opaque origin has no referrer to send")

	for method, origin := range map[string]bool{"GET": false, "HEAD": false, "POST": true, "PUT": true} {
		r := send(&Client{}, Request{URL: app + "/x", Origin: app, Method: method})
		assert.Equal(t, origin, r.Header.Get("Origin") != "", "a same-origin %s carries Origin: %v", method, origin)
		assert.Equal(t, "same-origin", r.Header.Get("Sec-Fetch-Site"))
	}
}

func TestCookiesTheServerSetsAreKeptOnlyWhenCredentialsGo(t *testing.T) {
	setter := func(s *seen) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if r.URL.Path == "/login" {
				w.Header().Add("Set-Cookie", "session=1; Path=/; Secure")
			}
			permissive(s)(w, r)
		})
	}
	api := "https://api.example.net"
	for creds, kept := range map[Credentials]bool{CredentialsInclude: true, "": false, CredentialsOmit: false} {
		var s seen
		jar, _ := cookiejar.New(nil)
		c := &Client{Transport: HandlerTransport{Handler: setter(&s)}, Jar: jar}
		_, err := c.Do(context.Background(), Request{URL: api + "/login", Origin: app, Credentials: creds})
		require.NoError(t, err)
		reqs := s.all()
		assert.NotContains(t, reqs[len(reqs)-1].Header, "Cookie", "an empty jar sends no Cookie line")
		_, err = c.Do(context.Background(), Request{URL: api + "/next", Origin: app, Credentials: CredentialsInclude})
		require.NoError(t, err)
		reqs = s.all()
		assert.Equal(t, kept, reqs[len(reqs)-1].Header.Get("Cookie") == "session=1", "credentials %q", creds)
	}
	var s seen
	c := &Client{Transport: HandlerTransport{Handler: setter(&s)}}
	_, err := c.Do(context.Background(), Request{URL: api + "/login", Origin: app, Credentials: CredentialsInclude})
	assert.NoError(t, err, "without a Jar, a Set-Cookie is dropped")
}

func TestTransferEncodingIsAHeaderThePageReadsOnlyWhenSent(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Access-Control-Allow-Origin", "*")
		w.Header().Set("Access-Control-Expose-Headers", "*")
		if r.URL.Path == "/long" {
			_, _ = io.WriteString(w, strings.Repeat("x", 8192)) // past net/http's buffer: chunked
			return
		}
		_, _ = io.WriteString(w, "short")
	}))
	t.Cleanup(srv.Close)
	c := &Client{Transport: NewTransport(0)}
	tr, err := c.Do(context.Background(), Request{URL: srv.URL + "/long", Origin: app})
	require.NoError(t, err)
	assert.Equal(t, []string{"chunked"}, tr.LastOf(KindRequest).ResponseHeader["Transfer-Encoding"])
	assert.Contains(t, tr.Readable, "transfer-encoding")
	tr, err = c.Do(context.Background(), Request{URL: srv.URL + "/short", Origin: app})
	require.NoError(t, err)
	assert.NotContains(t, tr.LastOf(KindRequest).ResponseHeader, "Transfer-Encoding")
	assert.NotContains(t, tr.Readable, "transfer-encoding")
}

func TestRequestedHeadersAreThePreflightsOnly(t *testing.T) {
	var s seen
	c := &Client{Transport: HandlerTransport{Handler: permissive(&s)}}
	tr, err := c.Do(context.Background(), Request{URL: "https://api.example.net/x", Origin: app, Method: "PUT", Header: []Field{{"X-B", "1"}, {"Content-Type", "application/json"}}})
	require.NoError(t, err)
	require.NotNil(t, tr.LastOf(KindPreflight))
	assert.Equal(t, []string{"content-type", "x-b"}, tr.LastOf(KindPreflight).RequestedHeaders())
	assert.Nil(t, tr.LastOf(KindRequest).RequestedHeaders(), "an actual request asks for nothing")
	tr, err = c.Do(context.Background(), Request{URL: "https://api.example.net/x", Origin: app, Method: "PUT"})
	require.NoError(t, err)
	assert.Nil(t, tr.LastOf(KindPreflight).RequestedHeaders(), "a preflight without Access-Control-Request-Headers asks for none")
}

// countingBody is a response body of n bytes that counts what is read of it.
type countingBody struct {
	n, read int64
}

func (b *countingBody) Read(p []byte) (int, error) {
	if b.read >= b.n {
		return 0, io.EOF
	}
	k := min(int64(len(p)), b.n-b.read)
	b.read += k
	return int(k), nil
}

func (b *countingBody) Close() error { return nil }

type bodyTransport struct{ body *countingBody }

func (t bodyTransport) RoundTrip(r *http.Request) (*http.Response, error) {
	return &http.Response{StatusCode: 200, Header: http.Header{"Access-Control-Allow-Origin": {"*"}}, Body: t.body, Request: r}, nil
}

func TestClientReadsAtMostBodyLimitBytesOfABody(t *testing.T) {
	for limit, want := range map[int64]int64{0: DefaultBodyLimit, -1: DefaultBodyLimit, 1: 1, 1000: 1000} {
		body := &countingBody{n: 4 * DefaultBodyLimit}
		c := &Client{Transport: bodyTransport{body}, BodyLimit: limit}
		_, err := c.Do(context.Background(), Request{URL: "https://api.example.net/x", Origin: app})
		require.NoError(t, err)
		assert.Equal(t, want, body.read, "BodyLimit %d", limit)
	}
}
