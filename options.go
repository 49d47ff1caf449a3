package cors

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"math"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/crossorigin/cors/internal/headerlist"
	"github.com/crossorigin/cors/internal/match"
)

// Options declares a CORS policy. The zero value of every field but the origins is a safe default; New
// validates the whole of it and reports every problem at once.
type Options struct {
	// AllowedOrigins lists the origins whose pages may read responses. Each entry is one of:
	//   - an exact origin: "https://app.example.com", "http://localhost:3000", "capacitor://localhost";
	//   - a subdomain wildcard: "https://*.example.com" (one or more leading labels, never example.com itself);
	//   - a port wildcard: "http://localhost:*" (any port, the default one included);
	//   - both: "https://*.example.com:*";
	//   - "*" alone: any origin (not with AllowCredentials) — any real one: "null" and malformed values
	//     are refused even then.
	// Entries are normalised (lower case, punycode, default port dropped); requests must match byte for byte.
	AllowedOrigins []string `json:"allowed_origins"`

	// AllowOriginFunc, if set, is asked about a valid origin that no entry of AllowedOrigins matches. It
	// receives the canonical serialised origin and must not depend on anything else of the request,
	// because responses only Vary on Origin. With AllowCredentials, every origin it accepts can read your
	// users' data: never return true for an origin you do not control.
	AllowOriginFunc func(origin string) bool `json:"-"`

	// AllowedMethods lists the methods that preflights may request. Default: GET, HEAD, POST. DELETE, GET,
	// HEAD, OPTIONS, POST and PUT are case-insensitive (Fetch upper-cases them); every other method is
	// case-sensitive, exactly as browsers send it ("PATCH" is not "patch"). "*" allows any method.
	AllowedMethods []string `json:"allowed_methods"`

	// AllowedHeaders lists the request headers that preflights may request, case-insensitively. "*" allows
	// any header except Authorization, which Fetch never lets a wildcard cover: list it by name.
	AllowedHeaders []string `json:"allowed_headers"`

	// ExposedHeaders lists the response headers, beyond the CORS-safelisted ones, that pages may read. "*"
	// exposes all of them (not with AllowCredentials).
	ExposedHeaders []string `json:"exposed_headers"`

	// AllowCredentials lets pages send cookies and HTTP authentication and read the responses
	// (Access-Control-Allow-Credentials: true).
	AllowCredentials bool `json:"allow_credentials"`

	// MaxAge is how long a browser may cache a preflight's result, in whole seconds, at most 24h (Chromium
	// caps it at 2h, Firefox at 24h). Zero omits the header, so browsers use their default of 5 seconds; a
	// negative value sends 0, which disables caching. In JSON: a duration string ("2h", "90s") or seconds.
	MaxAge time.Duration `json:"max_age"`

	// AllowPrivateNetwork answers Private Network Access preflights (a preflight carrying
	// Access-Control-Request-Private-Network: true) with Access-Control-Allow-Private-Network: true.
	// PNA is legacy: Chromium 142 and later no longer send these preflights and instead gate requests
	// from public pages to private addresses behind a permission prompt (Local Network Access), which
	// no response header can grant.
	AllowPrivateNetwork bool `json:"allow_private_network"`

	// PreflightStatus is the status of a successful preflight response, in 200–299. Default: 204.
	PreflightStatus int `json:"preflight_status"`

	// DangerouslyAllowInsecureOrigins allows plain-http origins other than loopback ones together with
	// AllowCredentials. Anyone on the network path of such a page can read what it reads.
	DangerouslyAllowInsecureOrigins bool `json:"dangerously_allow_insecure_origins"`

	// Logger, if set, receives one debug-level record per refused request, with the reason and the
	// offending value. A nil Logger costs nothing.
	Logger *slog.Logger `json:"-"`
}

// ConfigError is one problem found in Options. New returns every problem at once, joined with
// errors.Join; use errors.As to get the first, or the Unwrap() []error method of the joined error to list them.
type ConfigError struct {
	Field  string // the Options field, e.g. "AllowedOrigins"; for LoadOptions, the JSON key, e.g. "max_age"
	Value  string // the offending value, as given
	Reason string // what is wrong and how to fix it
}

// Error returns "cors: Field "Value": Reason".
func (e *ConfigError) Error() string {
	if e.Value == "" {
		return "cors: " + e.Field + ": " + e.Reason
	}
	return "cors: " + e.Field + " " + strconv.Quote(e.Value) + ": " + e.Reason
}

