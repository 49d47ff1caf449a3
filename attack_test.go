package cors_test

import (
	"bufio"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/crossorigin/cors"
	"github.com/crossorigin/cors/internal/origin"
)

// attackOptions is a realistic production configuration: two exact origins, a subdomain wildcard, a port
// wildcard for local development, a combined wildcard, and credentials on. Every hostile origin in
// testdata/attacks/origins.txt must be refused by it.
func attackOptions() cors.Options {
	return cors.Options{
		AllowedOrigins: []string{
			"https://example.com",
			"https://www.example.com",
			"https://*.example.org",
			"http://localhost:*",
			"https://*.example.net:*",
		},
		AllowCredentials: true,
		AllowedMethods:   []string{http.MethodGet, http.MethodPost, http.MethodPut, http.MethodDelete},
		AllowedHeaders:   []string{"Content-Type", "Authorization", "X-Request-Id"},
		ExposedHeaders:   []string{"X-Request-Id"},
		MaxAge:           2 * time.Hour,
	}
}

// attackControls are origins the attack configuration allows. They prove the catalogue is refused for
// what each value is, not because the configuration refuses everything.
var attackControls = []string{
	"https://example.com",
	"https://www.example.com",
	"https://a.example.org",
	"https://a.b.example.org",
	"https://xn--bcher-kva.example.org",
	"http://localhost",
	"http://localhost:3000",
	"http://localhost:65535",
	"https://api.example.net",
	"https://api.example.net:8443",
}

// hostileRequest is one line of the catalogue.
type hostileRequest struct {
	line   int
	values []string // one per Origin header line
	why    string
}

func (h hostileRequest) name() string {
	q := strconv.Quote(strings.Join(h.values, " | "))
	if len(q) > 60 {
		q = q[:60] + fmt.Sprintf("…(%d bytes)", len(strings.Join(h.values, "")))
	}
	return fmt.Sprintf("line%d/%s", h.line, q)
}

// joined is the value as a proxy that merges header lines would pass it on.
func (h hostileRequest) joined() string { return strings.Join(h.values, ", ") }

// loadHostileOrigins parses the catalogue format described at the top of the file.
func loadHostileOrigins(t testing.TB) []hostileRequest {
	t.Helper()
	f, err := os.Open("testdata/attacks/origins.txt")
	require.NoError(t, err)
	defer f.Close()
	var out []hostileRequest
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 0, 4096), 1<<20)
	for n := 1; sc.Scan(); n++ {
		line := strings.TrimSpace(sc.Text())
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		req, err := parseCatalogueLine(line)
		require.NoError(t, err, "testdata/attacks/origins.txt:%d", n)
		req.line = n
		out = append(out, req)
	}
	require.NoError(t, sc.Err())
	return out
}

func parseCatalogueLine(line string) (hostileRequest, error) {
	var req hostileRequest
	var cur strings.Builder
	inValue := false
	for {
		line = strings.TrimLeft(line, " \t")
		switch {
		case line == "":
			return req, fmt.Errorf("missing '# why' comment")
		case line[0] == '#':
			if !inValue {
				return req, fmt.Errorf("no value before the comment")
			}
			req.values = append(req.values, cur.String())
			req.why = strings.TrimSpace(line[1:])
			if req.why == "" {
				return req, fmt.Errorf("empty '# why' comment")
			}
			return req, nil
		case line[0] == '|':
			if !inValue {
				return req, fmt.Errorf("'|' without a value before it")
			}
			req.values = append(req.values, cur.String())
			cur.Reset()
			inValue = false
			line = line[1:]
			continue
		}
		repeat := 1
		if i := strings.IndexByte(line, '*'); i > 0 && strings.Trim(line[:i], "0123456789") == "" {
			n, err := strconv.Atoi(line[:i])
			if err != nil {
				return req, err
			}
			repeat, line = n, line[i+1:]
		}
		lit, err := strconv.QuotedPrefix(line)
		if err != nil {
			return req, fmt.Errorf("expected a Go string literal at %q: %w", line, err)
		}
		s, err := strconv.Unquote(lit)
		if err != nil {
			return req, err
		}
		cur.WriteString(strings.Repeat(s, repeat))
		inValue = true
		line = line[len(lit):]
	}
}

