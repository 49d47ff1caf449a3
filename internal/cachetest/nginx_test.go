// Package cachetest proves, against a real shared cache (Debian's nginx with
// proxy_cache), that responses produced by the cors middleware can never be
// served by the cache to a request from another origin, and that the test
// would notice if they could: the same requests against a handler that sets
// Access-Control-Allow-Origin without Vary are shown to be poisoned. A "*"
// policy, whose answer is the same for everyone, is cached once and served to
// every origin.
package cachetest

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync/atomic"
	"syscall"
	"testing"
	"text/template"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/crossorigin/cors"
)

const (
	originA       = "https://a.example"
	originB       = "https://b.example"
	originRefused = "https://evil.example"
	noOrigin      = "" // a request without an Origin header

	// cacheStatusHeader is added by nginx from $upstream_cache_status.
	cacheStatusHeader = "X-Cache-Status"
	// backendCountHeader numbers the responses the backend produced, so a
	// cached copy is recognisable by its number too.
	backendCountHeader = "X-Backend-Response"
)

// requestOrders are the sequences of Origin values sent to one cacheable URL.
// Every order starts from an empty cache entry (each gets its own URL) and
// repeats origins so that later requests are answered from the cache.
var requestOrders = []struct {
	name    string
	origins []string
}{
	{"allowed-first", []string{originA, originB, noOrigin, originRefused, originA, originB, noOrigin, originRefused}},
	{"no-origin-first", []string{noOrigin, originA, originRefused, originB, noOrigin, originA, originRefused, originB}},
	{"refused-first", []string{originRefused, originB, originA, noOrigin, originRefused, originB, originA, noOrigin}},
	{"same-origin-twice-in-a-row", []string{originB, originB, originA, originA, originRefused, originRefused, noOrigin, noOrigin}},
	{"alternating-allowed", []string{originA, originB, originA, originB, originA, noOrigin, originB, originRefused}},
}

// observed is one response as the client saw it through nginx.
type observed struct {
	origin      string // Origin header sent ("" for none)
	acao        []string
	acac        []string
	vary        []string
	cacheStatus string
	backendResp string
}

func (o observed) String() string {
	name := o.origin
	if name == noOrigin {
		name = "(no Origin)"
	}
	return fmt.Sprintf("request with Origin %s got ACAO %q ACAC %q Vary %q, cache %s, backend response #%s",
		name, o.acao, o.acac, o.vary, o.cacheStatus, o.backendResp)
}

// expectedACAO is what the cors middleware configured by corsOptions sends
// for a request from origin: the origin itself when it is allowed, nothing
// otherwise.
func expectedACAO(origin string) []string {
	if origin == originA || origin == originB {
		return []string{origin}
	}
	return nil
}

func corsOptions() cors.Options {
	return cors.Options{
		AllowedOrigins:   []string{originA, originB},
		AllowCredentials: true,
		ExposedHeaders:   []string{backendCountHeader},
	}
}

// cacheableBackend answers every GET with a response any shared cache may
// store for 60 seconds, numbered by backendCountHeader.
func cacheableBackend() http.Handler {
	var n atomic.Int64
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Cache-Control", "public, max-age=60")
		w.Header().Set(backendCountHeader, fmt.Sprint(n.Add(1)))
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		_, _ = io.WriteString(w, "shared resource "+r.URL.Path+"\n")
	})
}

// brokenCORS is the bug this test must be able to catch: it reflects an
// allowed Origin into Access-Control-Allow-Origin but never sets Vary.
func brokenCORS(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if o := r.Header.Get("Origin"); o == originA || o == originB {
			w.Header().Set("Access-Control-Allow-Origin", o)
			w.Header().Set("Access-Control-Allow-Credentials", "true")
		}
		next.ServeHTTP(w, r)
	})
}