// Bounds on what a preflight's Access-Control-Request-Headers may hold. A browser lists each
// non-safelisted header of the request once, so real preflights stay far below both; a preflight past
// either is refused after reading at most these many bytes, whatever the header's size.
const (
	MaxHeaderListBytes    = headerlist.MaxBytes    // total bytes, over every header line
	MaxHeaderListElements = headerlist.MaxElements // list elements, empty ones included
)

// Limits on configuration values.
const (
	maxMaxAge        = 24 * time.Hour
	maxMethodLen     = 64
	defaultPreflight = 204
)

var defaultMethods = []string{"GET", "HEAD", "POST"}

// Fetch §2.2.1 "method": these six are upper-cased by the Request constructor, every other method is
// sent exactly as written.
var normalisedMethods = []string{"DELETE", "GET", "HEAD", "OPTIONS", "POST", "PUT"}

// Fetch §2.2.1 "forbidden method": browsers never send these.
var forbiddenMethods = []string{"CONNECT", "TRACE", "TRACK"}

// Fetch §2.2.2 "forbidden request-header": names a page can never set, so listing one is a mistake.
var forbiddenRequestHeaders = []string{
	"accept-charset", "accept-encoding", "access-control-request-headers", "access-control-request-method",
	"connection", "content-length", "cookie", "cookie2", "date", "dnt", "expect", "host", "keep-alive",
	"origin", "referer", "set-cookie", "te", "trailer", "transfer-encoding", "upgrade", "via",
}

// config is a validated, normalised and immutable policy. Request handling only reads it.
type config struct {
	options Options // normalised, for Cors.Options

	anyOrigin  bool
	origins    *match.Set
	originFunc func(string) bool

	credentials bool

	anyMethod bool
	methods   map[string]struct{}
	acam      string // Access-Control-Allow-Methods when it does not depend on the request

	anyHeader     bool
	authorization bool // Authorization listed by name
	headers       headerlist.Set
	acah          string // Access-Control-Allow-Headers when it does not depend on the request

	aceh           string // Access-Control-Expose-Headers, "" for none
	maxAge         string // Access-Control-Max-Age, "" to omit
	privateNetwork bool
	status         int
	preflightVary  string

	logger *slog.Logger
}

