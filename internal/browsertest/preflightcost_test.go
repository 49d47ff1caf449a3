package browsertest

import (
	"fmt"
	"io"
	"log"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/crossorigin/cors"
	"github.com/crossorigin/cors/internal/browsertest/browser"
)

// The origins of TestPreflightCost. Both names reach one server, which
// serves the page and the API: the page on app.example.com calling
// app.example.com is a same-origin call, the same page calling
// api.example.com is a cross-origin one, and nothing else differs.
const (
	costApp = "https://app.example.com"
	costAPI = "https://api.example.com"
)

// costCalls is how many PUTs the page makes in each set-up.
const costCalls = 50

// costSetup is one way of deploying the frontend and the API.
type costSetup struct {
	name string
	// api is the origin the page calls; the page is always on costApp.
	api    string
	maxAge time.Duration
	// distinctURLs makes call i go to .../items/<i> instead of every call to
	// .../items/7.
	distinctURLs bool
	// wantPreflights is what the Fetch standard implies, given that a
	// preflight cache entry is keyed by origin and URL and lives for
	// Access-Control-Max-Age seconds
	// (https://fetch.spec.whatwg.org/#cors-preflight-cache,
	// https://fetch.spec.whatwg.org/#http-access-control-max-age).
	wantPreflights int
	// wantMaxAge is the Access-Control-Max-Age of every preflight response.
	wantMaxAge string
}

var costSetups = []costSetup{
	// A same-origin request is never preflighted: the CORS protocol applies
	// only to cross-origin requests (https://fetch.spec.whatwg.org/#main-fetch,
	// "request's current URL's origin is same origin with request's origin").
	// The middleware stays installed, and a same-origin PUT passes through it.
	{name: "same-origin", api: costApp, maxAge: 2 * time.Hour, wantPreflights: 0},
	// "Access-Control-Max-Age: 0": nothing is cached, so every call is
	// preflighted.
	{name: "cross-origin-max-age-0", api: costAPI, maxAge: -1, wantPreflights: costCalls, wantMaxAge: "0"},
	// The first preflight's answer is cached for two hours, so the other 49
	// calls to the same URL go without one.
	{name: "cross-origin-max-age-2h", api: costAPI, maxAge: 2 * time.Hour, wantPreflights: 1, wantMaxAge: "7200"},
	// The cache is per URL: 50 different URLs cost 50 preflights, whatever
	// the max-age.
	{name: "cross-origin-max-age-2h-distinct-urls", api: costAPI, maxAge: 2 * time.Hour, distinctURLs: true, wantPreflights: costCalls, wantMaxAge: "7200"},
}

// costRun is what the page reports of one set-up's loop.
type costRun struct {
	OK       int      `json:"ok"`       // calls whose response the page read, with status 200
	Failures []string `json:"failures"` // the others: a status or the error
	Millis   float64  `json:"ms"`       // performance.now() after the loop, minus before
}

// costLoopJS makes n sequential PUTs with a JSON body, each read to the end,
// timed in the page with performance.now() around the whole loop. With
// distinct, call i goes to url + i; otherwise every call goes to url.
const costLoopJS = `(async (url, n, distinct) => {
  const body = JSON.stringify({name: "lamp"});
  const out = {ok: 0, failures: [], ms: 0};
  const start = performance.now();
  for (let i = 1; i <= n; i++) {
    try {
      const r = await fetch(distinct ? url + i : url, {method: "PUT", headers: {"Content-Type": "application/json"}, body});
      await r.text();
      if (r.status === 200) out.ok++; else out.failures.push("status " + r.status);
    } catch (e) {
      out.failures.push(String(e));
    }
  }
  out.ms = performance.now() - start;
  return out;
})(%s, %d, %v)`

// costWarmUpJS opens the connection to the API before the loop with a GET,
// which is never preflighted, so that no set-up pays for a TCP and TLS
// handshake inside the timed loop (the same-origin page already has its
// connection, from loading the page).
const costWarmUpJS = `fetch(%s).then((r) => r.text()).then(() => "ok", (e) => String(e))`

