package cors

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestApplyReportsWhetherTheResponseIsDone(t *testing.T) {
	c := MustNew(app)
	rec := httptest.NewRecorder()
	assert.True(t, c.Apply(rec, preflight("http://localhost:3000", "PUT").build()), "an allowed preflight is answered")
	assert.Equal(t, http.StatusNoContent, rec.Code)
	rec = httptest.NewRecorder()
	assert.True(t, c.Apply(rec, preflight("https://evil.example", "PUT").build()), "a refused preflight is answered too")
	assert.Equal(t, http.StatusForbidden, rec.Code)
	rec = httptest.NewRecorder()
	assert.False(t, c.Apply(rec, get("http://localhost:3000").build()), "an actual request goes on to the handler")
	assert.Equal(t, "http://localhost:3000", rec.Header().Get("Access-Control-Allow-Origin"))
	assert.False(t, rec.Flushed)
}

func TestOriginAllowed(t *testing.T) {
	c := MustNew(app)
	for origin, want := range map[string]bool{
		"http://localhost:3000":     true,
		"https://app.example.com":   true,
		"https://a.b.example.org":   true,
		"https://example.org":       false,
		"http://localhost:3000/":    false,
		"HTTP://localhost:3000":     false,
		"https://app.example.com.":  false,
		"null":                      false,
		"":                          false,
		"https://app.example.com:0": false,
	} {
		assert.Equal(t, want, c.OriginAllowed(origin), origin)
	}
}

func TestReconfigure(t *testing.T) {
	c := MustNew(Options{AllowedOrigins: []string{"https://a.example"}})
	require.True(t, c.OriginAllowed("https://a.example"))

	require.NoError(t, c.Reconfigure(Options{AllowedOrigins: []string{"https://b.example"}}))
	assert.False(t, c.OriginAllowed("https://a.example"), "the new policy replaces the old")
	assert.True(t, c.OriginAllowed("https://b.example"))

	err := c.Reconfigure(Options{AllowedOrigins: []string{"*"}, AllowCredentials: true})
	var ce *ConfigError
	require.ErrorAs(t, err, &ce)
	assert.True(t, c.OriginAllowed("https://b.example"), "a rejected policy leaves the old one in force")
	assert.Equal(t, []string{"https://b.example"}, c.Options().AllowedOrigins)
}

func TestOptionsShowsTheNormalizedPolicy(t *testing.T) {
	c := MustNew(Options{
		AllowedOrigins: []string{"HTTPS://Bücher.Example:443", "http://LOCALHOST:3000", "http://localhost:3000", "https://*.Example.COM:*", "http://[0:0:0:0:0:0:0:1]:80"},
		AllowedMethods: []string{"get", "patch", "PATCH", "Put"},
		AllowedHeaders: []string{"X-Custom", "x-custom", "Content-Type"},
		ExposedHeaders: []string{"X-Total-Count"},
	})
	got := c.Options()
	assert.Equal(t, []string{"https://xn--bcher-kva.example", "http://localhost:3000", "https://*.example.com:*", "http://[::1]"}, got.AllowedOrigins)
	assert.Equal(t, []string{"GET", "patch", "PATCH", "PUT"}, got.AllowedMethods, "only the six Fetch methods are upper-cased")
	assert.Equal(t, []string{"x-custom", "content-type"}, got.AllowedHeaders)
	assert.Equal(t, []string{"x-total-count"}, got.ExposedHeaders)
	assert.Equal(t, 204, got.PreflightStatus)

	got.AllowedOrigins[0] = "https://evil.example"
	assert.Equal(t, "https://xn--bcher-kva.example", c.Options().AllowedOrigins[0], "Options returns copies")
	assert.False(t, c.OriginAllowed("https://evil.example"))

	assert.Equal(t, []string{"GET", "HEAD", "POST"}, MustNew(Options{AllowedOrigins: []string{"*"}}).Options().AllowedMethods, "default methods")

	got.AllowedOrigins[0] = "https://xn--bcher-kva.example"
	again, err := New(got)
	require.NoError(t, err, "normalised options are valid options")
	assert.Equal(t, c.Options().AllowedOrigins, again.Options().AllowedOrigins)
}

func TestMustNewPanicsWithNewsError(t *testing.T) {
	_, err := New(Options{})
	require.Error(t, err)
	assert.PanicsWithError(t, err.Error(), func() { MustNew(Options{}) })
}

// originOfLen is a well-formed https origin of n bytes (n from 71 to 131), as "https://aaa…a.bbb…b".
func originOfLen(n int) string {
	return "https://" + strings.Repeat("a", 60) + "." + strings.Repeat("b", n-len("https://")-61)
}
