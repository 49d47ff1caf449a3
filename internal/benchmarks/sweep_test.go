package benchmarks

import (
	"net/http"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestSweepOriginsAreHalfExactHalfSubdomainWildcardsEndingWithTheAskedKind(t *testing.T) {
	for _, n := range SweepSizes {
		for _, last := range []string{KindExact, KindSubdomain} {
			origins := SweepOrigins(n, last)
			require.Len(t, origins, n)
			wild := 0
			seen := map[string]bool{}
			for _, o := range origins {
				if strings.HasPrefix(o, "https://*.customer-") {
					wild++
				} else {
					assert.True(t, strings.HasPrefix(o, "https://customer-"), o)
				}
				assert.False(t, seen[o], "duplicate %s", o)
				seen[o] = true
			}
			assert.InDelta(t, n/2, wild, 1, "n=%d last=%s: half are wildcards", n, last)
			isWild := strings.Contains(origins[n-1], "*")
			assert.Equal(t, last == KindSubdomain, isWild, "n=%d: the last one is %s", n, last)
		}
	}
	assert.Equal(t, []string{"https://customer-0.com"}, SweepOrigins(1, KindExact))
	assert.Equal(t, []string{"https://*.customer-0.com"}, SweepOrigins(1, KindSubdomain))
}

func TestSweepRequestsAreLetInByTheLastConfiguredOrigin(t *testing.T) {
	for _, s := range SweepScenarios() {
		last := s.Config.Origins[len(s.Config.Origins)-1]
		origin := s.Request.Header.Get("Origin")
		switch s.Name {
		case SweepActualExact, SweepPreflightExact:
			assert.Equal(t, last, origin, s.FullName())
		case SweepActualSubdomain, SweepPreflightSubdomain:
			assert.Equal(t, strings.Replace(last, "*", "app", 1), origin, s.FullName())
		default:
			assert.Equal(t, SweepRefusedOrigin, origin, s.FullName())
			assert.Contains(t, last, "*", "%s: a refusal misses the wildcards' lookup too", s.FullName())
		}
		assert.Equal(t, s.Size, len(s.Config.Origins), s.FullName())
	}
	assert.Len(t, SweepScenarios(), len(SweepSizes)*len(SweepRequests()))
}

// Every library is checked on every sweep request: ours does what each
// says; gorilla has no subdomain wildcard, so it can state only the
// one-origin exact configuration; every other peer does what each says.
func TestEveryLibraryDoesWhatEverySweepRequestSaysOrCannotStateIt(t *testing.T) {
	cells := Sweep()
	require.Len(t, cells, len(SweepScenarios())*len(Libraries()))
	for _, c := range cells {
		name := c.Scenario.FullName() + "/" + c.Library.Name
		switch {
		case c.Library.Name == Ours:
			assert.True(t, c.Scenario.OursMatches(c.Outcome), "%s: expected %s, got %s", name, c.Scenario.Expected(), c.Outcome)
			assert.Empty(t, c.Skip, name)
		case c.Library.Name == Gorilla && (c.Scenario.Size > 1 || sweepKind(c.Scenario.Name) == KindSubdomain):
			assert.Equal(t, "n/a: no subdomain wildcard", c.Skip, name)
		case c.Library.Peer:
			assert.Empty(t, c.Skip, name)
		}
	}
}

func TestSweepBuildsOnlyWhatItIsAskedFor(t *testing.T) {
	s := SweepScenario(SweepActualRefused, 100)
	require.NotNil(t, s)
	cells := Sweep(s)
	assert.Len(t, cells, len(Libraries()))
	for _, c := range cells {
		assert.Same(t, s, c.Scenario)
		assert.Nil(t, c.Quiet, "the sweep is not served in parallel")
	}
	assert.Nil(t, SweepScenario(SweepActualRefused, 7))
}

func TestQuietHandlersAnswerLikeTheMeasuredOnes(t *testing.T) {
	for _, c := range Matrix() {
		if c.Handler == nil {
			continue
		}
		w, q := NewWriter(), NewWriter()
		c.Serve(w)
		c.Quiet.ServeHTTP(q, c.Scenario.Request)
		assert.Equal(t, w.Header(), q.Header(), "%s/%s", c.Scenario.FullName(), c.Library.Name)
		assert.Equal(t, w.Status(), q.Status(), "%s/%s", c.Scenario.FullName(), c.Library.Name)
	}
}

func TestOursMergesAnEarlierVaryIntoOneLine(t *testing.T) {
	s := VaryMergeScenario()
	c := Find(Matrix(), s.FullName(), Ours)
	require.NotNil(t, c.Handler)
	w := NewWriter()
	scratch := make([]string, 1)
	ServeAfterVary(c.Handler, w, s.Request, scratch)
	require.Len(t, w.Header()["Vary"], 1, "old nginx reads the last Vary line only")
	assert.True(t, listed(w.Header()["Vary"], "Accept-Encoding", false))
	assert.True(t, listed(w.Header()["Vary"], "Origin", false))
	assert.Equal(t, s.Config.AllowedOrigin, w.Header().Get("Access-Control-Allow-Origin"))
	ServeAfterVary(c.Handler, w, s.Request, scratch)
	got := testing.AllocsPerRun(50, func() { ServeAfterVary(c.Handler, w, s.Request, scratch) })
	assert.LessOrEqual(t, got, float64(VaryMergeAllocTarget))
}

func TestServeAfterVaryAllocatesNothingItself(t *testing.T) {
	w := NewWriter()
	scratch := make([]string, 1)
	r := VaryMergeScenario().Request
	h := http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) { w.Header()["Vary"][0] = "edited" })
	ServeAfterVary(h, w, r, scratch)
	assert.Equal(t, []string{"edited"}, w.Header()["Vary"])
	ServeAfterVary(http.HandlerFunc(func(http.ResponseWriter, *http.Request) {}), w, r, scratch)
	assert.Equal(t, []string{EarlierVary}, w.Header()["Vary"], "each call starts from the earlier layer's line")
	assert.Zero(t, testing.AllocsPerRun(50, func() { ServeAfterVary(h, w, r, scratch) }))
}

func TestOursAllocatesNothingWhateverTheNumberOfOrigins(t *testing.T) {
	var scenarios []*Scenario
	for _, s := range SweepScenarios() {
		if s.Size == SweepSizes[0] || s.Size == SweepSizes[len(SweepSizes)-1] {
			scenarios = append(scenarios, s)
		}
	}
	checked := 0
	for _, c := range Sweep(scenarios...) {
		if c.Library.Name != Ours {
			continue
		}
		require.NotNil(t, c.Handler, c.Skip)
		w := NewWriter()
		c.Serve(w)
		assert.Zero(t, testing.AllocsPerRun(50, func() { c.Serve(w) }), c.Scenario.FullName())
		checked++
	}
	assert.Equal(t, 2*len(SweepRequests()), checked)
}