// TestSharedCacheNeverServesAnotherOriginsACAO puts nginx's proxy_cache in
// front of the middleware and checks, for every request order, that each
// response carries exactly the Access-Control-Allow-Origin its own request
// should get, and that the cache really served some of them.
func TestSharedCacheNeverServesAnotherOriginsACAO(t *testing.T) {
	upstream := httptest.NewServer(cors.MustNew(corsOptions()).Handler(cacheableBackend()))
	t.Cleanup(upstream.Close)
	proxy := startNginx(t, upstream.Listener.Addr().String())

	for _, order := range requestOrders {
		t.Run(order.name, func(t *testing.T) {
			responses := sendOrder(t, proxy, "/good/"+order.name, order.origins)

			hits := 0
			for i, got := range responses {
				assert.Equal(t, expectedACAO(got.origin), got.acao, "response %d: %s", i, got)
				if expectedACAO(got.origin) != nil {
					assert.Equal(t, []string{"true"}, got.acac, "response %d: %s", i, got)
				} else {
					assert.Empty(t, got.acac, "response %d: %s", i, got)
				}
				assert.Contains(t, splitList(got.vary), "origin", "response %d must vary on Origin: %s", i, got)
				if got.cacheStatus == "HIT" {
					hits++
				}
			}
			// The cache keeps one variant per Origin value: the first request
			// for an Origin value goes to the backend, every repeat is a HIT.
			seen := map[string]bool{}
			for i, got := range responses {
				if seen[got.origin] {
					assert.Equal(t, "HIT", got.cacheStatus, "response %d: a repeated Origin must be served from the cache: %s", i, got)
				} else {
					assert.Equal(t, "MISS", got.cacheStatus, "response %d: the first request per Origin must reach the backend: %s", i, got)
				}
				seen[got.origin] = true
			}
			require.Positive(t, hits, "the cache served nothing, so this order proved nothing")
		})
	}
}

// TestSharedCacheKeepsOneCopyOfAPublicResource: under a "*" policy the answer
// is the same for every caller (Fetch, "CORS protocol and HTTP caches"), so
// the middleware adds no Vary: Origin and nginx keeps a single copy, which it
// serves to every origin, to "null" and to requests without Origin, each time
// with exactly "Access-Control-Allow-Origin: *".
func TestSharedCacheKeepsOneCopyOfAPublicResource(t *testing.T) {
	public := cors.MustNew(cors.Options{AllowedOrigins: []string{"*"}, ExposedHeaders: []string{backendCountHeader}})
	upstream := httptest.NewServer(public.Handler(cacheableBackend()))
	t.Cleanup(upstream.Close)
	proxy := startNginx(t, upstream.Listener.Addr().String())

	origins := []string{originA, originB, noOrigin, originRefused, "null", originA, "https://c.example", noOrigin, "null", originB}
	responses := sendOrder(t, proxy, "/public/resource", origins)
	for i, got := range responses {
		assert.Equal(t, []string{"*"}, got.acao, "response %d: %s", i, got)
		assert.Empty(t, got.acac, "response %d: a public resource is never credentialed: %s", i, got)
		assert.NotContains(t, splitList(got.vary), "origin", "response %d: a public answer must not vary on Origin: %s", i, got)
		assert.Equal(t, "1", got.backendResp, "response %d: every caller gets the one copy the backend made: %s", i, got)
		if i == 0 {
			assert.Equal(t, "MISS", got.cacheStatus, "the first request fills the cache: %s", got)
		} else {
			assert.Equal(t, "HIT", got.cacheStatus, "response %d: one copy serves every origin: %s", i, got)
		}
	}
}

// TestSharedCacheServesPoisonedACAOWithoutVary is the control experiment:
// the same requests against a handler that omits Vary must be poisoned, or
// the test above would prove nothing about the middleware.
func TestSharedCacheServesPoisonedACAOWithoutVary(t *testing.T) {
	upstream := httptest.NewServer(brokenCORS(cacheableBackend()))
	t.Cleanup(upstream.Close)
	proxy := startNginx(t, upstream.Listener.Addr().String())

	for _, order := range requestOrders {
		t.Run(order.name, func(t *testing.T) {
			responses := sendOrder(t, proxy, "/broken/"+order.name, order.origins)

			first := responses[0]
			assert.Equal(t, "MISS", first.cacheStatus, "first response: %s", first)
			poisoned := 0
			for i, got := range responses[1:] {
				// Without Vary the first response is the only one ever stored,
				// so everybody gets it, whatever their Origin.
				assert.Equal(t, "HIT", got.cacheStatus, "response %d: %s", i+1, got)
				assert.Equal(t, first.acao, got.acao, "response %d must be the cached copy: %s", i+1, got)
				assert.Equal(t, first.backendResp, got.backendResp, "response %d must be the cached copy: %s", i+1, got)
				if !equalStrings(expectedACAO(got.origin), got.acao) {
					poisoned++
				}
			}
			assert.Positive(t, poisoned, "no request received another request's ACAO; the control experiment failed to poison the cache")
		})
	}

	// The classic attack, spelled out: the allowed origin A warms the cache,
	// then a request from B, from nowhere, or from the attacker is handed A's
	// Access-Control-Allow-Origin.
	responses := sendOrder(t, proxy, "/broken/spelled-out", []string{originA, originB, noOrigin, originRefused})
	for _, got := range responses[1:] {
		assert.Equal(t, "HIT", got.cacheStatus, "%s", got)
		assert.Equal(t, []string{originA}, got.acao, "nginx must serve the poisoned response: %s", got)
	}
}

