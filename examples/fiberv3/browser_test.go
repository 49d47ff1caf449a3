package main

import (
	"net/http"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
	"github.com/valyala/fasthttp"

	"github.com/crossorigin/cors/examples/internal/corstest"
)

// The router specification again, with real browsers as the judge of what the browser app may do. The app is
// served by fiber's own fasthttp server, as in production; the test only records what that server handles.
func TestFiberV3ExampleInBrowsers(t *testing.T) {
	app, err := newApp([]string{corstest.AllowedOrigin})
	require.NoError(t, err)
	rec := &corstest.Recorder{}
	srv := app.Server()
	handle := srv.Handler
	srv.Handler = func(ctx *fasthttp.RequestCtx) {
		e := received(ctx)
		handle(ctx)
		answered(ctx, e)
		rec.Add(e)
	}
	url := serve(t, app)

	corstest.RunBrowserSpec(t, corstest.BrowserAPI{Addr: strings.TrimPrefix(url, "http://"), Log: rec}, corstest.RouterBrowserCases())
}

// received is what fasthttp received, in net/http's terms.
func received(ctx *fasthttp.RequestCtx) *corstest.Exchange {
	req := http.Header{}
	for k, v := range ctx.Request.Header.All() {
		req.Add(string(k), string(v))
	}
	return corstest.NewExchange(string(ctx.Method()), string(ctx.Path()), req)
}

// answered notes the response fasthttp is about to send.
func answered(ctx *fasthttp.RequestCtx, e *corstest.Exchange) {
	e.Status = ctx.Response.StatusCode()
	e.Header = http.Header{}
	for k, v := range ctx.Response.Header.All() {
		e.Header.Add(string(k), string(v))
	}
}
