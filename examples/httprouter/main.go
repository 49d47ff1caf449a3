// Command httprouter serves a small JSON API with github.com/julienschmidt/httprouter, letting the browser app on
// http://localhost:3000 call it with credentials.
//
//	go run ./httprouter -addr :8080 -origins http://localhost:3000
//
// httprouter has no middleware of its own: wrap the router. It answers OPTIONS by itself (HandleOPTIONS, on by
// default: 200 with an Allow header) and sends its own 404 and 405, so anything inside the router — a wrapped
// route handle, router.GlobalOPTIONS — misses preflights or error responses.
package main

import (
	"encoding/json"
	"flag"
	"log"
	"net/http"
	"strings"
	"time"

	"github.com/julienschmidt/httprouter"

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

// newHandler returns the router wrapped in the CORS middleware.
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

	router := httprouter.New()
	router.GET("/items/:id", getItem)
	router.PUT("/items/:id", putItem)

	return c.Handler(router), nil // wrap the router: it answers OPTIONS, 404 and 405 itself
}

func getItem(w http.ResponseWriter, _ *http.Request, ps httprouter.Params) {
	// Keep the "Vary: Origin" the middleware set, on the same line: caches such as nginx up to 1.22
	// read only the last Vary line. (Set alone would drop Origin; Add would start a second line.)
	h := w.Header()
	h.Set("Vary", strings.Join(append(h.Values("Vary"), "Accept-Encoding"), ", "))
	writeJSON(w, map[string]any{"id": ps.ByName("id")})
}

func putItem(w http.ResponseWriter, _ *http.Request, ps httprouter.Params) {
	writeJSON(w, map[string]any{"id": ps.ByName("id"), "updated": true})
}

func writeJSON(w http.ResponseWriter, v any) {
	w.Header().Set("Content-Type", "application/json")
	_ = json.NewEncoder(w).Encode(v)
}
