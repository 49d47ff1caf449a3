package cors

import (
	"net/http"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
)

// sink is a ResponseWriter that allocates nothing: its header map is cleared, not replaced, between
// requests, so that what is counted is the middleware's own work.
type sink struct {
	h    http.Header
	code int
}

func newSink() *sink                              { return &sink{h: make(http.Header, 16)} }
func (s *sink) Header() http.Header               { return s.h }
func (s *sink) Write(b []byte) (int, error)       { return len(b), nil }
func (s *sink) WriteHeader(code int)              { s.code = code }
func (s *sink) reset()                            { clear(s.h); s.code = 0 }
func noop(w http.ResponseWriter, _ *http.Request) {}

// costCases are the request shapes whose allocations are held, with the most each may make.
func costCases() []struct {
	name string
	opts Options
	req  *http.Request
	max  float64
} {
	hostile := func(lines ...string) *http.Request {
		r := preflight("http://localhost:3000", "PUT").build()
		r.Header["Access-Control-Request-Headers"] = lines
		return r
	}
	manyLines := make([]string, 1024)
	for i := range manyLines {
		manyLines[i] = "a"
	}
	hostileOrigin := get(strings.Repeat("a", 1<<20)).build()
	// The dearest preflight within the bounds: 63 allowed names, all in upper case so that each is
	// folded before lookup, then one refused.
	var many, asked []string
	for i := range 63 {
		many = append(many, "x-h"+itoa(100+i))
		asked = append(asked, "X-H"+itoa(100+i))
	}
	worst := preflight("http://localhost:3000", "PUT").build()
	worst.Header.Set("Access-Control-Request-Headers", strings.Join(append(asked, "X-NOPE"), ","))
	return []struct {
		name string
		opts Options
		req  *http.Request
		max  float64
	}{
		{"refused preflight", app, preflight("https://evil.example", "PUT").build(), 0},
		{"dearest preflight within the bounds", Options{AllowedOrigins: []string{"http://localhost:3000"}, AllowedMethods: []string{"PUT"}, AllowedHeaders: many}, worst, 0},
		{"hostile preflight, header list of 1 KiB", app, hostile(strings.Repeat("a,", 1<<9)), 0},
		{"hostile preflight, header list of 64 KiB", app, hostile(strings.Repeat("a,", 1<<15)), 0},
		{"hostile preflight, header list of 1 MiB", app, hostile(strings.Repeat("a,", 1<<19)), 0},
		{"hostile preflight, 1,024 header lines", app, hostile(manyLines...), 0},
		{"preflight with a disallowed header", app, preflight("http://localhost:3000", "PUT", "x-nope").build(), 0},
		{"preflight with an unlisted method", app, preflight("http://localhost:3000", "CHICKEN").build(), 0},
		{"preflight with a method that is no token", app, preflight("http://localhost:3000", "P UT\r\n").build(), 0},
		{"preflight with a method of 65 bytes", app, preflight("http://localhost:3000", strings.Repeat("A", 65)).build(), 0},
		{"request whose Vary already covers Origin", app, req{header: http.Header{"Vary": {"Origin"}}}.build(), 0},
		{"request without Origin", app, req{}.build(), 0},
		// Merging into the earlier Vary line costs one string: see headerWriter.appendVary.
		{"request after an outer layer set Vary", app, req{origin: []string{"http://localhost:3000"}, header: http.Header{"Vary": {"Accept-Encoding"}}}.build(), 1},
		{"allowed actual request", app, get("http://localhost:3000").build(), 0},
		{"allowed actual request through a wildcard", app, get("https://a.example.org").build(), 0},
		{"allowed actual request through AllowOriginFunc", Options{AllowOriginFunc: func(o string) bool { return o == "https://b.example" }}, get("https://b.example").build(), 0},
		{"refused actual request", app, get("https://evil.example").build(), 0},
		{"hostile actual request, Origin of 1 MiB", app, hostileOrigin, 0},
		{"allowed preflight", app, preflight("http://localhost:3000", "PUT", "authorization", "content-type").build(), 0},
		{"allowed preflight reflecting headers", Options{AllowedOrigins: []string{"https://a.example"}, AllowCredentials: true, AllowedHeaders: []string{"*"}}, preflight("https://a.example", "GET", "x-a", "x-b").build(), 0},
		{"allowed preflight with star", public, preflight("https://a.example", "GET").build(), 0},
		{"actual request with star", Options{AllowedOrigins: []string{"*"}, ExposedHeaders: []string{"X-Total-Count"}}, get("https://a.example").build(), 0},
		{"actual request with star, without Origin", public, req{}.build(), 0},
		{"actual request with star after an outer layer set Vary", public, req{origin: []string{"https://a.example"}, header: http.Header{"Vary": {"Accept-Encoding"}}}.build(), 0},
		{"cross-origin write refused by CrossOriginProtection", guarded, write(http.MethodPost, "cross-site", "https://evil.example").build(), 0},
		{"cross-origin write allowed by CrossOriginProtection", guarded, write(http.MethodPut, "cross-site", "https://a.example.org").build(), 0},
		{"allowed actual request with Timing-Allow-Origin", Options{AllowedOrigins: []string{"https://a.example"}, TimingAllowOrigin: true}, get("https://a.example").build(), 0},
		{"allowed request among 10,000 origins", tenThousand, get("https://app.customer-4711.com").build(), 0},
		{"refused request among 10,000 origins", tenThousand, get("https://app.customer-4711.org").build(), 0},
	}
}

