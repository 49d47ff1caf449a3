// Command reverseproxy serves an API in front of an upstream service with net/http/httputil.ReverseProxy, and
// answers CORS for it: the browser app on http://localhost:3000 calls the proxy with credentials.
//
//	go run ./reverseproxy -addr :8080 -origins http://localhost:3000 -upstream http://127.0.0.1:9000
//
// Without -upstream it starts a demo upstream on a loopback port: the items API of the other examples, which,
// like many services, sets its own permissive CORS headers ("Access-Control-Allow-Origin: *").
//
// The pitfall: ReverseProxy adds the upstream's response headers to the ones already set on the response, and
// the CORS middleware has set its own by then. An allowed origin then gets two Access-Control-Allow-Origin
// values (its own and the upstream's "*"), which the browser refuses — "The 'Access-Control-Allow-Origin'
// header contains multiple values" — so the page's fetch fails; and a refused origin gets the upstream's "*",
// so it may read what the policy refuses it. The proxy must be the one place that decides CORS: ModifyResponse
// removes every Access-Control-* header of the upstream's response and merges the upstream's Vary into the
// proxy's own Vary line (see takeOverCORS).
package main

import (
	"context"
	"encoding/json"
	"flag"
	"log"
	"net"
	"net/http"
	"net/http/httputil"
	"net/url"
	"strings"
	"time"

	"github.com/crossorigin/cors"
)

func main() {
	addr := flag.String("addr", ":8080", "address to listen on")
	origins := flag.String("origins", "http://localhost:3000", "comma-separated origins allowed to call the API")
	upstream := flag.String("upstream", "", "base URL of the upstream service; empty starts the demo upstream")
	flag.Parse()

	if *upstream == "" {
		ln, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			log.Fatal(err)
		}
		demo := &http.Server{Handler: newUpstream(), ReadHeaderTimeout: 10 * time.Second}
		go func() { log.Fatal(demo.Serve(ln)) }()
		*upstream = "http://" + ln.Addr().String()
	}
	target, err := url.Parse(*upstream)
	if err != nil {
		log.Fatal(err)
	}
	h, err := newHandler(strings.Split(*origins, ","), target)
	if err != nil {
		log.Fatal(err)
	}
	srv := &http.Server{Addr: *addr, Handler: h, ReadHeaderTimeout: 10 * time.Second}
	log.Printf("API on %s, proxying to %s, allowing %s", *addr, target, *origins)
	log.Fatal(srv.ListenAndServe())
}

// newHandler returns the proxy to upstream with the CORS middleware in front: preflights are answered there and
// never reach the upstream, and every other request is proxied.
func newHandler(origins []string, upstream *url.URL) (http.Handler, error) {
	c, err := newCORS(origins)
	if err != nil {
		return nil, err
	}
	return c.Handler(newProxy(upstream)), nil
}

// newCORS is the policy of the example: the app's origins, with credentials, may GET and PUT JSON.
func newCORS(origins []string) (*cors.Cors, error) {
	return cors.New(cors.Options{
		AllowedOrigins:   origins,
		AllowedMethods:   []string{http.MethodGet, http.MethodPut},
		AllowedHeaders:   []string{"Content-Type"},
		AllowCredentials: true,
		MaxAge:           2 * time.Hour,
	})
}

// outHeader is the context key under which newProxy hands ModifyResponse the header of the response being
// written to the client: ModifyResponse sees only the upstream's response, and the Vary merge needs both.
type outHeader struct{}

// newProxy returns a reverse proxy to upstream that leaves CORS to the proxy (see takeOverCORS).
func newProxy(upstream *url.URL) http.Handler {
	rp := &httputil.ReverseProxy{
		Rewrite: func(pr *httputil.ProxyRequest) {
			pr.SetURL(upstream)
			pr.SetXForwarded()
		},
		// ModifyResponse runs after the middleware has set the client's headers and before ReverseProxy adds
		// the upstream's to them.
		ModifyResponse: func(res *http.Response) error {
			out, _ := res.Request.Context().Value(outHeader{}).(http.Header)
			takeOverCORS(out, res.Header)
			return nil
		},
	}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		// The outgoing request is a clone of r, so it carries this context; ModifyResponse finds it as
		// res.Request.Context().
		rp.ServeHTTP(w, r.WithContext(context.WithValue(r.Context(), outHeader{}, w.Header())))
	})
}

// takeOverCORS makes the upstream's response header up carry no CORS decision of its own before ReverseProxy
// adds it to out, the header the proxy is answering with:
//
//   - every Access-Control-* header of up goes: added to the middleware's, an allowed origin would get two
//     Access-Control-Allow-Origin values, which the Fetch standard's CORS check (https://fetch.spec.whatwg.org/#cors-check) fails, and a refused
//     origin would get whatever the upstream allows;
//   - up's Vary is merged into out's existing Vary line, each name once, and removed from up: the response still
//     varies on everything the upstream said it does (Accept-Encoding, say) and on Origin, on one line, since
//     some caches (nginx up to 1.22) read only the last Vary line.
//
// A nil out (the proxy used without newProxy's wrapper) only drops up's CORS headers, keeping its Vary.
func takeOverCORS(out, up http.Header) {
	for name := range up {
		if strings.HasPrefix(http.CanonicalHeaderKey(name), "Access-Control-") {
			delete(up, name)
		}
	}
	if out == nil || len(up.Values("Vary")) == 0 {
		return
	}
	var names []string
	seen := map[string]bool{}
	for _, line := range append(out.Values("Vary"), up.Values("Vary")...) {
		for _, name := range strings.Split(line, ",") {
			name = strings.TrimSpace(name)
			if key := strings.ToLower(name); name != "" && !seen[key] {
				seen[key] = true
				names = append(names, name)
			}
		}
	}
	up.Del("Vary")
	out.Set("Vary", strings.Join(names, ", "))
}

// newUpstream is the demo upstream: the items API of the other examples (GET and PUT /items/{id}; GET adds
// "Vary: Accept-Encoding"), with the permissive CORS headers many services set on every response: a static
// "Access-Control-Allow-Origin: *", which needs no "Vary: Origin".
func newUpstream() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /items/{id}", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Add("Vary", "Accept-Encoding")
		writeJSON(w, map[string]any{"id": r.PathValue("id")})
	})
	mux.HandleFunc("PUT /items/{id}", func(w http.ResponseWriter, r *http.Request) {
		writeJSON(w, map[string]any{"id": r.PathValue("id"), "updated": true})
	})
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Access-Control-Allow-Origin", "*")
		w.Header().Set("Access-Control-Expose-Headers", "X-Request-Id")
		mux.ServeHTTP(w, r)
	})
}

func writeJSON(w http.ResponseWriter, v any) {
	w.Header().Set("Content-Type", "application/json")
	_ = json.NewEncoder(w).Encode(v)
}