// TestSharedCacheWithTheApplicationsOwnVary: applications vary on other headers too (a compression
// middleware adds Vary: Accept-Encoding). nginx up to at least 1.22 (Debian 12) takes only the LAST Vary
// line of a response into account. The middleware appends Origin as a line of its own, so:
//   - a Vary the application sets before the middleware runs stays safe (Origin is the last line);
//   - a Vary the application merges into the existing line after the middleware stays safe;
//   - a separate Vary line the handler adds after the middleware hides Origin from such an nginx, and
//     the cache is poisoned. The middleware cannot prevent that; docs/security.md tells users to merge.
func TestSharedCacheWithTheApplicationsOwnVary(t *testing.T) {
	const order = "alternating"
	origins := []string{originA, originB, noOrigin, originRefused, originA, originB, noOrigin, originRefused}
	safe := []struct {
		name string
		wrap func(c *cors.Cors, backend http.Handler) http.Handler
	}{
		{"set before the middleware", func(c *cors.Cors, backend http.Handler) http.Handler {
			return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				w.Header().Add("Vary", "Accept-Encoding")
				c.Handler(backend).ServeHTTP(w, r)
			})
		}},
		{"merged into the same line after the middleware", func(c *cors.Cors, backend http.Handler) http.Handler {
			return c.Handler(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				h := w.Header()
				h["Vary"] = []string{strings.Join(append(h.Values("Vary"), "Accept-Encoding"), ", ")}
				backend.ServeHTTP(w, r)
			}))
		}},
	}
	for _, tt := range safe {
		t.Run(tt.name, func(t *testing.T) {
			upstream := httptest.NewServer(tt.wrap(cors.MustNew(corsOptions()), cacheableBackend()))
			t.Cleanup(upstream.Close)
			proxy := startNginx(t, upstream.Listener.Addr().String())
			hits := 0
			for i, got := range sendOrder(t, proxy, "/app-vary/"+order, origins) {
				assert.Equal(t, expectedACAO(got.origin), got.acao, "response %d: %s", i, got)
				assert.Subset(t, splitList(got.vary), []string{"origin", "accept-encoding"}, "response %d: %s", i, got)
				if got.cacheStatus == "HIT" {
					hits++
				}
			}
			assert.Equal(t, 4, hits, "every repeated Origin is served from the cache")
		})
	}

	t.Run("separate line added after the middleware", func(t *testing.T) {
		upstream := httptest.NewServer(cors.MustNew(corsOptions()).Handler(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			w.Header().Add("Vary", "Accept-Encoding")
			cacheableBackend().ServeHTTP(w, r)
		})))
		t.Cleanup(upstream.Close)
		proxy := startNginx(t, upstream.Listener.Addr().String())
		responses := sendOrder(t, proxy, "/app-vary-line/"+order, origins)
		poisoned := 0
		for _, got := range responses {
			if !equalStrings(expectedACAO(got.origin), got.acao) {
				poisoned++
			}
		}
		version := nginxVersion(t)
		t.Logf("nginx %s: %d of %d responses carried another request's ACAO", version, poisoned, len(responses))
		if versionBefore(version, 1, 23) {
			// Verified on Debian 12's nginx 1.22.1: only the last Vary line counts.
			assert.Positive(t, poisoned, "nginx %s was expected to honour only the last Vary line", version)
		}
	})
}

// nginxVersion returns the "1.22.1" of `nginx -v`.
func nginxVersion(t *testing.T) string {
	t.Helper()
	out, err := exec.Command(nginxBinary(t), "-v").CombinedOutput()
	require.NoError(t, err, "%s", out)
	_, v, ok := strings.Cut(strings.TrimSpace(string(out)), "nginx/")
	require.True(t, ok, "unexpected `nginx -v` output %q", out)
	v, _, _ = strings.Cut(v, " ")
	return v
}