func TestAttackCatalogueIsLargeAndDocumented(t *testing.T) {
	reqs := loadHostileOrigins(t)
	assert.GreaterOrEqual(t, len(reqs), 60, "the issue asks for at least 60 hostile origins")
	var long, multi, control bool
	for _, r := range reqs {
		if len(r.joined()) >= 1<<20 {
			long = true
		}
		if len(r.values) > 1 {
			multi = true
		}
		if strings.ContainsAny(r.joined(), "\x00\r\n\x7f") {
			control = true
		}
	}
	assert.True(t, long, "the catalogue must hold a value of at least 1 MiB")
	assert.True(t, multi, "the catalogue must hold a request with two Origin lines")
	assert.True(t, control, "the catalogue must hold control bytes")
}

// accessControlHeaders returns every response header whose name starts with Access-Control-.
func accessControlHeaders(h http.Header) http.Header {
	out := http.Header{}
	for k, v := range h {
		if strings.HasPrefix(http.CanonicalHeaderKey(k), "Access-Control-") {
			out[k] = v
		}
	}
	return out
}

// varyTokens lower-cases and splits every Vary line.
func varyTokens(h http.Header) []string {
	var out []string
	for _, line := range h.Values("Vary") {
		for _, tok := range strings.Split(line, ",") {
			if tok = strings.TrimSpace(tok); tok != "" {
				out = append(out, strings.ToLower(tok))
			}
		}
	}
	return out
}

type recordingHandler struct{ calls int }

func (h *recordingHandler) ServeHTTP(w http.ResponseWriter, _ *http.Request) {
	h.calls++
	w.Header().Set("X-Request-Id", "42")
	w.WriteHeader(http.StatusOK)
}

func TestAttackControlsAreAllowed(t *testing.T) {
	c, err := cors.New(attackOptions())
	require.NoError(t, err)
	for _, origin := range attackControls {
		t.Run(origin, func(t *testing.T) {
			assert.True(t, c.OriginAllowed(origin))
			next := &recordingHandler{}
			rec := httptest.NewRecorder()
			req := httptest.NewRequest(http.MethodGet, "https://api.example.com/data", nil)
			req.Header.Set("Origin", origin)
			c.Handler(next).ServeHTTP(rec, req)
			assert.Equal(t, 1, next.calls)
			assert.Equal(t, []string{origin}, rec.Header().Values("Access-Control-Allow-Origin"))
			assert.Equal(t, []string{"true"}, rec.Header().Values("Access-Control-Allow-Credentials"))
			assert.Contains(t, varyTokens(rec.Header()), "origin")

			// The very preflight that hostile origins send is accepted from an allowed one.
			rec = httptest.NewRecorder()
			req = httptest.NewRequest(http.MethodOptions, "https://api.example.com/data", nil)
			req.Header.Set("Origin", origin)
			req.Header.Set("Access-Control-Request-Method", http.MethodPut)
			req.Header.Set("Access-Control-Request-Headers", "content-type,x-request-id")
			c.Handler(next).ServeHTTP(rec, req)
			assert.Equal(t, 1, next.calls, "a preflight never reaches the handler")
			assert.Equal(t, http.StatusNoContent, rec.Code)
			assert.Equal(t, []string{origin}, rec.Header().Values("Access-Control-Allow-Origin"))
		})
	}
}

func TestHostileOriginIsRefusedOnActualRequest(t *testing.T) {
	c, err := cors.New(attackOptions())
	require.NoError(t, err)
	for _, hostile := range loadHostileOrigins(t) {
		t.Run(hostile.name(), func(t *testing.T) {
			next := &recordingHandler{}
			rec := httptest.NewRecorder()
			req := httptest.NewRequest(http.MethodGet, "https://api.example.com/data", nil)
			req.Header["Origin"] = hostile.values
			require.NotPanics(t, func() { c.Handler(next).ServeHTTP(rec, req) }, hostile.why)

			assert.Equal(t, 1, next.calls, "a refused actual request still reaches the handler (%s)", hostile.why)
			assert.Equal(t, http.StatusOK, rec.Code)
			assert.Empty(t, accessControlHeaders(rec.Header()), "no Access-Control-* header for a refused origin (%s)", hostile.why)
			assert.Contains(t, varyTokens(rec.Header()), "origin", "a refused response still varies on Origin (%s)", hostile.why)
		})
	}
}

