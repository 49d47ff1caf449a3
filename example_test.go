package cors_test

import (
	"errors"
	"fmt"
	"log"
	"net/http"
	"net/http/httptest"
	"strings"
	"time"

	"github.com/crossorigin/cors"
)

// The quick start: an API on :8080 that the frontend dev server on http://localhost:3000 may call,
// with cookies.
func Example() {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /api/items", func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprintln(w, `["apple","pear"]`)
	})
	mux.HandleFunc("PUT /api/items/{id}", func(w http.ResponseWriter, r *http.Request) {
		w.WriteHeader(http.StatusNoContent)
	})

	c, err := cors.New(cors.Options{
		AllowedOrigins:   []string{"http://localhost:3000"},
		AllowedMethods:   []string{"GET", "PUT"},
		AllowedHeaders:   []string{"Content-Type"},
		AllowCredentials: true,
		MaxAge:           time.Hour,
	})
	if err != nil {
		log.Fatal(err)
	}
	handler := c.Handler(mux) // in a real server: http.ListenAndServe(":8080", handler)

	// What the browser sends before a PUT with a JSON body, and what it gets back.
	preflight := httptest.NewRequest(http.MethodOptions, "http://localhost:8080/api/items/7", nil)
	preflight.Header.Set("Origin", "http://localhost:3000")
	preflight.Header.Set("Access-Control-Request-Method", "PUT")
	preflight.Header.Set("Access-Control-Request-Headers", "content-type")
	rec := httptest.NewRecorder()
	handler.ServeHTTP(rec, preflight)
	fmt.Println(rec.Code)
	for _, h := range []string{"Access-Control-Allow-Origin", "Access-Control-Allow-Credentials", "Access-Control-Allow-Methods", "Access-Control-Allow-Headers", "Access-Control-Max-Age"} {
		fmt.Printf("%s: %s\n", h, rec.Header().Get(h))
	}
	// Output:
	// 204
	// Access-Control-Allow-Origin: http://localhost:3000
	// Access-Control-Allow-Credentials: true
	// Access-Control-Allow-Methods: GET, PUT
	// Access-Control-Allow-Headers: content-type
	// Access-Control-Max-Age: 3600
}

// In production, the policy comes from a configuration file. LoadOptions rejects unknown keys, and New
// rejects unsafe values, each with its fix.
func ExampleLoadOptions() {
	config := `{
		"allowed_origins": ["https://app.example.com", "https://*.example.com"],
		"allowed_headers": ["Content-Type", "Authorization"],
		"allow_credentials": true,
		"max_age": "2h"
	}`
	opts, err := cors.LoadOptions(strings.NewReader(config))
	if err != nil {
		log.Fatal(err)
	}
	c, err := cors.New(opts)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(c.Options().AllowedOrigins, c.Options().MaxAge)

	// A typical mistake in a file: a trailing slash, and "*" with credentials.
	opts, _ = cors.LoadOptions(strings.NewReader(`{"allowed_origins": ["https://app.example.com/", "*"], "allow_credentials": true}`))
	_, err = cors.New(opts)
	var ce *cors.ConfigError
	if errors.As(err, &ce) {
		fmt.Println(ce.Field, ce.Value)
	}
	fmt.Println(err)
	// Output:
	// [https://app.example.com https://*.example.com] 2h0m0s
	// AllowedOrigins https://app.example.com/
	// cors: AllowedOrigins "https://app.example.com/": an origin has no path (not even a trailing slash): write https://app.example.com
	// cors: AllowedOrigins "*": "*" cannot be combined with AllowCredentials (browsers reject "Access-Control-Allow-Origin: *" on credentialed requests, and reflecting any origin with credentials lets every site read your users' data): list the origins you trust, e.g. https://app.example.com or https://*.example.com
}

// Apply adapts the middleware to routers whose middleware is not an http.Handler wrapper: set the headers,
// and stop when Apply has answered a preflight. This is the shape of a gin, echo or fiber middleware.
func ExampleCors_Apply() {
	c := cors.MustNew(cors.Options{AllowedOrigins: []string{"https://app.example.com"}, AllowedMethods: []string{"GET", "DELETE"}})

	// A router's middleware signature, reduced to net/http types.
	middleware := func(next func(http.ResponseWriter, *http.Request)) func(http.ResponseWriter, *http.Request) {
		return func(w http.ResponseWriter, r *http.Request) {
			if c.Apply(w, r) {
				return // a preflight, answered: abort the chain
			}
			next(w, r)
		}
	}
	handler := middleware(func(w http.ResponseWriter, r *http.Request) { fmt.Println("handler ran for", r.Method) })

	for _, method := range []string{http.MethodOptions, http.MethodDelete} {
		r := httptest.NewRequest(method, "https://api.example.com/items/1", nil)
		r.Header.Set("Origin", "https://app.example.com")
		if method == http.MethodOptions {
			r.Header.Set("Access-Control-Request-Method", "DELETE")
		}
		rec := httptest.NewRecorder()
		handler(rec, r)
		fmt.Println(method, rec.Code, rec.Header().Get("Access-Control-Allow-Origin"))
	}
	// Output:
	// OPTIONS 204 https://app.example.com
	// handler ran for DELETE
	// DELETE 200 https://app.example.com
}

// OriginAllowed applies the same allowlist to WebSocket handshakes, which CORS does not cover: with
// gorilla/websocket, use it as the Upgrader's CheckOrigin.
func ExampleCors_OriginAllowed() {
	c := cors.MustNew(cors.Options{AllowedOrigins: []string{"https://*.example.com"}})
	checkOrigin := func(r *http.Request) bool { return c.OriginAllowed(r.Header.Get("Origin")) }

	for _, origin := range []string{"https://chat.example.com", "https://example.com", "https://evil-example.com"} {
		r := httptest.NewRequest(http.MethodGet, "https://api.example.com/ws", nil)
		r.Header.Set("Origin", origin)
		fmt.Println(origin, checkOrigin(r))
	}
	// Output:
	// https://chat.example.com true
	// https://example.com false
	// https://evil-example.com false
}

// Reconfigure swaps the policy atomically, for example when a configuration file changes. A bad policy
// is refused and the one in force stays.
func ExampleCors_Reconfigure() {
	c := cors.MustNew(cors.Options{AllowedOrigins: []string{"https://a.example.com"}})
	err := c.Reconfigure(cors.Options{AllowedOrigins: []string{"https://b.example.com"}})
	fmt.Println(err, c.OriginAllowed("https://a.example.com"), c.OriginAllowed("https://b.example.com"))

	err = c.Reconfigure(cors.Options{AllowedOrigins: []string{"https://c.example.com/"}})
	fmt.Println(err != nil, c.Options().AllowedOrigins)
	// Output:
	// <nil> false true
	// true [https://b.example.com]
}
