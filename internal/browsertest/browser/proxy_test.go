package browser

import (
	"bufio"
	"crypto/tls"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestProxyRoutes(t *testing.T) {
	p, err := StartProxy([]Route{
		{From: "api.example.com:443", To: "127.0.0.1:1001"},
		{From: "*:443", To: "127.0.0.1:1002"},
		{From: "localhost:3000", To: "127.0.0.1:1003"},
		{From: "*:80", To: "127.0.0.1:1004"},
	})
	require.NoError(t, err)
	defer p.Close()
	for _, tc := range []struct{ from, want, wantErr string }{
		{from: "api.example.com:443", want: "127.0.0.1:1001"},
		{from: "API.Example.com.:443", want: "127.0.0.1:1001"},
		{from: "app.example.com:443", want: "127.0.0.1:1002", wantErr: ""},
		{from: "localhost:3000", want: "127.0.0.1:1003"},
		{from: "evil.example:80", want: "127.0.0.1:1004"},
		{from: "localhost:8081", want: "localhost:8081"},
		{from: "127.0.0.1:9999", want: "127.0.0.1:9999"},
		{from: "[::1]:9999", want: "[::1]:9999"},
		{from: "example.org:8443", wantErr: "outside the test network"},
		{from: "10.0.0.1:80", want: "127.0.0.1:1004"},
		{from: "10.0.0.1:81", wantErr: "outside the test network"},
	} {
		got, err := p.Resolve(tc.from)
		if tc.wantErr != "" {
			assert.ErrorContains(t, err, tc.wantErr, tc.from)
			continue
		}
		require.NoError(t, err, tc.from)
		assert.Equal(t, tc.want, got, tc.from)
	}
	assert.Equal(t, []string{"example.org:8443", "10.0.0.1:81"}, p.Refused(), "refusals are recorded")
}

func TestProxyForwardsAbsoluteURLsAndTunnelsConnect(t *testing.T) {
	echo := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Vary", "Origin")
		_, _ = fmt.Fprintf(w, "%s %s host=%s origin=%s", r.Method, r.URL.RequestURI(), r.Host, r.Header.Get("Origin"))
	})
	plain := httptest.NewServer(echo)
	defer plain.Close()
	secure := httptest.NewTLSServer(echo)
	defer secure.Close()
	p, err := StartProxy([]Route{
		{From: "localhost:8080", To: plain.Listener.Addr().String()},
		{From: "api.example.com:443", To: secure.Listener.Addr().String()},
	})
	require.NoError(t, err)
	defer p.Close()

	client := &http.Client{Transport: &http.Transport{
		Proxy:           http.ProxyURL(mustURL(t, "http://"+p.Addr())),
		TLSClientConfig: &tls.Config{InsecureSkipVerify: true}, //nolint:gosec // httptest's certificate
	}}
	for _, tc := range []struct{ url, want string }{
		{"http://localhost:8080/items/7?case=1", "PUT /items/7?case=1 host=localhost:8080 origin=http://localhost:3000"},
		{"https://api.example.com/c/1/x", "PUT /c/1/x host=api.example.com origin=http://localhost:3000"},
	} {
		req, err := http.NewRequest(http.MethodPut, tc.url, strings.NewReader("{}"))
		require.NoError(t, err)
		req.Header.Set("Origin", "http://localhost:3000")
		resp, err := client.Do(req)
		require.NoError(t, err, tc.url)
		body, _ := io.ReadAll(resp.Body)
		_ = resp.Body.Close()
		assert.Equal(t, tc.want, string(body), "what the server received through the proxy")
		assert.Equal(t, "Origin", resp.Header.Get("Vary"), "response headers pass unchanged")
		assert.Empty(t, resp.Header.Get("X-Forwarded-For"))
	}

	// A destination outside the test network is refused, not dialled.
	resp, err := client.Get("http://example.org/")
	require.NoError(t, err)
	_ = resp.Body.Close()
	assert.Equal(t, http.StatusBadGateway, resp.StatusCode)
	assert.Equal(t, []string{"example.org:80"}, p.Refused())
}

func TestProxyForwardsWebSocketUpgrades(t *testing.T) {
	// A server that switches protocols and echoes one line, like a WebSocket
	// upgrade followed by a frame.
	upgrade := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Header.Get("Upgrade") != "websocket" {
			http.Error(w, "no upgrade", http.StatusBadRequest)
			return
		}
		conn, buf, err := w.(http.Hijacker).Hijack()
		if err != nil {
			return
		}
		defer conn.Close()
		_, _ = buf.WriteString("HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n\r\n")
		_ = buf.Flush()
		line, _ := buf.ReadString('\n')
		_, _ = buf.WriteString("echo " + line)
		_ = buf.Flush()
	}))
	defer upgrade.Close()
	p, err := StartProxy([]Route{{From: "localhost:8080", To: upgrade.Listener.Addr().String()}})
	require.NoError(t, err)
	defer p.Close()

	// WebKit asks for the ws:// URL itself; Firefox for http://.
	for _, scheme := range []string{"ws", "http"} {
		conn, err := net.Dial("tcp", p.Addr())
		require.NoError(t, err)
		_, err = fmt.Fprintf(conn, "GET %s://localhost:8080/ws HTTP/1.1\r\nHost: localhost:8080\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n\r\n", scheme)
		require.NoError(t, err)
		r := bufio.NewReader(conn)
		resp, err := http.ReadResponse(r, nil)
		require.NoError(t, err, scheme)
		assert.Equal(t, http.StatusSwitchingProtocols, resp.StatusCode, scheme)
		_, err = io.WriteString(conn, "ping\n")
		require.NoError(t, err)
		line, err := r.ReadString('\n')
		require.NoError(t, err)
		assert.Equal(t, "echo ping\n", line, scheme)
		_ = conn.Close()
	}
}

func mustURL(t *testing.T, s string) *url.URL {
	t.Helper()
	u, err := url.Parse(s)
	require.NoError(t, err)
	return u
}
