package corstest_test

import (
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/crossorigin/cors"
	"github.com/crossorigin/cors/corstest"
)

// fakeTB records what a helper reports instead of failing the test that runs it.
type fakeTB struct {
	testing.TB // nil: calling anything but Helper and Errorf panics, so the helpers may call nothing else
	errors     []string
}

func (f *fakeTB) Helper() {}

func (f *fakeTB) Errorf(format string, args ...any) {
	f.errors = append(f.errors, fmt.Sprintf(format, args...))
}

func TestAllowedReportsABlockedCallWithTheDecidingProblemAndItsFix(t *testing.T) {
	h := policy(t, cors.Options{AllowedOrigins: []string{page}})
	call := corstest.Call{Origin: page, Method: "PUT", URL: "/api/items/1", Header: json()}
	tb := &fakeTB{}
	res := corstest.Allowed(tb, h, call)
	require.NotNil(t, res)
	require.Len(t, tb.errors, 1, "one report per call")
	report := tb.errors[0]
	assert.Contains(t, report, "corstest.Allowed: the browser blocks PUT /api/items/1 from http://localhost:3000 (credentials: same-origin) at the preflight")
	require.NotEmpty(t, res.Problems)
	assert.Contains(t, report, res.Problems[0].Message)
	assert.Contains(t, report, "fix: "+res.Problems[0].Fix)
	assert.Contains(t, res.Problems[0].Fix, "PUT in AllowedMethods and content-type in AllowedHeaders", "the fix names what the policy lacks")
}

func TestBlockedReportsAnAllowedCallWithWhatLetItThrough(t *testing.T) {
	tests := []struct {
		name   string
		h      http.Handler
		call   corstest.Call
		reason []string // parts of the report
	}{
		{"an echoed origin, with credentials", hand(headers(), reflect(true, true)),
			corstest.Call{Origin: "https://evil.example", URL: "/x", Credentials: "include"},
			[]string{"the browser allows GET /x from https://evil.example (credentials: include)",
				"the response got 200 with Access-Control-Allow-Origin: https://evil.example, Access-Control-Allow-Credentials: true",
				"fix: Remove https://evil.example from the allowed origins"}},
		{"a preflighted call the preflight grants", policy(t, cors.Options{AllowedOrigins: []string{"https://*.example.com"}, AllowedMethods: []string{"PUT"}}),
			corstest.Call{Origin: "https://evil.example.com", Method: "PUT", URL: "/x"},
			[]string{"the preflight got 204 with Access-Control-Allow-Origin: https://evil.example.com, Access-Control-Allow-Methods: PUT",
				"the response got 200 with Access-Control-Allow-Origin: https://evil.example.com"}},
		{"a public * answer", policy(t, cors.Options{AllowedOrigins: []string{"*"}}),
			corstest.Call{Origin: "https://evil.example", URL: "/x"},
			[]string{"Access-Control-Allow-Origin: *", `instead of "*"`}},
		{"the page's own origin", policy(t, cors.Options{AllowedOrigins: []string{page}}),
			corstest.Call{Origin: corstest.APIOrigin, URL: "/x"},
			[]string{"on the page's own origin, so CORS does not apply"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tb := &fakeTB{}
			res := corstest.Blocked(tb, tt.h, tt.call)
			require.NotNil(t, res)
			assert.True(t, res.Allowed)
			require.Len(t, tb.errors, 1)
			for _, part := range tt.reason {
				assert.Contains(t, tb.errors[0], part)
			}
		})
	}
}

func TestTheHelpersReportNothingWhenTheBrowserAgrees(t *testing.T) {
	h := policy(t, cors.Options{AllowedOrigins: []string{page}, AllowedMethods: []string{"PUT"}, AllowedHeaders: []string{"Content-Type"}, AllowCredentials: true})
	tb := &fakeTB{}
	allowed := corstest.Allowed(tb, h, corstest.Call{Origin: page, Method: "PUT", URL: "/x", Header: json(), Credentials: "include"})
	blocked := corstest.Blocked(tb, h, corstest.Call{Origin: "http://localhost.evil.example:3000", URL: "/x", Credentials: "include"})
	assert.Empty(t, tb.errors)
	require.NotNil(t, allowed)
	require.NotNil(t, blocked)
	assert.True(t, allowed.Allowed)
	assert.False(t, blocked.Allowed)
}

func TestTheHelpersReportACallCheckRefusesAndReturnNil(t *testing.T) {
	h := policy(t, cors.Options{AllowedOrigins: []string{page}})
	bad := corstest.Call{Origin: page + "/", URL: "/x"}
	for name, helper := range map[string]func(testing.TB, http.Handler, corstest.Call) *corstest.Result{
		"Allowed": corstest.Allowed, "Blocked": corstest.Blocked,
	} {
		t.Run(name, func(t *testing.T) {
			tb := &fakeTB{}
			assert.Nil(t, helper(tb, h, bad))
			require.Len(t, tb.errors, 1)
			assert.True(t, strings.HasPrefix(tb.errors[0], "corstest: GET /x from http://localhost:3000/"), tb.errors[0])
			assert.Contains(t, tb.errors[0], "no path")
		})
	}
}
