package cors_test

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"runtime"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/crossorigin/cors"
)

// mutationPolicies are the configurations whose response headers are mutated: between them they write
// every header the middleware ever writes (ACAO reflected and "*", ACAC, ACEH, ACAM listed and reflected,
// ACAH listed and reflected, Max-Age, ACAPN, both Vary forms).
var mutationPolicies = map[string]cors.Options{
	"credentials": {
		AllowedOrigins:      []string{"https://app.example.com", "https://*.example.org"},
		AllowCredentials:    true,
		AllowedMethods:      []string{"GET", "PUT", "*"},
		AllowedHeaders:      []string{"*", "Authorization"},
		ExposedHeaders:      []string{"X-Request-Id", "X-Total"},
		MaxAge:              time.Hour,
		AllowPrivateNetwork: true,
	},
	"public": {
		AllowedOrigins: []string{"*"},
		AllowedMethods: []string{"GET", "PATCH"},
		AllowedHeaders: []string{"Content-Type", "X-Token"},
		ExposedHeaders: []string{"*"},
		MaxAge:         -time.Second,
	},
}

// mutationRequests are the kinds of request whose responses are mutated and then checked again.
var mutationRequests = map[string]func() *http.Request{
	"allowed actual": func() *http.Request {
		r := httptest.NewRequest(http.MethodGet, "http://api.test/", nil)
		r.Header.Set("Origin", "https://app.example.com")
		return r
	},
	"allowed actual by wildcard": func() *http.Request {
		r := httptest.NewRequest(http.MethodPost, "http://api.test/", nil)
		r.Header.Set("Origin", "https://a.example.org")
		return r
	},
	"refused actual": func() *http.Request {
		r := httptest.NewRequest(http.MethodGet, "http://api.test/", nil)
		r.Header.Set("Origin", "https://evil.test")
		return r
	},
	"no origin": func() *http.Request {
		return httptest.NewRequest(http.MethodGet, "http://api.test/", nil)
	},
	"handler's own Vary": func() *http.Request {
		r := httptest.NewRequest(http.MethodGet, "http://api.test/?vary=1", nil)
		r.Header.Set("Origin", "https://app.example.com")
		return r
	},
	"allowed preflight": func() *http.Request {
		r := httptest.NewRequest(http.MethodOptions, "http://api.test/", nil)
		r.Header.Set("Origin", "https://app.example.com")
		r.Header.Set("Access-Control-Request-Method", "PATCH")
		r.Header["Access-Control-Request-Headers"] = []string{"content-type,x-token", " X-Token "}
		r.Header.Set("Access-Control-Request-Private-Network", "true")
		return r
	},
	"preflight without headers": func() *http.Request {
		r := httptest.NewRequest(http.MethodOptions, "http://api.test/", nil)
		r.Header.Set("Origin", "https://a.example.org")
		r.Header.Set("Access-Control-Request-Method", "GET")
		return r
	},
	"refused preflight": func() *http.Request {
		r := httptest.NewRequest(http.MethodOptions, "http://api.test/", nil)
		r.Header.Set("Origin", "https://evil.test")
		r.Header.Set("Access-Control-Request-Method", "GET")
		return r
	},
}

// mutators edit a written header map in place, as a careless handler or outer middleware might.
var mutators = map[string]func(h http.Header){
	"assign every value": func(h http.Header) {
		for _, vs := range h {
			for i := range vs {
				vs[i] = "evil"
			}
		}
	},
	"assign Vary and ACAO": func(h http.Header) {
		if vs := h["Vary"]; len(vs) > 0 {
			vs[0] = "x"
		}
		if vs := h["Access-Control-Allow-Origin"]; len(vs) > 0 {
			vs[0] = "https://evil.test"
		}
	},
	"append to every value slice": func(h http.Header) {
		for k, vs := range h {
			h[k] = append(vs, "appended")
		}
	},
	"append through a re-slice up to capacity": func(h http.Header) {
		for k, vs := range h {
			full := vs[:cap(vs)]
			for i := len(vs); i < len(full); i++ {
				full[i] = "beyond-len"
			}
			h[k] = full
		}
	},
	"Add and Set": func(h http.Header) {
		h.Add("Vary", "Accept-Encoding")
		h.Add("Access-Control-Expose-Headers", "X-Secret")
		h.Set("Access-Control-Allow-Credentials", "false")
	},
	"delete": func(h http.Header) {
		for k := range h {
			delete(h, k)
		}
	},
}

// mutatingApp is the wrapped handler: it runs the mutator on what the middleware wrote.
func mutatingApp(mutate func(http.Header)) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if mutate != nil {
			mutate(w.Header())
		}
	})
}

// outerMutator runs after the middleware has finished, as an outer middleware or a router would.
func outerMutator(mutate func(http.Header), next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		next.ServeHTTP(w, r)
		mutate(w.Header())
	})
}

// varyingApp stands in front of the middleware and adds a Vary of its own, before the middleware writes.
func varyingApp(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Query().Get("vary") != "" {
			w.Header()["Vary"] = []string{"Accept-Encoding"}
		}
		next.ServeHTTP(w, r)
	})
}

