// Command nethttp serves a small JSON API with the standard library's http.ServeMux (Go 1.22 method patterns),
// letting the browser app on http://localhost:3000 call it with credentials.
//
//	go run ./nethttp -addr :8080 -origins http://localhost:3000
//
// The whole mux is wrapped: the middleware must see a preflight before the mux does, because the mux answers
// "OPTIONS /items/1" with 405 when only "GET /items/{id}" and "PUT /items/{id}" are registered.
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
	origins := flag.String("origins", "http://localhost:3000", "comma-separated origins allowed to call the API")
	flag.Parse()

	h, err := newHandler(strings.Split(*origins, ","))
	if err != nil {
		log.Fatal(err)
	}
	srv := &http.Server{Addr: *addr, Handler: h, ReadHeaderTimeout: 10 * time.Second}
	log.Printf("API on %s, allowing %s", *addr, *origins)
	log.Fatal(srv.ListenAndServe())
}

// newHandler returns the API wrapped in the CORS middleware.
func newHandler(origins []string) (http.Handler, error) {
	c, err := cors.New(cors.Options{
		AllowedOrigins:   origins,
		AllowedMethods:   []string{http.MethodGet, http.MethodPut},
		AllowedHeaders:   []string{"Content-Type"},
		AllowCredentials: true,
		MaxAge:           2 * time.Hour,
	})
	if err != nil {
		return nil, err
	}

	mux := http.NewServeMux()
	mux.HandleFunc("GET /items/{id}", getItem)
	mux.HandleFunc("PUT /items/{id}", putItem)
	// No "OPTIONS /items/{id}" route: preflights are the middleware's job.

	return c.Handler(mux), nil // wrap the mux, not the routes
}

func getItem(w http.ResponseWriter, r *http.Request) {
	// Keep the "Vary: Origin" the middleware set, on the same line: caches such as nginx up to 1.22
	// read only the last Vary line. (Set alone would drop Origin; Add would start a second line.)
	h := w.Header()
	h.Set("Vary", strings.Join(append(h.Values("Vary"), "Accept-Encoding"), ", "))
	writeJSON(w, map[string]any{"id": r.PathValue("id")})
}

func putItem(w http.ResponseWriter, r *http.Request) {
	writeJSON(w, map[string]any{"id": r.PathValue("id"), "updated": true})
}

func writeJSON(w http.ResponseWriter, v any) {
	w.Header().Set("Content-Type", "application/json")
	_ = json.NewEncoder(w).Encode(v)
}
