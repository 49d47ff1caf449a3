package browser

import (
	"fmt"
	"io"
	"log"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"golang.org/x/net/websocket"
)

// TestTheHarnessInEachEngine checks, in every selected engine, each thing the
// harness offers the suites: a script's value and exceptions, fetch with its
// resource timing, a WebSocket, and a real form submission, from a page with
// a realistic origin to an API on another one.
func TestTheHarnessInEachEngine(t *testing.T) {
	const page, api = "http://app.example.com", "https://api.example.com"
	// PerformanceServerTiming is exposed to secure contexts only (Server
	// Timing §4), which Firefox and WebKit enforce: the timing is read from
	// an https page.
	const securePage = "https://app.example.com"
	var mu sync.Mutex
	var forms []string // Origin and body of each form post the API received
	quiet := log.New(io.Discard, "", 0)
	apiSrv := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/form":
			body, _ := io.ReadAll(io.LimitReader(r.Body, 1<<10))
			mu.Lock()
			forms = append(forms, fmt.Sprintf("%s %s origin=%s body=%s", r.Method, r.Header.Get("Content-Type"), r.Header.Get("Origin"), body))
			mu.Unlock()
			w.Header().Set("Content-Type", "text/html; charset=utf-8")
			_, _ = fmt.Fprintf(w, "<!doctype html><p>received %s", body)
		default:
			// Timing-Allow-Origin lets the page read the detailed timing
			// (Resource Timing's timing allow check).
			if o := r.Header.Get("Origin"); o == page || o == securePage {
				w.Header().Set("Access-Control-Allow-Origin", o)
			}
			w.Header().Set("Timing-Allow-Origin", securePage)
			w.Header().Set("Server-Timing", `db;dur=53;desc="lookup", cache;desc=miss`)
			w.Header().Set("Cache-Control", "no-store")
			_, _ = io.WriteString(w, "hello")
		}
	}))
	apiSrv.Config.ErrorLog = quiet
	apiSrv.StartTLS()
	defer apiSrv.Close()
	pageSrv := httptest.NewServer(Page)
	defer pageSrv.Close()
	securePageSrv := httptest.NewUnstartedServer(Page)
	securePageSrv.Config.ErrorLog = quiet
	securePageSrv.StartTLS()
	defer securePageSrv.Close()
	wsSrv := httptest.NewServer(websocket.Server{Handler: func(c *websocket.Conn) {
		var msg string
		if websocket.Message.Receive(c, &msg) == nil {
			_ = websocket.Message.Send(c, "echo "+msg+" from "+c.Request().Header.Get("Origin"))
		}
	}})
	defer wsSrv.Close()
	cfg := Config{Routes: []Route{
		{From: "api.example.com:443", To: apiSrv.Listener.Addr().String()},
		{From: "socket.example.com:80", To: wsSrv.Listener.Addr().String()},
		{From: "*:80", To: pageSrv.Listener.Addr().String()},
		{From: "*:443", To: securePageSrv.Listener.Addr().String()},
	}}

	ForEach(t, cfg, func(t *testing.T, b *Browser) {
		t.Run("a script's value comes back as JSON", func(t *testing.T) {
			got, err := Eval[map[string]any](b, page, `Promise.resolve({origin: location.origin, n: 1 + 1, list: [true, null]})`)
			require.NoError(t, err)
			assert.Equal(t, map[string]any{"origin": page, "n": 2.0, "list": []any{true, nil}}, got)
		})
		t.Run("a script's exception is an error that names it", func(t *testing.T) {
			_, err := Eval[any](b, page, `(async () => { throw new RangeError("boom"); })()`)
			var se *ScriptError
			require.ErrorAs(t, err, &se)
			assert.Contains(t, se.Message, "RangeError: boom")
		})
		t.Run("fetch reports what the page reads, and its resource timing", func(t *testing.T) {
			got, err := b.Fetch(securePage, api+"/data", Request{Timing: true})
			require.NoError(t, err)
			assert.True(t, got.OK, "%+v", got)
			assert.Equal(t, "hello", got.Body)
			require.NotNil(t, got.Timing, "the browser records a resource timing entry")
			t.Logf("resource timing in %s: %+v", b.Engine().Name, *got.Timing)
			if b.Engine().Name == WebKit {
				// Observed in WebKitGTK 2.50.6: no sizes and no serverTiming,
				// even with Timing-Allow-Origin (also "*") from an https page,
				// where Resource Timing §4.3 and Server Timing expose them.
				// Checks built on resource timing cannot run in WebKit.
				assert.Zero(t, got.Timing.TransferSize, "WebKit reports no transfer size")
				assert.Empty(t, got.Timing.ServerTiming, "WebKit reports no server timing")
				return
			}
			assert.Equal(t, []ServerTiming{{Name: "db", Duration: 53, Description: "lookup"}, {Name: "cache", Description: "miss"}},
				got.Timing.ServerTiming, "Server-Timing is readable when Timing-Allow-Origin allows the page")
			assert.Positive(t, got.Timing.TransferSize, "the response crossed the network")
			assert.Equal(t, len("hello"), got.Timing.DecodedBodySize)
			assert.Equal(t, http.StatusOK, got.Timing.ResponseStatus)
		})
		t.Run("a refused fetch is the engine's bare network error", func(t *testing.T) {
			got, err := b.Fetch("http://evil.example.com", api+"/data", Request{})
			require.NoError(t, err)
			assert.True(t, b.Engine().Blocked(got), "%+v", got)
		})
		t.Run("a WebSocket opens and echoes, with the page's Origin", func(t *testing.T) {
			got, err := b.WebSocket(page, "ws://socket.example.com/", "ping")
			require.NoError(t, err)
			assert.True(t, got.Opened, "%+v", got)
			assert.Equal(t, "echo ping from "+page, got.Echo)
		})
		t.Run("a form posts across origins as a top-level navigation", func(t *testing.T) {
			mu.Lock()
			forms = nil
			mu.Unlock()
			landed, err := b.SubmitForm(page, Form{Action: api + "/form", Fields: map[string]string{"amount": "100"}})
			require.NoError(t, err)
			assert.Equal(t, api+"/form", landed.URL)
			assert.Equal(t, "received amount=100", strings.TrimSpace(landed.Body))
			mu.Lock()
			assert.Equal(t, []string{"POST application/x-www-form-urlencoded origin=" + page + " body=amount=100"}, forms)
			mu.Unlock()
			// The tab now shows the API's page, which Run reads.
			here, err := Run[string](b, `location.origin`)
			require.NoError(t, err)
			assert.Equal(t, api, here)
		})
		if p := b.Proxy(); p != nil {
			assert.Empty(t, p.Refused(), "the browser tried to reach hosts outside the test network")
		}
	})
}
