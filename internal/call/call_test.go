package call

import (
	"net/http"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
)

// The calls themselves are tested through corstest and corscheck, which make them; this test holds the
// browser a network call is made with.

func TestANetworkBrowserTakesOnlyTheClientsTransportAndTimeout(t *testing.T) {
	b := Browser(nil)
	assert.Equal(t, 10*time.Second, b.Timeout, "a nil client bounds each request to 10 seconds")
	assert.NotNil(t, b.Transport)

	own := &http.Transport{}
	b = Browser(&http.Client{Transport: own, Timeout: 3 * time.Second})
	assert.Equal(t, 3*time.Second, b.Timeout)
	assert.Same(t, own, b.Transport)

	b = Browser(&http.Client{})
	assert.Zero(t, b.Timeout, "a client without Timeout has no bound but the context's")
	assert.NotNil(t, b.Transport, "a client without Transport gets the bounded one")
}
