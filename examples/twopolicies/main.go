// Command twopolicies serves two CORS policies from one server, each on its own subtree: a public, read-only
// catalogue under /public/ that any page may read without credentials, and the credentialed API under /api/
// that only the browser app on http://localhost:3000 may call, with its cookies.
//
//	go run ./twopolicies -addr :8080 -origins http://localhost:3000
//
// Each subtree is its own router, wrapped whole in its own middleware, so "wrap the router, not a route" holds
// for each. The root http.ServeMux mounts the two by path prefix alone, with no method in the pattern: every
// request under /api/, a preflight (OPTIONS) included, reaches the API's middleware, and every request under
// /public/ reaches the public one's, so the preflight to each subtree gets its own policy's answer. The two
// middlewares are siblings, never nested: one wrapped around the whole server would answer the other subtree's
// preflights with its own policy, and add its headers to the other's responses.
package main

import (
	"encoding/json"
	"flag"
	"log"
	"net/http"
	"strings"
	"time"

	"github.com/crossorigin/cors"
)

func main() {
	addr := flag.String("addr", ":8080", "address to listen on")
	origins := flag.String("origins", "http://localhost:3000", "comma-separated origins allowed to call the credentialed API")
	flag.Parse()

	h, err := newHandler(strings.Split(*origins, ","))
	if err != nil {
		log.Fatal(err)
	}
	srv := &http.Server{Addr: *addr, Handler: h, ReadHeaderTimeout: 10 * time.Second}
	log.Printf("public catalogue on %s/public/ for any origin, API on %s/api/ for %s", *addr, *addr, *origins)
	log.Fatal(srv.ListenAndServe())
}

// newHandler returns the server: each subtree's router behind its own policy, mounted by path prefix.
func newHandler(origins []string) (http.Handler, error) {
	public, err := newPublicCORS()
	if err != nil {
		return nil, err
	}
	api, err := newAPICORS(origins)
	if err != nil {
		return nil, err
	}
	root := http.NewServeMux()
	// No method in these patterns: the root routes by path only, so OPTIONS reaches each subtree's middleware.
	root.Handle("/public/", public.Handler(newPublicRouter()))
	root.Handle("/api/", api.Handler(newAPIRouter()))
	return root, nil
}

// newPublicCORS is the public catalogue's policy: any origin may read it, without credentials ("*" cannot be
// combined with them), and may revalidate with If-None-Match, reading the ETag it compares.
func newPublicCORS() (*cors.Cors, error) {
	return cors.New(cors.Options{
		AllowedOrigins: []string{"*"},
		AllowedMethods: []string{http.MethodGet},
		AllowedHeaders: []string{"If-None-Match"},
		ExposedHeaders: []string{"ETag"},
		MaxAge:         2 * time.Hour,
	})
}

// newAPICORS is the API's policy, that of the other examples: the app's origins, with credentials, may GET and
// PUT JSON.
func newAPICORS(origins []string) (*cors.Cors, error) {
	return cors.New(cors.Options{
		AllowedOrigins:   origins,
		AllowedMethods:   []string{http.MethodGet, http.MethodPut},
		AllowedHeaders:   []string{"Content-Type"},
		AllowCredentials: true,
		MaxAge:           2 * time.Hour,
	})
}

// catalogueETag is the version of the public catalogue.
const catalogueETag = `"catalogue-v1"`

// newPublicRouter is the public subtree: GET /public/items/{id}, with an ETag and answers to If-None-Match.
func newPublicRouter() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /public/items/{id}", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("ETag", catalogueETag)
		w.Header().Set("Cache-Control", "public, max-age=60")
		if r.Header.Get("If-None-Match") == catalogueETag {
			w.WriteHeader(http.StatusNotModified)
			return
		}
		writeJSON(w, map[string]any{"id": r.PathValue("id"), "name": "lamp"})
	})
	return mux
}

// newAPIRouter is the credentialed subtree: the items API of the other examples, under /api/, so that it meets
// their router specification under that prefix.
func newAPIRouter() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /api/items/{id}", func(w http.ResponseWriter, r *http.Request) {
		// Keep the "Vary: Origin" the middleware set, on the same line: caches such as nginx up to 1.22
		// read only the last Vary line. (Set alone would drop Origin; Add would start a second line.)
		h := w.Header()
		h.Set("Vary", strings.Join(append(h.Values("Vary"), "Accept-Encoding"), ", "))
		writeJSON(w, map[string]any{"id": r.PathValue("id")})
	})
	mux.HandleFunc("PUT /api/items/{id}", func(w http.ResponseWriter, r *http.Request) {
		writeJSON(w, map[string]any{"id": r.PathValue("id"), "updated": true})
	})
	return mux
}

func writeJSON(w http.ResponseWriter, v any) {
	w.Header().Set("Content-Type", "application/json")
	_ = json.NewEncoder(w).Encode(v)
}
