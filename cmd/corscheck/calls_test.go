package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// policyFile is the policy the -calls tests serve in-process.
const policyFile = "testdata/policy.json"

// writeCalls writes a -calls file and returns its path.
func writeCalls(t *testing.T, content string) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "calls.json")
	require.NoError(t, os.WriteFile(path, []byte(content), 0o600))
	return path
}

// oneCall is a file of one call whose members are members, e.g. `"name": "x", "origin": ...`.
func oneCall(members string) string {
	return `{"calls": [{` + members + `}]}`
}

// good are the members of a call that the policy in testdata allows.
const good = `"name": "the app reads items", "origin": "https://app.example.com", "url": "/api/items", "expect": "allowed"`

func TestCallsFileThatIsNotAValidContractExitsTwoWithTheReason(t *testing.T) {
	tests := []struct {
		name    string
		content string
		want    []string // each part of the reason on stderr
	}{
		{"an empty file", ``, []string{"ends before its JSON object"}},
		{"malformed JSON says where", "{\"calls\": [\n  {\"name\": \"a\",, }]}", []string{"line 2, column 16", "invalid character ','"}},
		{"a file cut short", `{"calls": [{` + good, []string{"ends before its JSON object"}},
		{"a list instead of an object", `[{` + good + `}]`, []string{"not a JSON object"}},
		{"null", `null`, []string{"not a JSON object"}},
		{"something after the object", `{"calls": [{` + good + `}]} {}`, []string{"something follows the JSON object"}},
		{"an unknown key beside calls", `{"calls": [{` + good + `}], "base": "x"}`, []string{`unknown key "base"`, `one key, "calls"`}},
		{"no calls key", `{}`, []string{`no "calls"`}},
		{"calls twice", `{"calls": [{` + good + `}], "calls": []}`, []string{`the key "calls" appears twice`}},
		{"a key twice in a call", oneCall(good + `, "expect": "blocked"`), []string{`call 1 ("the app reads items"): the key "expect" appears twice`}},
		{"a header twice", oneCall(good + `, "headers": {"X-A": "1", "X-B": "2", "X-A": "3"}`), []string{`call 1 ("the app reads items"): the key "X-A" appears twice`}},
		{"a cookie twice", oneCall(good + `, "cookies": {"s": "1", "s": "2"}`), []string{`the key "s" appears twice`}},
		{"calls that are not a list", `{"calls": {}}`, []string{`"calls" must be a list`}},
		{"no call at all", `{"calls": []}`, []string{`"calls" is empty`}},
		{"a call that is not an object", `{"calls": ["GET /"]}`, []string{"call 1", "a call is a JSON object"}},
		{"an unknown key in a call, with the one it may mean", oneCall(good + `, "expected": "allowed"`), []string{`call 1 ("the app reads items")`, `unknown key "expected": did you mean "expect"?`}},
		{"a key in another case is unknown", oneCall(good + `, "Method": "PUT"`), []string{`unknown key "Method": did you mean "method"?`}},
		{"an unknown key far from any", oneCall(good + `, "body": "{}"`), []string{`unknown key "body": a call's keys are name, origin, method, url, headers, credentials, expect, read, cookies`}},
		{"a value of the wrong type", oneCall(good + `, "headers": {"X-A": 1}`), []string{`"headers" must be an object of header names to values`}},
		{"read as a string", oneCall(good + `, "read": "X-A"`), []string{`"read" must be a list of response header names`}},
		{"no name", oneCall(`"origin": "https://app.example.com", "url": "/", "expect": "allowed"`), []string{`call 1: "name" is required`}},
		{"two calls of one name", `{"calls": [{` + good + `}, {` + good + `}]}`, []string{`call 2 ("the app reads items"): "name" is the name of call 1 too`}},
		{"no expect", oneCall(`"name": "a", "origin": "https://app.example.com", "url": "/"`), []string{`"expect" is required`}},
		{"an expect other than the two", oneCall(`"name": "a", "origin": "https://app.example.com", "url": "/", "expect": "denied"`), []string{`"expect" must be "allowed" or "blocked", not "denied"`}},
		{"no origin", oneCall(`"name": "a", "url": "/", "expect": "allowed"`), []string{`"origin" is required`}},
		{"an origin with a trailing slash", oneCall(`"name": "a", "origin": "https://app.example.com/", "url": "/", "expect": "allowed"`), []string{`"origin": `, "not even a trailing slash"}},
		{"an origin in another case", oneCall(`"name": "a", "origin": "https://App.example.com", "url": "/", "expect": "allowed"`), []string{"a browser never sends the origin"}},
		{"no url", oneCall(`"name": "a", "origin": "https://app.example.com", "expect": "allowed"`), []string{`"url" is required`}},
		{"a relative url that is not a path", oneCall(`"name": "a", "origin": "https://app.example.com", "url": "api/items", "expect": "allowed"`), []string{`"url" "api/items" is not a path such as "/api/items/1"`}},
		{"a url with user information", oneCall(`"name": "a", "origin": "https://app.example.com", "url": "https://u:p@api.example.com/", "expect": "allowed"`), []string{"user information"}},
		{"a url whose host no browser reads", oneCall(`"name": "a", "origin": "https://app.example.com", "url": "http://::", "expect": "allowed"`), []string{`"url" "http://::": fetch() refuses it`, "character no host can"}},
		{"a method that is not a token", oneCall(good + `, "method": "GET /"`), []string{`"method" "GET /" is not a method name`}},
		{"a forbidden method", oneCall(good + `, "method": "trace"`), []string{"fetch() refuses trace (a forbidden method)"}},
		{"a credentials mode fetch() does not know", oneCall(good + `, "credentials": "Include"`), []string{`"credentials" must be "omit", "same-origin" (the default) or "include"`, `not "Include"`}},
		{"a header name with a space", oneCall(good + `, "headers": {"X Token": "1"}`), []string{`"headers": "X Token" is not a header name`}},
		{"a header value with a line break", oneCall(good + `, "headers": {"X-Token": "a\r\nX-Evil: 1"}`), []string{"the value of X-Token has a NUL, CR or LF byte"}},
		{"a read name that is not a header name", oneCall(good + `, "read": ["X Total"]`), []string{`"read": "X Total" is not a header name`}},
		{"read on a call expected blocked", oneCall(`"name": "a", "origin": "https://evil.example", "url": "/", "expect": "blocked", "read": ["X-A"]`), []string{`a call expected blocked reads nothing`}},
		{"a cookie a browser cannot hold", oneCall(good + `, "cookies": {"session": "a;b"}`), []string{`"cookies": "session" is not a cookie a browser holds`}},
		{"a cookie without a name", oneCall(good + `, "cookies": {"": "1"}`), []string{`"cookies": "" is not a cookie a browser holds`}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			path := writeCalls(t, tt.content)
			for _, target := range [][]string{{"-config", policyFile}, {"http://127.0.0.1:1"}} {
				code, out, errOut := run(t, append([]string{"-calls", path}, target...)...)
				assert.Equal(t, exitTrouble, code)
				assert.Empty(t, out, "nothing is judged when the file is refused")
				assert.True(t, strings.HasPrefix(errOut, "corscheck: "+path+": "), errOut)
				for _, w := range tt.want {
					assert.Contains(t, errOut, w)
				}
				assert.NotContains(t, errOut, "corstest", "the reason is in the file's terms")
			}
		})
	}
}

