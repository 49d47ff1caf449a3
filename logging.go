package cors

import (
	"log/slog"
	"net/http"
	"strconv"

	"github.com/crossorigin/cors/internal/origin"
)

// Reasons for a refusal, as logged.
const (
	reasonMalformedOrigin = "malformed origin"
	reasonOriginRefused   = "origin not allowed"
	reasonManyOrigins     = "more than one Origin header"
	reasonMethod          = "method not allowed"
	reasonMalformedMethod = "malformed Access-Control-Request-Method"
	reasonHeaderList      = "malformed or over-long Access-Control-Request-Headers"
	reasonHeader          = "header not allowed"
	reasonCrossSiteWrite  = "cross-origin write from an origin not allowed" // CrossOriginProtection
)

// clip prepares a client-sent value for a log record: cut to maxLoggedValue bytes, and with control and
// non-ASCII bytes written as Go escapes, so that whatever the log handler, a hostile value can neither
// flood the log nor forge a line or smuggle terminal controls.
func clip(s string) (_ string, truncated bool) {
	if len(s) > maxLoggedValue {
		s, truncated = s[:maxLoggedValue], true
	}
	q := strconv.QuoteToASCII(s)
	return q[1 : len(q)-1], truncated
}

// maxLoggedValue bounds how much of an offending value a log record carries.
const maxLoggedValue = 128

// logRefusal records a refusal at debug level, the offending value escaped (so control bytes cannot forge
// log lines) and truncated (so a hostile value cannot flood the log).
func (cfg *config) logRefusal(r *http.Request, reason, value string) {
	if cfg.logger == nil {
		return
	}
	ctx := r.Context()
	if !cfg.logger.Enabled(ctx, slog.LevelDebug) {
		return
	}
	if reason == reasonOriginRefused && !origin.IsCanonical(value) {
		reason = reasonMalformedOrigin // told apart only here: see originAllowed
	}
	value, truncated := clip(value)
	path, _ := clip(r.URL.Path)
	method, _ := clip(r.Method)
	cfg.logger.LogAttrs(ctx, slog.LevelDebug, "cors: request refused",
		slog.String("reason", reason),
		slog.String("value", value),
		slog.Bool("truncated", truncated),
		slog.String("method", method),
		slog.String("path", path),
	)
}

// firstOrEmpty is the first line of a request header, "" when it has none: the value a refusal logs.
func firstOrEmpty(lines []string) string {
	if len(lines) == 0 {
		return ""
	}
	return lines[0]
}