// tenThousand allows 5,000 exact origins and 5,000 subdomain wildcards.
var tenThousand = func() Options {
	o := Options{AllowCredentials: true}
	for i := range 5000 {
		o.AllowedOrigins = append(o.AllowedOrigins, "https://tenant-"+itoa(i+1)+".example", "https://*.customer-"+itoa(i+1)+".com")
	}
	return o
}()

// Every request costs no allocation, amortised (see slotPool), but for merging into a Vary line that an
// earlier layer wrote.
func TestAllocations(t *testing.T) {
	for _, tc := range costCases() {
		t.Run(tc.name, func(t *testing.T) {
			h := MustNew(tc.opts).Handler(http.HandlerFunc(noop))
			w := newSink()
			vary := tc.req.Header["Vary"] // a Vary set before the middleware, as an outer layer would
			allocs := testing.AllocsPerRun(1000, func() {
				w.reset()
				if vary != nil {
					w.h["Vary"] = vary
				}
				h.ServeHTTP(w, tc.req)
			})
			assert.LessOrEqual(t, allocs, tc.max)
		})
	}
}

func BenchmarkRequests(b *testing.B) {
	for _, tc := range costCases() {
		b.Run(strings.NewReplacer(" ", "_", ",", "").Replace(tc.name), func(b *testing.B) {
			h := MustNew(tc.opts).Handler(http.HandlerFunc(noop))
			w := newSink()
			vary := tc.req.Header["Vary"]
			b.ReportAllocs()
			for b.Loop() {
				w.reset()
				if vary != nil {
					w.h["Vary"] = vary
				}
				h.ServeHTTP(w, tc.req)
			}
		})
	}
}

func BenchmarkNewWith1000Origins(b *testing.B) {
	origins := make([]string, 1000)
	for i := range origins {
		origins[i] = "https://app" + strings.Repeat("x", i%7) + "-" + string(rune('a'+i%26)) + ".example.com:" + itoa(1000+i)
	}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := New(Options{AllowedOrigins: origins, AllowCredentials: true}); err != nil {
			b.Fatal(err)
		}
	}
}

func itoa(i int) string {
	var buf [8]byte
	n := len(buf)
	for i > 0 {
		n--
		buf[n] = byte('0' + i%10)
		i /= 10
	}
	return string(buf[n:])
}
