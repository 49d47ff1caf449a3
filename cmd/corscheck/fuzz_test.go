package main

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/crossorigin/cors/internal/fetch"
)

// FuzzExplainNeverPanics runs whole explanations against the policy in testdata, in-process, with
// arbitrary origins, methods, header lines and URLs: the command must answer 0 or 1 with one JSON
// object, or 2 with a reason, and never panic.
func FuzzExplainNeverPanics(f *testing.F) {
	f.Add("https://app.example.com", "PUT", "X-Token: 1", "https://api.example.com/items", true)
	f.Add("https://evil.example", "patch", "Authorization: x", "https://api.example.com/", false)
	f.Add("null", "DELETE", "Content-Type: application/json", "http://[::1]:80/x#y", true)
	f.Add("https://App.example.com", "TRACE", "no colon", "ftp://x", false)
	f.Add("https://a.example.com", "GET", "Range: bytes=-5", "https://u:p@api.example.com/", false)
	f.Add("https://app.example.com", "GET", "X-A: 1", "http://[::1%25lo]:18087/", false)
	f.Add("https://app.example.com", "GET", "X-A: 1", "http://a%25b.example/", true)
	f.Fuzz(func(t *testing.T, origin, method, header, url string, credentials bool) {
		args := []string{"-json", "-config", "testdata/policy.json", "-origin", origin, "-method", method, "-H", header}
		if credentials {
			args = append(args, "-credentials")
		}
		args = append(args, "--", url)
		var out, errOut bytes.Buffer
		code := Run(context.Background(), args, &out, &errOut)
		switch code {
		case exitOK, exitFailed:
			var rep report
			if err := json.Unmarshal(out.Bytes(), &rep); err != nil {
				t.Fatalf("exit %d with output that is not JSON: %v\n%s", code, err, out.String())
			}
			if (code == exitFailed) != (rep.Verdict == "blocked") {
				t.Fatalf("exit %d for verdict %q", code, rep.Verdict)
			}
			if rep.Verdict == "blocked" && len(rep.Problems) == 0 {
				t.Fatalf("blocked without a problem: %s", out.String())
			}
		case exitTrouble:
			if errOut.Len() == 0 {
				t.Fatal("exit 2 without a reason")
			}
		default:
			t.Fatalf("exit %d", code)
		}
	})
}

// FuzzScanNeverPanics scans arbitrary URLs, with or without a trusted origin, against an in-process
// server that trusts every origin: the scan must answer 0 or 1 with findings, or 2 with a reason, and
// never panic, whatever host the trusted origins are derived from.
func FuzzScanNeverPanics(f *testing.F) {
	f.Add("http://[::1%25lo]:18087/", "")
	f.Add("http://a%25b.example/", "")
	f.Add("http://[::1]:8080/api", "")
	f.Add("https://api.example.co.uk/v1", "")
	f.Add("https://api.example.com/", "https://app.example.com")
	f.Add("http://127.0.0.1/", "null")
	f.Add("http://localhost./x", "https://[::1]:8443")
	everyone := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if o := r.Header.Get("Origin"); o != "" {
			w.Header().Set("Access-Control-Allow-Origin", o)
			w.Header().Set("Access-Control-Allow-Credentials", "true")
		}
	})
	f.Fuzz(func(t *testing.T, rawURL, origin string) {
		o := &options{scan: true, url: rawURL, origin: origin, timeout: time.Second}
		var out, errOut bytes.Buffer
		code := runScanWith(context.Background(), o, fetch.HandlerTransport{Handler: everyone}, &out, &errOut)
		switch code {
		case exitOK, exitFailed:
			if out.Len() == 0 {
				t.Fatalf("exit %d without output", code)
			}
		case exitTrouble:
			if errOut.Len() == 0 {
				t.Fatal("exit 2 without a reason")
			}
		default:
			t.Fatalf("exit %d", code)
		}
	})
}

