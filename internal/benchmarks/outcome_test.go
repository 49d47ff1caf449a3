package benchmarks

import (
	"net/http"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// knownPeerDeviations pins where a peer does not do what a scenario's
// name says; those cells are reported and left out of the timings. A
// peer release that changes behaviour makes TestPeersDoWhatTheScenarioSays
// fail, so the timings never silently measure another path.
var knownPeerDeviations = map[string]string{
	// "https://*.example.com" is a prefix and a suffix for rs/cors and
	// go-chi/cors, so a 1 MiB host between them is let in and reflected.
	"101_origins_creds/actual_origin_1MiB/" + RS:  "invalid: reflects a 1048576-byte origin",
	"101_origins_creds/actual_origin_1MiB/" + Chi: "invalid: reflects a 1048576-byte origin",
}

// TestOutcomes prints (with -v) what every library answered in every
// scenario, one row per scenario and one column per library.
func TestOutcomes(t *testing.T) {
	table := OutcomeTable(Matrix())
	t.Log("\n" + table)
	rows := strings.Split(strings.TrimSpace(table), "\n")
	require.Len(t, rows, 2+len(Scenarios()), "header, rule, then one row per scenario")
	for i, s := range Scenarios() {
		row := rows[2+i]
		assert.True(t, strings.HasPrefix(row, "| "+s.FullName()+" | "), row)
		assert.Equal(t, 2+len(Libraries()), strings.Count(row, " |"), "scenario, expected and a cell per library: %s", row)
	}
}

func TestOursDoesWhatEveryScenarioSays(t *testing.T) {
	for _, c := range Matrix() {
		if c.Library.Name != Ours || c.Scenario.Request == nil {
			continue
		}
		t.Run(c.Scenario.FullName(), func(t *testing.T) {
			assert.True(t, c.Scenario.OursMatches(c.Outcome),
				"expected %s, got %s", c.Scenario.OursExpected(), c.Outcome)
			assert.Empty(t, c.Skip, "the cell must be measured")
		})
	}
}

func TestPeersDoWhatTheScenarioSays(t *testing.T) {
	deviations := map[string]string{}
	for _, c := range Matrix() {
		if c.Library.Peer && c.Wrong() {
			deviations[c.Scenario.FullName()+"/"+c.Library.Name] = c.Outcome.String()
		}
	}
	assert.Equal(t, knownPeerDeviations, deviations)
}

func TestOnlyUnstatableCellsAreNotApplicable(t *testing.T) {
	for _, c := range Matrix() {
		if c.Handler != nil || c.Wrong() {
			continue
		}
		name := c.Scenario.FullName() + "/" + c.Library.Name
		switch {
		case c.Scenario.Request == nil:
			assert.True(t, c.Scenario.Config.AllowsAnyOrigin(), "%s: only the * configuration lacks a refused origin", name)
		default:
			assert.Equal(t, Gorilla, c.Library.Name, "%s: only gorilla lacks a subdomain wildcard", name)
			assert.Equal(t, "n/a: no subdomain wildcard", c.Skip, name)
		}
	}
}

func TestTheBareFloorAddsNoCORSAndAlwaysRunsTheHandler(t *testing.T) {
	for _, c := range Matrix() {
		if c.Library.Name != Bare || c.Scenario.Request == nil {
			continue
		}
		assert.True(t, c.Outcome.HandlerRan, c.Scenario.FullName())
		if c.Scenario.Expect.IsPreflight() {
			assert.Equal(t, "invalid: passed to the handler", c.Outcome.String(), c.Scenario.FullName())
		} else {
			assert.Equal(t, Refused, c.Outcome.Verdict, c.Scenario.FullName())
		}
		assert.Empty(t, c.Skip, "the floor is measured in every scenario: %s", c.Scenario.FullName())
	}
}

func TestHostileRequestsHaveTheirAdvertisedSize(t *testing.T) {
	sizes := map[string]int{PreflightACRH1K: kib, PreflightACRH64K: 64 * kib, PreflightACRH1M: mib}
	checked := 0
	for _, s := range Scenarios() {
		if s.Request == nil {
			continue
		}
		acrh := s.Request.Header["Access-Control-Request-Headers"]
		if Hostile(s.Name) || s.Name == ActualOrigin1M {
			checked++
		}
		switch s.Name {
		case PreflightACRH1K, PreflightACRH64K, PreflightACRH1M:
			require.Len(t, acrh, 1, s.FullName())
			assert.Len(t, acrh[0], sizes[s.Name], s.FullName())
		case PreflightACRH1024:
			assert.Len(t, acrh, 1024, s.FullName())
		case ActualOrigin1M:
			assert.Len(t, s.Request.Header.Get("Origin"), mib, s.FullName())
		}
	}
	assert.Equal(t, 5*len(Configs()), checked, "every configuration has the five hostile requests")
}

// scenario returns the named scenario of the named configuration.
func scenario(t *testing.T, name string) *Scenario {
	t.Helper()
	for _, s := range Scenarios() {
		if s.FullName() == name {
			return s
		}
	}
	t.Fatalf("no scenario %s", name)
	return nil
}

func TestClassifyJudgesResponsesAsABrowserWould(t *testing.T) {
	const app = "https://app.example.com"
	cases := []struct {
		rule     string
		scenario string
		status   int
		header   http.Header
		want     Verdict
	}{
		{"no ACAO is a refusal", "one_origin_creds/actual_refused", 0,
			http.Header{"Vary": {"Origin"}}, Refused},
		{"the origin with ACAC true is a credentialed grant", "one_origin_creds/actual_allowed", 0,
			http.Header{"Access-Control-Allow-Origin": {app}, "Access-Control-Allow-Credentials": {"true"}}, Allowed},
		{"credentials need ACAC true", "one_origin_creds/actual_allowed", 0,
			http.Header{"Access-Control-Allow-Origin": {app}}, Invalid},
		{"* with credentials is rejected by browsers", "one_origin_creds/actual_allowed", 0,
			http.Header{"Access-Control-Allow-Origin": {"*"}, "Access-Control-Allow-Credentials": {"true"}}, Invalid},
		{"* where not every origin is allowed over-grants", "one_origin_creds/actual_allowed", 0,
			http.Header{"Access-Control-Allow-Origin": {"*"}}, Invalid},
		{"another origin than the request's is not a grant", "one_origin_creds/actual_allowed", 0,
			http.Header{"Access-Control-Allow-Origin": {"https://other.example.com"}, "Access-Control-Allow-Credentials": {"true"}}, Invalid},
		{"two ACAO lines are rejected by browsers", "any_origin/actual_allowed", 0,
			http.Header{"Access-Control-Allow-Origin": {"*", "*"}}, Invalid},
		{"* is a grant when every origin is allowed", "any_origin/actual_allowed", 0,
			http.Header{"Access-Control-Allow-Origin": {"*"}}, Allowed},
		{"reflecting an origin no DNS name can have is a wrong grant", "101_origins_creds/actual_origin_1MiB", 0,
			http.Header{"Access-Control-Allow-Origin": {hostileOrigin()}, "Access-Control-Allow-Credentials": {"true"}}, Invalid},
		{"a preflight grant has ok status, ACAO, ACAM and ACAH", "one_origin_creds/preflight_allowed", 204,
			http.Header{"Access-Control-Allow-Origin": {app}, "Access-Control-Allow-Credentials": {"true"},
				"Access-Control-Allow-Methods": {"GET, PUT"}, "Access-Control-Allow-Headers": {"Authorization,Content-Type"}}, Allowed},
		{"a preflight grant needs an ok status", "one_origin_creds/preflight_allowed", 403,
			http.Header{"Access-Control-Allow-Origin": {app}, "Access-Control-Allow-Credentials": {"true"},
				"Access-Control-Allow-Methods": {"PUT"}, "Access-Control-Allow-Headers": {"authorization,content-type"}}, Invalid},
		{"a preflight grant must name the method", "one_origin_creds/preflight_allowed", 204,
			http.Header{"Access-Control-Allow-Origin": {app}, "Access-Control-Allow-Credentials": {"true"},
				"Access-Control-Allow-Methods": {"GET, POST"}, "Access-Control-Allow-Headers": {"authorization,content-type"}}, Invalid},
		{"ACAM * covers nothing with credentials", "one_origin_creds/preflight_allowed", 204,
			http.Header{"Access-Control-Allow-Origin": {app}, "Access-Control-Allow-Credentials": {"true"},
				"Access-Control-Allow-Methods": {"*"}, "Access-Control-Allow-Headers": {"authorization,content-type"}}, Invalid},
		{"ACAM * covers PUT without credentials", "any_origin/preflight_allowed", 204,
			http.Header{"Access-Control-Allow-Origin": {"*"}, "Access-Control-Allow-Methods": {"*"},
				"Access-Control-Allow-Headers": {"authorization", "content-type"}}, Allowed},
		{"a preflight grant must cover every requested header", "one_origin_creds/preflight_allowed", 204,
			http.Header{"Access-Control-Allow-Origin": {app}, "Access-Control-Allow-Credentials": {"true"},
				"Access-Control-Allow-Methods": {"PUT"}, "Access-Control-Allow-Headers": {"authorization"}}, Invalid},
		{"ACAH * never covers Authorization", "any_origin/preflight_allowed", 204,
			http.Header{"Access-Control-Allow-Origin": {"*"}, "Access-Control-Allow-Methods": {"PUT"},
				"Access-Control-Allow-Headers": {"*"}}, Invalid},
		{"a hostile header list answered with ACAO was let through", "any_origin/preflight_acrh_1KiB", 204,
			http.Header{"Access-Control-Allow-Origin": {"*"}, "Access-Control-Allow-Methods": {"PUT"},
				"Access-Control-Allow-Headers": {"*"}}, Invalid},
		{"a refused preflight may have any status", "one_origin_creds/preflight_refused", 200,
			http.Header{"Vary": {"Origin"}}, Refused},
	}
	for _, tc := range cases {
		t.Run(tc.rule, func(t *testing.T) {
			w := NewWriter()
			for k, v := range tc.header {
				w.Header()[k] = v
			}
			if tc.status != 0 {
				w.WriteHeader(tc.status)
			}
			s := scenario(t, tc.scenario)
			got := Classify(s, w, !s.Expect.IsPreflight())
			assert.Equal(t, tc.want, got.Verdict, got.String())
		})
	}
}

func TestClassifyWantsActualRequestsServedAndPreflightsAnswered(t *testing.T) {
	blocked := Classify(scenario(t, "one_origin_creds/actual_refused"), NewWriter(), false)
	assert.Equal(t, Invalid, blocked.Verdict, "an actual request reaches the handler, refused or not")
	passed := Classify(scenario(t, "one_origin_creds/preflight_refused"), NewWriter(), true)
	assert.Equal(t, Invalid, passed.Verdict, "a preflight is the middleware's to answer")
	served := Classify(scenario(t, "one_origin_creds/actual_refused"), NewWriter(), true)
	assert.Equal(t, Refused, served.Verdict)
}

func TestMatchesAcceptsAWildcardOnlyWhereEveryOriginIsAllowedAndNoCORSIsExpected(t *testing.T) {
	wildcard := Outcome{Verdict: Allowed, Wildcard: true, Status: 200}
	reflected := Outcome{Verdict: Allowed, Status: 200}
	refused := Outcome{Verdict: Refused, Status: 200}
	assert.True(t, scenario(t, "any_origin/no_origin").Matches(wildcard))
	assert.True(t, scenario(t, "any_origin/actual_origin_1MiB").Matches(wildcard))
	assert.True(t, scenario(t, "any_origin/actual_origin_1MiB").Matches(refused))
	assert.False(t, scenario(t, "any_origin/actual_origin_1MiB").Matches(reflected))
	assert.False(t, scenario(t, "one_origin_creds/no_origin").Matches(wildcard))
	assert.False(t, scenario(t, "any_origin/preflight_acrh_1MiB").Matches(wildcard))
	assert.False(t, scenario(t, "any_origin/actual_allowed").Matches(refused))
}

func TestOursIsHeldToAPublicStarPolicyOnActualRequestsUnderStar(t *testing.T) {
	star := Outcome{Verdict: Allowed, Wildcard: true, Status: 200, HandlerRan: true}
	starVary := star
	starVary.VaryOrigin = true
	refused := Outcome{Verdict: Refused, Status: 200, HandlerRan: true}
	for _, name := range []string{"any_origin/no_origin", "any_origin/actual_allowed", "any_origin/actual_origin_1MiB"} {
		s := scenario(t, name)
		assert.True(t, s.OursMatches(star), name)
		assert.False(t, s.OursMatches(starVary), "%s: a * answer is the same for every origin, so no Vary: Origin", name)
		assert.False(t, s.OursMatches(refused), "%s: nothing is reflected, so every actual response gets *", name)
	}
	assert.True(t, scenario(t, "any_origin/no_origin").Matches(refused), "a peer may still leave a no-Origin response alone")
	assert.True(t, scenario(t, "any_origin/preflight_acrh_1MiB").OursMatches(refused), "a hostile preflight is refused under * too")
	credentialed := Outcome{Verdict: Allowed, Status: 200, HandlerRan: true, VaryOrigin: true}
	assert.True(t, scenario(t, "one_origin_creds/actual_allowed").OursMatches(credentialed), "outside * the name's promise is the whole check")
}

func TestWriterReusesItsHeaderMapAndForgetsTheLastResponse(t *testing.T) {
	w := NewWriter()
	h := w.Header()
	h.Set("Vary", "Origin")
	w.WriteHeader(http.StatusForbidden)
	w.WriteHeader(http.StatusOK)
	assert.Equal(t, http.StatusForbidden, w.Status(), "the first status written wins")
	w.Reset()
	assert.Empty(t, w.Header())
	assert.Equal(t, http.StatusOK, w.Status(), "no status written means 200")
	w.Header().Set("X", "y")
	assert.Equal(t, "y", h.Get("X"), "the same map is handed out after Reset")
}

func TestSharesSliceSeesOneBackingArrayNotEqualValues(t *testing.T) {
	shared := []string{"Origin"}
	assert.True(t, sharesSlice(http.Header{"Vary": shared}, http.Header{"Vary": shared}))
	assert.False(t, sharesSlice(http.Header{"Vary": {"Origin"}}, http.Header{"Vary": {"Origin"}}))
	assert.False(t, sharesSlice(http.Header{"Vary": {}}, http.Header{"Vary": {}}), "an empty slice holds nothing to edit")
}

// The corner cuts that explain a peer's lower cost are pinned per library:
// rs/cors hands every response the same package-level slices, gorilla
// omits Vary: Origin on every actual response that is not a blanket
// "ACAO: *", and the others, ours included, take neither.
func TestShortcutsAreTakenOnlyByTheLibrariesKnownToTakeThem(t *testing.T) {
	for _, c := range Matrix() {
		if c.Handler == nil || c.Library.Name == Bare {
			continue
		}
		name := c.Scenario.FullName() + "/" + c.Library.Name
		s := c.Scenario
		switch {
		case c.Library.Name == RS:
			assert.Equal(t, SharedSlice, c.Outcome.Shortcut, name)
		case c.Library.Name == Gorilla && !s.Expect.IsPreflight() && !c.Outcome.Wildcard:
			assert.Equal(t, NoVary, c.Outcome.Shortcut, name)
		default:
			assert.Empty(t, c.Outcome.Shortcut, name)
		}
	}
}
