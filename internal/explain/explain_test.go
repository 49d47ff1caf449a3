package explain

import (
	"net/http"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/crossorigin/cors/internal/fetch"
)

// The explanations are tested through corstest and corscheck, which make real calls; these tests hold
// what those leave to this package's callers alone.

func TestAWarningReadsAsItsMessageThenItsFix(t *testing.T) {
	assert.Equal(t, "It redirected.", Warning{Message: "It redirected."}.Text(), "a warning that only informs has no fix")
	assert.Equal(t, "No cookie went. Add include.", Warning{Message: "No cookie went.", Fix: "Add include."}.Text())
}

func TestUnreadableSaysWhyThePageCannotReadAHeader(t *testing.T) {
	trace := func(h http.Header, readable ...string) *fetch.Trace {
		return &fetch.Trace{Exchanges: []fetch.Exchange{{Kind: fetch.KindRequest, CORS: true, Status: 200, ResponseHeader: h}}, Readable: readable}
	}
	h := http.Header{"Set-Cookie": {"a=b"}, "X-Total": {"7"}, "Access-Control-Expose-Headers": {"*"}}
	tests := []struct {
		name         string
		credentialed bool
		says         string // "" when the page can read it
	}{
		{"Set-Cookie", false, "The page can never read Set-Cookie: browsers filter it out of every response."},
		{"set-cookie2", false, "The page can never read set-cookie2"},
		{"X-Missing", false, "The response has no X-Missing header, so the page cannot read it."},
		{"X-Total", true, "with credentials, '*' in Access-Control-Expose-Headers names a header literally called '*'"},
		{"X-Other", true, "The response has no X-Other header"},
	}
	for _, tt := range tests {
		p := Unreadable(trace(h), tt.name, tt.credentialed)
		require.NotNil(t, p, tt.name)
		assert.Contains(t, p.Message, tt.says, tt.name)
		assert.NotEmpty(t, p.Fix, tt.name)
	}
	p := Unreadable(trace(http.Header{"X-Total": {"7"}}), "X-Total", false)
	require.NotNil(t, p)
	assert.Contains(t, p.Message, "it is not CORS-safelisted and Access-Control-Expose-Headers does not list it")
	assert.Nil(t, Unreadable(trace(h, "x-total"), "X-Total", false), "a readable header, in any case")
	assert.Nil(t, Unreadable(&fetch.Trace{Blocked: true}, "X-Total", false), "a blocked call says more than any header")
}
