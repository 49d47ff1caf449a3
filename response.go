package cors

import (
	"net/http"
	"strings"

	"github.com/crossorigin/cors/internal/header"
)

// headerWriter writes header values into slices cut from vals, which no other response ever sees (see
// slotPool), so that a handler that edits a value in place (h[k][0] = v) cannot change what any other
// request sees. Each slice is capped at its length, so appending to it copies instead of overwriting the
// next header's values.
type headerWriter struct {
	h    http.Header
	vals []string
}

// set sets key to the single value v.
func (w *headerWriter) set(key, v string) {
	w.vals[0] = v
	w.h[key] = w.vals[:1:1]
	w.vals = w.vals[1:]
}

// setAll sets key to the values vs.
func (w *headerWriter) setAll(key string, vs []string) {
	n := copy(w.vals, vs)
	w.h[key] = w.vals[:n:n]
	w.vals = w.vals[n:]
}

// appendVary adds v to the Vary field whose lines are old: appended, never overwritten
// (https://httpwg.org/specs/rfc9110.html#field.vary). An existing field is rewritten as one line ending
// in v, with the same members: caches such as nginx up to 1.22 read only the last Vary line, and would
// otherwise lose either the earlier members or v. That costs one string, only when an earlier layer has
// set Vary.
func (w *headerWriter) appendVary(old []string, v string) {
	if len(old) > 0 {
		v = strings.Join(old, ", ") + ", " + v
	}
	w.set(header.Vary, v)
}

// lookup returns h[key] without a map lookup when h is empty, as it is when this middleware is the
// first to write a header.
func lookup(h http.Header, key string) []string {
	if len(h) == 0 {
		return nil
	}
	return h[key]
}

func boolInt(b bool) int {
	if b {
		return 1
	}
	return 0
}