// newConfig validates o and builds the immutable policy, or reports every problem found.
func newConfig(o Options) (*config, error) {
	var errs []error
	fail := func(field, value, reason string) {
		errs = append(errs, &ConfigError{Field: field, Value: value, Reason: reason})
	}
	c := &config{
		credentials:    o.AllowCredentials,
		originFunc:     o.AllowOriginFunc,
		privateNetwork: o.AllowPrivateNetwork,
		logger:         o.Logger,
	}
	norm := Options{
		AllowOriginFunc:                 o.AllowOriginFunc,
		AllowCredentials:                o.AllowCredentials,
		MaxAge:                          o.MaxAge,
		AllowPrivateNetwork:             o.AllowPrivateNetwork,
		DangerouslyAllowInsecureOrigins: o.DangerouslyAllowInsecureOrigins,
		Logger:                          o.Logger,
	}

	// Origins.
	seen := make(map[string]bool, len(o.AllowedOrigins))
	var exact []string
	var patterns []match.Pattern
	for _, entry := range o.AllowedOrigins {
		p, err := parsePattern(entry, o.AllowCredentials, o.DangerouslyAllowInsecureOrigins)
		if err != nil {
			errs = append(errs, err)
			continue
		}
		if seen[p.canonical] {
			continue
		}
		seen[p.canonical] = true
		norm.AllowedOrigins = append(norm.AllowedOrigins, p.canonical)
		switch {
		case p.any:
			c.anyOrigin = true
		case p.exact():
			exact = append(exact, p.canonical)
		default:
			patterns = append(patterns, p.match)
		}
	}
	switch {
	case c.anyOrigin && len(norm.AllowedOrigins) > 1:
		fail("AllowedOrigins", "*", `"*" already allows every origin, so the other entries mean nothing: keep either "*" or the list`)
	case c.anyOrigin && o.AllowOriginFunc != nil:
		fail("AllowOriginFunc", "", `"*" in AllowedOrigins already allows every origin, so AllowOriginFunc would never be asked: remove one of them`)
	case len(o.AllowedOrigins) == 0 && o.AllowOriginFunc == nil:
		fail("AllowedOrigins", "", `no origin is allowed, so the middleware would refuse every cross-origin request: list origins such as "http://localhost:3000", or set AllowOriginFunc`)
	}
	c.origins = match.NewSet(exact, patterns)

	// Methods.
	methods := o.AllowedMethods
	if len(methods) == 0 {
		methods = defaultMethods
	}
	c.methods = make(map[string]struct{}, len(methods))
	for _, m := range methods {
		switch {
		case m == "*":
			c.anyMethod = true
		case !headerlist.IsToken(m):
			fail("AllowedMethods", m, "a method is a token (letters, digits and !#$%&'*+-.^_`|~), with no spaces or commas: list each method as its own entry")
			continue
		case len(m) > maxMethodLen:
			fail("AllowedMethods", m, fmt.Sprintf("methods longer than %d bytes are not supported", maxMethodLen))
			continue
		case containsFold(forbiddenMethods, m):
			fail("AllowedMethods", m, "browsers never send CONNECT, TRACE or TRACK (Fetch forbids them): remove it")
			continue
		}
		for _, n := range normalisedMethods {
			if strings.EqualFold(m, n) {
				m = n
			}
		}
		if !slices.Contains(norm.AllowedMethods, m) {
			norm.AllowedMethods = append(norm.AllowedMethods, m)
			c.methods[m] = struct{}{}
		}
	}
	if c.anyMethod {
		c.acam = "*"
	} else {
		c.acam = strings.Join(norm.AllowedMethods, ", ")
	}

	// Request headers.
	var names []string
	for _, h := range o.AllowedHeaders {
		lh := strings.ToLower(h)
		switch {
		case h == "*":
			c.anyHeader = true
		case !headerlist.IsToken(h):
			fail("AllowedHeaders", h, "a header name is a token (letters, digits and !#$%&'*+-.^_`|~), with no spaces or commas: list each header as its own entry")
			continue
		case slices.Contains(forbiddenRequestHeaders, lh) || strings.HasPrefix(lh, "proxy-") || strings.HasPrefix(lh, "sec-"):
			fail("AllowedHeaders", h, "browsers never let a page set this header (a Fetch forbidden request-header), so allowing it has no effect: remove it")
			continue
		case lh == "authorization":
			c.authorization = true
		}
		if !slices.Contains(norm.AllowedHeaders, lh) {
			norm.AllowedHeaders = append(norm.AllowedHeaders, lh)
			if lh != "*" {
				names = append(names, lh)
			}
		}
	}
	c.headers = headerlist.NewSet(names)
	switch {
	case c.anyHeader && c.authorization:
		c.acah = "*, authorization"
	case c.anyHeader:
		c.acah = "*"
	default:
		c.acah = strings.Join(names, ", ")
	}

	// Exposed headers.
	var exposed []string
	anyExposed := false
	for _, h := range o.ExposedHeaders {
		lh := strings.ToLower(h)
		switch {
		case h == "*":
			anyExposed = true
			if o.AllowCredentials {
				fail("ExposedHeaders", h, `with AllowCredentials browsers read "*" as a header literally named "*": list the headers to expose by name`)
				continue
			}
		case !headerlist.IsToken(h):
			fail("ExposedHeaders", h, "a header name is a token (letters, digits and !#$%&'*+-.^_`|~), with no spaces or commas: list each header as its own entry")
			continue
		case lh == "set-cookie" || lh == "set-cookie2":
			fail("ExposedHeaders", h, "browsers never expose Set-Cookie to pages (Fetch filters it): remove it")
			continue
		}
		if !slices.Contains(exposed, lh) {
			exposed = append(exposed, lh)
		}
	}
	norm.ExposedHeaders = exposed
	if anyExposed && !o.AllowCredentials {
		c.aceh = "*"
	} else {
		c.aceh = strings.Join(exposed, ", ")
	}

	// Max age.
	switch {
	case o.MaxAge > maxMaxAge:
		fail("MaxAge", o.MaxAge.String(), "at most 24h: browsers cap it anyway (Chromium at 2h, Firefox at 24h); 2h is a good value")
	case o.MaxAge < 0:
		c.maxAge = "0" // any negative value, as -1 or -time.Second: browsers must not cache the preflight
	case o.MaxAge%time.Second != 0:
		fail("MaxAge", o.MaxAge.String(), "Access-Control-Max-Age counts whole seconds: round it to a whole number of seconds (or use any negative value to disable caching)")
	case o.MaxAge > 0:
		c.maxAge = strconv.FormatInt(int64(o.MaxAge/time.Second), 10)
	}

	// Preflight status.
	c.status = o.PreflightStatus
	if c.status == 0 {
		c.status = defaultPreflight
	}
	if c.status < 200 || c.status > 299 {
		fail("PreflightStatus", strconv.Itoa(o.PreflightStatus), "browsers accept a preflight only with an ok status (Fetch §4.8): use a status in 200–299, or 0 for the default 204")
	}
	norm.PreflightStatus = c.status

	c.preflightVary = "Origin, Access-Control-Request-Method, Access-Control-Request-Headers"
	if c.privateNetwork {
		c.preflightVary += ", Access-Control-Request-Private-Network"
	}
	c.options = norm
	if len(errs) > 0 {
		return nil, errors.Join(errs...)
	}
	return c, nil
}

