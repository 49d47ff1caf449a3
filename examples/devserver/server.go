package main

import (
	"bytes"
	"crypto/rand"
	_ "embed"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"html/template"
	"io"
	"log/slog"
	"net/http"
	"os"
	"strconv"
	"sync/atomic"

	"github.com/crossorigin/cors"
)

// defaultConfig is cors.json from this folder, used when -config is not given,
// so that the demo runs from any working directory.
//
//go:embed cors.json
var defaultConfig []byte

//go:embed index.html
var indexHTML string

var pageTemplate = template.Must(template.New("index.html").Parse(indexHTML))

// defaultConfigSource names the embedded default in messages and on the page.
const defaultConfigSource = "devserver/cors.json (embedded default)"

// sessionCookie is the cookie the API sets in POST /api/login and reads in
// GET /api/me, to demonstrate a credentialed request.
const sessionCookie = "devserver_session"

// handlers are the two halves of the demo: the frontend page and the
// CORS-wrapped API, plus the middleware itself (for its effective options).
type handlers struct {
	cors         *cors.Cors
	configSource string
	frontend     http.Handler
	api          http.Handler
}

// buildHandlers reads the CORS options from the JSON file at configPath (the
// embedded cors.json when configPath is empty), builds the middleware and
// returns the frontend page, which calls the API at apiURL, and the API
// wrapped by the middleware. CORS refusals are logged to logger (at debug
// level) when it is not nil.
func buildHandlers(configPath, apiURL string, logger *slog.Logger) (handlers, error) {
	c, source, err := newCors(configPath, logger)
	if err != nil {
		return handlers{}, err
	}
	return assembleHandlers(c, source, apiURL)
}

// newCors builds the middleware from the config file at configPath (the
// embedded default when empty); source describes where the options came from.
func newCors(configPath string, logger *slog.Logger) (c *cors.Cors, source string, err error) {
	opts, source, err := loadOptions(configPath)
	if err != nil {
		return nil, source, err
	}
	opts.Logger = logger
	c, err = cors.New(opts)
	if err != nil {
		return nil, source, fmt.Errorf("CORS config %s is invalid:\n%w", source, err)
	}
	return c, source, nil
}

// assembleHandlers builds the frontend, whose page calls the API at apiURL,
// and the API wrapped by c.
func assembleHandlers(c *cors.Cors, source, apiURL string) (handlers, error) {
	frontend, err := newFrontend(apiURL, source)
	if err != nil {
		return handlers{}, err
	}
	return handlers{cors: c, configSource: source, frontend: frontend, api: newAPI(c)}, nil
}

// loadOptions decodes CORS options strictly (an unknown key is an error) from
// the file at path, or from the embedded default when path is empty. source
// describes where the options came from.
func loadOptions(path string) (opts cors.Options, source string, err error) {
	var r io.Reader
	if path == "" {
		source = defaultConfigSource
		r = bytes.NewReader(defaultConfig)
	} else {
		f, err := os.Open(path)
		if err != nil {
			return cors.Options{}, path, fmt.Errorf("reading CORS config: %w", err)
		}
		defer f.Close()
		source = path
		r = f
	}
	opts, err = cors.LoadOptions(r)
	if err != nil {
		return cors.Options{}, source, fmt.Errorf("CORS config %s: %w", source, err)
	}
	return opts, source, nil
}

// newFrontend serves the demo page, rendered once with the API's URL.
func newFrontend(apiURL, configSource string) (http.Handler, error) {
	var page bytes.Buffer
	data := struct{ APIURL, ConfigSource string }{apiURL, configSource}
	if err := pageTemplate.Execute(&page, data); err != nil {
		return nil, fmt.Errorf("rendering the page: %w", err)
	}
	body := page.Bytes()
	mux := http.NewServeMux()
	mux.HandleFunc("GET /{$}", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		w.Header().Set("Cache-Control", "no-store")
		_, _ = w.Write(body)
	})
	return mux, nil
}

