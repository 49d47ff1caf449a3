package main

import (
	"maps"
	"net/http"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/crossorigin/cors/examples/internal/routerspec"
)

// The page of the browser app calls the service on the API origin with fetch, as Connect's web client does,
// in real browsers (Chromium, Firefox, WebKit): the Connect call and its error, and a gRPC-Web call, are readable after their preflights;
// a header outside Connect's list, or a refused origin, stops at the preflight. On /generic/ the same service
// sits behind a JSON API's policy (Content-Type only), and the Connect call never gets past its preflight.
// The REST API beside the service meets the router specification.
func TestConnectExampleInBrowsers(t *testing.T) {
	h, err := newHandler([]string{routerspec.AllowedOrigin})
	require.NoError(t, err)
	mux := http.NewServeMux()
	mux.Handle("/", h)
	mux.Handle("/generic/", http.StripPrefix("/generic", jsonAPICORS(t).Handler(newMux())))

	// The fetch() of each case is filled in on the case itself, so this file does not name the browser harness's
	// request type.
	connectCall := func(c routerspec.BrowserCase, body string, extra map[string]string) routerspec.BrowserCase {
		c.Fetch.Method, c.Fetch.Credentials, c.Fetch.Body = http.MethodPost, "include", body
		c.Fetch.Headers = map[string]string{
			"Content-Type":             "application/json",
			"Connect-Protocol-Version": "1",
			"Connect-Timeout-Ms":       "5000",
		}
		maps.Copy(c.Fetch.Headers, extra)
		return c
	}
	grpcWebCall := func(c routerspec.BrowserCase, body string) routerspec.BrowserCase {
		c.Fetch.Method, c.Fetch.Credentials, c.Fetch.Body = http.MethodPost, "include", grpcWebFrame(body)
		c.Fetch.Headers = map[string]string{
			"Content-Type": "application/grpc-web+json",
			"X-Grpc-Web":   "1",
			"X-User-Agent": "grpc-web-javascript/0.1",
		}
		return c
	}

	const rpc = GetItemProcedure
	cases := []routerspec.BrowserCase{
		connectCall(routerspec.BrowserCase{
			Name: "the app's Connect call, with Connect-Protocol-Version and Connect-Timeout-Ms, passes its preflight and is readable",
			Page: routerspec.AllowedOrigin, Path: rpc,
			WantReadable: true, WantBody: `{"id":"42","name":"lamp"}`,
			WantReceived: []string{"OPTIONS " + rpc + ": 204, CORS", "POST " + rpc + ": 200, CORS"},
		}, `{"id":"42"}`, nil),
		connectCall(routerspec.BrowserCase{
			Name: "the app reads a Connect error: its status, code, message and details",
			Page: routerspec.AllowedOrigin, Path: rpc,
			WantReadable: true, WantStatus: http.StatusNotFound,
			WantBody:     `{"code":"not_found","message":"item \"99\" does not exist","details":[{"type":"google.protobuf.Struct"`,
			WantReceived: []string{"OPTIONS " + rpc + ": 204, CORS", "POST " + rpc + ": 404, CORS"},
		}, `{"id":"99"}`, nil),
		grpcWebCall(routerspec.BrowserCase{
			Name: "the app's gRPC-Web call passes its preflight, and the page reads the message",
			Page: routerspec.AllowedOrigin, Path: rpc,
			WantReadable: true, WantBody: `{"id":"7","name":"table"}`,
			WantReceived: []string{"OPTIONS " + rpc + ": 204, CORS", "POST " + rpc + ": 200, CORS"},
		}, `{"id":"7"}`),
		grpcWebCall(routerspec.BrowserCase{
			Name: "the app reads a gRPC-Web error's status from the exposed Grpc-Status and Grpc-Message headers",
			Page: routerspec.AllowedOrigin, Path: rpc,
			// A gRPC-Web error before any message is "trailers-only": HTTP 200, the status in headers that only
			// ExposedHeaders lets the page read.
			WantReadable: true,
			WantHeaders:  map[string]string{"grpc-status": "5", "grpc-message": `item "99" does not exist`},
			WantReceived: []string{"OPTIONS " + rpc + ": 204, CORS", "POST " + rpc + ": 200, CORS"},
		}, `{"id":"99"}`),
		connectCall(routerspec.BrowserCase{
			Name: "a request header of the application's own, not in Connect's list, fails at the preflight",
			Page: routerspec.AllowedOrigin, Path: rpc,
			WantReceived: []string{"OPTIONS " + rpc + ": 403, no CORS"},
		}, `{"id":"42"}`, map[string]string{"X-Api-Key": "k"}),
		connectCall(routerspec.BrowserCase{
			Name: "a refused origin's Connect call stops at the preflight",
			Page: routerspec.RefusedOrigin, Path: rpc,
			WantReceived: []string{"OPTIONS " + rpc + ": 403, no CORS"},
		}, `{"id":"42"}`, nil),
		connectCall(routerspec.BrowserCase{
			Name: "pitfall: behind a JSON API's policy, the Connect call fails at the preflight for its Connect headers",
			Page: routerspec.AllowedOrigin, Path: "/generic" + rpc,
			WantReceived: []string{"OPTIONS /generic" + rpc + ": 403, no CORS"},
		}, `{"id":"42"}`, nil),
	}

	routerspec.RunBrowserSpec(t, routerspec.ServeRecorded(t, mux), append(cases, routerspec.RouterBrowserCases()...))
}
