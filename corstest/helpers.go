package corstest

import (
	"net/http"
	"testing"
)

// Allowed and Blocked are the test helpers: they Check the call and report, through t.Errorf, a call
// that the browser would block (with Err's explanation) or allow (saying what let it through). A Call
// that Check refuses is reported through t.Errorf too, and they return nil. Both return the Result, for
// further assertions (Result.CanRead, Result.Warnings).
//
// The verdict is about CORS only: a 404 or a 500 that the page can read is allowed. When the route
// matters, assert on Result.Response.Status too.
func Allowed(t testing.TB, h http.Handler, c Call) *Result {
	t.Helper()
	r, err := Check(h, c)
	if err != nil {
		t.Errorf("%v", err) // it says "corstest: " and why
		return nil
	}
	if err := r.Err(); err != nil {
		t.Errorf("corstest.Allowed: %v", err)
	}
	return r
}

// Blocked checks the call and reports, through t.Errorf, a call that the browser would allow, saying
// what let it through and how to stop it. A Call that Check refuses is reported too, and Blocked then
// returns nil. See [Allowed].
func Blocked(t testing.TB, h http.Handler, c Call) *Result {
	t.Helper()
	r, err := Check(h, c)
	if err != nil {
		t.Errorf("%v", err)
		return nil
	}
	if r.Allowed {
		t.Errorf("corstest.Blocked: %s", r.allowance())
	}
	return r
}
