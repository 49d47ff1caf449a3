// Command singleorigin is one binary that serves a built frontend and its API from one origin: the production
// set-up of docs/production.md. The page calls /api/... on its own origin, so no call is preflighted and no
// other origin is trusted. The same binary serves development, where the frontend's dev server on
// http://localhost:3000 calls this API on http://localhost:8080 across origins; only the environment differs.
//
//	cd examples && go run ./singleorigin                                              # production: one origin
//	cd examples && CORS_ALLOWED_ORIGINS=http://localhost:3000 go run ./singleorigin   # development
//
// CORS_ALLOWED_ORIGINS is a comma-separated list of the origins that may call the API from another origin.
// Empty, as in production, it trusts none: preflights are refused and a page of another origin reads nothing.
// Either way the middleware stays installed, and changes nothing for the page's own calls: a browser's
// same-origin request is never preflighted and needs no Access-Control-* header. CrossOriginProtection is on in
// both, so a form or a no-cors fetch from an origin the environment does not list never reaches a handler that
// changes state: CORS alone would not stop it.
//
// The frontend is static/, embedded at build time; a real project builds it there (npm run build) before
// go build.
package main

import (
	"embed"
	"encoding/json"
	"flag"
	"io/fs"
	"log"
	"net/http"
	"os"
	"strings"
	"time"

	"github.com/crossorigin/cors"
)

// static is the built frontend, served at /.
//
//go:embed static
var static embed.FS

func main() {
	addr := flag.String("addr", ":8080", "address to listen on")
	flag.Parse()

	opts := policy(os.Getenv)
	h, err := newHandler(opts)
	if err != nil {
		log.Fatal(err)
	}
	trusted := "none (the frontend and the API share this origin)"
	if len(opts.AllowedOrigins) > 0 {
		trusted = strings.Join(opts.AllowedOrigins, ", ")
	}
	srv := &http.Server{Addr: *addr, Handler: h, ReadHeaderTimeout: 10 * time.Second}
	log.Printf("frontend and API on %s; other origins allowed to call the API: %s", *addr, trusted)
	log.Fatal(srv.ListenAndServe())
}

// policy reads the CORS policy from the environment through getenv: the origins of CORS_ALLOWED_ORIGINS, or,
// when it is empty, no other origin at all.
func policy(getenv func(string) string) cors.Options {
	opts := cors.Options{
		AllowedMethods:   []string{http.MethodGet, http.MethodPost, http.MethodPut},
		AllowedHeaders:   []string{"Content-Type"},
		AllowCredentials: true,
		MaxAge:           2 * time.Hour,
		// Cross-origin writes (CSRF) are refused unless their origin is allowed above. The page's own writes
		// pass: browsers mark them "Sec-Fetch-Site: same-origin", or, without that header, send an Origin
		// whose host is the request's Host.
		CrossOriginProtection: true,
	}
	// Empty, as in production, the policy names no origin: with CrossOriginProtection that is a policy
	// of its own, a site whose pages call only their own origin, and cors.New accepts it. (Without
	// CrossOriginProtection, cors.New would take an empty list for a mistake.)
	opts.AllowedOrigins = list(getenv("CORS_ALLOWED_ORIGINS"))
	return opts
}

// list splits a comma-separated variable, dropping blanks around and between elements.
func list(v string) []string {
	var out []string
	for _, s := range strings.Split(v, ",") {
		if s = strings.TrimSpace(s); s != "" {
			out = append(out, s)
		}
	}
	return out
}

// newHandler serves the embedded frontend at / and the API at /api/, the whole mux wrapped in the middleware.
func newHandler(opts cors.Options) (http.Handler, error) {
	c, err := cors.New(opts)
	if err != nil {
		return nil, err
	}
	frontend, err := fs.Sub(static, "static")
	if err != nil {
		return nil, err
	}
	mux := http.NewServeMux()
	mux.Handle("GET /", http.FileServerFS(frontend))
	mux.HandleFunc("GET /api/items/{id}", func(w http.ResponseWriter, r *http.Request) {
		writeJSON(w, http.StatusOK, map[string]any{"id": r.PathValue("id")})
	})
	mux.HandleFunc("PUT /api/items/{id}", func(w http.ResponseWriter, r *http.Request) {
		var item struct {
			Name string `json:"name"`
		}
		if err := json.NewDecoder(http.MaxBytesReader(w, r.Body, 1<<10)).Decode(&item); err != nil {
			writeJSON(w, http.StatusBadRequest, map[string]any{"error": "want a JSON object such as {\"name\":\"lamp\"}"})
			return
		}
		writeJSON(w, http.StatusOK, map[string]any{"id": r.PathValue("id"), "name": item.Name, "updated": true})
	})
	mux.HandleFunc("POST /api/items", func(w http.ResponseWriter, r *http.Request) {
		writeJSON(w, http.StatusCreated, map[string]any{"created": true})
	})
	return c.Handler(mux), nil
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}
