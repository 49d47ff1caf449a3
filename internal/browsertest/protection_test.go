package browsertest

import (
	"crypto/tls"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/crossorigin/cors"
	"github.com/crossorigin/cors/internal/browsertest/browser"
)

// guardedPolicy trusts an exact origin, a subdomain wildcard, a port wildcard
// and a function, with credentials. With protect, CrossOriginProtection
// refuses cross-origin writes from every other origin.
func guardedPolicy(protect bool) cors.Options {
	return cors.Options{
		AllowedOrigins:        []string{pageApp, "https://*.admin.example.com", "https://admin.example.com:*"},
		AllowOriginFunc:       func(o string) bool { return o == pagePartner },
		AllowedMethods:        []string{http.MethodPost, http.MethodPut},
		AllowedHeaders:        []string{"Content-Type"},
		AllowCredentials:      true,
		CrossOriginProtection: protect,
	}
}

// noCORSPostJS sends a POST that CORS never stops: mode "no-cors" needs no
// preflight and gives the page an opaque response, but the request is sent,
// with the user's cookies.
const noCORSPostJS = `fetch(%s, {method: "POST", mode: "no-cors", credentials: "include", body: "amount=1000"})
  .then((r) => "sent: " + r.type, (e) => "rejected: " + String(e))`

// writeArrived reports whether the one POST the API received since from
// reached the handler, and fails unless exactly one arrived at the
// middleware.
func writeArrived(t *testing.T, b *backend, from int) (bool, exchange) {
	t.Helper()
	exs := b.exchanges(from)
	require.Len(t, exs, 1, "the browser sends the write once, with no preflight:\n%s", describe(exs))
	e := exs[0]
	assert.Equal(t, http.MethodPost, e.Method)
	return e.ReachedHandler, e
}

// testCrossOriginWrites proves in the browser what CrossOriginProtection is
// for: a form POST (a real navigation) and a no-cors fetch from a refused
// origin reach the handler when only CORS guards the API, and never with the
// option; the policy's own origins (exact, subdomain wildcard, port wildcard,
// AllowOriginFunc) still write; so do a same-origin form and a client that is
// no browser.
func testCrossOriginWrites(t *testing.T) {
	for _, protect := range []bool{false, true} {
		name := "CORS alone"
		if protect {
			name = "with CrossOriginProtection"
		}
		t.Run(name, func(t *testing.T) {
			t.Run("a refused origin's form POST", func(t *testing.T) {
				record(t, variant{})
				b := newBackend(t, guardedPolicy(protect), nil, nil, false)
				from := b.count()
				landed, err := env.browser.SubmitForm(pageAttacker, browser.Form{Action: b.base + "transfer", Fields: map[string]string{"amount": "1000"}})
				require.NoError(t, err)
				arrived, e := writeArrived(t, b, from)
				assert.Equal(t, []string{pageAttacker}, e.Origins, "a cross-origin form POST carries the page's Origin")
				if protect {
					assert.False(t, arrived, "the write never reaches the handler\n%s", e)
					assert.Equal(t, http.StatusForbidden, e.Status)
					assert.NotContains(t, landed.Body, "handled POST", "the browser lands on the refusal")
				} else {
					assert.True(t, arrived, "CORS never stops a form: the write reaches the handler\n%s", e)
					assert.Contains(t, landed.Body, "handled POST", "and the browser shows the handler's answer")
				}
			})

			t.Run("a refused origin's no-cors fetch POST", func(t *testing.T) {
				record(t, variant{})
				b := newBackend(t, guardedPolicy(protect), nil, nil, false)
				from := b.count()
				sent, err := browser.Eval[string](env.browser, pageAttacker, fmt.Sprintf(noCORSPostJS, jsString(b.base+"transfer")))
				require.NoError(t, err)
				assert.Equal(t, "sent: opaque", sent, "the page learns nothing of the answer either way")
				arrived, e := writeArrived(t, b, from)
				assert.Equal(t, !protect, arrived, "whether the write reached the handler\n%s", e)
			})

			// The policy's own origins keep writing: a preflighted PUT, with
			// credentials, from each kind of entry.
			for _, page := range []struct{ kind, origin string }{
				{"an exact origin", pageApp},
				{"a subdomain wildcard", pageDeepSub},
				{"a port wildcard", pageAdminPort},
				{"AllowOriginFunc", pagePartner},
			} {
				t.Run("a PUT from "+page.kind, func(t *testing.T) {
					record(t, variant{})
					b := newBackend(t, guardedPolicy(protect), nil, nil, false)
					runStep(t, b, 0, step{
						page: page.origin,
						req:  request{method: http.MethodPut, headers: map[string]string{"Content-Type": "application/json"}, credentials: "include", body: "{}"},
						want: expect{ok: true, preflights: 1, arrived: true},
					})
				})
			}

			t.Run("a same-origin form POST", func(t *testing.T) {
				record(t, variant{})
				b := newBackend(t, guardedPolicy(protect), nil, nil, false)
				from := b.count()
				// The page is on the API's own origin (its 404 page will do).
				landed, err := env.browser.SubmitForm(apiOrigin, browser.Form{Action: b.base + "profile", Fields: map[string]string{"name": "x"}})
				require.NoError(t, err)
				arrived, e := writeArrived(t, b, from)
				assert.True(t, arrived, "a same-origin write always passes\n%s", e)
				assert.Contains(t, landed.Body, "handled POST")
			})

			t.Run("a request without Origin, as from curl", func(t *testing.T) {
				record(t, variant{})
				b := newBackend(t, guardedPolicy(protect), nil, nil, false)
				from := b.count()
				status := postWithoutBrowser(t, b.base+"transfer")
				arrived, e := writeArrived(t, b, from)
				assert.Empty(t, e.Origins)
				assert.True(t, arrived, "no browser, no Origin: not a cross-origin request\n%s", e)
				assert.Equal(t, http.StatusOK, status)
			})
		})
	}
}

// postWithoutBrowser POSTs to url (on apiOrigin) from Go, with no Origin and
// no Sec-Fetch-Site, over the API's loopback listener.
func postWithoutBrowser(t *testing.T, url string) int {
	t.Helper()
	req, err := http.NewRequest(http.MethodPost, strings.Replace(url, apiOrigin, "https://127.0.0.1:"+port(env.api), 1), strings.NewReader("amount=1"))
	require.NoError(t, err)
	req.Host = strings.TrimPrefix(apiOrigin, "https://")
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	client := &http.Client{Timeout: 10 * time.Second, Transport: &http.Transport{
		TLSClientConfig: &tls.Config{InsecureSkipVerify: true}, // httptest's certificate
	}}
	defer client.CloseIdleConnections()
	resp, err := client.Do(req)
	require.NoError(t, err)
	require.NoError(t, resp.Body.Close())
	return resp.StatusCode
}