// versionBefore reports whether a dotted version is older than major.minor.
func versionBefore(version string, major, minor int) bool {
	var ma, mi int
	if _, err := fmt.Sscanf(version, "%d.%d", &ma, &mi); err != nil {
		return false
	}
	return ma < major || ma == major && mi < minor
}

// sendOrder sends one GET per origin, in order, to path through the proxy.
func sendOrder(t *testing.T, proxy, path string, origins []string) []observed {
	t.Helper()
	client := &http.Client{Transport: &http.Transport{Proxy: nil, DisableCompression: true}, Timeout: 5 * time.Second}
	t.Cleanup(client.CloseIdleConnections)
	var out []observed
	for _, origin := range origins {
		req, err := http.NewRequest(http.MethodGet, proxy+path, nil)
		require.NoError(t, err)
		if origin != noOrigin {
			req.Header.Set("Origin", origin)
		}
		resp, err := client.Do(req)
		require.NoError(t, err)
		_, err = io.Copy(io.Discard, resp.Body)
		require.NoError(t, err)
		require.NoError(t, resp.Body.Close())
		require.Equal(t, http.StatusOK, resp.StatusCode)
		out = append(out, observed{
			origin:      origin,
			acao:        resp.Header.Values("Access-Control-Allow-Origin"),
			acac:        resp.Header.Values("Access-Control-Allow-Credentials"),
			vary:        resp.Header.Values("Vary"),
			cacheStatus: resp.Header.Get(cacheStatusHeader),
			backendResp: resp.Header.Get(backendCountHeader),
		})
	}
	return out
}

// splitList lower-cases and splits comma-separated header lines.
func splitList(lines []string) []string {
	var out []string
	for _, l := range lines {
		for _, v := range strings.Split(l, ",") {
			if v = strings.TrimSpace(v); v != "" {
				out = append(out, strings.ToLower(v))
			}
		}
	}
	return out
}

func equalStrings(a, b []string) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

// nginxCandidates are where Debian and source builds put nginx, for when it is not on PATH (as
// /usr/sbin is not for non-root users).
var nginxCandidates = []string{"/usr/sbin/nginx", "/usr/local/sbin/nginx", "/usr/local/nginx/sbin/nginx"}

// errNoNginx says how to get nginx; CI installs it the same way.
var errNoNginx = errors.New("nginx is not installed; install it with `sudo apt-get install -y nginx` " +
	"(or point CORS_NGINX at a binary; set CORS_SKIP_NGINX=1 to skip this test)")

// locateNginx finds the nginx binary: $CORS_NGINX, then PATH, then nginxCandidates.
func locateNginx() (string, error) {
	if p := os.Getenv("CORS_NGINX"); p != "" {
		if _, err := os.Stat(p); err != nil {
			return "", fmt.Errorf("CORS_NGINX=%s: %w; %w", p, err, errNoNginx)
		}
		return p, nil
	}
	if p, err := exec.LookPath("nginx"); err == nil {
		return p, nil
	}
	for _, p := range nginxCandidates {
		if _, err := os.Stat(p); err == nil {
			return p, nil
		}
	}
	return "", errNoNginx
}

// nginxBinary finds nginx, or fails with the command that installs it (skips if CORS_SKIP_NGINX=1).
func nginxBinary(t *testing.T) string {
	t.Helper()
	p, err := locateNginx()
	if err != nil {
		if os.Getenv("CORS_SKIP_NGINX") == "1" {
			t.Skipf("CORS_SKIP_NGINX=1: skipping the shared-cache test: %v", err)
		}
		t.Fatal(err)
	}
	return p
}

func TestMissingNginxFailsWithTheInstallCommand(t *testing.T) {
	saved := nginxCandidates
	t.Cleanup(func() { nginxCandidates = saved })
	nginxCandidates = []string{filepath.Join(t.TempDir(), "nginx")}
	t.Setenv("PATH", t.TempDir())
	t.Setenv("CORS_NGINX", "")

	_, err := locateNginx()
	require.ErrorIs(t, err, errNoNginx)
	assert.Contains(t, err.Error(), "sudo apt-get install -y nginx")
	assert.Contains(t, err.Error(), "CORS_SKIP_NGINX=1")

	t.Setenv("CORS_NGINX", filepath.Join(t.TempDir(), "missing-nginx"))
	_, err = locateNginx()
	require.ErrorIs(t, err, errNoNginx, "a CORS_NGINX that does not exist is reported the same way")
}

