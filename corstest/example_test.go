package corstest_test

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/crossorigin/cors"
	"github.com/crossorigin/cors/corstest"
)

// newAPI is the API of the examples: items that the frontend on http://localhost:3000 reads and
// updates with its session cookie.
func newAPI() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /api/items", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("X-Total-Count", "1")
		w.Header().Set("Content-Type", "application/json")
		fmt.Fprint(w, `[{"id":"1"}]`)
	})
	mux.HandleFunc("PUT /api/items/{id}", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		fmt.Fprintf(w, `{"id":%q,"updated":true}`, r.PathValue("id"))
	})
	c := cors.MustNew(cors.Options{
		AllowedOrigins:   []string{"http://localhost:3000"},
		AllowedMethods:   []string{"GET", "PUT"},
		AllowedHeaders:   []string{"Content-Type"},
		ExposedHeaders:   []string{"X-Total-Count"},
		AllowCredentials: true,
		MaxAge:           2 * time.Hour,
	})
	return c.Handler(mux)
}

func ExampleCheck() {
	res, err := corstest.Check(newAPI(), corstest.Call{
		Origin:      "http://localhost:3000",
		Method:      "PUT",
		URL:         "/api/items/1",
		Header:      http.Header{"Content-Type": {"application/json"}},
		Credentials: "include",
		Cookies:     []*http.Cookie{{Name: "session", Value: "abc"}},
	})
	if err != nil {
		panic(err) // a call no page could make
	}
	fmt.Println("allowed:", res.Allowed)
	fmt.Println("preflight:", res.Preflight.Request.Method, res.Preflight.Status)
	fmt.Println("cookie sent:", res.Response.Request.Header.Get("Cookie"))
	// Output:
	// allowed: true
	// preflight: OPTIONS 204
	// cookie sent: session=abc
}

func ExampleResult_Err() {
	res, err := corstest.Check(newAPI(), corstest.Call{
		Origin: "http://localhost:3000",
		Method: "DELETE",
		URL:    "/api/items/1",
	})
	if err != nil {
		panic(err)
	}
	fmt.Println(res.Err())
	// Output:
	// the browser blocks DELETE /api/items/1 from http://localhost:3000 (credentials: same-origin) at the preflight:
	//   1. The response to the preflight request does not have an HTTP ok status (got 403).
	//      fix: The preflight got 403 without CORS headers. Either the CORS middleware refused it (github.com/crossorigin/cors answers a refused preflight 403: check that http://localhost:3000 is in AllowedOrigins, and DELETE in AllowedMethods), or an authentication layer answered first: a preflight never carries cookies or Authorization, so put the CORS middleware before authentication.
}

func ExampleResult_CanRead() {
	res, err := corstest.Check(newAPI(), corstest.Call{Origin: "http://localhost:3000", URL: "/api/items"})
	if err != nil {
		panic(err)
	}
	fmt.Println("X-Total-Count:", res.CanRead("X-Total-Count")) // exposed
	fmt.Println("Vary:", res.CanRead("Vary"))                   // sent, but neither safelisted nor exposed
	fmt.Println(res.Readable)
	// Output:
	// X-Total-Count: true
	// Vary: false
	// [content-length content-type x-total-count]
}

func ExampleCheckURL() {
	srv := httptest.NewServer(newAPI())
	defer srv.Close()

	res, err := corstest.CheckURL(context.Background(), srv.Client(), corstest.Call{
		Origin:      "https://evil.example",
		URL:         srv.URL + "/api/items",
		Credentials: "include",
	})
	if err != nil {
		panic(err) // nothing listening, a timeout
	}
	fmt.Println("allowed:", res.Allowed, "blocked at:", res.BlockedAt)
	fmt.Println(res.Problems[0].Message)
	// Output:
	// allowed: false blocked at: request
	// No 'Access-Control-Allow-Origin' header is present on the response to origin 'https://evil.example'.
}