func serve(h http.Handler, r *http.Request) (int, http.Header) {
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, r)
	return rec.Code, rec.Header().Clone()
}

// TestMutatingWrittenHeadersCannotChangeLaterResponses: whatever a handler or an outer middleware does
// to the header values the middleware wrote, every later request of every kind gets exactly the headers
// that a fresh, never-mutated middleware gives it.
func TestMutatingWrittenHeadersCannotChangeLaterResponses(t *testing.T) {
	for policyName, policy := range mutationPolicies {
		pristine := varyingApp(cors.MustNew(policy).Handler(mutatingApp(nil)))
		want := map[string]http.Header{}
		wantCode := map[string]int{}
		for reqName, newReq := range mutationRequests {
			wantCode[reqName], want[reqName] = serve(pristine, newReq())
		}
		require.NotEmpty(t, want["allowed actual"].Values("Access-Control-Allow-Origin"), "the policy must allow the origin, or nothing is tested")
		require.NotEmpty(t, want["allowed preflight"].Values("Access-Control-Allow-Methods"), "the policy must allow the preflight, or nothing is tested")

		for mutName, mutate := range mutators {
			for _, where := range []string{"inner handler", "outer middleware", "after Apply"} {
				t.Run(fmt.Sprintf("%s/%s/%s", policyName, mutName, where), func(t *testing.T) {
					c := cors.MustNew(policy)
					var h http.Handler
					switch where {
					case "inner handler":
						h = varyingApp(c.Handler(mutatingApp(mutate)))
					case "outer middleware":
						h = outerMutator(mutate, varyingApp(c.Handler(mutatingApp(nil))))
					case "after Apply":
						h = http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
							c.Apply(w, r)
							mutate(w.Header())
						})
						h = varyingApp(h)
					}
					clean := varyingApp(c.Handler(mutatingApp(nil)))
					for round := 0; round < 3; round++ {
						for _, newReq := range mutationRequests {
							serve(h, newReq()) // mutates
						}
						for reqName, newReq := range mutationRequests {
							code, got := serve(clean, newReq())
							assert.Equal(t, wantCode[reqName], code, "round %d, %s", round, reqName)
							assert.Equal(t, want[reqName], got, "round %d, %s: a mutation leaked into a later response", round, reqName)
						}
					}
				})
			}
		}
	}
}

// TestConfigurationSlicesAreNotShared: neither the slices given to New and Reconfigure nor those returned
// by Options() are kept, so editing them later changes nothing.
func TestConfigurationSlicesAreNotShared(t *testing.T) {
	opts := cors.Options{
		AllowedOrigins: []string{"https://app.example.com"},
		AllowedMethods: []string{"GET", "PUT"},
		AllowedHeaders: []string{"x-token"},
		ExposedHeaders: []string{"x-request-id"},
	}
	edit := func(o cors.Options) {
		o.AllowedOrigins[0] = "https://evil.test"
		o.AllowedMethods[1] = "DELETE"
		o.AllowedHeaders[0] = "x-evil"
		o.ExposedHeaders[0] = "x-secret"
	}
	check := func(t *testing.T, c *cors.Cors) {
		t.Helper()
		assert.True(t, c.OriginAllowed("https://app.example.com"))
		assert.False(t, c.OriginAllowed("https://evil.test"))
		got := c.Options()
		assert.Equal(t, []string{"https://app.example.com"}, got.AllowedOrigins)
		assert.Equal(t, []string{"GET", "PUT"}, got.AllowedMethods)
		assert.Equal(t, []string{"x-token"}, got.AllowedHeaders)
		assert.Equal(t, []string{"x-request-id"}, got.ExposedHeaders)

		r := httptest.NewRequest(http.MethodOptions, "http://api.test/", nil)
		r.Header.Set("Origin", "https://app.example.com")
		r.Header.Set("Access-Control-Request-Method", "PUT")
		r.Header.Set("Access-Control-Request-Headers", "x-token")
		_, h := serve(c.Handler(mutatingApp(nil)), r)
		assert.Equal(t, "GET, PUT", h.Get("Access-Control-Allow-Methods"))
		assert.Equal(t, "x-token", h.Get("Access-Control-Allow-Headers"))
	}

	t.Run("given to New", func(t *testing.T) {
		in := cloneOptions(opts)
		c := cors.MustNew(in)
		edit(in)
		check(t, c)
	})
	t.Run("given to Reconfigure", func(t *testing.T) {
		c := cors.MustNew(cors.Options{AllowedOrigins: []string{"https://other.test"}})
		in := cloneOptions(opts)
		require.NoError(t, c.Reconfigure(in))
		edit(in)
		check(t, c)
	})
	t.Run("returned by Options", func(t *testing.T) {
		c := cors.MustNew(cloneOptions(opts))
		edit(c.Options())
		check(t, c)
	})
}

func cloneOptions(o cors.Options) cors.Options {
	o.AllowedOrigins = append([]string(nil), o.AllowedOrigins...)
	o.AllowedMethods = append([]string(nil), o.AllowedMethods...)
	o.AllowedHeaders = append([]string(nil), o.AllowedHeaders...)
	o.ExposedHeaders = append([]string(nil), o.ExposedHeaders...)
	return o
}

