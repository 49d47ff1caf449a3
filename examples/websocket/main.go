// Command websocket serves a JSON endpoint and a WebSocket echo endpoint guarded by one origin allowlist,
// letting the browser app on http://localhost:3000 use both.
//
//	go run ./websocket -addr :8080 -origins http://localhost:3000
//
// WebSocket handshakes are not subject to CORS: the browser connects from any page, sends its Origin, and
// leaves the decision to the server. gorilla/websocket's Upgrader decides through CheckOrigin, so it asks the
// same *cors.Cors (OriginAllowed) that answers fetch requests: an origin refused for fetch cannot open a
// socket either (cross-site WebSocket hijacking).
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
	flag.Parse()

	h, err := newHandler(strings.Split(*origins, ","))
	if err != nil {
		log.Fatal(err)
	}
	srv := &http.Server{Addr: *addr, Handler: h, ReadHeaderTimeout: 10 * time.Second}
	log.Printf("API and /ws on %s, allowing %s", *addr, *origins)
	log.Fatal(srv.ListenAndServe())
}

// checkOrigin returns a CheckOrigin for a websocket.Upgrader that accepts exactly the origins c accepts.
// A handshake without Origin is not from a browser (browsers always send it) and a non-browser client could
// forge any Origin anyway, so it is let through: authenticate such clients another way. Two Origin headers are
// refused, as the CORS middleware refuses them.
func checkOrigin(c *cors.Cors) func(r *http.Request) bool {
	return func(r *http.Request) bool {
		origin := r.Header.Values("Origin")
		return len(origin) == 0 || (len(origin) == 1 && c.OriginAllowed(origin[0]))
	}
}

// newHandler returns the API: GET /messages (fetch) and GET /ws (WebSocket echo), both behind one allowlist.
func newHandler(origins []string) (http.Handler, error) {
	c, err := cors.New(cors.Options{
		AllowedOrigins:   origins,
		AllowCredentials: true,
	})
	if err != nil {
		return nil, err
	}
	upgrader := &websocket.Upgrader{CheckOrigin: checkOrigin(c)}

	mux := http.NewServeMux()
	mux.HandleFunc("GET /messages", func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		_ = json.NewEncoder(w).Encode([]string{"hello"})
	})
	mux.HandleFunc("GET /ws", func(w http.ResponseWriter, r *http.Request) {
		conn, err := upgrader.Upgrade(w, r, nil) // a refused origin gets 403 here
		if err != nil {
			return
		}
		defer conn.Close()
		echoMessages(conn)
	})

	// The CORS middleware wraps /ws too: the handshake is a plain GET to it, and the upgrader still gets a
	// ResponseWriter it can hijack.
	return c.Handler(mux), nil
}

// echoMessages sends every message back until the client goes away.
func echoMessages(conn *websocket.Conn) {
	conn.SetReadLimit(64 << 10)
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
