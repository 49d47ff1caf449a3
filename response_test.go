package cors

import (
	"bytes"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/stretchr/testify/assert"
)

func TestEmptyHeaderSlicesSetByGoCodeDoNotPanic(t *testing.T) {
	o := app
	o.Logger = slog.New(slog.NewTextHandler(&bytes.Buffer{}, &slog.HandlerOptions{Level: slog.LevelDebug}))
	for name, h := range map[string]http.Header{
		"empty Origin":                        {"Origin": {}},
		"empty Origin on OPTIONS":             {"Origin": {}, "Access-Control-Request-Method": {"PUT"}},
		"empty Access-Control-Request-Method": {"Origin": {"http://localhost:3000"}, "Access-Control-Request-Method": {}},
	} {
		res := serve(t, o, req{method: http.MethodOptions, header: h})
		assert.Empty(t, corsHeaders(res.header), name)
	}
}

func TestVaryIsAppendedNeverOverwritten(t *testing.T) {
	c := MustNew(app)
	tests := []struct {
		name     string
		req      req
		existing []string
		want     []string
	}{
		{"actual request keeps an earlier Vary, on one line", get("http://localhost:3000"), []string{"Accept-Encoding"}, []string{"Accept-Encoding, Origin"}},
		{"refused request keeps an earlier Vary", get("https://evil.example"), []string{"Accept-Encoding"}, []string{"Accept-Encoding, Origin"}},
		{"several earlier Vary lines become one", req{}, []string{"Accept-Encoding", "Accept-Language"}, []string{"Accept-Encoding, Accept-Language, Origin"}},
		{"Origin is not repeated when already varied on", req{}, []string{"Accept-Encoding, origin"}, []string{"Accept-Encoding, origin"}},
		{"nothing is added under Vary: *", req{}, []string{"*"}, []string{"*"}},
		{"preflight keeps an earlier Vary", preflight("http://localhost:3000", "PUT"), []string{"Accept-Encoding"},
			[]string{"Accept-Encoding, Origin, Access-Control-Request-Method, Access-Control-Request-Headers"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rec := httptest.NewRecorder()
			earlier := append([]string(nil), tt.existing...)
			rec.Header()["Vary"] = earlier
			c.Apply(rec, tt.req.build())
			assert.Equal(t, tt.want, rec.Header()["Vary"])
			assert.Equal(t, tt.existing, earlier, "the earlier slice itself is not written to")
		})
	}
	t.Run("a handler's own Vary survives", func(t *testing.T) {
		h := c.Handler(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			w.Header().Add("Vary", "Accept-Language")
		}))
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, get("http://localhost:3000").build())
		assert.Equal(t, []string{"Origin", "Accept-Language"}, rec.Header()["Vary"])
	})
}

func TestHeaderValuesAreNeverSharedBetweenRequests(t *testing.T) {
	c := MustNew(app)
	mutate := c.Handler(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		for _, v := range w.Header() {
			for i := range v {
				v[i] = "mutated"
			}
		}
		w.Header()["Vary"] = append(w.Header()["Vary"], "X-Appended")
	}))
	for range 3 {
		mutate.ServeHTTP(httptest.NewRecorder(), get("http://localhost:3000").build())
		mutate.ServeHTTP(httptest.NewRecorder(), req{}.build())
		rec := httptest.NewRecorder()
		c.Apply(rec, preflight("http://localhost:3000", "PUT").build())
		for _, v := range rec.Header() {
			v[0] = "mutated"
		}
	}
	res := serveWith(c, get("http://localhost:3000"))
	assert.Equal(t, http.Header{"Access-Control-Allow-Origin": {"http://localhost:3000"}, "Access-Control-Allow-Credentials": {"true"}, "Access-Control-Expose-Headers": {"x-total-count"}}, corsHeaders(res.header))
	assert.Equal(t, []string{"Origin"}, res.header["Vary"])
	res = serveWith(c, preflight("http://localhost:3000", "PUT", "content-type"))
	assert.Equal(t, []string{"content-type, x-request-id, authorization"}, res.header["Access-Control-Allow-Headers"])
}

func TestAppendingToAWrittenHeaderDoesNotClobberTheNext(t *testing.T) {
	c := MustNew(app)
	rec := httptest.NewRecorder()
	c.Apply(rec, get("http://localhost:3000").build())
	h := rec.Header()
	h["Vary"] = append(h["Vary"], "X-One")
	h["Access-Control-Allow-Origin"] = append(h["Access-Control-Allow-Origin"], "X-Two")
	assert.Equal(t, []string{"true"}, h["Access-Control-Allow-Credentials"])
	assert.Equal(t, []string{"x-total-count"}, h["Access-Control-Expose-Headers"])
}
