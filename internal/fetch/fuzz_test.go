package fetch

import (
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"
)

// Each parser is fuzzed against a reference written differently: a regular expression for the syntax,
// then the obvious conversion. Disagreement on any input is a bug in one of them.

const tcharClass = "[A-Za-z0-9!#$%&'*+.^_`|~-]"

var (
	rangeRef   = regexp.MustCompile(`^[bB][yY][tT][eE][sS]=([0-9]*)-([0-9]*)$`)
	rangeRefWS = regexp.MustCompile(`^[bB][yY][tT][eE][sS][ \t]*=[ \t]*([0-9]*)[ \t]*-[ \t]*([0-9]*)$`)
)

func refSingleRange(s string, ws bool) (int64, int64, bool) {
	re := rangeRef
	if ws {
		re = rangeRefWS
	}
	m := re.FindStringSubmatch(s)
	if m == nil || (m[1] == "" && m[2] == "") {
		return 0, 0, false
	}
	num := func(d string) (int64, bool) {
		if d == "" {
			return -1, true
		}
		n, err := strconv.ParseInt(d, 10, 64)
		return n, err == nil
	}
	a, ok1 := num(m[1])
	b, ok2 := num(m[2])
	if !ok1 || !ok2 || (a >= 0 && b >= 0 && a > b) {
		return 0, 0, false
	}
	return a, b, true
}

func FuzzParseSingleRange(f *testing.F) {
	for _, s := range []string{"bytes=0-1", "bytes=-5", "BYTES=5-", "bytes = 1 - 2", "bytes=2-1", "bytes=", "bytes=1-2,3-4"} {
		f.Add(s, false)
		f.Add(s, true)
	}
	f.Fuzz(func(t *testing.T, s string, ws bool) {
		a, b, ok := ParseSingleRange(s, ws)
		ra, rb, rok := refSingleRange(s, ws)
		if ok != rok || (ok && (a != ra || b != rb)) {
			t.Fatalf("ParseSingleRange(%q, %v) = %d, %d, %v; reference %d, %d, %v", s, ws, a, b, ok, ra, rb, rok)
		}
	})
}

var mimeRef = regexp.MustCompile(`(?s)^[\t\n\r ]*(` + tcharClass + `+)/(` + tcharClass + `+)[\t\n\r ]*(;.*)?$`)

func FuzzParseMIMEEssence(f *testing.F) {
	for _, s := range []string{"text/plain", " Text/Plain ;charset=utf-8 ", "text/plain,", "text /plain", "a/b;", "/", "text/plain\x00"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		got, ok := ParseMIMEEssence(s)
		want, wok := "", false
		if m := mimeRef.FindStringSubmatch(s); m != nil {
			want, wok = strings.ToLower(m[1])+"/"+strings.ToLower(m[2]), true
		}
		if ok != wok || got != want {
			t.Fatalf("ParseMIMEEssence(%q) = %q, %v; reference %q, %v", s, got, ok, want, wok)
		}
	})
}

var elemRef = regexp.MustCompile(`^[ \t]*(` + tcharClass + `*)[ \t]*$`)

func FuzzExtractHeaderListValues(f *testing.F) {
	for _, s := range []string{"GET, PUT", ",,PUT,GET", ",y-lol,x-print, ,,,y-print", "Bad method name", "a;b", "", " * "} {
		f.Add(s, "x")
	}
	f.Fuzz(func(t *testing.T, line1, line2 string) {
		h := http.Header{"Access-Control-Allow-Methods": {line1, line2}}
		got, present, ok := ExtractHeaderListValues(h, "Access-Control-Allow-Methods", IsToken)
		var want []string
		wok := true
		for _, line := range []string{line1, line2} {
			for _, piece := range strings.Split(line, ",") {
				m := elemRef.FindStringSubmatch(piece)
				if m == nil {
					wok = false
					continue
				}
				if m[1] != "" {
					want = append(want, m[1])
				}
			}
		}
		if !present || ok != wok || (ok && strings.Join(got, "\x00") != strings.Join(want, "\x00")) {
			t.Fatalf("ExtractHeaderListValues(%q, %q) = %q, %v, %v; reference %q, %v", line1, line2, got, present, ok, want, wok)
		}
	})
}

