package routerspec

import (
	"bufio"
	"fmt"
	"net"
	"net/http"
	"net/http/httptest"
	"sort"
	"sync"
	"testing"
)

// Exchange is one request an example's server received, and what it answered.
type Exchange struct {
	Method  string
	Path    string   // without the query
	Origins []string // every Origin header line
	ACRM    string   // Access-Control-Request-Method
	ACRH    string   // Access-Control-Request-Headers
	Cookie  string
	Status  int         // 101 when the connection was hijacked for a WebSocket
	Header  http.Header // the response header; nil when the connection was hijacked
}

// Preflight reports whether the exchange is a CORS preflight: OPTIONS with an Origin and an
// Access-Control-Request-Method.
func (e Exchange) Preflight() bool {
	return e.Method == http.MethodOptions && len(e.Origins) > 0 && e.ACRM != ""
}

// Summary is the exchange as the browser specification states it: "PUT /items/7: 200, CORS", where CORS means
// that the response granted the request's origin with credentials (exactly one Access-Control-Allow-Origin
// naming it, and Access-Control-Allow-Credentials: true) and "no CORS" that it carried no Access-Control-* header
// at all. Any other set of CORS headers is spelled out, so it never matches a specification.
func (e Exchange) Summary() string {
	s := fmt.Sprintf("%s %s: %d", e.Method, e.Path, e.Status)
	if e.Header == nil {
		return s + ", upgraded"
	}
	granted := len(e.Origins) == 1 &&
		equal(e.Header.Values("Access-Control-Allow-Origin"), e.Origins) &&
		equal(e.Header.Values("Access-Control-Allow-Credentials"), []string{"true"})
	switch names := CORSHeaderNames(e.Header); {
	case len(names) == 0:
		return s + ", no CORS"
	case granted:
		return s + ", CORS"
	default:
		sort.Strings(names)
		var cors []string
		for _, n := range names {
			cors = append(cors, fmt.Sprintf("%s=%q", n, e.Header.Values(n)))
		}
		return fmt.Sprintf("%s, unexpected CORS headers %v", s, cors)
	}
}

func equal(a, b []string) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

// Recorder keeps every exchange of one server, in the order the requests arrived.
type Recorder struct {
	mu  sync.Mutex
	log []*Exchange
}

// NewExchange notes what a request carried; the caller fills in Status and Header once the response is known.
func NewExchange(method, path string, h http.Header) *Exchange {
	return &Exchange{
		Method:  method,
		Path:    path,
		Origins: h.Values("Origin"),
		ACRM:    h.Get("Access-Control-Request-Method"),
		ACRH:    h.Get("Access-Control-Request-Headers"),
		Cookie:  h.Get("Cookie"),
	}
}

// Add records e, whose response is complete.
func (r *Recorder) Add(e *Exchange) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.log = append(r.log, e)
}

// Len is how many requests were recorded.
func (r *Recorder) Len() int {
	r.mu.Lock()
	defer r.mu.Unlock()
	return len(r.log)
}

// Since returns a copy of the exchanges recorded from index from on.
func (r *Recorder) Since(from int) []Exchange {
	r.mu.Lock()
	defer r.mu.Unlock()
	var out []Exchange
	for _, e := range r.log[from:] {
		c := *e
		c.Header = e.Header.Clone()
		out = append(out, c)
	}
	return out
}

// Wrap records every request h serves. A request is recorded when it arrives and its response when the
// handler sends the header (or hijacks the connection), so the record is complete once the client has the
// response, even while a WebSocket handler is still running.
func (r *Recorder) Wrap(h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
		e := NewExchange(req.Method, req.URL.Path, req.Header)
		r.Add(e)
		rw := &recordingWriter{ResponseWriter: w, r: r, e: e}
		h.ServeHTTP(rw, req)
		rw.WriteHeader(http.StatusOK) // a handler that wrote nothing sent 200
	})
}

type recordingWriter struct {
	http.ResponseWriter
	r    *Recorder
	e    *Exchange
	done bool
}

func (w *recordingWriter) note(status int, h http.Header) bool {
	w.r.mu.Lock()
	defer w.r.mu.Unlock()
	if w.done {
		return false
	}
	w.done = true
	w.e.Status, w.e.Header = status, h
	return true
}

func (w *recordingWriter) WriteHeader(status int) {
	if w.note(status, w.Header().Clone()) {
		w.ResponseWriter.WriteHeader(status)
	}
}

func (w *recordingWriter) Write(p []byte) (int, error) {
	w.WriteHeader(http.StatusOK)
	return w.ResponseWriter.Write(p)
}

// Flush lets streaming handlers flush through the recorder.
func (w *recordingWriter) Flush() {
	w.WriteHeader(http.StatusOK)
	if f, ok := w.ResponseWriter.(http.Flusher); ok {
		f.Flush()
	}
}

// Hijack hands the connection to a WebSocket upgrader, which writes its own 101 response on it.
func (w *recordingWriter) Hijack() (net.Conn, *bufio.ReadWriter, error) {
	h, ok := w.ResponseWriter.(http.Hijacker)
	if !ok {
		return nil, nil, fmt.Errorf("routerspec: %T cannot be hijacked", w.ResponseWriter)
	}
	conn, rw, err := h.Hijack()
	if err == nil {
		w.note(http.StatusSwitchingProtocols, nil)
	}
	return conn, rw, err
}

// Unwrap gives http.ResponseController the writer underneath.
func (w *recordingWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }

// ServeRecorded serves h on a loopback port until the test ends, recording every exchange, and returns the
// server as the browser specification reaches it.
func ServeRecorded(t testing.TB, h http.Handler) BrowserAPI {
	t.Helper()
	rec := &Recorder{}
	srv := httptest.NewServer(rec.Wrap(h))
	t.Cleanup(srv.Close)
	return BrowserAPI{Addr: srv.Listener.Addr().String(), Log: rec}
}
