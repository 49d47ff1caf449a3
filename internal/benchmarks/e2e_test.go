package benchmarks

import (
	"net/http"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestHeadersOnlySendsExactlyTheHeadersOursSends(t *testing.T) {
	serve := func(h http.Handler) http.Header {
		req, err := http.NewRequest(http.MethodGet, "http://127.0.0.1"+e2ePath, nil)
		require.NoError(t, err)
		req.Header.Set("Origin", E2EOrigin())
		w := NewWriter()
		h.ServeHTTP(w, req)
		return w.Header()
	}
	ours, err := E2EHandler(Ours)
	require.NoError(t, err)
	only, err := E2EHandler(HeadersOnly)
	require.NoError(t, err)
	first := serve(only)
	assert.Equal(t, serve(ours), first)
	assert.Equal(t, []string{E2EOrigin()}, first["Access-Control-Allow-Origin"])
	assert.Equal(t, []string{"Origin"}, first["Vary"])
	// Fresh copies on every request, as ours: no two responses share a value slice.
	second := serve(only)
	assert.NotSame(t, &first["Vary"][0], &second["Vary"][0])
}
