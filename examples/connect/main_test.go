package main

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"connectrpc.com/connect"
	connectcors "connectrpc.com/cors"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"google.golang.org/protobuf/types/known/structpb"

	"github.com/crossorigin/cors"
	"github.com/crossorigin/cors/corstest"
	"github.com/crossorigin/cors/examples/internal/routerspec"
)

func serveExample(t *testing.T) *httptest.Server {
	t.Helper()
	h, err := newHandler([]string{routerspec.AllowedOrigin})
	require.NoError(t, err)
	srv := httptest.NewServer(h)
	t.Cleanup(srv.Close)
	return srv
}

// jsonAPICORS is the policy of the router examples, written for a JSON API: Content-Type is the only request
// header it allows, and it exposes nothing.
func jsonAPICORS(t *testing.T) *cors.Cors {
	t.Helper()
	c, err := cors.New(cors.Options{
		AllowedOrigins:   []string{routerspec.AllowedOrigin},
		AllowedHeaders:   []string{"Content-Type"},
		AllowCredentials: true,
	})
	require.NoError(t, err)
	return c
}

// The REST API beside the service meets the router specification under the Connect policy, with its exposed
// headers on every granted actual response.
func TestConnectExampleMeetsRouterSpec(t *testing.T) {
	srv := serveExample(t)
	for _, c := range routerspec.WithExposedHeaders(routerspec.RouterCases(), connectcors.ExposedHeaders()...) {
		t.Run(c.Name, func(t *testing.T) { routerspec.Check(t, srv.URL, c) })
	}
}

// The service works as a Connect service, over both protocols a browser can use, with Connect's own client.
func TestConnectServiceAnswersConnectAndGRPCWebClients(t *testing.T) {
	srv := serveExample(t)
	protocols := []struct {
		name string
		opts []connect.ClientOption
	}{
		{"Connect", nil},
		{"gRPC-Web", []connect.ClientOption{connect.WithGRPCWeb()}},
	}
	for _, p := range protocols {
		t.Run(p.name, func(t *testing.T) {
			client := connect.NewClient[GetItemRequest, Item](srv.Client(), srv.URL+GetItemProcedure,
				append([]connect.ClientOption{connect.WithCodec(jsonCodec{})}, p.opts...)...)
			ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
			defer cancel()

			res, err := client.CallUnary(ctx, connect.NewRequest(&GetItemRequest{ID: "42"}))
			require.NoError(t, err)
			assert.Equal(t, Item{ID: "42", Name: "lamp"}, *res.Msg)

			_, err = client.CallUnary(ctx, connect.NewRequest(&GetItemRequest{ID: "99"}))
			require.Equal(t, connect.CodeNotFound, connect.CodeOf(err), "%v", err)
			var cerr *connect.Error
			require.ErrorAs(t, err, &cerr)
			assert.Equal(t, `item "99" does not exist`, cerr.Message())
			require.Len(t, cerr.Details(), 1)
			detail, err := cerr.Details()[0].Value()
			require.NoError(t, err)
			require.IsType(t, &structpb.Struct{}, detail)
			assert.Equal(t, map[string]any{"resource": "item", "id": "99"}, detail.(*structpb.Struct).AsMap())
		})
	}
}

// The rule as the browser applies it, for each kind of call the app's page makes with its session cookie: a
// Connect unary call and a gRPC-Web call to the service (both preflighted, for their protocol headers), and the
// REST API's PUT. The app's calls are allowed, and the gRPC-Web client can read the status headers the policy
// exposes; a page on a lookalike origin making the same calls is stopped at the preflight. corstest sends no
// request body, so the service answers each RPC with an error ("unary request has zero messages"): the page
// reading that error is what a CORS test needs, and the other tests here check the answers themselves.
func TestTheAppsCredentialedCallsAreAllowedAndALookalikeIsBlocked(t *testing.T) {
	h, err := newHandler([]string{"http://localhost:3000"})
	require.NoError(t, err)

	tests := []struct {
		name     string
		call     corstest.Call // without Origin, Credentials and Cookies, which every call shares
		wantRead []string      // response headers the app's page must be able to read
	}{
		{"a Connect unary call", corstest.Call{
			Method: http.MethodPost, URL: GetItemProcedure,
			Header: http.Header{"Content-Type": {"application/json"}, "Connect-Protocol-Version": {"1"}, "Connect-Timeout-Ms": {"5000"}},
		}, nil},
		{"a gRPC-Web call, whose status is in response headers", corstest.Call{
			Method: http.MethodPost, URL: GetItemProcedure,
			Header: http.Header{
				"Content-Type": {"application/grpc-web+json"}, "X-Grpc-Web": {"1"},
				"X-User-Agent": {"grpc-web-javascript/0.1"}, "Grpc-Timeout": {"5S"},
			},
		}, []string{"Grpc-Status", "Grpc-Message"}},
		{"the REST API's PUT", corstest.Call{
			Method: http.MethodPut, URL: "/items/1",
			Header: http.Header{"Content-Type": {"application/json"}},
		}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			call := tt.call
			call.Origin = "http://localhost:3000"
			call.Credentials = "include"
			call.Cookies = []*http.Cookie{{Name: "session", Value: "abc"}}
			res := corstest.Allowed(t, h, call)
			for _, name := range tt.wantRead {
				assert.True(t, res.CanRead(name), "the page can read %s", name)
			}

			call.Origin = "http://evil-localhost:3000"
			if res := corstest.Blocked(t, h, call); res != nil {
				assert.Equal(t, "preflight", res.BlockedAt, "the browser never sends the lookalike's call")
			}
		})
	}
}

