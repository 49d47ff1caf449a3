// Command chi serves a small JSON API with github.com/go-chi/chi/v5, letting the browser app on
// http://localhost:3000 call it with credentials.
//
//	go run ./chi -addr :8080 -origins http://localhost:3000
//
// chi runs r.Use middleware before routing, for every request (404 and 405 included), so r.Use(c.Handler) is all
// it takes — as long as it comes before the first route: chi panics on a Use after routes.
package main

import (
	"encoding/json"
	"flag"
	"log"
	"net/http"
	"strings"
	"time"

	"github.com/go-chi/chi/v5"

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

// newHandler returns the chi router with the CORS middleware installed.
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

	r := chi.NewRouter()
	r.Use(c.Handler) // first, before any route
	r.Get("/items/{id}", getItem)
	r.Put("/items/{id}", putItem)
	return r, nil
}

func getItem(w http.ResponseWriter, r *http.Request) {
	// Keep the "Vary: Origin" the middleware set, on the same line: caches such as nginx up to 1.22
	// read only the last Vary line. (Set alone would drop Origin; Add would start a second line.)
	h := w.Header()
	h.Set("Vary", strings.Join(append(h.Values("Vary"), "Accept-Encoding"), ", "))
	writeJSON(w, map[string]any{"id": chi.URLParam(r, "id")})
}

func putItem(w http.ResponseWriter, r *http.Request) {
	writeJSON(w, map[string]any{"id": chi.URLParam(r, "id"), "updated": true})
}

func writeJSON(w http.ResponseWriter, v any) {
	w.Header().Set("Content-Type", "application/json")
	_ = json.NewEncoder(w).Encode(v)
}
