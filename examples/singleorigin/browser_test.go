package main

import (
	"io"
	"log"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/crossorigin/cors/examples/internal/routerspec"
	"github.com/crossorigin/cors/internal/browsertest/browser"
)

// deployment is the binary served at one origin, recording every request it received.
type deployment struct {
	name   string
	origin string
	log    routerspec.Recorder

	mu    sync.Mutex
	sites []string // "METHOD path: Sec-Fetch-Site" of each request, in order of arrival
}

func (d *deployment) serve(t *testing.T, env map[string]string, tls bool) *httptest.Server {
	t.Helper()
	h, err := newHandler(policy(func(name string) string { return env[name] }))
	require.NoError(t, err)
	recorded := d.log.Wrap(h)
	srv := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		d.mu.Lock()
		d.sites = append(d.sites, r.Method+" "+r.URL.Path+": "+r.Header.Get("Sec-Fetch-Site"))
		d.mu.Unlock()
		recorded.ServeHTTP(w, r)
	}))
	srv.Config.ErrorLog = log.New(io.Discard, "", 0) // TLS handshakes the browser abandons are noise
	if tls {
		srv.StartTLS()
	} else {
		srv.Start()
	}
	t.Cleanup(srv.Close)
	return srv
}

// received is what the deployment received since from, as routerspec.Exchange.Summary writes it, but the
// requests for /favicon.ico that browsers make on their own for a page they land on.
func (d *deployment) received(from int) []string {
	var out []string
	for _, e := range d.log.Since(from) {
		if e.Path != "/favicon.ico" {
			out = append(out, e.Summary())
		}
	}
	return out
}

// site is the Sec-Fetch-Site of the last request for method and path.
func (d *deployment) site(method, path string) string {
	d.mu.Lock()
	defer d.mu.Unlock()
	prefix := method + " " + path + ": "
	for i := len(d.sites) - 1; i >= 0; i-- {
		if v, ok := strings.CutPrefix(d.sites[i], prefix); ok {
			return v
		}
	}
	return "(no such request)"
}

// saved is what the embedded page's saveItem returns.
type saved struct {
	Status int `json:"status"`
	Body   struct {
		ID      string `json:"id"`
		Name    string `json:"name"`
		Updated bool   `json:"updated"`
	} `json:"body"`
}