// The pitfall in the browser's terms: under a JSON API's policy, the app's Connect call fails at its preflight,
// and its fix names the headers the preflight asked for, to check against AllowedHeaders.
func TestPitfallAJSONAPIsPolicyBlocksEveryConnectCall(t *testing.T) {
	h := jsonAPICORS(t).Handler(newMux())
	res := corstest.Blocked(t, h, corstest.Call{
		Origin: "http://localhost:3000", Method: http.MethodPost, URL: GetItemProcedure,
		Header:      http.Header{"Content-Type": {"application/json"}, "Connect-Protocol-Version": {"1"}, "Connect-Timeout-Ms": {"5000"}},
		Credentials: "include",
	})
	require.NotNil(t, res)
	assert.Equal(t, "preflight", res.BlockedAt)
	assert.ErrorContains(t, res.Err(), "connect-protocol-version")
}

// call sends one request with a body and returns the response.
func call(t *testing.T, method, url string, header map[string]string, body string) routerspec.Response {
	t.Helper()
	req, err := http.NewRequest(method, url, strings.NewReader(body))
	require.NoError(t, err)
	for k, v := range header {
		req.Header.Set(k, v)
	}
	resp, err := http.DefaultClient.Do(req)
	require.NoError(t, err)
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	require.NoError(t, err)
	return routerspec.Response{Status: resp.StatusCode, Header: resp.Header, Body: string(b)}
}

// grpcWebFrame is one gRPC-Web message frame: flag 0, the length in 4 bytes big-endian, the message.
func grpcWebFrame(msg string) string {
	n := len(msg)
	return string([]byte{0, byte(n >> 24), byte(n >> 16), byte(n >> 8), byte(n)}) + msg
}

// The requests a browser sends for each protocol, and what the policy must answer, over HTTP.
var (
	connectPreflight = map[string]string{
		"Origin":                         routerspec.AllowedOrigin,
		"Access-Control-Request-Method":  http.MethodPost,
		"Access-Control-Request-Headers": "connect-protocol-version,connect-timeout-ms,content-type",
	}
	grpcWebPreflight = map[string]string{
		"Origin":                         routerspec.AllowedOrigin,
		"Access-Control-Request-Method":  http.MethodPost,
		"Access-Control-Request-Headers": "content-type,grpc-timeout,x-grpc-web,x-user-agent",
	}
	connectCall = map[string]string{
		"Origin":                   routerspec.AllowedOrigin,
		"Content-Type":             "application/json",
		"Connect-Protocol-Version": "1",
		"Connect-Timeout-Ms":       "5000",
	}
	grpcWebCall = map[string]string{
		"Origin":       routerspec.AllowedOrigin,
		"Content-Type": "application/grpc-web+json",
		"X-Grpc-Web":   "1",
		"X-User-Agent": "grpc-web-javascript/0.1",
		"Grpc-Timeout": "5S",
	}
)