func TestCallsFileReportsEveryProblemAtOnceUpToTwenty(t *testing.T) {
	path := writeCalls(t, `{"calls": [
		{"name": "a", "origin": "https://app.example.com/", "url": "api", "expect": "maybe"},
		{"name": "b", "origin": "https://app.example.com", "url": "/", "expect": "allowed", "colour": "red"}
	]}`)
	code, _, errOut := run(t, "-calls", path, "-config", policyFile)
	assert.Equal(t, exitTrouble, code)
	for _, w := range []string{`call 1 ("a"): "origin"`, `call 1 ("a"): "url"`, `call 1 ("a"): "expect"`, `call 2 ("b"): unknown key "colour"`} {
		assert.Contains(t, errOut, w)
	}

	var calls []string
	for range 30 {
		calls = append(calls, `{"name": "", "origin": "https://app.example.com", "url": "/", "expect": "allowed"}`)
	}
	many := writeCalls(t, `{"calls": [`+strings.Join(calls, ",")+`]}`)
	code, _, errOut = run(t, "-calls", many, "-config", policyFile)
	assert.Equal(t, exitTrouble, code)
	assert.Equal(t, 21, strings.Count(errOut, many+": "), errOut)
	assert.Contains(t, errOut, "and 10 more problems")
}

func TestCallsFileLargerThanOneMebibyteIsRefusedAsTooLarge(t *testing.T) {
	const limit = 1 << 20
	content := oneCall(good)
	cases := []struct {
		name   string
		size   int
		tooBig bool
	}{
		{"a file of exactly 1 MiB is read", limit, false},
		{"a file one byte over 1 MiB is refused as too large, not as broken JSON", limit + 1, true},
		{"a file of 3 MiB is refused as too large", 3 * limit, true},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			padded := content[:len(content)-1] + strings.Repeat(" ", tc.size-len(content)) + "}"
			require.Len(t, padded, tc.size)
			code, _, errOut := run(t, "-calls", writeCalls(t, padded), "-config", policyFile)
			if !tc.tooBig {
				assert.Equal(t, exitOK, code, errOut)
				return
			}
			assert.Equal(t, exitTrouble, code)
			assert.Contains(t, errOut, "larger than 1048576 bytes (1 MiB)")
		})
	}
}

