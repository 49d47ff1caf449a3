package main

import (
	"context"
	"net/http"
	"time"

	"github.com/coder/websocket"

	"github.com/crossorigin/cors"
)

// idleTimeout closes a socket that has sent nothing for this long.
const idleTimeout = time.Minute

// coderEcho is the WebSocket echo endpoint on github.com/coder/websocket, letting in the origins c allows.
//
// Accept checks the Origin itself unless told not to, against AcceptOptions.OriginPatterns: host patterns
// matched with path.Match, case-insensitively, against the Origin's host alone (or "scheme://host" when the
// pattern has "://"), and it always lets in an Origin whose host equals the request's Host, whatever its
// scheme. That cannot express this package's policy: host-only patterns admit every scheme (a page served over
// plain http, which anyone on the network path can rewrite, passes for the https app), the same-host rule admits
// origins the policy refuses, a policy with an AllowOriginFunc has no pattern form at all, and a pattern error
// only shows at the first handshake. Two lists in two syntaxes would also drift apart.
//
// So this handler decides first, with the same *cors.Cors that answers fetch requests, and refuses with 403 as
// Accept would; only a handshake that passed is handed to Accept, with InsecureSkipVerify set — which is safe
// here only because the check above has already run on every path to Accept.
func coderEcho(c *cors.Cors) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if !handshakeOriginAllowed(c, r) {
			http.Error(w, http.StatusText(http.StatusForbidden), http.StatusForbidden)
			return
		}
		conn, err := websocket.Accept(w, r, &websocket.AcceptOptions{
			InsecureSkipVerify: true, // the origin was checked above, against the CORS policy
		})
		if err != nil {
			return // Accept has answered the client
		}
		defer func() { _ = conn.CloseNow() }()
		echoCoder(conn)
	})
}

// echoCoder sends every message back until the client goes away or stays silent for idleTimeout. It does not
// use the request's context, which ends with the handshake's request once the connection is hijacked.
func echoCoder(conn *websocket.Conn) {
	conn.SetReadLimit(maxMessage)
	for {
		ctx, cancel := context.WithTimeout(context.Background(), idleTimeout)
		kind, msg, err := conn.Read(ctx)
		if err == nil {
			err = conn.Write(ctx, kind, msg)
		}
		cancel()
		if err != nil {
			return
		}
	}
}