// Two policies that differ in every header they write, for TestReconfigureNeverMixesTwoPolicies.
var (
	policyA = cors.Options{
		AllowedOrigins:   []string{"https://a.example", "https://b.example"},
		AllowCredentials: true,
		AllowedMethods:   []string{"GET", "PUT"},
		AllowedHeaders:   []string{"X-A"},
		ExposedHeaders:   []string{"X-A"},
		MaxAge:           10 * time.Minute,
	}
	policyB = cors.Options{
		AllowedOrigins: []string{"https://a.example", "https://b.example"},
		AllowedMethods: []string{"GET", "PATCH"},
		AllowedHeaders: []string{"X-B"},
		ExposedHeaders: []string{"X-B"},
		MaxAge:         20 * time.Minute,
	}
)

// shapeOf says which policy produced a response, or describes how it mixes them.
func shapeOf(preflight bool, origin string, h http.Header) string {
	a := http.Header{"Access-Control-Allow-Origin": {origin}, "Access-Control-Allow-Credentials": {"true"}}
	b := http.Header{"Access-Control-Allow-Origin": {origin}}
	if preflight {
		a["Access-Control-Allow-Methods"] = []string{"GET, PUT"}
		a["Access-Control-Max-Age"] = []string{"600"}
		b["Access-Control-Allow-Methods"] = []string{"GET, PATCH"}
		b["Access-Control-Max-Age"] = []string{"1200"}
	} else {
		a["Access-Control-Expose-Headers"] = []string{"x-a"}
		b["Access-Control-Expose-Headers"] = []string{"x-b"}
	}
	got := accessControlHeaders(h)
	switch {
	case equalHeaders(got, a):
		return "A"
	case equalHeaders(got, b):
		return "B"
	}
	return fmt.Sprintf("mixed: %v", got)
}

func equalHeaders(x, y http.Header) bool {
	if len(x) != len(y) {
		return false
	}
	for k, v := range x {
		if strings.Join(v, "\x00") != strings.Join(y[k], "\x00") {
			return false
		}
	}
	return true
}

// TestReconfigureNeverMixesTwoPolicies swaps between two policies while 8 goroutines send requests and
// preflights: every response is entirely policy A's or entirely policy B's, and so is every Options()
// snapshot. Run with -race.
func TestReconfigureNeverMixesTwoPolicies(t *testing.T) {
	c := cors.MustNew(policyA)
	h := c.Handler(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {}))

	const workers, perWorker = 8, 400
	var stop atomic.Bool
	var swaps atomic.Int64
	swapper := make(chan struct{})
	go func() {
		defer close(swapper)
		for i := 0; !stop.Load(); i++ {
			next := policyA
			if i%2 == 0 {
				next = policyB
			}
			if err := c.Reconfigure(next); err != nil {
				t.Error(err)
				return
			}
			swaps.Add(1)
		}
	}()

	// The workers start once the swapper runs, and go on past perWorker requests until both policies
	// have answered (at most 50 times as long): on a loaded machine the swapper may not be scheduled at
	// first, and a run that saw one policy only would prove nothing.
	for swaps.Load() < 2 {
		runtime.Gosched()
	}
	var seenA, seenB atomic.Int64
	var wg sync.WaitGroup
	for w := 0; w < workers; w++ {
		wg.Add(1)
		go func(w int) {
			defer wg.Done()
			for i := 0; i < perWorker || (seenA.Load() == 0 || seenB.Load() == 0) && i < 50*perWorker; i++ {
				origin := []string{"https://a.example", "https://b.example"}[(w+i)%2]
				preflight := i%3 == 0
				r := httptest.NewRequest(http.MethodGet, "http://api.test/", nil)
				if preflight {
					r.Method = http.MethodOptions
					r.Header.Set("Access-Control-Request-Method", "GET")
				}
				r.Header.Set("Origin", origin)
				rec := httptest.NewRecorder()
				h.ServeHTTP(rec, r)
				switch shape := shapeOf(preflight, origin, rec.Header()); shape {
				case "A":
					seenA.Add(1)
				case "B":
					seenB.Add(1)
				default:
					t.Errorf("worker %d request %d (preflight %v, origin %s): %s", w, i, preflight, origin, shape)
					return
				}
				o := c.Options()
				if o.AllowCredentials != (o.ExposedHeaders[0] == "x-a") || (o.MaxAge == 10*time.Minute) != o.AllowCredentials {
					t.Errorf("worker %d: Options() mixes the policies: %+v", w, o)
					return
				}
			}
		}(w)
	}
	wg.Wait()
	stop.Store(true)
	<-swapper

	t.Logf("%d swaps; %d responses shaped A, %d shaped B", swaps.Load(), seenA.Load(), seenB.Load())
	require.Positive(t, seenA.Load(), "no response came from policy A: the swap was not exercised")
	require.Positive(t, seenB.Load(), "no response came from policy B: the swap was not exercised")
	require.Greater(t, swaps.Load(), int64(1))
}
