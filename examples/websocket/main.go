// Command websocket serves a JSON endpoint and a WebSocket echo endpoint guarded by one origin allowlist,
// letting the browser app on http://localhost:3000 use both. It shows the two common WebSocket libraries:
//
//	go run ./websocket -addr :8080 -origins http://localhost:3000                  # github.com/gorilla/websocket
//	go run ./websocket -addr :8080 -origins http://localhost:3000 -websocket coder # github.com/coder/websocket
//
// WebSocket handshakes are not subject to CORS: the browser connects from any page, sends its Origin, and
// leaves the decision to the server. Both endpoints ask the same *cors.Cors (OriginAllowed) that answers fetch
// requests, so an origin refused for fetch cannot open a socket either (cross-site WebSocket hijacking):
//   - gorilla/websocket's Upgrader decides through its CheckOrigin func, which is handshakeOriginAllowed;
//   - coder/websocket's Accept decides through OriginPatterns, host patterns in path.Match syntax that cannot
//     express this policy (see coder.go), so the handler checks handshakeOriginAllowed itself, answers 403
//     when it fails, and only then calls Accept with InsecureSkipVerify, which switches Accept's own check off.
package main

import (
	"encoding/json"
	"flag"
	"log"
	"net/http"
	"strings"
	"time"

	"github.com/gorilla/websocket"

	"github.com/crossorigin/cors"
)

func main() {
	addr := flag.String("addr", ":8080", "address to listen on")
	origins := flag.String("origins", "http://localhost:3000", "comma-separated origins allowed to call the API")
	lib := flag.String("websocket", "gorilla", "the WebSocket library serving /ws: gorilla or coder")
	flag.Parse()

	endpoints := map[string]func(*cors.Cors) http.Handler{"gorilla": gorillaEcho, "coder": coderEcho}
	ws, ok := endpoints[*lib]
	if !ok {
		log.Fatalf("-websocket %q: want gorilla or coder", *lib)
	}
	h, err := newHandler(strings.Split(*origins, ","), ws)
	if err != nil {
		log.Fatal(err)
	}
	srv := &http.Server{Addr: *addr, Handler: h, ReadHeaderTimeout: 10 * time.Second}
	log.Printf("API and /ws (%s) on %s, allowing %s", *lib, *addr, *origins)
	log.Fatal(srv.ListenAndServe())
}

// handshakeOriginAllowed reports whether the WebSocket handshake r may proceed: exactly when c would let its
// origin read a fetch response. A handshake without Origin is not from a browser (browsers always send it) and a
// non-browser client could forge any Origin anyway, so it is let through: authenticate such clients another
// way. Two Origin headers are refused, as the CORS middleware refuses them.
func handshakeOriginAllowed(c *cors.Cors, r *http.Request) bool {
	origin := r.Header.Values("Origin")
	return len(origin) == 0 || (len(origin) == 1 && c.OriginAllowed(origin[0]))
}

// newHandler returns the API: GET /messages (fetch) and GET /ws, the WebSocket echo endpoint that ws builds,
// both behind one allowlist.
func newHandler(origins []string, ws func(*cors.Cors) http.Handler) (http.Handler, error) {
	c, err := cors.New(cors.Options{
		AllowedOrigins:   origins,
		AllowCredentials: true,
	})
	if err != nil {
		return nil, err
	}

	mux := http.NewServeMux()
	mux.HandleFunc("GET /messages", func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		_ = json.NewEncoder(w).Encode([]string{"hello"})
	})
	mux.Handle("GET /ws", ws(c))

	// The CORS middleware wraps /ws too: the handshake is a plain GET to it, and the upgrader still gets a
	// ResponseWriter it can hijack.
	return c.Handler(mux), nil
}

// gorillaEcho is the WebSocket echo endpoint on github.com/gorilla/websocket, letting in the origins c allows.
func gorillaEcho(c *cors.Cors) http.Handler {
	upgrader := &websocket.Upgrader{CheckOrigin: func(r *http.Request) bool { return handshakeOriginAllowed(c, r) }}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		conn, err := upgrader.Upgrade(w, r, nil) // a refused origin gets 403 here
		if err != nil {
			return
		}
		defer conn.Close()
		echoMessages(conn)
	})
}

// echoMessages sends every message back until the client goes away.
func echoMessages(conn *websocket.Conn) {
	conn.SetReadLimit(maxMessage)
	for {
		kind, msg, err := conn.ReadMessage()
		if err != nil {
			return
		}
		if err := conn.WriteMessage(kind, msg); err != nil {
			return
		}
	}
}

// maxMessage bounds one message from a client, for both libraries.
const maxMessage = 64 << 10