func TestHostileOriginIsRefusedOnPreflight(t *testing.T) {
	c, err := cors.New(attackOptions())
	require.NoError(t, err)
	for _, hostile := range loadHostileOrigins(t) {
		t.Run(hostile.name(), func(t *testing.T) {
			next := &recordingHandler{}
			rec := httptest.NewRecorder()
			req := httptest.NewRequest(http.MethodOptions, "https://api.example.com/data", nil)
			req.Header["Origin"] = hostile.values
			req.Header.Set("Access-Control-Request-Method", http.MethodPut)
			req.Header.Set("Access-Control-Request-Headers", "content-type,x-request-id")
			require.NotPanics(t, func() { c.Handler(next).ServeHTTP(rec, req) }, hostile.why)

			assert.Zero(t, next.calls, "a preflight never reaches the handler (%s)", hostile.why)
			assert.Equal(t, http.StatusForbidden, rec.Code, hostile.why)
			assert.Empty(t, accessControlHeaders(rec.Header()), "no Access-Control-* header for a refused preflight (%s)", hostile.why)
		})
	}
}

func TestHostileOriginIsRefusedByApply(t *testing.T) {
	c, err := cors.New(attackOptions())
	require.NoError(t, err)
	for _, hostile := range loadHostileOrigins(t) {
		t.Run(hostile.name(), func(t *testing.T) {
			rec := httptest.NewRecorder()
			req := httptest.NewRequest(http.MethodPost, "https://api.example.com/data", nil)
			req.Header["Origin"] = hostile.values
			var done bool
			require.NotPanics(t, func() { done = c.Apply(rec, req) }, hostile.why)
			assert.False(t, done, "an actual request is left to the caller (%s)", hostile.why)
			assert.Empty(t, accessControlHeaders(rec.Header()), hostile.why)
			assert.Contains(t, varyTokens(rec.Header()), "origin", hostile.why)
		})
	}
}

func TestHostileOriginIsNotAllowed(t *testing.T) {
	c, err := cors.New(attackOptions())
	require.NoError(t, err)
	for _, hostile := range loadHostileOrigins(t) {
		t.Run(hostile.name(), func(t *testing.T) {
			for _, v := range []string{hostile.values[0], hostile.joined()} {
				var allowed bool
				require.NotPanics(t, func() { allowed = c.OriginAllowed(v) }, hostile.why)
				if len(hostile.values) > 1 && v == hostile.values[0] {
					continue // a single line of a two-line request may well be allowed on its own
				}
				assert.False(t, allowed, "%s", hostile.why)
			}
		})
	}
}

// TestHostileOriginReachesAllowOriginFuncOnlyIfValid: AllowOriginFunc is asked only about valid, canonical
// origins (as internal/origin parses them, which its FuzzParse holds to the reference grammar of its
// slow_test.go), so a user's function — often a suffix or regexp check — never sees a malformed value, a
// non-canonical spelling, or one of two Origin lines.
func TestHostileOriginReachesAllowOriginFuncOnlyIfValid(t *testing.T) {
	opts := attackOptions()
	var seen []string
	opts.AllowOriginFunc = func(origin string) bool {
		seen = append(seen, origin)
		return false
	}
	c, err := cors.New(opts)
	require.NoError(t, err)
	asked := 0
	for _, hostile := range loadHostileOrigins(t) {
		valid := origin.IsCanonical(hostile.values[0]) && len(hostile.values) == 1
		var want []string
		if valid {
			want = []string{hostile.values[0]}
			asked++
		}

		seen = nil
		rec := httptest.NewRecorder()
		req := httptest.NewRequest(http.MethodGet, "https://api.example.com/data", nil)
		req.Header["Origin"] = hostile.values
		c.Handler(&recordingHandler{}).ServeHTTP(rec, req)
		assert.Equal(t, want, seen, "line %d (%s): Handler", hostile.line, hostile.why)

		seen = nil
		c.OriginAllowed(hostile.joined())
		if len(hostile.values) > 1 {
			want = nil
		}
		assert.Equal(t, want, seen, "line %d (%s): OriginAllowed", hostile.line, hostile.why)
	}
	assert.Greater(t, asked, 20, "the catalogue holds well-formed attacker origins that the function must be asked about")
}

