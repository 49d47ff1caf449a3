package benchmarks

import "net/http"

// Writer is the smallest http.ResponseWriter that lets a middleware do its
// work: its header map is created once and cleared by Reset, so that a
// benchmark counts the middleware's allocations and not the harness's.
type Writer struct {
	header http.Header
	status int
}

// NewWriter returns a Writer with an empty header map.
func NewWriter() *Writer {
	return &Writer{header: make(http.Header, 8)}
}

// Header returns the reused header map.
func (w *Writer) Header() http.Header { return w.header }

// WriteHeader records the first status written, as net/http does.
func (w *Writer) WriteHeader(code int) {
	if w.status == 0 {
		w.status = code
	}
}

// Write discards the body; like net/http it implies status 200.
func (w *Writer) Write(p []byte) (int, error) {
	if w.status == 0 {
		w.status = http.StatusOK
	}
	return len(p), nil
}

// Status is the status the client would see (200 when none was written).
func (w *Writer) Status() int {
	if w.status == 0 {
		return http.StatusOK
	}
	return w.status
}

// Reset clears the headers and the status, keeping the map's storage.
func (w *Writer) Reset() {
	clear(w.header)
	w.status = 0
}