// costServer serves the page at / and, under /pc/<key>/, each set-up's API:
// the middleware with the set-up's policy around a handler that answers
// every PUT. It counts what each set-up received.
type costServer struct {
	mu      sync.Mutex
	setups  map[string]http.Handler
	counted map[string]*costCount
	conns   int // connections accepted, all set-ups together
}

// connState counts the connections the server accepts.
func (s *costServer) connState(_ net.Conn, state http.ConnState) {
	if state == http.StateNew {
		s.mu.Lock()
		s.conns++
		s.mu.Unlock()
	}
}

// accepted is how many connections the server has accepted so far.
func (s *costServer) accepted() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.conns
}

// costCount is what one set-up's API received.
type costCount struct {
	preflights int      // OPTIONS with Origin and Access-Control-Request-Method
	maxAges    []string // the Access-Control-Max-Age of each preflight response
	puts       int      // PUTs that reached the handler behind the middleware
	others     []string // anything else, but the warm-up GET
}

func (s *costServer) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	rest, ok := strings.CutPrefix(r.URL.Path, "/pc/")
	if !ok {
		browser.Page.ServeHTTP(w, r)
		return
	}
	key, _, _ := strings.Cut(rest, "/")
	s.mu.Lock()
	h, c := s.setups[key], s.counted[key]
	s.mu.Unlock()
	if h == nil {
		http.NotFound(w, r)
		return
	}
	h.ServeHTTP(w, r)
	s.mu.Lock()
	defer s.mu.Unlock()
	switch {
	case r.Method == http.MethodOptions && r.Header.Get("Origin") != "" && r.Header.Get("Access-Control-Request-Method") != "":
		c.preflights++
		c.maxAges = append(c.maxAges, w.Header().Get("Access-Control-Max-Age"))
	case r.Method == http.MethodGet && strings.HasSuffix(r.URL.Path, "/warm-up"):
	case r.Method != http.MethodPut:
		c.others = append(c.others, r.Method+" "+r.URL.Path)
	}
}

// add mounts a set-up's API at /pc/<key>/.
func (s *costServer) add(t *testing.T, key string, opts cors.Options) *costCount {
	t.Helper()
	c, err := cors.New(opts)
	require.NoError(t, err)
	count := &costCount{}
	handler := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method == http.MethodPut {
			s.mu.Lock()
			count.puts++
			s.mu.Unlock()
		}
		w.Header().Set("Content-Type", "application/json")
		w.Header().Set("Cache-Control", "no-store")
		_, _ = io.WriteString(w, `{"updated":true}`)
	})
	s.mu.Lock()
	defer s.mu.Unlock()
	s.setups[key], s.counted[key] = c.Handler(handler), count
	return count
}

// counts returns a copy of what a set-up received so far.
func (s *costServer) counts(c *costCount) costCount {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := *c
	out.maxAges = append([]string(nil), c.maxAges...)
	out.others = append([]string(nil), c.others...)
	return out
}

