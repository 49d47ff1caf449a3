// Command connect serves a Connect RPC service (connectrpc.com/connect) that a page on another origin calls
// with fetch, letting the browser app on http://localhost:3000 call it with credentials.
//
//	go run ./connect -addr :8080 -origins http://localhost:3000
//
// The service is items.v1.ItemService with one unary method, GetItem, written without code generation: a
// connect.NewUnaryHandler over plain Go structs with a JSON codec (jsonCodec), so it speaks the Connect protocol
// with JSON ("application/json") and gRPC-Web with JSON ("application/grpc-web+json"). A page calls it as
// Connect's own web client does:
//
//	fetch("http://localhost:8080/items.v1.ItemService/GetItem", {
//	  method: "POST", credentials: "include",
//	  headers: {"Content-Type": "application/json", "Connect-Protocol-Version": "1", "Connect-Timeout-Ms": "5000"},
//	  body: JSON.stringify({id: "42"}),
//	})
//
// Both Connect headers are outside the CORS-safelisted ones, so every call is preflighted, and the policy must
// allow them by name; gRPC-Web sends its status in response headers that the page may read only when they are
// exposed. The policy takes its methods and headers from connectrpc.com/cors, the Connect project's own
// list (README.md in this folder says which headers and why). The same mux also serves the REST items API of
// the other examples (GET and PUT /items/{id}), as a service moving to Connect often does, so one policy covers
// both: Connect's methods plus PUT.
package main

import (
	"bytes"
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"log"
	"net/http"
	"strings"
	"time"

	"connectrpc.com/connect"
	connectcors "connectrpc.com/cors"
	"google.golang.org/protobuf/types/known/structpb"

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
	log.Printf("Connect service and REST API on %s, allowing %s", *addr, *origins)
	log.Fatal(srv.ListenAndServe())
}

// newHandler returns the Connect service and the REST API on one mux, behind the CORS middleware.
func newHandler(origins []string) (http.Handler, error) {
	c, err := newCORS(origins)
	if err != nil {
		return nil, err
	}
	return c.Handler(newMux()), nil
}

// newCORS is the policy of the example. Every list comes from connectrpc.com/cors, so it follows Connect's
// protocols as they evolve; add to it the headers of your own application (README.md):
//   - methods: POST for every protocol, GET for Connect's cacheable GET requests — and PUT, for the REST API;
//   - request headers: Content-Type, Connect-Protocol-Version, Connect-Timeout-Ms, Grpc-Timeout, X-Grpc-Web,
//     X-User-Agent — what Connect's and gRPC-Web's browser clients send;
//   - exposed headers: Grpc-Status, Grpc-Message, Grpc-Status-Details-Bin — where gRPC-Web puts an error
//     (a Connect unary error is a JSON body, which needs nothing exposed).
//
// MaxAge is 2h, the most Chromium honours: every Connect call is preflighted, so the cache matters.
func newCORS(origins []string) (*cors.Cors, error) {
	return cors.New(cors.Options{
		AllowedOrigins:   origins,
		AllowedMethods:   append(connectcors.AllowedMethods(), http.MethodPut),
		AllowedHeaders:   connectcors.AllowedHeaders(),
		ExposedHeaders:   connectcors.ExposedHeaders(),
		AllowCredentials: true,
		MaxAge:           2 * time.Hour,
	})
}

// GetItemProcedure is the path of ItemService.GetItem, as Connect names procedures: /package.Service/Method.
const GetItemProcedure = "/items.v1.ItemService/GetItem"

// GetItemRequest is GetItem's request message.
type GetItemRequest struct {
	ID string `json:"id"`
}

// Item is GetItem's response message.
type Item struct {
	ID   string `json:"id"`
	Name string `json:"name"`
}

// items is the service's data.
var items = map[string]string{"1": "chair", "7": "table", "42": "lamp"}

// newMux returns the routes: ItemService.GetItem, and the REST API of the other examples.
func newMux() *http.ServeMux {
	mux := http.NewServeMux()
	mux.Handle(GetItemProcedure, connect.NewUnaryHandler(GetItemProcedure, getItem,
		connect.WithCodec(jsonCodec{}),
		connect.WithReadMaxBytes(64<<10),
		// Connect calls must say they are Connect calls: a plain form POST or a no-cors fetch cannot set
		// the header, so it never reaches getItem.
		connect.WithRequireConnectProtocolHeader(),
	))
	mux.HandleFunc("GET /items/{id}", func(w http.ResponseWriter, r *http.Request) {
		// Keep the middleware's "Vary: Origin" on the same line (see the other examples).
		h := w.Header()
		h.Set("Vary", strings.Join(append(h.Values("Vary"), "Accept-Encoding"), ", "))
		writeJSON(w, map[string]any{"id": r.PathValue("id")})
	})
	mux.HandleFunc("PUT /items/{id}", func(w http.ResponseWriter, r *http.Request) {
		writeJSON(w, map[string]any{"id": r.PathValue("id"), "updated": true})
	})
	return mux
}

// getItem implements ItemService.GetItem. An unknown id is a not_found error with a detail naming the missing
// resource, which a Connect client reads from the JSON error body.
func getItem(_ context.Context, req *connect.Request[GetItemRequest]) (*connect.Response[Item], error) {
	id := req.Msg.ID
	name, ok := items[id]
	if !ok {
		return nil, notFound(id)
	}
	return connect.NewResponse(&Item{ID: id, Name: name}), nil
}

// notFound is the not_found error for item id, with a detail naming it (a google.protobuf.Struct, which
// Connect also renders as JSON in the detail's "debug" field).
func notFound(id string) error {
	err := connect.NewError(connect.CodeNotFound, fmt.Errorf("item %q does not exist", id))
	missing, structErr := structpb.NewStruct(map[string]any{"resource": "item", "id": id})
	if structErr != nil {
		return connect.NewError(connect.CodeInternal, structErr)
	}
	detail, detailErr := connect.NewErrorDetail(missing)
	if detailErr != nil {
		return connect.NewError(connect.CodeInternal, detailErr)
	}
	err.AddDetail(detail)
	return err
}

// jsonCodec is the "json" codec of the service: encoding/json over plain Go structs, in place of Connect's
// default protobuf JSON codec, which needs generated message types.
type jsonCodec struct{}

// Name is the codec's name in Content-Type: application/json, application/grpc-web+json.
func (jsonCodec) Name() string { return "json" }

// Marshal encodes a message.
func (jsonCodec) Marshal(msg any) ([]byte, error) { return json.Marshal(msg) }

// Unmarshal decodes a message, refusing unknown fields as protobuf JSON does.
func (jsonCodec) Unmarshal(data []byte, msg any) error {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	return dec.Decode(msg)
}

func writeJSON(w http.ResponseWriter, v any) {
	w.Header().Set("Content-Type", "application/json")
	_ = json.NewEncoder(w).Encode(v)
}
