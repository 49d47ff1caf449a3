package cors

import (
	"bytes"
	"log/slog"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
)

func TestLoggerRecordsEveryRefusalWithItsReason(t *testing.T) {
	var buf bytes.Buffer
	o := app
	o.Logger = slog.New(slog.NewTextHandler(&buf, &slog.HandlerOptions{Level: slog.LevelDebug}))
	c := MustNew(o)
	tests := []struct {
		req        req
		reason     string
		value      string
		truncation bool
	}{
		{get("https://evil.example"), "origin not allowed", `value=https://evil.example `, false},
		{get("https://evil.example/\n"), "malformed origin", `value=https://evil.example/\n `, false},
		{req{origin: []string{"a", "b"}}, "more than one Origin header", `value=a `, false},
		{preflight("http://localhost:3000", "CHICKEN"), "method not allowed", `value=CHICKEN `, false},
		{preflight("http://localhost:3000", "PUT", "x-foo"), "header not allowed", `value=x-foo `, false},
		{preflight("http://localhost:3000", "PUT", strings.Repeat("x", 5000)), "malformed or over-long Access-Control-Request-Headers", "value=" + strings.Repeat("x", 128) + " ", true},
		// A value is logged whole up to 128 bytes, and cut to 128 beyond.
		{get(originOfLen(127)), "origin not allowed", "value=" + originOfLen(127) + " ", false},
		{get(originOfLen(128)), "origin not allowed", "value=" + originOfLen(128) + " ", false},
		{get(originOfLen(129)), "origin not allowed", "value=" + originOfLen(129)[:128] + " ", true},
	}
	for _, tt := range tests {
		buf.Reset()
		serveWith(c, tt.req)
		line := buf.String()
		assert.Contains(t, line, "level=DEBUG")
		assert.Contains(t, line, `reason="`+tt.reason+`"`)
		assert.Contains(t, line, tt.value)
		assert.Contains(t, line, "truncated="+map[bool]string{true: "true", false: "false"}[tt.truncation])
		assert.Equal(t, 1, strings.Count(line, "\n"), "one record, and no forged line")
	}
	buf.Reset()
	serveWith(c, get("http://localhost:3000"))
	assert.Empty(t, buf.String(), "allowed requests are not logged")
}

func TestLoggerAboveDebugRecordsNothing(t *testing.T) {
	var buf bytes.Buffer
	o := app
	o.Logger = slog.New(slog.NewTextHandler(&buf, &slog.HandlerOptions{Level: slog.LevelInfo}))
	serveWith(MustNew(o), get("https://evil.example"))
	assert.Empty(t, buf.String())
}