func containsFold(list []string, s string) bool {
	for _, e := range list {
		if strings.EqualFold(e, s) {
			return true
		}
	}
	return false
}

// clone returns a copy of o whose slices share nothing with o.
func (o Options) clone() Options {
	o.AllowedOrigins = slices.Clone(o.AllowedOrigins)
	o.AllowedMethods = slices.Clone(o.AllowedMethods)
	o.AllowedHeaders = slices.Clone(o.AllowedHeaders)
	o.ExposedHeaders = slices.Clone(o.ExposedHeaders)
	return o
}

// optionsJSON is the JSON form of Options.
type optionsJSON struct {
	AllowedOrigins                  []string `json:"allowed_origins"`
	AllowedMethods                  []string `json:"allowed_methods"`
	AllowedHeaders                  []string `json:"allowed_headers"`
	ExposedHeaders                  []string `json:"exposed_headers"`
	AllowCredentials                bool     `json:"allow_credentials"`
	MaxAge                          maxAge   `json:"max_age"`
	AllowPrivateNetwork             bool     `json:"allow_private_network"`
	PreflightStatus                 int      `json:"preflight_status"`
	DangerouslyAllowInsecureOrigins bool     `json:"dangerously_allow_insecure_origins"`
}

// jsonKeys are optionsJSON's keys, read from its tags so that the two cannot drift apart.
var jsonKeys = func() []string {
	t := reflect.TypeFor[optionsJSON]()
	keys := make([]string, t.NumField())
	for i := range keys {
		keys[i] = t.Field(i).Tag.Get("json")
	}
	return keys
}()

// maxAge decodes a duration string ("2h", "90s") or a whole number of seconds.
type maxAge time.Duration

func (m *maxAge) UnmarshalJSON(data []byte) error {
	if len(data) > 0 && data[0] == '"' {
		var s string
		if err := json.Unmarshal(data, &s); err != nil {
			return err
		}
		d, err := time.ParseDuration(s)
		if err != nil {
			return &ConfigError{Field: "max_age", Value: s, Reason: `write a duration such as "2h", "10m" or "90s", or a number of seconds`}
		}
		*m = maxAge(d)
		return nil
	}
	var n float64
	if err := json.Unmarshal(data, &n); err != nil {
		return &ConfigError{Field: "max_age", Value: string(data), Reason: `write a duration such as "2h", or a number of seconds`}
	}
	if n != math.Trunc(n) || math.Abs(n) > float64(math.MaxInt64/int64(time.Second)) {
		return &ConfigError{Field: "max_age", Value: string(data), Reason: "write a whole number of seconds, such as 7200"}
	}
	*m = maxAge(time.Duration(n) * time.Second)
	return nil
}

func (j *optionsJSON) options() Options {
	return Options{
		AllowedOrigins:                  j.AllowedOrigins,
		AllowedMethods:                  j.AllowedMethods,
		AllowedHeaders:                  j.AllowedHeaders,
		ExposedHeaders:                  j.ExposedHeaders,
		AllowCredentials:                j.AllowCredentials,
		MaxAge:                          time.Duration(j.MaxAge),
		AllowPrivateNetwork:             j.AllowPrivateNetwork,
		PreflightStatus:                 j.PreflightStatus,
		DangerouslyAllowInsecureOrigins: j.DangerouslyAllowInsecureOrigins,
	}
}

// UnmarshalJSON decodes the JSON form of Options, as encoding/json does for any struct: keys match
// case-insensitively and unknown keys are ignored. AllowOriginFunc and Logger keep their values.
// Use LoadOptions to reject unknown keys.
func (o *Options) UnmarshalJSON(data []byte) error {
	var j optionsJSON
	if err := json.Unmarshal(data, &j); err != nil {
		return jsonError(err)
	}
	fn, logger := o.AllowOriginFunc, o.Logger
	*o = j.options()
	o.AllowOriginFunc, o.Logger = fn, logger
	return nil
}