// apiIndex is what GET / on the API answers: a guide for non-browser clients.
const apiIndex = `cors devserver API

  GET    /api/hello       a greeting (no preflight from a browser)
  PUT    /api/items/{id}  stores a JSON item (preflighted: PUT, Content-Type, X-Demo)
  DELETE /api/items/{id}  deletes an item (the default config does not allow DELETE for browsers)
  POST   /api/login       sets the ` + sessionCookie + ` cookie
  GET    /api/me          reads the ` + sessionCookie + ` cookie (call with credentials)

CORS only governs what a browser lets a page read; curl and other clients
reach every route:

  curl -i %[1]s/api/hello
  curl -i -H 'Origin: http://localhost:3000' %[1]s/api/hello
  curl -i -X OPTIONS -H 'Origin: http://localhost:3000' -H 'Access-Control-Request-Method: PUT' -H 'Access-Control-Request-Headers: content-type,x-demo' %[1]s/api/items/42
`

// newAPI is the demo API, wrapped by c. Every response carries X-Request-Id
// (exposed to pages by the default config) and X-Api-Version (not exposed,
// so a page cannot read it).
func newAPI(c *cors.Cors) http.Handler {
	var requests atomic.Uint64
	mux := http.NewServeMux()
	mux.HandleFunc("GET /{$}", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		fmt.Fprintf(w, apiIndex, "http://"+r.Host)
	})
	mux.HandleFunc("GET /api/hello", func(w http.ResponseWriter, r *http.Request) {
		writeJSON(w, http.StatusOK, map[string]any{
			"message": "hello from the API",
			"origin":  r.Header.Get("Origin"),
		})
	})
	mux.HandleFunc("PUT /api/items/{id}", func(w http.ResponseWriter, r *http.Request) {
		var item map[string]any
		if err := json.NewDecoder(http.MaxBytesReader(w, r.Body, 64<<10)).Decode(&item); err != nil {
			writeJSON(w, http.StatusBadRequest, map[string]any{"error": "body must be a JSON object: " + err.Error()})
			return
		}
		writeJSON(w, http.StatusOK, map[string]any{
			"id":     r.PathValue("id"),
			"stored": item,
			"x_demo": r.Header.Get("X-Demo"),
		})
	})
	mux.HandleFunc("DELETE /api/items/{id}", func(w http.ResponseWriter, r *http.Request) {
		w.WriteHeader(http.StatusNoContent)
	})
	mux.HandleFunc("POST /api/login", func(w http.ResponseWriter, r *http.Request) {
		session := newSessionID()
		// Cookies are not scoped by port: localhost:3000 and localhost:8080 are
		// the same site, so SameSite=Lax lets the browser send this cookie on
		// the page's credentialed fetches to the API.
		http.SetCookie(w, &http.Cookie{
			Name:     sessionCookie,
			Value:    session,
			Path:     "/",
			MaxAge:   3600,
			HttpOnly: true,
			SameSite: http.SameSiteLaxMode,
		})
		writeJSON(w, http.StatusOK, map[string]any{"session": session})
	})
	mux.HandleFunc("GET /api/me", func(w http.ResponseWriter, r *http.Request) {
		cookie, err := r.Cookie(sessionCookie)
		if err != nil {
			writeJSON(w, http.StatusUnauthorized, map[string]any{
				"cookie_received": false,
				"error":           "no " + sessionCookie + " cookie: POST /api/login first, and fetch with credentials: \"include\"",
			})
			return
		}
		writeJSON(w, http.StatusOK, map[string]any{"cookie_received": true, "session": cookie.Value})
	})
	withIDs := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("X-Request-Id", "req-"+strconv.FormatUint(requests.Add(1), 10))
		w.Header().Set("X-Api-Version", "1")
		w.Header().Set("Cache-Control", "no-store")
		mux.ServeHTTP(w, r)
	})
	return c.Handler(withIDs)
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}

func newSessionID() string {
	var b [8]byte
	_, _ = rand.Read(b[:]) // crypto/rand.Read never returns an error
	return hex.EncodeToString(b[:])
}
