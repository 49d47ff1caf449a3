package benchmarks

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"slices"
)

// The end-to-end run: a real HTTP/1.1 server on the loopback interface, a
// small JSON handler behind each middleware, and keep-alive clients sending
// the same allowed cross-origin GET, so that a middleware's cost is seen
// where it is paid, next to parsing, the handler and the network stack.

// E2EConfig is the configuration behind the end-to-end middlewares (one
// origin, credentials: the common case of an API and its web app).
func E2EConfig() Config { return Configs()[0] }

// E2EOrigin is the Origin of every end-to-end request, allowed by E2EConfig.
func E2EOrigin() string { return E2EConfig().AllowedOrigin }

// Item is what the end-to-end handler encodes.
type Item struct {
	ID    int      `json:"id"`
	Name  string   `json:"name"`
	Price float64  `json:"price"`
	Tags  []string `json:"tags"`
}

// e2eItem is what JSONHandler encodes; e2ePath is where the end-to-end
// request asks for it.
var e2eItem = Item{ID: 4711, Name: "widget", Price: 12.5, Tags: []string{"blue", "small"}}

const e2ePath = "/items/4711"

// JSONHandler answers every request with a small JSON document, encoded on
// every request as a real handler would.
func JSONHandler() http.Handler {
	item := e2eItem
	return http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		_ = json.NewEncoder(w).Encode(item) // a failed write is a broken connection, which the client reports
	})
}

// BareAgain is the bare handler measured a second time (last in E2ENames):
// the A/A control, whose difference from the first bare run is the noise of the
// machine, the yardstick for any "within 2% of bare" claim.
const BareAgain = "bare_again"

// HeadersOnly is the bare handler behind a wrapper that sets, deciding
// nothing, the CORS headers ours sets for the end-to-end request (as fresh
// copies on every request). Against the bare handler it is what sending and
// reading those headers costs, server and client together, which any
// correct middleware pays; ours against it is the middleware's own cost.
const HeadersOnly = "headers_only"

// E2ENames lists the end-to-end runs in order: the bare handler, this
// library, the peers, the headers alone, and the bare handler again.
func E2ENames() []string {
	names := []string{Bare}
	for _, l := range Libraries() {
		if l.Name != Bare {
			names = append(names, l.Name)
		}
	}
	return append(names, HeadersOnly, BareAgain)
}

// E2EHandler is the JSON handler behind the named middleware (E2EConfig),
// behind the headers alone for HeadersOnly, or alone for Bare and BareAgain.
func E2EHandler(name string) (http.Handler, error) {
	if name == HeadersOnly {
		return headersOnly(JSONHandler())
	}
	if name == BareAgain {
		name = Bare
	}
	return e2eWrap(name, JSONHandler())
}

// e2eWrap returns h behind the named library's middleware, configured with E2EConfig.
func e2eWrap(name string, h http.Handler) (http.Handler, error) {
	for _, l := range Libraries() {
		if l.Name == name {
			return build(l, E2EConfig(), h)
		}
	}
	return nil, fmt.Errorf("no library %q", name)
}

// headersOnly returns next behind a wrapper that sets the headers ours sets
// for the end-to-end request, recorded once from ours itself.
func headersOnly(next http.Handler) (http.Handler, error) {
	ours, err := e2eWrap(Ours, stateless) // a handler that sets nothing: every header recorded is ours
	if err != nil {
		return nil, err
	}
	req, err := http.NewRequest(http.MethodGet, "http://127.0.0.1"+e2ePath, nil)
	if err != nil {
		return nil, err
	}
	req.Header.Set("Origin", E2EOrigin())
	rec := NewWriter()
	ours.ServeHTTP(rec, req)
	type field struct {
		key    string
		values []string
	}
	var fields []field
	for k, v := range rec.Header() {
		fields = append(fields, field{k, v})
	}
	if len(fields) == 0 {
		return nil, errors.New("headers_only: ours set no header for the end-to-end request")
	}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h := w.Header()
		for _, f := range fields {
			h[f.key] = slices.Clone(f.values)
		}
		next.ServeHTTP(w, r)
	}), nil
}
