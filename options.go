package cors

import (
	"log/slog"
	"strconv"
	"time"

	"github.com/crossorigin/cors/internal/headerlist"
)

// Options declares a CORS policy. The zero value of every field but the origins is a safe default; New
// validates the whole of it and reports every problem at once.
type Options struct {
	// AllowedOrigins lists the origins whose pages may read responses. Each entry is one of:
	//   - an exact origin: "https://app.example.com", "http://localhost:3000", "capacitor://localhost";
	//   - a subdomain wildcard: "https://*.example.com" (one or more leading labels, never example.com itself);
	//   - a port wildcard: "http://localhost:*" (any port, the default one included);
	//   - both: "https://*.example.com:*";
	//   - "*" alone: any origin (not with AllowCredentials). Every response then carries
	//     "Access-Control-Allow-Origin: *" without Vary: Origin, since it reflects nothing; OriginAllowed
	//     still refuses "null" and malformed values.
	// Entries are normalised (lower case, punycode, default port dropped); requests must match byte for byte.
	// It may be empty only with AllowOriginFunc, or with CrossOriginProtection alone: a site whose pages
	// call only their own origin, which trusts no other.
	AllowedOrigins []string `json:"allowed_origins"`

	// AllowOriginFunc, if set, is asked about a valid origin that no entry of AllowedOrigins matches. It
	// receives the canonical serialised origin and must not depend on anything else of the request,
	// because responses only Vary on Origin. With AllowCredentials, every origin it accepts can read your
	// users' data: never return true for an origin you do not control.
	AllowOriginFunc func(origin string) bool `json:"-"`

	// AllowedMethods lists the methods that preflights may request. Default: GET, HEAD, POST. An entry
	// that is one of DELETE, GET, HEAD, OPTIONS, POST and PUT in any case is stored upper-cased, since
	// browsers upper-case those six (https://fetch.spec.whatwg.org/#concept-method-normalize); every other entry is kept as written. The
	// method a preflight asks for is then compared exactly, as Fetch compares it: "PATCH" does not allow
	// "patch", which is what fetch(u, {method: "patch"}) sends. "*" allows any method.
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

	// CrossOriginProtection refuses state-changing requests that a browser sends from an origin the
	// policy does not allow, with 403 and before they reach the handler: the cross-site request forgery
	// that CORS alone never stops (a refused form POST or no-cors fetch is still delivered). It follows
	// net/http.CrossOriginProtection, with this policy's origins, wildcards and AllowOriginFunc as the
	// trusted origins: GET, HEAD and OPTIONS always pass; so does a request whose Sec-Fetch-Site is
	// same-origin or none, or, without Sec-Fetch-Site, one without Origin (not from a browser) or whose
	// Origin's host and port are the request's Host. Any other request passes only if the policy allows
	// its Origin. Not with "*" in AllowedOrigins, which would refuse nothing.
	CrossOriginProtection bool `json:"cross_origin_protection"`

	// TimingAllowOrigin adds Timing-Allow-Origin, with the value of Access-Control-Allow-Origin, to the
	// actual responses of allowed origins, so that their pages can read the Resource Timing details of
	// the calls (transfer sizes, Server-Timing) that browsers otherwise zero for cross-origin responses.
	TimingAllowOrigin bool `json:"timing_allow_origin"`

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

// Error returns "cors: Field "Value": Reason", or "cors: Field: Reason" when Value is empty.
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

// defaultMethods are the methods allowed when AllowedMethods is empty: the CORS-safelisted ones
// (https://fetch.spec.whatwg.org/#cors-safelisted-method), which a preflight passes anyway.
var defaultMethods = []string{"GET", "HEAD", "POST"}