// FuzzCallsFileNeverPanics checks arbitrary -calls files against the policy in testdata, in-process:
// the command must answer 0 or 1 with one JSON object holding a verdict for every call, or 2 with a
// reason and nothing judged (in-process there is no network to fail, so exit 2 is always the file's
// fault, found before any call is made), and never panic. Whatever the file's checks accept, corstest
// must accept too.
func FuzzCallsFileNeverPanics(f *testing.F) {
	f.Add([]byte(matching))
	f.Add([]byte(oneCall(good)))
	f.Add([]byte(oneCall(good + `, "read": ["X-Request-Id", "Set-Cookie", "*"], "cookies": {"s": "1"}, "credentials": "include"`)))
	f.Add([]byte(oneCall(`"name": "n", "origin": "null", "method": "patch", "url": "https://api.example.com:8443/x#y", "headers": {"Cookie": "a=b", "Range": "bytes=0-1"}, "expect": "blocked"`)))
	f.Add([]byte(oneCall(`"name": "n", "origin": "https://app.example.com", "url": "//evil.example/x", "expect": "allowed"`)))
	f.Add([]byte(oneCall(`"name": "n", "origin": "https://app.example.com", "url": "/\u0000", "headers": {"X-A": "\u00e9\t"}, "expect": "allowed"`)))
	f.Add([]byte(`{"calls": [{"name": 1}, null, [], {"expect": "allowed", "Name": "x"}]}`))
	f.Add([]byte(`{"calls": [` + "\n\t{\"name\": \"a\",, }]}"))
	f.Add([]byte(`{"calls": []} trailing`))
	f.Add([]byte("\xef\xbb\xbf{\"calls\": [{}]}"))
	f.Fuzz(func(t *testing.T, file []byte) {
		o := &options{calls: "calls.json", config: policyFile, json: true, timeout: time.Second, set: map[string]bool{"calls": true, "config": true}}
		var out, errOut bytes.Buffer
		code := runContract(context.Background(), o, bytes.NewReader(file), nil, &out, &errOut)
		switch code {
		case exitOK, exitFailed:
			var rep contractReport
			if err := json.Unmarshal(out.Bytes(), &rep); err != nil {
				t.Fatalf("exit %d with output that is not JSON: %v\n%s", code, err, out.String())
			}
			if rep.Passed+rep.Failed != len(rep.Calls) || len(rep.Calls) == 0 {
				t.Fatalf("exit %d with %d calls, %d passed and %d failed", code, len(rep.Calls), rep.Passed, rep.Failed)
			}
			if (code == exitFailed) != (rep.Failed > 0) {
				t.Fatalf("exit %d with %d failed", code, rep.Failed)
			}
			for _, c := range rep.Calls {
				if c.OK != (len(c.Problems) == 0) {
					t.Fatalf("call %q: ok %v with %d problems", c.Name, c.OK, len(c.Problems))
				}
			}
		case exitTrouble:
			if errOut.Len() == 0 {
				t.Fatal("exit 2 without a reason")
			}
			if out.Len() != 0 {
				t.Fatalf("exit 2 after judging calls in-process (a call the file's checks let through and corstest refused?): %s\n%s", errOut.String(), out.String())
			}
		default:
			t.Fatalf("exit %d", code)
		}
	})
}

// FuzzCallsFileAgreesWithCorstest writes one call of arbitrary field values as a valid JSON file: every
// call the file's checks accept must be one corstest accepts too (in-process, a refusal after the file
// was accepted is exit 2 with calls judged or a reason naming the call), and every call they refuse must
// be refused with a reason, before any call is made.
func FuzzCallsFileAgreesWithCorstest(f *testing.F) {
	f.Add("https://app.example.com", "PUT", "/api/items/1", "Content-Type", "application/json", "include", "session", "abc", "X-Request-Id")
	f.Add("null", "patch", "https://api.example.com:8443/x?y#z", "Cookie", "a=b", "", "", "", "Set-Cookie")
	f.Add("http://[::1]:3000", "TRACE", "//evil.example", "X A", "1\r\n", "Include", "a b", "x;y", "")
	f.Add("https://App.example.com/", "", "http://u:p@h/", "Range", "bytes=0-", "omit", "s", "\"q\"", "*")
	f.Add("https://xn--bcher-kva.example", "GET", "/\u00e9?\u0000", "X-\u00e9", "\u00e9\t", "same-origin", "\u00e9", "v", "X-\u00e9")
	f.Fuzz(func(t *testing.T, origin, method, url, header, value, credentials, cookie, cookieValue, read string) {
		c := map[string]any{"name": "fuzzed", "origin": origin, "url": url, "expect": "allowed",
			"method": method, "credentials": credentials,
			"headers": map[string]string{header: value}, "cookies": map[string]string{cookie: cookieValue}}
		if read != "" {
			c["read"] = []string{read}
		}
		file, err := json.Marshal(map[string]any{"calls": []any{c}}) // invalid UTF-8 becomes U+FFFD
		if err != nil {
			t.Fatal(err)
		}
		o := &options{calls: "calls.json", config: policyFile, timeout: time.Second, set: map[string]bool{"calls": true, "config": true}}
		var out, errOut bytes.Buffer
		code := runContract(context.Background(), o, bytes.NewReader(file), nil, &out, &errOut)
		switch {
		case code == exitOK || code == exitFailed:
			if !strings.HasPrefix(out.String(), "✓ fuzzed") && !strings.HasPrefix(out.String(), "✗ fuzzed") {
				t.Fatalf("exit %d with %q", code, out.String())
			}
		case code == exitTrouble && out.Len() == 0 && strings.HasPrefix(errOut.String(), "corscheck: calls.json: call 1"):
		default:
			t.Fatalf("exit %d; stdout %q; stderr %q (a call the file's checks accepted and corstest refused?)", code, out.String(), errOut.String())
		}
	})
}
