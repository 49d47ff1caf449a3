package fetch

import (
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/crossorigin/cors/internal/header"
	"github.com/crossorigin/cors/internal/origin"
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
		got, present, ok := ExtractHeaderListValues(h, "Access-Control-Allow-Methods", header.IsToken)
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

// FuzzClientAndServerReadOriginsAlike holds the client side's origins (ParseOrigin, SerializeOrigin,
// which follow the URL standard through net/url) to the middleware's grammar (internal/origin), which
// parses the Origin header byte by byte: they are two algorithms on purpose, each the other's oracle. An
// origin the middleware accepts is one the client writes exactly so; an origin the client accepts is one
// the middleware accepts, but where the middleware is stricter than a URL parser by design: past its
// length bounds (a 63-byte label, a 253-byte host, a 64-byte scheme), a port that no server listens on
// (0) or past 65535 (browsers' URL parser fails on both, or refuses to connect), a host that ends in a number
// without being a dotted quad (a browser's URL parser fails on it, so no page has that origin), and a
// host with an empty label (a trailing dot) or a byte that no DNS name holds (the URL standard lets "!"
// or "$" into a host): no entry of AllowedOrigins can name such a host, so refusing it refuses nothing a
// policy could allow. Both ways, the middleware does not decode punycode: a label "xn--…" that is no
// valid punycode, which no browser writes, is bytes to it like any other.
func FuzzClientAndServerReadOriginsAlike(f *testing.F) {
	for _, s := range []string{"https://app.example.com", "http://localhost:3000", "http://[::1]:8080", "http://[::ffff:7f00:1]",
		"https://a.0x1", "http://127.0.0.1", "https://my_app.example", "capacitor://localhost", "https://xn--caf-dma.example"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		_, serverOK := origin.Parse(s)
		got, err := ParseOrigin(s)
		clientOK := err == nil && s != "null"
		if strings.Contains(s, "xn--") {
			return // punycode is decoded by the client only
		}
		if serverOK && (!clientOK || got != s) {
			t.Fatalf("the middleware accepts the origin %q, which the client refuses: %v", s, err)
		}
		if clientOK && !serverOK && !beyondTheServersBounds(s) {
			t.Fatalf("the client accepts the origin %q, which the middleware refuses", s)
		}
	})
}

// beyondTheServersBounds reports whether the serialized origin s is one the middleware refuses on purpose
// although a URL parser reads it: past its length bounds, port 0 or past 65535, a host ending in a
// number that is no IPv4 address, an empty label, or a host byte no DNS name holds.
func beyondTheServersBounds(s string) bool {
	scheme, rest, _ := strings.Cut(s, "://")
	host := rest
	if i := strings.LastIndexByte(rest, ':'); i > strings.LastIndexByte(rest, ']') {
		host = rest[:i]
		if port, err := strconv.Atoi(rest[i+1:]); err != nil || port == 0 || port > 65535 {
			return true
		}
	}
	if len(scheme) > origin.MaxSchemeLen || len(host) > origin.MaxHostLen || len(s) > origin.MaxLen {
		return true
	}
	if strings.HasPrefix(host, "[") {
		return false
	}
	for _, label := range strings.Split(host, ".") {
		if label == "" || len(label) > origin.MaxLabelLen {
			return true
		}
	}
	if strings.ContainsFunc(host, func(r rune) bool {
		return !('a' <= r && r <= 'z' || '0' <= r && r <= '9' || r == '-' || r == '_' || r == '.')
	}) {
		return true
	}
	last := host[strings.LastIndexByte(host, '.')+1:]
	return last != "" && (last[0] >= '0' && last[0] <= '9')
}

// FuzzCORSCheck compares CORSCheck with https://fetch.spec.whatwg.org/#cors-check transcribed as plainly as possible, over one or two
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
