package cors_test

import (
	"errors"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/crossorigin/cors"
	"github.com/crossorigin/cors/internal/origin"
)

// maxFuzzEntries bounds the AllowedOrigins a fuzz input can describe, so that inputs stay cheap.
const maxFuzzEntries = 8

// policySeeds are (origin, newline-separated entries, credentials) triples; the committed corpus in
// testdata/fuzz/FuzzPolicyAgreesWithItsOriginSet adds more, and the attack catalogue's origins are added
// against its policy.
var policySeeds = []struct {
	origin      string
	entries     string
	credentials bool
}{
	{"https://example.com", "https://example.com", true},
	{"https://a.example.com", "https://*.example.com\nhttps://app.example.com", true},
	{"https://example.com", "https://*.example.com", false},
	{"http://localhost:3000", "http://localhost:*", true},
	{"http://localhost:080", "http://localhost:*", true},
	{"https://barfoo.com", "https://foo.com\nhttps://bar.com", true},
	{"https://anything.test", "*", false},
	{"null", "*", false},
	{"https://A.example.com", "https://*.example.com", false},
	{"https://example.com", "HTTPS://EXAMPLE.COM:443\nhttps://example.com", false},
	{"https://x.pad.example", "https://*.a.example\nhttps://*.b.example\nhttps://*.c.example\nhttps://*.d.example\nhttps://*.e.example\nhttps://*.f.example\nhttps://*.g.example\nhttps://*.pad.example", false},
}

// entryAllows is the answer of one entry alone, through the origin grammar: the reference a whole
// policy is held to, so that building many entries into one index, and the policy's own rules ("*",
// AllowOriginFunc), change nothing of what each entry allows.
func entryAllows(t *testing.T, p origin.Pattern, o string) bool {
	t.Helper()
	var set *origin.Set
	var err error
	switch {
	case p.Any:
		return origin.IsCanonical(o)
	case p.IsExact():
		set, err = origin.NewSet([]string{p.String()}, nil)
	default:
		set, err = origin.NewSet(nil, []origin.Pattern{p})
	}
	require.NoError(t, err)
	return set.Allows(o)
}

// FuzzPolicyAgreesWithItsOriginSet feeds random origins and AllowedOrigins to the middleware and fails
// unless OriginAllowed, AllowOriginFunc's calls and the actual response answer as the entries, each on
// its own, allow; and unless Options() shows each entry's canonical form. internal/origin holds the
// entries' answers to the reference grammar (FuzzSetMatchesReference).
func FuzzPolicyAgreesWithItsOriginSet(f *testing.F) {
	for _, s := range policySeeds {
		f.Add(s.origin, s.entries, s.credentials)
	}
	entries := strings.Join(attackOptions().AllowedOrigins, "\n")
	for _, hostile := range loadHostileOrigins(f) {
		if v := hostile.joined(); len(v) <= 1024 {
			f.Add(v, entries, true)
		}
	}
	f.Fuzz(func(t *testing.T, o, entryList string, credentials bool) {
		entries := strings.Split(entryList, "\n")
		if len(entries) > maxFuzzEntries {
			entries = entries[:maxFuzzEntries]
		}
		c, err := cors.New(cors.Options{AllowedOrigins: entries, AllowCredentials: credentials})
		if err != nil {
			var ce *cors.ConfigError
			require.True(t, errors.As(err, &ce), "New's error must be a *ConfigError, got %T: %v", err, err)
			return // not a valid policy: nothing to compare
		}
		want, any, shown := false, false, []string{}
		for _, e := range entries {
			p, err := origin.ParsePattern(e, origin.Trust{Credentials: credentials})
			require.NoError(t, err, "New accepted %q", e)
			want = want || entryAllows(t, p, o)
			any = any || p.Any
			if !slices.Contains(shown, p.String()) {
				shown = append(shown, p.String())
			}
		}
		require.Equal(t, shown, c.Options().AllowedOrigins, "Options() shows each entry's canonical form, once, in order")
		require.Equal(t, want, c.OriginAllowed(o), "OriginAllowed(%q) with entries %q", o, entries)
		if !any {
			requireFuncAskedOnlyAboutTheRest(t, entries, credentials, o, want)
		}
		requireActualResponse(t, c, o, want, any && !credentials)
	})
}

// requireFuncAskedOnlyAboutTheRest checks that AllowOriginFunc is asked about a valid origin that no entry
// allows, and about nothing else.
func requireFuncAskedOnlyAboutTheRest(t *testing.T, entries []string, credentials bool, o string, allowed bool) {
	t.Helper()
	var asked []string
	withFunc, err := cors.New(cors.Options{AllowedOrigins: entries, AllowCredentials: credentials,
		AllowOriginFunc: func(o string) bool { asked = append(asked, o); return true }})
	require.NoError(t, err)
	valid := origin.IsCanonical(o)
	require.Equal(t, valid, withFunc.OriginAllowed(o), "OriginAllowed(%q) with a func that allows everything", o)
	if valid && !allowed {
		require.Equal(t, []string{o}, asked)
	} else {
		require.Empty(t, asked, "AllowOriginFunc asked about %q (valid %v, allowed %v)", o, valid, allowed)
	}
}

// requireActualResponse checks the Access-Control-Allow-Origin an actual request from o gets.
func requireActualResponse(t *testing.T, c *cors.Cors, o string, allowed, public bool) {
	t.Helper()
	rec := httptest.NewRecorder()
	req := httptest.NewRequest(http.MethodGet, "http://api.test/", nil)
	req.Header["Origin"] = []string{o}
	c.Handler(http.HandlerFunc(func(http.ResponseWriter, *http.Request) {})).ServeHTTP(rec, req)
	acao := rec.Header().Values("Access-Control-Allow-Origin")
	switch {
	case public:
		// A "*" policy answers "*" to every request, whatever its Origin: nothing is reflected.
		require.Equal(t, []string{"*"}, acao)
	case allowed:
		require.Equal(t, []string{o}, acao, "Handler refused %q", o)
	default:
		require.Empty(t, acao, "Handler allowed %q", o)
	}
}
