// Command config serves a small JSON API whose CORS options come from a JSON file, overridden by environment
// variables — the usual shape of a deployed service: one file in the image, per-environment origins set by the
// platform.
//
//	cd examples/config && go run . -config cors.json
//	CORS_ALLOWED_ORIGINS=http://localhost:3000,https://*.example.com go run .
//
// Environment variables (each replaces the file's value; lists are comma-separated):
//
//	CORS_ALLOWED_ORIGINS, CORS_ALLOWED_METHODS, CORS_ALLOWED_HEADERS, CORS_EXPOSED_HEADERS
//	CORS_ALLOW_CREDENTIALS  true or false
//	CORS_MAX_AGE            a duration (2h, 90s) or a number of seconds
//
// A wrong configuration stops the server at start-up with every problem listed, each with the place it came
// from: the file's line (and column, for a JSON syntax error) or the variable's name.
package main

import (
	"bytes"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"log"
	"net/http"
	"os"
	"strconv"
	"strings"
	"time"

	"github.com/crossorigin/cors"
)

func main() {
	addr := flag.String("addr", ":8080", "address to listen on")
	path := flag.String("config", "cors.json", "CORS options as JSON; CORS_* environment variables override it")
	flag.Parse()

	c, err := configure(*path, os.Getenv)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(2)
	}
	srv := &http.Server{Addr: *addr, Handler: newHandler(c), ReadHeaderTimeout: 10 * time.Second}
	log.Printf("API on %s, allowing %s", *addr, strings.Join(c.Options().AllowedOrigins, ", "))
	log.Fatal(srv.ListenAndServe())
}

// configure reads the options from the JSON file at path, applies the CORS_* variables found through getenv,
// and builds the middleware. Its errors are written for the person deploying the service: each problem on its
// own line, prefixed by where the value came from (file:line, or the variable's name).
func configure(path string, getenv func(string) string) (*cors.Cors, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("cors config: %w", err)
	}
	opts, err := cors.LoadOptions(bytes.NewReader(data))
	if err != nil {
		var syntaxErr *json.SyntaxError
		if errors.As(err, &syntaxErr) {
			line, col := lineCol(data, syntaxErr.Offset)
			return nil, fmt.Errorf("cors config: %s:%d:%d: %w", path, line, col, err)
		}
		return nil, explain(path, data, nil, err)
	}
	fromEnv, err := applyEnv(&opts, getenv)
	if err != nil {
		return nil, fmt.Errorf("cors config: %w", err)
	}
	c, err := cors.New(opts)
	if err != nil {
		return nil, explain(path, data, fromEnv, err)
	}
	return c, nil
}

// explain lists every problem in err (a cors.ConfigError, or several joined), one per line, each prefixed by
// the variable that set the option or the file line that did.
func explain(path string, data []byte, fromEnv []string, err error) error {
	problems := []error{err}
	if joined, ok := err.(interface{ Unwrap() []error }); ok {
		problems = joined.Unwrap()
	}
	lines := keyLines(data)
	var b strings.Builder
	fmt.Fprintf(&b, "cors config: %d problem(s) in %s", len(problems), strings.Join(append([]string{path}, fromEnv...), " + "))
	for _, p := range problems {
		source := path
		var ce *cors.ConfigError
		if errors.As(p, &ce) {
			if line := lines[letters(ce.Field)]; line > 0 {
				source = fmt.Sprintf("%s:%d", path, line)
			}
			for _, name := range fromEnv {
				if letters(ce.Field) == letters(strings.TrimPrefix(name, "CORS_")) {
					source = name
				}
			}
		}
		fmt.Fprintf(&b, "\n  - %s: %v", source, p)
	}
	return errors.New(b.String())
}