// MarshalJSON encodes Options with the keys UnmarshalJSON reads, MaxAge as a duration string.
func (o Options) MarshalJSON() ([]byte, error) {
	return json.Marshal(struct {
		optionsJSON
		MaxAge string `json:"max_age,omitempty"`
	}{optionsJSON: optionsJSON{
		AllowedOrigins:                  o.AllowedOrigins,
		AllowedMethods:                  o.AllowedMethods,
		AllowedHeaders:                  o.AllowedHeaders,
		ExposedHeaders:                  o.ExposedHeaders,
		AllowCredentials:                o.AllowCredentials,
		AllowPrivateNetwork:             o.AllowPrivateNetwork,
		PreflightStatus:                 o.PreflightStatus,
		DangerouslyAllowInsecureOrigins: o.DangerouslyAllowInsecureOrigins,
	}, MaxAge: maxAgeString(o.MaxAge)})
}

func maxAgeString(d time.Duration) string {
	if d == 0 {
		return ""
	}
	return d.String()
}

// maxConfigBytes bounds what LoadOptions reads: a CORS policy is a few kilobytes at most.
const maxConfigBytes = 1 << 20

// LoadOptions decodes Options from a JSON object, strictly: every key must be one of Options' JSON keys
// (spelled exactly), values must have the right types, and nothing may follow the object. It reports
// every unknown key at once, each as a *ConfigError that suggests the key probably meant. The result
// still has to go through New, which validates the values.
//
//	{
//	  "allowed_origins": ["https://app.example.com", "https://*.example.com"],
//	  "allowed_methods": ["GET", "POST", "PUT"],
//	  "allowed_headers": ["Content-Type", "Authorization"],
//	  "allow_credentials": true,
//	  "max_age": "2h"
//	}
func LoadOptions(r io.Reader) (Options, error) {
	data, err := io.ReadAll(io.LimitReader(r, maxConfigBytes+1))
	if err != nil {
		return Options{}, fmt.Errorf("cors: reading options: %w", err)
	}
	if len(data) > maxConfigBytes {
		return Options{}, fmt.Errorf("cors: options larger than %d bytes", maxConfigBytes)
	}
	var keys map[string]json.RawMessage
	if err := json.Unmarshal(data, &keys); err != nil {
		return Options{}, jsonError(err)
	}
	var errs []error
	for _, k := range sortedKeys(keys) {
		if !slices.Contains(jsonKeys, k) {
			reason := "not an option; the options are " + strings.Join(jsonKeys, ", ")
			if s := closestKey(k); s != "" {
				reason = "not an option: did you mean " + strconv.Quote(s) + "?"
			}
			errs = append(errs, &ConfigError{Field: k, Reason: reason})
		}
	}
	if len(errs) > 0 {
		return Options{}, errors.Join(errs...)
	}
	var j optionsJSON
	dec := json.NewDecoder(bytes.NewReader(data))
	if err := dec.Decode(&j); err != nil {
		return Options{}, jsonError(err)
	}
	return j.options(), nil
}

// jsonError turns a decoding error into a *ConfigError where it names a field.
func jsonError(err error) error {
	var ce *ConfigError
	if errors.As(err, &ce) {
		return ce
	}
	var te *json.UnmarshalTypeError
	if errors.As(err, &te) && te.Field != "" {
		want := "a " + te.Type.Kind().String()
		switch te.Type.Kind().String() {
		case "slice":
			want = `a list of strings, e.g. ["value"]`
		case "bool":
			want = "true or false"
		case "int":
			want = "a whole number"
		}
		return &ConfigError{Field: te.Field, Value: te.Value, Reason: "expects " + want}
	}
	return fmt.Errorf("cors: options are not a valid JSON object: %w", err)
}

func sortedKeys(m map[string]json.RawMessage) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}

// closestKey returns the JSON key within edit distance 3 of k (case-insensitively), if any.
func closestKey(k string) string {
	best, bestDist := "", 4
	for _, c := range jsonKeys {
		if d := editDistance(strings.ToLower(k), c); d < bestDist {
			best, bestDist = c, d
		}
	}
	return best
}

func editDistance(a, b string) int {
	if len(a) > 64 || len(b) > 64 {
		return math.MaxInt
	}
	prev := make([]int, len(b)+1)
	cur := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev, cur = cur, prev
	}
	return prev[len(b)]
}
