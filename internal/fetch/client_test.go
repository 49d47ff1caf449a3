package fetch

import (
	"context"
	"errors"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
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