func ExampleScan() {
	// A hand-written handler that echoes any Origin, with credentials: the classic CORS vulnerability.
	echo := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Access-Control-Allow-Origin", r.Header.Get("Origin"))
		w.Header().Set("Access-Control-Allow-Credentials", "true")
		w.Header().Set("Vary", "Origin")
	})
	findings, err := corstest.Scan(echo, "https://app.example.com")
	if err != nil {
		panic(err)
	}
	for _, f := range findings {
		fmt.Println(f.Severity, f.ID, f.Origin)
	}

	findings, err = corstest.Scan(newAPI(), "http://localhost:3000")
	if err != nil {
		panic(err)
	}
	fmt.Println("the policy:", len(findings), "findings")
	// Output:
	// critical reflects-any-origin https://corscheck-attacker.example
	// critical allows-null-origin null
	// medium wildcard-with-credentials *
	// the policy: 0 findings
}

// The test the package documentation and the README show, as a user writes it.
func TestTheAppCanUpdateItemsAndALookalikeCannot(t *testing.T) {
	api := newAPI()
	corstest.Allowed(t, api, corstest.Call{
		Origin:      "http://localhost:3000",
		Method:      "PUT",
		URL:         "/api/items/1",
		Header:      http.Header{"Content-Type": {"application/json"}},
		Credentials: "include",
	})
	corstest.Blocked(t, api, corstest.Call{
		Origin:      "http://localhost.evil.example:3000",
		URL:         "/api/items/1",
		Credentials: "include",
	})
}

// The table-driven test docs/testing.md shows.
func TestThePolicyGrantsWhatTheFrontendNeedsAndNothingElse(t *testing.T) {
	api := newAPI()
	tests := []struct {
		name    string
		call    corstest.Call
		allowed bool
		reads   []string // response headers the page reads
	}{
		{"the app lists items and reads the total", corstest.Call{Origin: "http://localhost:3000", URL: "/api/items", Credentials: "include"}, true, []string{"X-Total-Count"}},
		{"the app updates an item", corstest.Call{Origin: "http://localhost:3000", Method: "PUT", URL: "/api/items/1", Header: http.Header{"Content-Type": {"application/json"}}, Credentials: "include"}, true, nil},
		{"the app cannot delete", corstest.Call{Origin: "http://localhost:3000", Method: "DELETE", URL: "/api/items/1", Credentials: "include"}, false, nil},
		{"another port is another origin", corstest.Call{Origin: "http://localhost:3001", URL: "/api/items"}, false, nil},
		{"a lookalike reads nothing", corstest.Call{Origin: "http://localhost.evil.example:3000", URL: "/api/items", Credentials: "include"}, false, nil},
		{"null reads nothing", corstest.Call{Origin: "null", URL: "/api/items"}, false, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res, err := corstest.Check(api, tt.call)
			require.NoError(t, err)
			require.Equal(t, tt.allowed, res.Allowed, "%v", res.Err())
			for _, h := range tt.reads {
				assert.True(t, res.CanRead(h), "the page cannot read %s; it reads %v", h, res.Readable)
			}
			assert.Empty(t, res.Warnings)
		})
	}
}

// The security regression test docs/testing.md shows.
func TestNoOriginIsWronglyTrusted(t *testing.T) {
	findings, err := corstest.Scan(newAPI(), "http://localhost:3000")
	require.NoError(t, err)
	assert.Empty(t, findings)
}

// docs/testing.md shows what the helpers report; the reports are these, word for word.
func TestTheDocsShowWhatTheHelpersReport(t *testing.T) {
	doc, err := os.ReadFile("../docs/testing.md")
	require.NoError(t, err)
	noPut := cors.MustNew(cors.Options{AllowedOrigins: []string{"http://localhost:3000"}, AllowedHeaders: []string{"Content-Type"}, AllowCredentials: true}).Handler(newAPI())
	echo := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Access-Control-Allow-Origin", r.Header.Get("Origin"))
		w.Header().Set("Access-Control-Allow-Credentials", "true")
		w.Header().Set("Vary", "Origin")
	})
	tb := &fakeTB{}
	corstest.Allowed(tb, noPut, corstest.Call{Origin: "http://localhost:3000", Method: "PUT", URL: "/api/items/1",
		Header: http.Header{"Content-Type": {"application/json"}}, Credentials: "include"})
	corstest.Blocked(tb, echo, corstest.Call{Origin: "http://localhost.evil.example:3000", URL: "/api/items/1", Credentials: "include"})
	require.Len(t, tb.errors, 2)
	for _, report := range tb.errors {
		assert.Contains(t, string(doc), "```text\n"+report+"\n```")
	}
}
