package browsertest

import (
	"flag"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"

	"github.com/crossorigin/cors/corstest"
	"github.com/crossorigin/cors/internal/browsertest/browser"
)

// ccCaseCount is how many server behaviours TestCorscheckInBrowsers proves corscheck and corstest on, the
// number docs/conformance.md, docs/corscheck.md and corstest's package doc cite: a case added or removed
// fails the test until this number, and theirs, say so.
const ccCaseCount = 87

// ccCheckCases is how many of TestCorscheckInBrowsers's cases corstest.Check judges in-process: every
// case but the three redirects that the browser follows to the other server (87 - 3), which Check, serving
// the API's host alone, must refuse. The fourth redirect to the other server has no CORS headers: the
// browser blocks it at the redirect without leaving the API's host, and so does Check.
const ccCheckCases = 84

// ccBrowser is what the browser did with a case's call, as the page and the servers saw it.
type ccBrowser struct {
	verdict   string // "allowed" or "blocked"
	blockedAt string // "", "preflight" or "request"
	readable  []string
	seen      ccSeen
}

// observeBrowser reads the browser's verdict from what the page got and the servers saw.
func observeBrowser(t *testing.T, engine browser.Engine, got browser.Outcome, seen ccSeen) ccBrowser {
	t.Helper()
	br := ccBrowser{verdict: "allowed", readable: make([]string, 0, len(got.Headers)), seen: seen}
	if !got.OK {
		br.verdict = "blocked"
		assert.True(t, engine.Blocked(got), "a blocked fetch rejects with the engine's network error: %q", got.Error)
		br.blockedAt = "request"
		if seen.preflights > 0 && seen.actual == 0 {
			br.blockedAt = "preflight"
		}
	}
	for k := range got.Headers {
		br.readable = append(br.readable, k)
	}
	slices.Sort(br.readable)
	return br
}

// ccCall is the page's fetch(url, req) as a corstest.Call. The header names stay as the script wrote
// them: corstest, as fetch(), takes any case.
func ccCall(page, url string, req browser.Request) corstest.Call {
	c := corstest.Call{Origin: page, Method: req.Method, URL: url, Credentials: req.Credentials}
	if len(req.Headers) > 0 {
		c.Header = http.Header{}
		for k, v := range req.Headers {
			c.Header[k] = []string{v}
		}
	}
	return c
}

// assertCorstest asserts that corstest's result, res, says what the browser did (br), and that the
// requests corstest sent (sent) were formed as the browser's; in a case where the engine deviates, that
// res says the standard's verdict and warns of the deviation.
func assertCorstest(t *testing.T, tc ccCase, deviation string, br ccBrowser, res *corstest.Result, sent ccSeen, ctx string) {
	t.Helper()
	verdict := "blocked"
	if res.Allowed {
		verdict = "allowed"
	}
	ctx = fmt.Sprintf("%s\nthe servers saw from corstest: %+v\ncorstest said: %s", ctx, sent, describeResult(res))

	assert.Equal(t, tc.want, joinVerdict(verdict, res.BlockedAt), "corstest says the standard's verdict\n%s", ctx)
	assert.Positive(t, sent.preflights+sent.actual, "corstest reached the server\n%s", ctx)
	assert.Equal(t, sent.preflights > 0, res.Preflight != nil, "Result.Preflight is set exactly when corstest sent a preflight\n%s", ctx)
	if deviation != "" {
		assert.True(t, slices.ContainsFunc(res.Warnings, func(w corstest.Problem) bool {
			return strings.Contains(w.Message, tc.deviationWarning)
		}), "corstest warns of the deviation (%q)\n%s", tc.deviationWarning, ctx)
		return
	}
	// The differential: corstest says what the browser did.
	assert.Equal(t, br.verdict, verdict, "verdict (Allowed)\n%s", ctx)
	assert.Equal(t, br.blockedAt, res.BlockedAt, "BlockedAt\n%s", ctx)
	assert.Equal(t, br.seen.preflights > 0, res.Preflight != nil, "whether a preflight was sent (Preflight)\n%s", ctx)
	assert.Equal(t, br.seen.wire, sent.wire, "corstest's requests are formed as the browser's (server, method, Origin, ACRM, ACRH, in order)\n%s", ctx)
	assert.Equal(t, br.readable, append([]string{}, res.Readable...), "Readable\n%s", ctx)
}

// describeResult is res in one line, for failure messages.
func describeResult(res *corstest.Result) string {
	if res == nil {
		return "no result"
	}
	var pre, resp string
	if res.Preflight != nil {
		pre = fmt.Sprint(res.Preflight.Status)
	}
	if res.Response != nil {
		resp = fmt.Sprint(res.Response.Status)
	}
	return fmt.Sprintf("Allowed=%t BlockedAt=%q Preflight=%s Response=%s Readable=%q Problems=%+v Warnings=%+v",
		res.Allowed, res.BlockedAt, pre, resp, res.Readable, res.Problems, res.Warnings)
}

// ccJudges tallies, in one engine, each judge's cases, and counts the cases each judged, so that the
// proof cannot shrink unseen.
type ccJudges struct {
	corscheck, checkURL, check *browser.Tally
	ran                        struct{ cases, corscheck, checkURL, check, refused int }
}

func newCCJudges(engine, version string) *ccJudges {
	tally := func() *browser.Tally { return &browser.Tally{Engine: engine, Version: version} }
	return &ccJudges{corscheck: tally(), checkURL: tally(), check: tally()}
}

// finish logs each judge's summary line (corscheck-summary, corstest-checkurl-summary,
// corstest-check-summary, in the browser-summary format) and the deviations seen, and asserts that
// corscheck and CheckURL judged every case and Check exactly the ccCheckCases that stay on the API's
// host, unless -run or -skip selected fewer cases.
func (j *ccJudges) finish(t *testing.T, wall time.Duration, cases int) {
	t.Helper()
	for _, y := range []struct {
		name  string
		tally *browser.Tally
	}{{"corscheck", j.corscheck}, {"corstest-checkurl", j.checkURL}, {"corstest-check", j.check}} {
		y.tally.Wall = wall
		t.Log(strings.Replace(y.tally.Summary(), "browser-summary", y.name+"-summary", 1))
		for _, d := range y.tally.Deviations() {
			t.Logf("%s-deviation engine=%s %s", y.name, y.tally.Engine, d)
		}
	}
	if j.ran.cases < cases && selectedByFlags() {
		t.Logf("the judges' counts are not asserted: -run or -skip selected %d of the %d cases", j.ran.cases, cases)
		return
	}
	assert.Equal(t, cases, j.ran.cases, "every case ran")
	assert.Equal(t, cases, j.ran.corscheck, "corscheck judged every case")
	assert.Equal(t, cases, j.ran.checkURL, "corstest.CheckURL judged every case")
	assert.Equal(t, ccCheckCases, j.ran.check, "corstest.Check judged every case that stays on the API's host")
	assert.Equal(t, cases-ccCheckCases, j.ran.refused, "corstest.Check refused every case the browser followed to another host")
}

// selectedByFlags reports whether -run selects subtests or -skip is set: then cases may not run.
func selectedByFlags() bool {
	run, skip := flag.Lookup("test.run"), flag.Lookup("test.skip")
	return (run != nil && strings.Contains(run.Value.String(), "/")) || (skip != nil && skip.Value.String() != "")
}