var deltaSeconds = regexp.MustCompile(`^[0-9]+$`)

func FuzzMaxAge(f *testing.F) {
	for _, s := range []string{"0", "5", "7200", "-1", "1.5", "", "99999999999999999999999"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		got, present, valid := MaxAge(http.Header{"Access-Control-Max-Age": {s}})
		if !present {
			t.Fatalf("MaxAge(%q) says the header is absent", s)
		}
		if !deltaSeconds.MatchString(s) {
			if valid || got != DefaultMaxAge {
				t.Fatalf("MaxAge(%q) = %d, %v; not delta-seconds, so the default", s, got, valid)
			}
			return
		}
		n, err := strconv.ParseInt(s, 10, 64)
		if err != nil || n > 1<<40 {
			if !valid || got < 1<<40 {
				t.Fatalf("MaxAge(%q) = %d, %v; want a huge value", s, got, valid)
			}
			return
		}
		if !valid || got != n {
			t.Fatalf("MaxAge(%q) = %d, %v; want %d", s, got, valid, n)
		}
	})
}

// FuzzParseOrigin checks that whatever ParseOrigin accepts is its own serialization, and that it never
// accepts a value with anything after the host and port.
func FuzzParseOrigin(f *testing.F) {
	for _, s := range []string{"https://app.example.com", "http://localhost:3000", "null", "https://App.example.com", "https://a/", "http://[::1]:80", "https://xn--caf-dma.example"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		got, err := ParseOrigin(s)
		if err != nil {
			return
		}
		if got != s {
			t.Fatalf("ParseOrigin(%q) = %q", s, got)
		}
		if s == "null" {
			return
		}
		u, perr := url.Parse(s)
		if perr != nil || SerializeOrigin(u) != s || strings.ContainsAny(strings.SplitN(s, "://", 2)[1], "/?#@") {
			t.Fatalf("ParseOrigin accepted %q, which is not a serialized origin", s)
		}
	})
}

// FuzzCORSCheck compares CORSCheck with Fetch §4.9 transcribed as plainly as possible, over one or two
// Access-Control-Allow-Origin lines and one Access-Control-Allow-Credentials line.
func FuzzCORSCheck(f *testing.F) {
	f.Add("https://app.example.com", "", "true", "https://app.example.com", true, false)
	f.Add("*", "", "true", "https://app.example.com", true, false)
	f.Add("https://app.example.com", "https://app.example.com", "", "https://app.example.com", false, true)
	f.Add("null", "", "True", "null", true, false)
	f.Fuzz(func(t *testing.T, acao, acao2, acac, origin string, credentials, twoLines bool) {
		h := http.Header{"Access-Control-Allow-Origin": {acao}}
		if twoLines {
			h["Access-Control-Allow-Origin"] = append(h["Access-Control-Allow-Origin"], acao2)
		}
		if acac != "" {
			h["Access-Control-Allow-Credentials"] = []string{acac}
		}
		// "get" joins the lines with ", "; the check compares the result.
		got := strings.Join(h["Access-Control-Allow-Origin"], ", ")
		var want bool
		switch {
		case !credentials && got == "*":
			want = true
		case got != origin:
			want = false
		case !credentials:
			want = true
		default:
			want = strings.Join(h["Access-Control-Allow-Credentials"], ", ") == "true"
		}
		// One refinement over the transcription: a value with a comma is never one origin. A
		// serialized origin has no comma, so this can only differ for an origin argument no browser sends.
		if strings.Contains(origin, ",") {
			return
		}
		if pass := CORSCheck(h, origin, credentials) == nil; pass != want {
			t.Fatalf("CORSCheck(%v, %q, %v) passes=%v; Fetch says %v", h, origin, credentials, pass, want)
		}
	})
}
