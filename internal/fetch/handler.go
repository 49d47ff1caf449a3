package fetch

import (
	"bytes"
	"crypto/tls"
	"fmt"
	"io"
	"net/http"
	"net/textproto"
	"strconv"
	"strings"
	"time"
)

// HandlerTransport is an http.RoundTripper that serves every request with Handler in-process, as if
// Handler were the server behind every host: no listener, no network. Response headers are put in the
// form a client would read them off the wire (canonical names, values trimmed), so that a handler that
// writes to its header map directly is judged as a browser would judge it, with the headers net/http's
// server adds (Date, a sniffed Content-Type, Content-Length or Transfer-Encoding).
type HandlerTransport struct {
	Handler http.Handler
	// BodyLimit bounds how much of the body is kept; zero means DefaultBodyLimit.
	BodyLimit int64
}

// RoundTrip serves r with the handler. A handler that panics yields an error, as a server that drops
// the connection would: net/http's server recovers such a panic too.
func (t HandlerTransport) RoundTrip(r *http.Request) (res *http.Response, err error) {
	defer func() {
		if p := recover(); p != nil {
			res, err = nil, fmt.Errorf("the handler panicked serving %s %s: %v", r.Method, r.URL, p)
		}
	}()
	if err := r.Context().Err(); err != nil {
		return nil, err
	}
	sr := r.Clone(r.Context())
	sr.RequestURI = r.URL.RequestURI()
	sr.Host = r.URL.Host
	sr.RemoteAddr = "192.0.2.1:49152"
	sr.Proto, sr.ProtoMajor, sr.ProtoMinor = "HTTP/1.1", 1, 1
	if sr.Body == nil {
		sr.Body = http.NoBody
	}
	if r.URL.Scheme == "https" {
		sr.TLS = &tls.ConnectionState{HandshakeComplete: true, ServerName: r.URL.Hostname()}
	}
	limit := t.BodyLimit
	if limit <= 0 {
		limit = DefaultBodyLimit
	}
	w := &recorder{header: http.Header{}, limit: limit}
	t.Handler.ServeHTTP(w, sr)
	w.WriteHeader(http.StatusOK) // no-op when the handler wrote a status
	w.finish(r.Method)
	res = &http.Response{
		Status:           http.StatusText(w.status),
		StatusCode:       w.status,
		Proto:            "HTTP/1.1",
		ProtoMajor:       1,
		ProtoMinor:       1,
		Header:           w.sent,
		TransferEncoding: w.sent["Transfer-Encoding"],
		Body:             io.NopCloser(bytes.NewReader(w.body.Bytes())),
		ContentLength:    int64(w.body.Len()),
		Request:          r,
	}
	return res, nil
}

// recorder is a minimal http.ResponseWriter that keeps the headers as of WriteHeader.
type recorder struct {
	header  http.Header
	sent    http.Header
	status  int
	body    bytes.Buffer
	limit   int64
	written int64 // bytes the handler wrote, kept or not
}

func (w *recorder) Header() http.Header { return w.header }

func (w *recorder) WriteHeader(status int) {
	if w.sent != nil {
		return
	}
	w.status = status
	w.sent = http.Header{}
	for k, vs := range w.header {
		ck := textproto.CanonicalMIMEHeaderKey(k)
		for _, v := range vs {
			w.sent[ck] = append(w.sent[ck], strings.Trim(v, " \t"))
		}
	}
	// net/http's server dates every response, whatever its status, unless the handler's map has the
	// key "Date" (a nil value suppresses it).
	if _, ok := w.header["Date"]; !ok {
		w.sent.Add("Date", time.Now().UTC().Format(http.TimeFormat))
	}
}

// sniffLen and chunkingThreshold are what net/http's server uses: it sniffs the Content-Type of a body
// from its first 512 bytes, and sets Content-Length on a body it could buffer whole (up to 2048 bytes).
const (
	sniffLen          = 512
	chunkingThreshold = 2048
)

// finish adds what net/http's server would have added to the headers: a sniffed Content-Type and a
// Content-Length for a short body, Transfer-Encoding: chunked for a longer one.
func (w *recorder) finish(method string) {
	if w.status == http.StatusNoContent || w.status == http.StatusNotModified || w.status < 200 {
		return
	}
	n := w.written
	if _, ok := w.sent["Content-Type"]; !ok && n > 0 && w.sent.Get("Transfer-Encoding") == "" {
		w.sent.Set("Content-Type", http.DetectContentType(w.body.Bytes()[:min(w.body.Len(), sniffLen)]))
	}
	if _, ok := w.sent["Content-Length"]; ok || w.sent.Get("Transfer-Encoding") != "" {
		return
	}
	if n <= chunkingThreshold || method == http.MethodHead {
		w.sent.Set("Content-Length", strconv.FormatInt(n, 10))
		return
	}
	w.sent.Set("Transfer-Encoding", "chunked")
}

func (w *recorder) Write(p []byte) (int, error) {
	w.WriteHeader(http.StatusOK)
	w.written += int64(len(p))
	if room := w.limit - int64(w.body.Len()); room > 0 {
		w.body.Write(p[:min(int64(len(p)), room)])
	}
	return len(p), nil
}