// TestPreflightCost measures what a preflight costs a page: the same 50
// sequential PUTs with Content-Type: application/json (a request that needs
// a preflight cross-origin: that value of the header is not CORS-safelisted)
// made by a page on https://app.example.com to its own origin, to
// https://api.example.com with MaxAge negative (Access-Control-Max-Age: 0),
// to https://api.example.com with MaxAge 2h, and, to show that the
// preflight cache is per URL, to 50 different URLs with MaxAge 2h. It asserts
// the preflights the standard implies and that every call succeeded, and
// logs the page's time for the loop on one line per engine and set-up:
//
//	preflight-cost engine=<name> version="<version>" setup=<name> calls=50 ok=50 preflights=N new_conns=N total_ms=T per_call_ms=T/50
//
// new_conns is how many connections the server accepted during the loop.
// Time is reported, never asserted; Firefox rounds performance.now() to the
// millisecond.
//
// Both host names reach one TLS server on 127.0.0.1, which serves the page
// too, so the set-ups differ only in the origin the page calls, and a round
// trip costs next to nothing: the times are what the browser itself spends
// on a preflight, the floor of what one costs over a real network. https
// (over HTTP/1.1) rather than http: in Firefox and WebKit the harness's proxy
// tunnels a TLS connection as it is, so the browser keeps it alive as it
// would any other, while it forwards each plain http request on a fresh
// connection to the server, a cost that would grow with the number of
// requests. Firefox's early drop of a cached preflight for an IP-literal
// host (see doc.go) does not apply either: the hosts are names, reached
// through the proxy.
//
// Each set-up has its own URL path, keyed by engine and set-up, so no
// preflight cached by another set-up (or another engine) is reused.
func TestPreflightCost(t *testing.T) {
	quiet := log.New(io.Discard, "", 0)
	srv := &costServer{setups: map[string]http.Handler{}, counted: map[string]*costCount{}}
	server := httptest.NewUnstartedServer(srv)
	server.Config.ErrorLog = quiet
	server.Config.ConnState = srv.connState
	server.StartTLS()
	defer server.Close()
	to := "127.0.0.1:" + port(server)
	cfg := browser.Config{Routes: []browser.Route{
		{From: "app.example.com:443", To: to},
		{From: "api.example.com:443", To: to},
	}}

	browser.ForEach(t, cfg, func(t *testing.T, b *browser.Browser) {
		engine := b.Engine().Name
		// One untimed loop first, so that the first set-up measured does not
		// pay for the page's and the browser's first PUTs alone.
		srv.add(t, engine+"-warm-up", cors.Options{AllowedOrigins: []string{costApp}})
		warm, err := browser.Eval[costRun](b, costApp, fmt.Sprintf(costLoopJS, jsString(costApp+"/pc/"+engine+"-warm-up/items/7"), costCalls, false))
		require.NoError(t, err)
		require.Equal(t, costCalls, warm.OK, "the warm-up loop; failures: %v", warm.Failures)

		for _, s := range costSetups {
			t.Run(s.name, func(t *testing.T) {
				key := engine + "-" + s.name
				count := srv.add(t, key, cors.Options{
					AllowedOrigins: []string{costApp},
					AllowedMethods: []string{http.MethodPut},
					AllowedHeaders: []string{"Content-Type"},
					MaxAge:         s.maxAge,
				})
				base := s.api + "/pc/" + key + "/"
				warm, err := browser.Eval[string](b, costApp, fmt.Sprintf(costWarmUpJS, jsString(base+"warm-up")))
				require.NoError(t, err)
				require.Equal(t, "ok", warm, "the warm-up GET")

				url := base + "items/7"
				if s.distinctURLs {
					url = base + "items/"
				}
				conns := srv.accepted()
				run, err := browser.Eval[costRun](b, costApp, fmt.Sprintf(costLoopJS, jsString(url), costCalls, s.distinctURLs))
				require.NoError(t, err)
				got := srv.counts(count)
				conns = srv.accepted() - conns

				assert.Equal(t, costCalls, run.OK, "every call succeeded in the page; failures: %v", run.Failures)
				assert.Empty(t, run.Failures)
				assert.Equal(t, costCalls, got.puts, "every PUT reached the handler")
				assert.Equal(t, s.wantPreflights, got.preflights, "preflights the API received")
				for _, v := range got.maxAges {
					assert.Equal(t, s.wantMaxAge, v, "the Access-Control-Max-Age of each preflight response")
				}
				assert.Empty(t, got.others, "nothing else reached the API")
				t.Logf("preflight-cost engine=%s version=%q setup=%s calls=%d ok=%d preflights=%d new_conns=%d total_ms=%.1f per_call_ms=%.2f",
					engine, b.Product(), s.name, costCalls, run.OK, got.preflights, conns, run.Millis, run.Millis/costCalls)
			})
		}
	})
}