func TestCallsCommandLineThatMakesNoSenseIsAUsageError(t *testing.T) {
	path := writeCalls(t, oneCall(good))
	tests := []struct {
		name string
		args []string
		want string
	}{
		{"no target", []string{"-calls", path}, "-calls needs a target: -config POLICY"},
		{"both targets", []string{"-calls", path, "-config", policyFile, "https://api.example.com"}, "not both"},
		{"-origin", []string{"-calls", path, "-origin", app, "-config", policyFile}, "from " + path + ": remove -origin"},
		{"-method, even GET", []string{"-calls", path, "-method", "GET", "-config", policyFile}, "remove -method"},
		{"-H and -credentials", []string{"-calls", path, "-H", "X-A: 1", "-credentials", "-config", policyFile}, "remove -H, -credentials"},
		{"-cookie", []string{"-calls", path, "-cookie", "a=1", "-config", policyFile}, "remove -cookie"},
		{"-scan", []string{"-calls", path, "-scan", "https://api.example.com"}, "-calls and -scan are two modes"},
		{"an empty -calls", []string{"-calls", "", "-config", policyFile}, "-calls needs the path of a JSON file"},
		{"two base URLs", []string{"-calls", path, "https://a.example", "https://b.example"}, "one URL, got 2 arguments"},
		{"a base URL that is a path", []string{"-calls", path, "/api"}, `BASE_URL "/api" is not a base URL`},
		{"a base URL without a scheme", []string{"-calls", path, "api.example.com"}, "is not a base URL"},
		{"a base URL with a query", []string{"-calls", path, "https://api.example.com/?v=1"}, "no query, fragment"},
		{"a base URL with a fragment", []string{"-calls", path, "https://api.example.com/#x"}, "is not a base URL"},
		{"a base URL with user information", []string{"-calls", path, "https://u:p@api.example.com"}, "is not a base URL"},
		{"a base URL of another scheme", []string{"-calls", path, "ftp://api.example.com"}, "is not a base URL"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, out, errOut := run(t, tt.args...)
			assert.Equal(t, exitTrouble, code)
			assert.Empty(t, out)
			assert.Contains(t, errOut, tt.want)
			assert.Contains(t, errOut, "run corscheck -h for the usage")
		})
	}
}

func TestCallsWithAMissingFileOrPolicyExitsTwo(t *testing.T) {
	code, _, errOut := run(t, "-calls", "/nonexistent/calls.json", "-config", policyFile)
	assert.Equal(t, exitTrouble, code)
	assert.Contains(t, errOut, "corscheck: -calls: open /nonexistent/calls.json")

	code, _, errOut = run(t, "-calls", writeCalls(t, oneCall(good)), "-config", "/nonexistent/cors.json")
	assert.Equal(t, exitTrouble, code)
	assert.Contains(t, errOut, "-config: open /nonexistent/cors.json")
}

func TestHelpListsTheCallsMode(t *testing.T) {
	code, _, errOut := run(t, "-h")
	assert.Equal(t, exitOK, code)
	assert.Contains(t, errOut, "corscheck -calls FILE [-timeout D] [-deadline D] [-json] (-config POLICY | BASE_URL)")
	assert.Contains(t, errOut, "-calls string")
}

func TestRepeatedKeyFindsAKeyGivenTwiceUpToTheDepthAsked(t *testing.T) {
	tests := []struct {
		json     string
		maxDepth int
		want     string
	}{
		{`{"a": 1, "b": 2}`, 2, ""},
		{`{"a": 1, "a": 2}`, 1, "a"},
		{`{"a": {"b": 1, "b": 2}}`, 1, ""},
		{`{"a": {"b": 1, "b": 2}}`, 2, "b"},
		{`{"a": {"x": [1, {"y": 1}]}, "b": "a", "b": null}`, 1, "b"},
		{`{"a": ["a", "a"], "b": {"a": 1}}`, 2, ""},
		{`{"x": [{"k": 1}, {"k": 2}]}`, 3, ""},
		{`{"x": [{"k": 1, "k": 2}]}`, 3, "k"},
		{`[{"a": 1, "a": 2}]`, 1, ""},
		{`"a"`, 1, ""},
	}
	for _, tt := range tests {
		assert.Equal(t, tt.want, repeatedKey([]byte(tt.json), tt.maxDepth), "%s, depth %d", tt.json, tt.maxDepth)
	}
}
