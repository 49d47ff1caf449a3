package corstest_test

import (
	"net/http"
	"slices"
	"strings"
	"testing"

	"github.com/crossorigin/cors/corstest"
)

// answers is a server that answers preflights with one recorded answer and every other request with
// another: a status and header lines "Name: value", separated by "\n".
func answers(preStatus int, preHeaders string, status int, respHeaders string) http.Handler {
	set := func(h http.Header, lines string) {
		for line := range strings.SplitSeq(lines, "\n") {
			if name, value, ok := strings.Cut(line, ":"); ok {
				h.Add(name, value)
			}
		}
	}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method == http.MethodOptions && r.Header.Get("Access-Control-Request-Method") != "" {
			set(w.Header(), preHeaders)
			w.WriteHeader(preStatus)
			return
		}
		set(w.Header(), respHeaders)
		w.WriteHeader(status)
	})
}

// FuzzCheck makes arbitrary Calls against arbitrary recorded answers. Check must refuse the call with an
// error or give one coherent verdict, never panic: allowed exactly when nothing blocked it and no
// problem was found, a response whenever the preflight passed, readable headers only when allowed, each
// problem with a fix.
func FuzzCheck(f *testing.F) {
	f.Add("http://localhost:3000", "PUT", "/api/items/1", "Content-Type", "application/json", "include", "session=abc",
		204, "Access-Control-Allow-Origin: http://localhost:3000\nAccess-Control-Allow-Credentials: true\nAccess-Control-Allow-Methods: PUT\nAccess-Control-Allow-Headers: content-type",
		200, "Access-Control-Allow-Origin: http://localhost:3000\nAccess-Control-Allow-Credentials: true\nAccess-Control-Expose-Headers: X-Total-Count\nX-Total-Count: 7")
	f.Add("https://evil.example", "GET", "/x", "", "", "", "", 403, "", 200, "Access-Control-Allow-Origin: *")
	f.Add("null", "patch", "https://api.example.com/x", "Authorization", "Bearer t", "omit", "",
		204, "Access-Control-Allow-Origin: *\nAccess-Control-Allow-Headers: *\nAccess-Control-Allow-Methods: patch", 200, "Access-Control-Allow-Origin: null")
	f.Add("http://localhost:3000", "GET", "/start", "Range", "bytes=0-5", "same-origin", "a=b",
		204, "", 302, "Location: /start\nAccess-Control-Allow-Origin: *")
	f.Add("http://localhost:3000", "GET", "/start", "", "", "", "", 204, "", 307, "Location: https://elsewhere.example/\nAccess-Control-Allow-Origin: *")
	f.Add("HTTP://x", "TRACE", "ftp://x", "X Y", "a\nb", "Include", "a b=c", 0, "", 99, "")
	f.Fuzz(func(t *testing.T, origin, method, url, name, value, credentials, cookie string, preStatus int, preHeaders string, status int, respHeaders string) {
		call := corstest.Call{Origin: origin, Method: method, URL: url, Credentials: credentials}
		if name != "" {
			call.Header = http.Header{name: {value}}
		}
		if k, v, ok := strings.Cut(cookie, "="); ok {
			call.Cookies = []*http.Cookie{{Name: k, Value: v}}
		}
		// Statuses a server can send: net/http's WriteHeader takes 100–999.
		preStatus, status = 100+abs(preStatus)%900, 100+abs(status)%900
		res, err := corstest.Check(answers(preStatus, preHeaders, status, respHeaders), call)
		if err != nil {
			if res != nil || !strings.HasPrefix(err.Error(), "corstest: ") {
				t.Fatalf("an error must come alone and say where it is from: %v, %+v", err, res)
			}
			return
		}
		coherent(t, res)
	})
}

func abs(n int) int {
	if n < 0 {
		return -(n + 1)
	}
	return n
}

// coherent fails t unless every part of res tells the same verdict.
func coherent(t *testing.T, res *corstest.Result) {
	t.Helper()
	switch {
	case res.Allowed != (res.BlockedAt == ""), res.Allowed != (len(res.Problems) == 0), res.Allowed != (res.Err() == nil):
		t.Fatalf("a verdict at odds with itself: %+v (Err: %v)", res, res.Err())
	case res.BlockedAt != "" && res.BlockedAt != "preflight" && res.BlockedAt != "request":
		t.Fatalf("BlockedAt %q", res.BlockedAt)
	case res.BlockedAt == "preflight" && (res.Preflight == nil || res.Response != nil):
		t.Fatalf("blocked at the preflight with preflight %v and response %v", res.Preflight, res.Response)
	case res.BlockedAt != "preflight" && res.Response == nil:
		t.Fatalf("no response although no preflight failed: %+v", res)
	case !res.Allowed && len(res.Readable) > 0:
		t.Fatalf("a blocked call reads %q", res.Readable)
	case !slices.IsSorted(res.Readable) || len(slices.Compact(slices.Clone(res.Readable))) != len(res.Readable):
		t.Fatalf("Readable is not a sorted set: %q", res.Readable)
	}
	for _, name := range res.Readable {
		if name != strings.ToLower(name) || len(res.Response.Header.Values(name)) == 0 || !res.CanRead(strings.ToUpper(name)) {
			t.Fatalf("readable %q: not lower case, not in the response, or CanRead disagrees", name)
		}
	}
	for _, p := range res.Problems {
		if p.Message == "" || p.Fix == "" {
			t.Fatalf("a problem without its message or fix: %+v", p)
		}
	}
}
