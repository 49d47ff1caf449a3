package fetch_test

import (
	"context"
	"fmt"
	"net/http"

	"github.com/crossorigin/cors"
	"github.com/crossorigin/cors/internal/fetch"
)

// A test of the library asks the question that matters — would a browser accept this? — of one
// implementation of the Fetch standard, instead of checking header strings: the policy serves the
// call in-process and the Client judges it as a browser does.
func ExampleClient() {
	policy := cors.MustNew(cors.Options{
		AllowedOrigins:   []string{"https://app.example.com"},
		AllowedMethods:   []string{"GET", "PUT"},
		AllowedHeaders:   []string{"Content-Type"},
		ExposedHeaders:   []string{"X-Request-Id"},
		AllowCredentials: true,
	})
	api := policy.Handler(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("X-Request-Id", "42")
		w.Header().Set("X-Internal", "secret")
	}))
	c := &fetch.Client{Transport: fetch.HandlerTransport{Handler: api}}

	for _, req := range []fetch.Request{
		{Method: "PUT", Header: []fetch.Field{{Name: "Content-Type", Value: "application/json"}}, Credentials: fetch.CredentialsInclude},
		{Method: "DELETE"},
		{Header: []fetch.Field{{Name: "Authorization", Value: "Bearer t"}}},
	} {
		req.URL, req.Origin = "https://api.example.com/items", "https://app.example.com"
		tr, err := c.Do(context.Background(), req)
		if err != nil {
			panic(err)
		}
		if tr.Blocked {
			fmt.Printf("%s: blocked at the %s: %v\n", tr.Method, tr.BlockedAt, tr.Failure)
			continue
		}
		fmt.Printf("%s: allowed, preflighted: %v, the page reads %v\n", tr.Method, tr.LastOf(fetch.KindPreflight) != nil, tr.Readable)
	}
	// Output:
	// PUT: allowed, preflighted: true, the page reads [content-length x-request-id]
	// DELETE: blocked at the preflight: the response to the preflight request does not have an HTTP ok status (got 403)
	// GET: blocked at the preflight: the response to the preflight request does not have an HTTP ok status (got 403)
}