// TestDegenerateHeaderMapsDoNotPanic: a header map that net/http's parser never builds, but that a
// handler, a test or another middleware can (a key with no values), is handled without a panic, with or
// without a Logger (which is where refused values are read).
func TestDegenerateHeaderMapsDoNotPanic(t *testing.T) {
	tests := []struct {
		name    string
		method  string
		header  http.Header
		allowed bool
	}{
		{"Origin key without values", http.MethodGet, http.Header{"Origin": {}}, false},
		{"Origin key without values on a preflight", http.MethodOptions, http.Header{"Origin": {}, "Access-Control-Request-Method": {"PUT"}}, false},
		{"Access-Control-Request-Method key without values", http.MethodOptions, http.Header{"Origin": {"https://example.com"}, "Access-Control-Request-Method": {}}, false},
		{"two Access-Control-Request-Method lines", http.MethodOptions, http.Header{"Origin": {"https://example.com"}, "Access-Control-Request-Method": {"PUT", "PUT"}}, false},
		{"Access-Control-Request-Headers key without values", http.MethodOptions, http.Header{"Origin": {"https://example.com"}, "Access-Control-Request-Method": {"PUT"}, "Access-Control-Request-Headers": {}}, true},
	}
	loggers := map[string]*slog.Logger{
		"no logger":    nil,
		"debug logger": slog.New(slog.NewTextHandler(io.Discard, &slog.HandlerOptions{Level: slog.LevelDebug})),
	}
	for _, tt := range tests {
		for loggerName, logger := range loggers {
			t.Run(tt.name+"/"+loggerName, func(t *testing.T) {
				opts := attackOptions()
				opts.Logger = logger
				c := cors.MustNew(opts)
				req := httptest.NewRequest(tt.method, "https://api.example.com/data", nil)
				req.Header = tt.header.Clone()
				rec := httptest.NewRecorder()
				require.NotPanics(t, func() { c.Handler(&recordingHandler{}).ServeHTTP(rec, req) })
				if tt.allowed {
					assert.Equal(t, []string{"https://example.com"}, rec.Header().Values("Access-Control-Allow-Origin"))
				} else {
					assert.Empty(t, accessControlHeaders(rec.Header()))
				}
			})
		}
	}
}

// TestHostileOriginOverTheWire sends raw HTTP/1.1 requests through net/http's own parser, so that what
// the parser does with duplicate, folded, padded and oversized Origin lines is covered too. Whatever the
// server answers (net/http may refuse a malformed request itself), no hostile request gets CORS headers.
func TestHostileOriginOverTheWire(t *testing.T) {
	srv := httptest.NewServer(cors.MustNew(attackOptions()).Handler(&recordingHandler{}))
	t.Cleanup(srv.Close)
	tests := []struct {
		name    string
		headers string // header lines after the request line and Host, each ending in CRLF
		allowed bool
	}{
		{"control: one allowed origin", "Origin: https://example.com\r\n", true},
		{"control: optional whitespace around the value is not part of it", "Origin: \t https://example.com \t\r\n", true},
		{"two Origin lines", "Origin: https://example.com\r\nOrigin: https://example.com\r\n", false},
		{"allowed and attacker Origin lines", "Origin: https://example.com\r\nOrigin: https://evil.com\r\n", false},
		{"lower-case and canonical names of the same header", "origin: https://example.com\r\nOrigin: https://evil.com\r\n", false},
		{"obsolete line folding", "Origin: https://example.com\r\n .evil.com\r\n", false},
		{"comma list in one line", "Origin: https://example.com, https://evil.com\r\n", false},
		{"null", "Origin: null\r\n", false},
		{"NUL byte", "Origin: https://example.com\x00.evil.com\r\n", false},
		{"bare CR", "Origin: https://example.com\r.evil.com\r\n", false},
		{"non-ASCII", "Origin: https://ｅxample.com\r\n", false},
		{"64 KiB origin", "Origin: https://" + strings.Repeat("a", 64<<10) + ".example.org\r\n", false},
		{"space before the colon", "Origin : https://example.com\r\n", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			conn, err := net.Dial("tcp", srv.Listener.Addr().String())
			require.NoError(t, err)
			defer conn.Close()
			require.NoError(t, conn.SetDeadline(time.Now().Add(5*time.Second)))
			_, err = io.WriteString(conn, "GET /data HTTP/1.1\r\nHost: api.example.com\r\n"+tt.headers+"Connection: close\r\n\r\n")
			require.NoError(t, err)
			resp, err := http.ReadResponse(bufio.NewReader(conn), nil)
			require.NoError(t, err)
			defer resp.Body.Close()
			if tt.allowed {
				assert.Equal(t, http.StatusOK, resp.StatusCode)
				assert.Equal(t, []string{"https://example.com"}, resp.Header.Values("Access-Control-Allow-Origin"))
				return
			}
			assert.Empty(t, accessControlHeaders(resp.Header), "status %d", resp.StatusCode)
			if resp.StatusCode == http.StatusOK {
				assert.Contains(t, varyTokens(resp.Header), "origin")
			}
			t.Logf("net/http answered %d", resp.StatusCode)
		})
	}
}
