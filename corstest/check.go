package corstest

import (
	"context"
	"errors"
	"fmt"
	"net/http"

	"github.com/crossorigin/cors/internal/call"
	"github.com/crossorigin/cors/internal/explain"
)

// tool words the fixes that are about the call itself in this package's terms.
var tool = explain.Tool{Include: `Credentials: "include"`, Cookie: "Cookies", SetCookie: "the Call's Cookies"}

// Check makes the call against h in-process, with no listener. The error is for a Call that no page
// could make (an Origin that is not a serialised origin, a URL with userinfo or that is neither a path
// nor an absolute http(s) URL, or whose host or port a browser's URL parser refuses, a Credentials mode
// fetch() does not know, a method or header that fetch() would throw on); a blocked call is not an error.
//
// A path is resolved against [APIOrigin]. Check serves the URL's host (its name and port) only, and
// follows redirects on it; a redirect to another host is an error that says so, since no handler
// answers there: use CheckURL, with a server on each host. A handler that panics is an error too.
func Check(h http.Handler, c Call) (*Result, error) {
	if h == nil {
		return nil, errors.New("corstest: Check needs a handler")
	}
	made, err := call.InProcess(h, APIOrigin, call.Call(c))
	var otherHost *call.OtherHostError
	if errors.As(err, &otherHost) {
		return nil, fmt.Errorf("corstest: %s: %w: use CheckURL, with a server on each host", c, err)
	}
	return result(c, made, err)
}

// CheckURL makes the call over the network with client (nil: a default client with timeouts). A network
// error (nothing listening, a timeout) is an error, not a verdict.
//
// Only the client's Transport and Timeout are used: each call is a fresh browser with the Call's
// cookies (the client's Jar is not used) that follows redirects as Fetch does (its CheckRedirect is not
// used). Timeout bounds each request, ctx the whole call. A nil client, or a nil Transport, reads
// response headers up to 256 KiB (Chromium's limit) and never reuses connections; a nil client bounds
// each request to 10 seconds.
func CheckURL(ctx context.Context, client *http.Client, c Call) (*Result, error) {
	made, err := call.Network(ctxOrBackground(ctx), client, call.Call(c))
	return result(c, made, err)
}

// result is the verdict on the call made, or the error that kept it from being made.
func result(c Call, made *call.Made, err error) (*Result, error) {
	if err != nil {
		return nil, fmt.Errorf("corstest: %s: %w", c, err)
	}
	rep := explain.Explain(explain.Input{Trace: made.Trace, Request: made.Request, Cookies: len(c.Cookies) > 0}, tool)
	return newResult(c, made.Trace, rep), nil
}

func ctxOrBackground(ctx context.Context) context.Context {
	if ctx == nil {
		return context.Background()
	}
	return ctx
}
