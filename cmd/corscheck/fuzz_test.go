package main

import (
	"bytes"
	"context"
	"encoding/json"
	"testing"
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
