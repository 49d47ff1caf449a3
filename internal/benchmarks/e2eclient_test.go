package benchmarks

import (
	"bufio"
	"net"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// serveCanned answers every request on a loopback listener with response, byte for byte.
func serveCanned(t *testing.T, response string) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	t.Cleanup(func() { _ = ln.Close() })
	go func() {
		for {
			conn, err := ln.Accept()
			if err != nil {
				return
			}
			go func() {
				defer conn.Close()
				r := bufio.NewReader(conn)
				for {
					if _, err := http.ReadRequest(r); err != nil {
						return
					}
					if _, err := conn.Write([]byte(response)); err != nil {
						return
					}
				}
			}()
		}
	}()
	return ln.Addr().String()
}

func TestTheLoadGeneratorChecksEveryResponseAndBoundsWhatItReads(t *testing.T) {
	const body = `{"id":1}` + "\n"
	const origin = "Access-Control-Allow-Origin: https://app.example.com\r\n"
	const creds = "Access-Control-Allow-Credentials: true\r\n"
	head := func(lines ...string) string {
		return "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n" + strings.Join(lines, "") + "Content-Length: 9\r\n\r\n"
	}
	tests := []struct {
		name     string
		response string
		cors     bool
		wantErr  string // "" for none
	}{
		{"a CORS response with its body passes", head(origin, creds) + body, true, ""},
		{"a bare response with its body passes", head() + body, false, ""},
		{"names are matched whatever their case", "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\n" + strings.ToUpper(origin[:28]) + origin[28:] +
			"access-control-allow-credentials: true\r\ncontent-LENGTH: 9\r\n\r\n" + body, true, ""},
		{"CORS lines where none are wanted fail", head(origin, creds) + body, false, "the bare handler answered ACAO"},
		{"no CORS lines where they are wanted fail", head() + body, true, "0 ACAO lines"},
		{"another origin fails", head("Access-Control-Allow-Origin: https://evil.example\r\n", creds) + body, true, "ACAO"},
		{"two ACAO lines fail", head(origin, origin, creds) + body, true, "2 ACAO lines"},
		{"no credentials line fails", head(origin) + body, true, "ACAC true false"},
		{"another status fails", "HTTP/1.1 500 Oops\r\nContent-Length: 0\r\n\r\n", false, "status line"},
		{"another body fails", head() + `{"id":2}` + "\n", false, "body"},
		{"another Content-Type fails", strings.Replace(head(), "application/json", "text/plain", 1) + body, false, "Content-Type"},
		{"no Content-Length fails", "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n\r\n" + body, false, "Content-Length -1"},
		{"two Content-Length lines fail", head("Content-Length: 9\r\n") + body, false, "two Content-Length"},
		{"a huge Content-Length is refused unread", strings.Replace(head(), "9", "99999999", 1), false, "Content-Length"},
		{"a chunked body fails", head("Transfer-Encoding: chunked\r\n") + body, false, "unexpected Transfer-Encoding"},
		{"a closing connection fails", head("Connection: close\r\n") + body, false, "unexpected Connection"},
		{"a line without CRLF fails", "HTTP/1.1 200 OK\nContent-Length: 9\n\n" + body, false, "malformed"},
		{"a line without a colon fails", head("nonsense\r\n") + body, false, "malformed"},
		{"a line over 4 KiB fails", head("X-Long: "+strings.Repeat("a", 5000)+"\r\n") + body, false, "longer than 4 KiB"},
		{"more than 64 lines fail", head(strings.Repeat("X-A: b\r\n", 70)) + body, false, "more than 64 header lines"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, err := dialRaw(serveCanned(t, tt.response), []byte(body), tt.cors)
			require.NoError(t, err)
			defer c.close()
			require.NoError(t, c.conn.SetDeadline(time.Now().Add(5*time.Second)))
			err = c.roundTrip()
			if tt.wantErr == "" {
				require.NoError(t, err)
				require.NoError(t, c.roundTrip(), "and again on the same connection")
				return
			}
			assert.ErrorContains(t, err, tt.wantErr)
		})
	}
}

func TestTheLoadGeneratorSendsTheRequestGoClientSends(t *testing.T) {
	var got []*http.Request
	srv, err := StartE2E(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		got = append(got, r)
		JSONHandler().ServeHTTP(w, r)
	}), 1)
	require.NoError(t, err)
	defer srv.Close()
	require.NoError(t, srv.Warm(1, false)) // one request from Go's client, then one from the load generator
	require.Len(t, got, 2)
	client, raw := got[0], got[1]
	assert.Equal(t, client.Method, raw.Method)
	assert.Equal(t, client.URL.String(), raw.URL.String())
	assert.Equal(t, client.Host, raw.Host)
	assert.Equal(t, client.Header, raw.Header)
	assert.Equal(t, E2EOrigin(), raw.Header.Get("Origin"))
}

// The load generator takes nothing from the server it measures but the system calls: a round trip
// allocates nothing (against a server that allocates nothing either, since the count is the process's).
func TestTheLoadGeneratorAllocatesNothingPerRequest(t *testing.T) {
	const body = `{"id":1}` + "\n"
	response := []byte("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n" +
		"Access-Control-Allow-Origin: https://app.example.com\r\nAccess-Control-Allow-Credentials: true\r\n" +
		"Vary: Origin\r\nContent-Length: 9\r\n\r\n" + body)
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	defer ln.Close()
	go func() {
		conn, err := ln.Accept()
		if err != nil {
			return
		}
		defer conn.Close()
		buf := make([]byte, 4096)
		for {
			// Each request arrives whole, as the client writes it in one call and waits for the answer.
			if _, err := conn.Read(buf); err != nil {
				return
			}
			if _, err := conn.Write(response); err != nil {
				return
			}
		}
	}()
	c, err := dialRaw(ln.Addr().String(), []byte(body), true)
	require.NoError(t, err)
	defer c.close()
	require.NoError(t, c.conn.SetDeadline(time.Now().Add(time.Minute)))
	require.NoError(t, c.roundTrip())
	var rtErr error
	allocs := testing.AllocsPerRun(200, func() {
		if err := c.roundTrip(); err != nil {
			rtErr = err
		}
	})
	require.NoError(t, rtErr)
	assert.Zero(t, allocs)
}
