package tracehook_test

import (
	"net/http"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/crossorigin/cors/corstest"
	"github.com/crossorigin/cors/internal/tracehook"
)

func TestTraceReturnsTheTraceBehindAResultAndNilForAnythingElse(t *testing.T) {
	api := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Access-Control-Allow-Origin", "*")
	})
	res, err := corstest.Check(api, corstest.Call{Origin: "http://localhost:3000", URL: "/x"})
	require.NoError(t, err)

	tr := tracehook.Trace(res)
	require.NotNil(t, tr)
	assert.Equal(t, res.Allowed, !tr.Blocked)
	assert.Equal(t, res.Readable, tr.Readable)

	var none *corstest.Result
	assert.Nil(t, tracehook.Trace(none))
	assert.Nil(t, tracehook.Trace(corstest.Result{}), "a Result value, not a pointer")
	assert.Nil(t, tracehook.Trace("a string"))
}
