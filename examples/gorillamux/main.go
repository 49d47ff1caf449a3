// Command gorillamux serves a small JSON API with github.com/gorilla/mux, letting the browser app on
// http://localhost:3000 call it with credentials.
//
//	go run ./gorillamux -addr :8080 -origins http://localhost:3000
//
// Wrap the router; do not r.Use the middleware. mux runs r.Use middleware only after a route has matched, and a
// preflight ("OPTIONS /items/1") matches no route declared with .Methods("PUT"): mux answers 405 itself and the
// middleware never runs. The same goes for 404 and 405 responses, which would lose their CORS headers.
package main

import (
	"encoding/json"
	"flag"
	"log"
	"net/http"
	"strings"
	"time"

	"github.com/gorilla/mux"

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

// newHandler returns the gorilla/mux router wrapped in the CORS middleware.
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

	r := mux.NewRouter()
	r.HandleFunc("/items/{id}", getItem).Methods(http.MethodGet)
	r.HandleFunc("/items/{id}", putItem).Methods(http.MethodPut)

	return c.Handler(r), nil // wrap the router: r.Use would run too late
}

func getItem(w http.ResponseWriter, r *http.Request) {
	// Keep the "Vary: Origin" the middleware set, on the same line: caches such as nginx up to 1.22
	// read only the last Vary line. (Set alone would drop Origin; Add would start a second line.)
	h := w.Header()
	h.Set("Vary", strings.Join(append(h.Values("Vary"), "Accept-Encoding"), ", "))
	writeJSON(w, map[string]any{"id": mux.Vars(r)["id"]})
}

func putItem(w http.ResponseWriter, r *http.Request) {
	writeJSON(w, map[string]any{"id": mux.Vars(r)["id"], "updated": true})
}

func writeJSON(w http.ResponseWriter, v any) {
	w.Header().Set("Content-Type", "application/json")
	_ = json.NewEncoder(w).Encode(v)
}