func TestConnectPolicyAllowsWhatConnectClientsSendAndExposesWhatTheyRead(t *testing.T) {
	srv := serveExample(t)
	url := srv.URL + GetItemProcedure

	t.Run("the Connect call's preflight allows its two Connect headers", func(t *testing.T) {
		r := routerspec.Do(t, http.MethodOptions, url, connectPreflight)
		assert.Equal(t, http.StatusNoContent, r.Status)
		assert.Equal(t, routerspec.AllowedOrigin, r.Header.Get("Access-Control-Allow-Origin"))
		routerspec.AssertTokensOnce(t, r.Header, "Access-Control-Allow-Headers", "Connect-Protocol-Version", "Connect-Timeout-Ms", "Content-Type")
		routerspec.AssertTokensOnce(t, r.Header, "Access-Control-Allow-Methods", http.MethodPost)
		assert.Equal(t, "7200", r.Header.Get("Access-Control-Max-Age"))
	})
	t.Run("the gRPC-Web call's preflight allows its headers", func(t *testing.T) {
		r := routerspec.Do(t, http.MethodOptions, url, grpcWebPreflight)
		assert.Equal(t, http.StatusNoContent, r.Status)
		routerspec.AssertTokensOnce(t, r.Header, "Access-Control-Allow-Headers", "Content-Type", "Grpc-Timeout", "X-Grpc-Web", "X-User-Agent")
	})
	t.Run("a header of the application's own must be added to the list", func(t *testing.T) {
		h := map[string]string{
			"Origin":                         routerspec.AllowedOrigin,
			"Access-Control-Request-Method":  http.MethodPost,
			"Access-Control-Request-Headers": "connect-protocol-version,content-type,x-api-key",
		}
		r := routerspec.Do(t, http.MethodOptions, url, h)
		assert.Equal(t, http.StatusForbidden, r.Status)
		routerspec.AssertNoCORS(t, r)
	})
	t.Run("a Connect error is a JSON body, readable with the origin granted", func(t *testing.T) {
		r := call(t, http.MethodPost, url, connectCall, `{"id":"99"}`)
		assert.Equal(t, http.StatusNotFound, r.Status, "Connect maps not_found to 404")
		assert.Equal(t, routerspec.AllowedOrigin, r.Header.Get("Access-Control-Allow-Origin"))
		assert.Equal(t, "true", r.Header.Get("Access-Control-Allow-Credentials"))
		assert.Contains(t, r.Body, `"code":"not_found"`)
		assert.Contains(t, r.Body, `"debug":{"id":"99","resource":"item"}`, "the detail, as JSON")
	})
	t.Run("a gRPC-Web error is in headers the policy exposes", func(t *testing.T) {
		r := call(t, http.MethodPost, url, grpcWebCall, grpcWebFrame(`{"id":"99"}`))
		assert.Equal(t, http.StatusOK, r.Status, "gRPC-Web answers 200 and puts the status in headers")
		assert.Equal(t, "5", r.Header.Get("Grpc-Status"), "NOT_FOUND")
		assert.NotEmpty(t, r.Header.Get("Grpc-Message"))
		assert.NotEmpty(t, r.Header.Get("Grpc-Status-Details-Bin"))
		assert.Equal(t, routerspec.AllowedOrigin, r.Header.Get("Access-Control-Allow-Origin"))
		routerspec.AssertTokensOnce(t, r.Header, "Access-Control-Expose-Headers", "Grpc-Status", "Grpc-Message", "Grpc-Status-Details-Bin")
	})
	t.Run("a call without Connect-Protocol-Version never reaches the handler", func(t *testing.T) {
		h := map[string]string{"Origin": routerspec.AllowedOrigin, "Content-Type": "application/json"}
		r := call(t, http.MethodPost, url, h, `{"id":"42"}`)
		assert.Equal(t, http.StatusBadRequest, r.Status)
		assert.NotContains(t, r.Body, "lamp")
	})
}

// The pitfall: the policy of a JSON API, which allows Content-Type and exposes nothing, fails every Connect
// call at its preflight (Connect-Protocol-Version and Connect-Timeout-Ms are not allowed), and leaves a
// gRPC-Web client unable to read the status of any call: Grpc-Status is on the wire, but not exposed.
func TestConnectNeedsConnectsHeadersInThePolicy(t *testing.T) {
	example := serveExample(t)
	generic := httptest.NewServer(jsonAPICORS(t).Handler(newMux()))
	t.Cleanup(generic.Close)

	tests := []struct {
		name                                   string
		srv                                    *httptest.Server
		wantPreflightStatus                    int
		wantGRPCStatusExposed, wantPreflightOK bool
	}{
		{"connectrpc.com/cors's lists", example, http.StatusNoContent, true, true},
		{"pitfall: a JSON API's policy", generic, http.StatusForbidden, false, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			url := tt.srv.URL + GetItemProcedure
			r := routerspec.Do(t, http.MethodOptions, url, connectPreflight)
			assert.Equal(t, tt.wantPreflightStatus, r.Status)
			assert.Equal(t, tt.wantPreflightOK, r.Header.Get("Access-Control-Allow-Origin") == routerspec.AllowedOrigin)

			r = call(t, http.MethodPost, url, grpcWebCall, grpcWebFrame(`{"id":"99"}`))
			assert.Equal(t, "5", r.Header.Get("Grpc-Status"), "the status is on the wire either way")
			assert.Equal(t, routerspec.AllowedOrigin, r.Header.Get("Access-Control-Allow-Origin"), "and the origin is granted")
			exposed := false
			for _, name := range routerspec.Tokens(r.Header, "Access-Control-Expose-Headers") {
				exposed = exposed || strings.EqualFold(name, "Grpc-Status")
			}
			assert.Equal(t, tt.wantGRPCStatusExposed, exposed, "whether the page may read Grpc-Status")
		})
	}
}