var nginxConf = template.Must(template.New("nginx.conf").Parse(`# written by the cachetest package; everything lives in {{.Dir}}
daemon off;
master_process off;
worker_processes 1;
pid {{.Dir}}/nginx.pid;
error_log {{.Dir}}/error.log warn;

events {
	worker_connections 64;
}

http {
	access_log off;
	default_type application/octet-stream;
	client_body_temp_path {{.Dir}}/client_body;
	proxy_temp_path {{.Dir}}/proxy_temp;
	fastcgi_temp_path {{.Dir}}/fastcgi_temp;
	uwsgi_temp_path {{.Dir}}/uwsgi_temp;
	scgi_temp_path {{.Dir}}/scgi_temp;

	proxy_cache_path {{.Dir}}/cache levels=1:2 keys_zone=cors_test:1m max_size=16m inactive=10m use_temp_path=off;

	server {
		listen {{.Listen}};

		location / {
			proxy_pass http://{{.Upstream}};
			proxy_http_version 1.1;
			proxy_cache cors_test;
			proxy_cache_methods GET HEAD;
			add_header {{.StatusHeader}} $upstream_cache_status always;
		}
	}
}
`))

// startNginx runs nginx in the foreground (no daemon, no master process) as
// a caching reverse proxy in front of upstream, on a free loopback port, with
// every file it writes inside t.TempDir(). It is stopped when the test ends,
// whether the test passes, fails or panics. It returns the proxy's base URL.
func startNginx(t *testing.T, upstream string) string {
	t.Helper()
	bin := nginxBinary(t)

	var lastErr error
	for attempt := 0; attempt < 5; attempt++ {
		dir := t.TempDir()
		listen := freeLoopbackAddr(t)
		var conf bytes.Buffer
		require.NoError(t, nginxConf.Execute(&conf, map[string]string{
			"Dir": dir, "Listen": listen, "Upstream": upstream, "StatusHeader": cacheStatusHeader,
		}))
		confPath := filepath.Join(dir, "nginx.conf")
		require.NoError(t, os.WriteFile(confPath, conf.Bytes(), 0o600))

		// -e keeps nginx away from /var/log/nginx before it has read the config.
		cmd := exec.Command(bin, "-p", dir, "-e", filepath.Join(dir, "error.log"), "-c", confPath)
		var output bytes.Buffer
		cmd.Stdout, cmd.Stderr = &output, &output
		killWithParent(cmd)
		require.NoError(t, cmd.Start(), "starting %s", bin)

		exited := make(chan struct{})
		var waitErr error
		go func() { waitErr = cmd.Wait(); close(exited) }()
		stop := func() {
			select {
			case <-exited:
				return
			default:
			}
			_ = cmd.Process.Signal(syscall.SIGQUIT) // graceful shutdown
			select {
			case <-exited:
			case <-time.After(3 * time.Second):
				_ = cmd.Process.Kill()
				<-exited
			}
		}

		err := waitListening(listen, exited, func() error { return waitErr })
		if err == nil {
			t.Cleanup(stop)
			return "http://" + listen
		}
		stop()
		errLog, _ := os.ReadFile(filepath.Join(dir, "error.log"))
		lastErr = fmt.Errorf("%w\nnginx output:\n%s\nerror.log:\n%s", err, output.String(), errLog)
		if !strings.Contains(string(errLog)+output.String(), "Address already in use") {
			break // not a port race: retrying would not help
		}
	}
	t.Fatalf("nginx did not start: %v", lastErr)
	return ""
}

// freeLoopbackAddr returns a loopback address whose port was free a moment
// ago; startNginx retries if another process takes it in between.
func freeLoopbackAddr(t *testing.T) string {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	addr := l.Addr().String()
	require.NoError(t, l.Close())
	return addr
}

// waitListening waits until addr accepts connections, nginx exits, or 10s pass.
func waitListening(addr string, exited <-chan struct{}, waitErr func() error) error {
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	var d net.Dialer
	for {
		conn, err := d.DialContext(ctx, "tcp", addr)
		if err == nil {
			return conn.Close()
		}
		select {
		case <-exited:
			return fmt.Errorf("nginx exited before listening on %s: %v", addr, waitErr())
		case <-ctx.Done():
			return errors.New("nginx did not listen on " + addr + " within 10s")
		case <-time.After(10 * time.Millisecond):
		}
	}
}
