package benchmarks

import (
	"net/http"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
)

func TestStarTablePrintsEveryCheckForEveryLibrary(t *testing.T) {
	table := StarTable(Star())
	t.Log("\n" + table)
	rows := strings.Split(strings.TrimSpace(table), "\n")
	assert.Len(t, rows, 2+len(StarChecks()))
	for _, row := range rows[2:] {
		assert.Equal(t, 2+len(Libraries())-1, strings.Count(row, " |"), row)
	}
}

// What this library promises for a public "*" policy (Fetch, "CORS
// protocol and HTTP caches"): "*" on every actual response whoever asks,
// no Vary: Origin, and preflights answered for any Origin, null included.
func TestOursAnswersEveryRequestUnderStarAsAPublicResource(t *testing.T) {
	for _, r := range Star() {
		if r.Library == Ours {
			assert.True(t, r.Public, "%s: got %s", r.Check.Name, r.Label)
		}
	}
}

func TestJudgeStarWantsStarWithoutVaryOnActualAndAGrantOnPreflight(t *testing.T) {
	checks := StarChecks()
	actualNull, preflightNull := checks[2], checks[5]
	cases := []struct {
		rule       string
		check      StarCheck
		header     http.Header
		status     int
		handlerRan bool
		label      string
		public     bool
	}{
		{"* alone is the public answer", actualNull, http.Header{"Access-Control-Allow-Origin": {"*"}}, 0, true, "*", true},
		{"Vary: Origin beside * splits a cache per caller", actualNull,
			http.Header{"Access-Control-Allow-Origin": {"*"}, "Vary": {"Origin"}}, 0, true, "*, Vary: Origin", false},
		{"no ACAO is not public", actualNull, http.Header{"Vary": {"Origin"}}, 0, true, "no ACAO, Vary: Origin", false},
		{"reflecting null is not *", actualNull, http.Header{"Access-Control-Allow-Origin": {"null"}}, 0, true, "null", false},
		{"an actual request must reach the handler", actualNull, http.Header{"Access-Control-Allow-Origin": {"*"}}, 0, false, "*", false},
		{"a preflight from null answered with *", preflightNull,
			http.Header{"Access-Control-Allow-Origin": {"*"}, "Access-Control-Allow-Methods": {"PUT"}}, 204, false, "* 204", true},
		{"a preflight from null answered with null", preflightNull,
			http.Header{"Access-Control-Allow-Origin": {"null"}, "Access-Control-Allow-Methods": {"GET, PUT"}}, 200, false, "null 200", true},
		{"a refused preflight", preflightNull, http.Header{}, 403, false, "no ACAO 403", false},
		{"a preflight must grant the method", preflightNull,
			http.Header{"Access-Control-Allow-Origin": {"*"}, "Access-Control-Allow-Methods": {"GET"}}, 204, false, "* 204", false},
		{"a preflight passed to the handler is not answered", preflightNull, http.Header{}, 0, true, "no ACAO 200, passed on", false},
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
			got := JudgeStar(tc.check, w, tc.handlerRan)
			assert.Equal(t, tc.label, got.Label)
			assert.Equal(t, tc.public, got.Public)
		})
	}
}
