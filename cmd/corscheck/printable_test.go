package main

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"math/big"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestPrintableEscapesWhatATerminalWouldObeyAndKeepsTheRest(t *testing.T) {
	cases := []struct{ name, in, want string }{
		{"plain ASCII is kept", "https://app.example.com", "https://app.example.com"},
		{"non-ASCII letters are kept", "café ☕.example", "café ☕.example"},
		{"a valid U+FFFD is kept", "a\uFFFDb", "a\uFFFDb"},
		{"ESC and BEL of an OSC title sequence", "\x1b]0;PWNED\x07\x1b[2J", `\x1b]0;PWNED\a\x1b[2J`},
		{"CR, LF and TAB cannot forge lines", "a\r\nFAKE: ALLOWED\tb", `a\r\nFAKE: ALLOWED\tb`},
		{"NUL and DEL", "a\x00b\x7f", `a\x00b\x7f`},
		{"the C1 CSI U+009B", "\u009b31mRED", `\u009b31mRED`},
		{"every C1 control", "\u0080\u009f", `\u0080\u009f`},
		{"a raw 0x9B byte (invalid UTF-8, a CSI on 8-bit terminals)", "\x9b31m", `\x9b31m`},
		{"a truncated UTF-8 sequence", "a\xe2\x80", `a\xe2\x80`},
		{"the right-to-left override U+202E", "\u202eTXET", `\u202eTXET`},
		{"the bidi embeddings, overrides and isolates", "\u202a\u202b\u202c\u202d\u2066\u2067\u2068\u2069", `\u202a\u202b\u202c\u202d\u2066\u2067\u2068\u2069`},
		{"the bidi marks", "\u200e\u200f\u061c", `\u200e\u200f\u061c`},
		{"the line and paragraph separators", "a\u2028b\u2029", `a\u2028b\u2029`},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			got := printable(tc.in)
			assert.Equal(t, tc.want, got)
			assert.True(t, utf8.ValidString(got))
			for _, r := range got {
				assert.False(t, unsafeRune(r, 2), "%U left in %q", r, got)
			}
		})
	}
}

// selfSigned returns a certificate for names, which need not be host names at all.
func selfSigned(t *testing.T, names ...string) tls.Certificate {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	require.NoError(t, err)
	tmpl := &x509.Certificate{SerialNumber: big.NewInt(1), NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(time.Hour), DNSNames: names}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	require.NoError(t, err)
	return tls.Certificate{Certificate: [][]byte{der}, PrivateKey: key}
}

func TestHumanOutputEscapesWhatTheServerOrNetworkSays(t *testing.T) {
	hostile := serve(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Access-Control-Allow-Origin", r.Header.Get("Origin")) // reflects any origin
		w.Header().Set("Vary", "\u009b31mC1RED \u202eTXET DESREVER")
		w.Header().Set("Access-Control-Expose-Headers", "x-\u202eevil")
		if r.URL.Path == "/start" {
			w.Header().Set("Location", "/next\u009b2J")
			w.WriteHeader(http.StatusFound)
		}
	}))
	tlsServer := httptest.NewUnstartedServer(http.NotFoundHandler())
	tlsServer.TLS = &tls.Config{Certificates: []tls.Certificate{selfSigned(t, "\x1b]0;PWNED-TITLE\x07\x1b[2J\x1b[31mFAKE: ALLOWED\x1b[0m")}}
	tlsServer.StartTLS()
	defer tlsServer.Close()
	tlsURL := "https://localhost:" + tlsServer.URL[strings.LastIndex(tlsServer.URL, ":")+1:] + "/"

	cases := []struct {
		name   string
		args   []string
		code   int
		stream string // "out" or "err"
		want   []string
	}{
		{"header values with a C1 CSI and a bidi override", []string{"-origin", app, hostile + "/"}, exitOK, "out",
			[]string{`< Vary: \u009b31mC1RED \u202eTXET DESREVER`}},
		{"a Location and the URL it leads to", []string{"-origin", app, hostile + "/start"}, exitOK, "out",
			[]string{`< Location: /next\u009b2J`, `/next%C2%9B2J -> 200`}},
		{"a scan's evidence", []string{"-scan", "-origin", app, hostile + "/"}, exitOK, "out",
			[]string{"[LOW] reflects-any-origin", `< vary: \u009b31mC1RED \u202eTXET DESREVER`}},
		{"an error quoting a certificate's names with ESC and BEL", []string{"-origin", app, tlsURL}, exitTrouble, "err",
			[]string{`x509: certificate is valid for \x1b]0;PWNED-TITLE\a\x1b[2J\x1b[31mFAKE: ALLOWED\x1b[0m, not localhost`}},
		{"a scan's network error", []string{"-scan", "-origin", app, tlsURL}, exitTrouble, "err",
			[]string{`\x1b]0;PWNED-TITLE\a`}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			code, out, errOut := run(t, tc.args...)
			assert.Equal(t, tc.code, code, "stdout: %s\nstderr: %s", out, errOut)
			text := out
			if tc.stream == "err" {
				text = errOut
			}
			for _, w := range tc.want {
				assert.Contains(t, text, w)
			}
			for _, stream := range []string{out, errOut} {
				for _, r := range stream {
					assert.False(t, r != '\n' && unsafeRune(r, 2), "%U reached the terminal:\n%s", r, stream)
				}
				assert.NotContains(t, stream, "\x1b")
				assert.True(t, utf8.ValidString(stream), "invalid UTF-8 reached the terminal: %q", stream)
			}
		})
	}
}

func TestJSONOutputKeepsTheServersBytes(t *testing.T) {
	hostile := serve(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Access-Control-Allow-Origin", app)
		w.Header().Set("Vary", "\u009b31m \u202e")
	}))
	_, rep := explainJSON(t, "-origin", app, hostile)
	require.NotNil(t, rep.Request)
	assert.Equal(t, []string{"\u009b31m \u202e"}, rep.Request.ResponseHeaders["vary"], "encoding/json escapes what JSON must; the value is the server's")
}
