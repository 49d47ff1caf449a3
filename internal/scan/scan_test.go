package scan

import (
	"context"
	"errors"
	"net/http"
	"net/url"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/crossorigin/cors/internal/fetch"
)

// echo reflects every Origin it is sent, with credentials, when allowed says so.
func echo(allowed func(string) bool) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Add("Vary", "Origin")
		if o := r.Header.Get("Origin"); o != "" && allowed(o) {
			w.Header().Set("Access-Control-Allow-Origin", o)
			w.Header().Set("Access-Control-Allow-Credentials", "true")
		}
	})
}

func scanner(h http.Handler) *Scanner {
	return &Scanner{
		Transport: fetch.HandlerTransport{Handler: h},
		Timeout:   time.Second,
		URL:       &url.URL{Scheme: "https", Host: "api.example.co.uk", Path: "/v1"},
	}
}

func TestScanDerivesTrustedOriginsFromTheRegistrableDomain(t *testing.T) {
	s := scanner(echo(func(o string) bool {
		return o == "https://www.example.co.uk" || strings.HasSuffix(o, "example.co.uk.evil.net")
	}))
	fs, err := s.Run(context.Background(), "")
	require.NoError(t, err)
	require.NotEmpty(t, fs)
	assert.Equal(t, IDLookalike, fs[0].ID)
	assert.Equal(t, "https://www.example.co.uk.evil.net", fs[0].Origin, "the lookalike is built on the derived trusted origin")
}

func TestATrustedOriginNoPageHasIsAnOriginError(t *testing.T) {
	for _, trusted := range []string{"null", "https://app.example.com/", "HTTPS://app.example.com", "app.example.com"} {
		t.Run(trusted, func(t *testing.T) {
			_, err := scanner(echo(func(string) bool { return true })).Run(context.Background(), trusted)
			var bad *OriginError
			require.ErrorAs(t, err, &bad)
			assert.Equal(t, trusted, bad.Origin)
		})
	}
}

func TestAHostNoOriginCanBeDerivedFromIsADeriveError(t *testing.T) {
	s := scanner(echo(func(string) bool { return true }))
	s.URL = &url.URL{Scheme: "http", Host: "[::1%lo]:8080"}
	_, err := s.Run(context.Background(), "")
	var underived *DeriveError
	require.ErrorAs(t, err, &underived)
	assert.Equal(t, "::1%lo", underived.Host)
}

// A server may drop the connection over an odd Origin, which is no finding; but a run whose deadline
// passes while such origins are asked must fail, not report the findings gathered so far as the
// whole answer.
func TestADeadlineDuringTheLookalikesEndsTheScanWithAnError(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var asked atomic.Int32
	h := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		// "*" and the last lookalike are the battery's last origins for an http trusted origin.
		if r.Header.Get("Origin") == "*" && asked.Add(1) == 1 {
			cancel()
		}
		echo(func(o string) bool { return o == "http://app.example.co.uk" }).ServeHTTP(w, r)
	})
	fs, err := scanner(h).Run(ctx, "http://app.example.co.uk")
	require.Error(t, err)
	assert.True(t, errors.Is(err, context.Canceled), "%v", err)
	assert.Nil(t, fs)
}

func TestOnlyHighAndCriticalFindingsAreSevere(t *testing.T) {
	for sev, severe := range map[string]bool{SeverityCritical: true, SeverityHigh: true, SeverityMedium: false, SeverityLow: false, SeverityInfo: false} {
		f := Finding{Severity: sev}
		assert.Equal(t, severe, f.Severe(), sev)
	}
}