// keyLines maps each top-level key of the JSON object in data (by its letters, see letters) to its line.
func keyLines(data []byte) map[string]int {
	lines := map[string]int{}
	dec := json.NewDecoder(bytes.NewReader(data))
	if tok, err := dec.Token(); err != nil || tok != json.Delim('{') {
		return lines
	}
	for dec.More() {
		tok, err := dec.Token()
		key, ok := tok.(string)
		if err != nil || !ok {
			break
		}
		lines[letters(key)], _ = lineCol(data, dec.InputOffset())
		var value json.RawMessage
		if dec.Decode(&value) != nil {
			break
		}
	}
	return lines
}

// lineCol turns the offset the JSON decoder reports (just past the byte in question) into a line and column.
func lineCol(data []byte, offset int64) (line, col int) {
	offset = min(max(offset, 1), int64(len(data)))
	before := data[:offset-1]
	return bytes.Count(before, []byte("\n")) + 1, len(before) - bytes.LastIndexByte(before, '\n')
}

// letters keeps only the letters of an option name, lower-cased, so that AllowedOrigins, allowed_origins and
// CORS_ALLOWED_ORIGINS all read "allowedorigins".
func letters(s string) string {
	return strings.Map(func(r rune) rune {
		if r >= 'a' && r <= 'z' {
			return r
		}
		return -1
	}, strings.ToLower(s))
}

// env lists the variables that override the file, each with the option it replaces.
var env = []struct {
	name string
	set  func(o *cors.Options, value string) error
}{
	{"CORS_ALLOWED_ORIGINS", func(o *cors.Options, v string) error { o.AllowedOrigins = list(v); return nil }},
	{"CORS_ALLOWED_METHODS", func(o *cors.Options, v string) error { o.AllowedMethods = list(v); return nil }},
	{"CORS_ALLOWED_HEADERS", func(o *cors.Options, v string) error { o.AllowedHeaders = list(v); return nil }},
	{"CORS_EXPOSED_HEADERS", func(o *cors.Options, v string) error { o.ExposedHeaders = list(v); return nil }},
	{"CORS_ALLOW_CREDENTIALS", func(o *cors.Options, v string) error {
		b, err := strconv.ParseBool(v)
		if err != nil {
			return errors.New("want true or false")
		}
		o.AllowCredentials = b
		return nil
	}},
	{"CORS_MAX_AGE", func(o *cors.Options, v string) error {
		if secs, err := strconv.Atoi(v); err == nil {
			o.MaxAge = time.Duration(secs) * time.Second
			return nil
		}
		d, err := time.ParseDuration(v)
		if err != nil {
			return errors.New("want a duration such as 2h or 90s, or a number of seconds")
		}
		o.MaxAge = d
		return nil
	}},
}

// applyEnv overrides opts with every non-empty CORS_* variable and returns the names it applied.
func applyEnv(opts *cors.Options, getenv func(string) string) ([]string, error) {
	var applied []string
	for _, e := range env {
		v := strings.TrimSpace(getenv(e.name))
		if v == "" {
			continue
		}
		if err := e.set(opts, v); err != nil {
			return nil, fmt.Errorf("%s=%q: %w", e.name, v, err)
		}
		applied = append(applied, e.name)
	}
	return applied, nil
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

// newHandler returns the API wrapped in the configured middleware.
func newHandler(c *cors.Cors) http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /items/{id}", func(w http.ResponseWriter, r *http.Request) {
		// Keep the "Vary: Origin" the middleware set, on the same line: caches such as nginx up to 1.22
		// read only the last Vary line. (Set alone would drop Origin; Add would start a second line.)
		h := w.Header()
		h.Set("Vary", strings.Join(append(h.Values("Vary"), "Accept-Encoding"), ", "))
		writeJSON(w, map[string]any{"id": r.PathValue("id")})
	})
	mux.HandleFunc("PUT /items/{id}", func(w http.ResponseWriter, r *http.Request) {
		writeJSON(w, map[string]any{"id": r.PathValue("id"), "updated": true})
	})
	return c.Handler(mux)
}

func writeJSON(w http.ResponseWriter, v any) {
	w.Header().Set("Content-Type", "application/json")
	_ = json.NewEncoder(w).Encode(v)
}
