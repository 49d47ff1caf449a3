package routerspec

import (
	"net/http"

	"github.com/valyala/fasthttp"
)

// RecordFastHTTP makes srv, the fasthttp server of a fiber app, note every request it handles in the
// returned Recorder, in net/http's terms, with the response it answered. It replaces srv.Handler, so call it
// before the server starts.
func RecordFastHTTP(srv *fasthttp.Server) *Recorder {
	rec := &Recorder{}
	handle := srv.Handler
	srv.Handler = func(ctx *fasthttp.RequestCtx) {
		req := http.Header{}
		for k, v := range ctx.Request.Header.All() {
			req.Add(string(k), string(v))
		}
		e := NewExchange(string(ctx.Method()), string(ctx.Path()), req)
		handle(ctx)
		e.Status = ctx.Response.StatusCode()
		e.Header = http.Header{}
		for k, v := range ctx.Response.Header.All() {
			e.Header.Add(string(k), string(v))
		}
		rec.Add(e)
	}
	return rec
}