// The binary in real browsers, in every engine of the harness, deployed twice as docs/production.md describes:
// in production on https://app.example.com, where no other origin is allowed, and in development on
// http://localhost:8080, where the frontend's dev server on http://localhost:3000 is. In both, the embedded page's
// own calls are same-origin (never preflighted, and passed by the middleware and by CrossOriginProtection); the
// dev server's page may call the development API and not the production one; and an untrusted site's form POST
// never reaches a handler.
func TestSingleOriginExampleInBrowsers(t *testing.T) {
	prod := &deployment{name: "production", origin: siteOrigin}
	dev := &deployment{name: "development", origin: routerspec.APIOrigin} // http://localhost:8080
	prodSrv := prod.serve(t, production, true)
	devSrv := dev.serve(t, development, false)
	pages := httptest.NewServer(browser.Page) // the dev server's page, and the untrusted site's
	t.Cleanup(pages.Close)
	const untrusted = "http://evil.example"

	cfg := browser.Config{Routes: []browser.Route{
		{From: siteHost + ":443", To: prodSrv.Listener.Addr().String()},
		{From: "localhost:8080", To: devSrv.Listener.Addr().String()},
		{From: "localhost:3000", To: pages.Listener.Addr().String()},
		{From: "evil.example:80", To: pages.Listener.Addr().String()},
	}}
	jsonPUT := browser.Request{
		Method: http.MethodPut, Headers: map[string]string{"Content-Type": "application/json"},
		Body: `{"name":"lamp"}`, Credentials: "include",
	}

	browser.ForEach(t, cfg, func(t *testing.T, b *browser.Browser) {
		start := time.Now()
		tally := &browser.Tally{Engine: b.Engine().Name, Version: b.Product()}
		run := func(name string, f func(t *testing.T)) {
			t.Run(name, func(t *testing.T) {
				tally.Record(t, func() string { return "" })
				f(t)
			})
		}

		for _, d := range []*deployment{prod, dev} {
			run(d.name+": the embedded page's PUT is same-origin: no preflight, and it passes", func(t *testing.T) {
				_, err := browser.Eval[string](b, d.origin, "location.origin") // show the page first
				require.NoError(t, err)
				from := d.log.Len()
				got, err := browser.Eval[saved](b, d.origin, `saveItem("7", "lamp")`)
				require.NoError(t, err)
				assert.Equal(t, http.StatusOK, got.Status)
				assert.True(t, got.Body.Updated, "the page read the handler's answer: %+v", got)
				assert.Equal(t, "lamp", got.Body.Name)
				assert.Equal(t, []string{"PUT /api/items/7: 200, no CORS"}, d.received(from), "one request, no preflight, no CORS header needed")
				if exs := d.log.Since(from); assert.Len(t, exs, 1) {
					assert.Equal(t, []string{d.origin}, exs[0].Origins, "browsers send Origin on a same-origin PUT")
				}
				assert.Equal(t, "same-origin", d.site(http.MethodPut, "/api/items/7"))
			})

			run(d.name+": the embedded page's own form POST passes CrossOriginProtection", func(t *testing.T) {
				from := d.log.Len()
				landed, err := b.SubmitForm(d.origin, browser.Form{Action: d.origin + "/api/items", Fields: map[string]string{"name": "lamp"}})
				require.NoError(t, err)
				// Firefox shows JSON in its viewer, so the key is what every engine's page text has.
				assert.Contains(t, landed.Body, "created", "the browser shows the handler's answer")
				assert.Equal(t, []string{"POST /api/items: 201, no CORS"}, d.received(from))
				assert.Equal(t, "same-origin", d.site(http.MethodPost, "/api/items"))
			})

			run(d.name+": an untrusted site's form POST is refused by CrossOriginProtection", func(t *testing.T) {
				from := d.log.Len()
				landed, err := b.SubmitForm(untrusted, browser.Form{Action: d.origin + "/api/items", Fields: map[string]string{"name": "stolen"}})
				require.NoError(t, err)
				assert.NotContains(t, landed.Body, "created", "the browser lands on the refusal")
				assert.Equal(t, []string{"POST /api/items: 403, no CORS"}, d.received(from), "the write never reached the handler")
				assert.Equal(t, "cross-site", d.site(http.MethodPost, "/api/items"))
			})
		}

		run("development: the dev server's page calls the API across origins, preflight granted", func(t *testing.T) {
			from := dev.log.Len()
			got, err := b.Fetch(routerspec.AllowedOrigin, dev.origin+"/api/items/7?case=dev", jsonPUT)
			require.NoError(t, err)
			assert.True(t, got.OK, "the page reads the answer: %+v", got)
			assert.Contains(t, got.Body, `"updated":true`)
			assert.Equal(t, []string{"OPTIONS /api/items/7: 204, CORS", "PUT /api/items/7: 200, CORS"}, dev.received(from))
		})

		run("production: the same call from the dev server's page stops at the preflight", func(t *testing.T) {
			from := prod.log.Len()
			got, err := b.Fetch(routerspec.AllowedOrigin, prod.origin+"/api/items/7?case=prod", jsonPUT)
			require.NoError(t, err)
			assert.True(t, b.Engine().Blocked(got), "the fetch fails with a bare network error: %+v", got)
			assert.Equal(t, []string{"OPTIONS /api/items/7: 403, no CORS"}, prod.received(from), "the PUT is never sent")
		})

		tally.Wall = time.Since(start)
		t.Log(tally.Summary())
		if p := b.Proxy(); p != nil {
			assert.Empty(t, p.Refused(), "the browser tried to reach hosts outside the test network")
		}
	})
}
