package cors

import (
	"errors"
	"fmt"
	"log/slog"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/crossorigin/cors/internal/headerlist"
	"github.com/crossorigin/cors/internal/match"
)

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
	allowSlots     int    // how many header values config.allow writes
	preflightSlots int    // how many every allowed preflight writes (Allow-Headers and -Private-Network aside)
	maxAge         string // Access-Control-Max-Age, "" to omit
	privateNetwork bool
	status         int
	preflightVary  string

	protectWrites bool // CrossOriginProtection
	timingAllow   bool // TimingAllowOrigin

	logger *slog.Logger

	slots slotPool // where response header values are written: see slotPool
}

// compiler turns Options into a config, one group of fields at a time, collecting every problem.
type compiler struct {
	o    Options
	c    *config
	norm *Options // what Cors.Options shows
	errs []error
}

func (k *compiler) fail(field, value, reason string) {
	k.errs = append(k.errs, &ConfigError{Field: field, Value: value, Reason: reason})
}

// newConfig validates o and builds the immutable policy, or reports every problem found.
func newConfig(o Options) (*config, error) {
	k := &compiler{
		o: o,
		c: &config{
			credentials:    o.AllowCredentials,
			originFunc:     o.AllowOriginFunc,
			privateNetwork: o.AllowPrivateNetwork,
			protectWrites:  o.CrossOriginProtection,
			timingAllow:    o.TimingAllowOrigin,
			logger:         o.Logger,
		},
		norm: &Options{
			AllowOriginFunc:                 o.AllowOriginFunc,
			AllowCredentials:                o.AllowCredentials,
			MaxAge:                          o.MaxAge,
			AllowPrivateNetwork:             o.AllowPrivateNetwork,
			DangerouslyAllowInsecureOrigins: o.DangerouslyAllowInsecureOrigins,
			CrossOriginProtection:           o.CrossOriginProtection,
			TimingAllowOrigin:               o.TimingAllowOrigin,
			Logger:                          o.Logger,
		},
	}
	k.origins()
	k.methods()
	k.requestHeaders()
	k.exposedHeaders()
	k.maxAge()
	k.preflightStatus()
	if len(k.errs) > 0 {
		return nil, errors.Join(k.errs...)
	}
	c := k.c
	c.allowSlots = 1 + boolInt(c.credentials) + boolInt(c.aceh != "") + boolInt(c.timingAllow)
	c.preflightSlots = 3 + boolInt(c.credentials) + boolInt(c.maxAge != "")
	c.options = *k.norm
	return c, nil
}

// origins compiles AllowedOrigins and AllowOriginFunc.
func (k *compiler) origins() {
	o, c := k.o, k.c
	seen := make(map[string]bool, len(o.AllowedOrigins))
	var exact []string
	var patterns []match.Pattern
	for _, entry := range o.AllowedOrigins {
		p, err := parsePattern(entry, o.AllowCredentials, o.DangerouslyAllowInsecureOrigins)
		if err != nil {
			k.errs = append(k.errs, err)
			continue
		}
		if seen[p.canonical] {
			continue
		}
		seen[p.canonical] = true
		k.norm.AllowedOrigins = append(k.norm.AllowedOrigins, p.canonical)
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
	case c.anyOrigin && len(k.norm.AllowedOrigins) > 1:
		k.fail("AllowedOrigins", "*", `"*" already allows every origin, so the other entries mean nothing: keep either "*" or the list`)
	case c.anyOrigin && o.AllowOriginFunc != nil:
		k.fail("AllowOriginFunc", "", `"*" in AllowedOrigins already allows every origin, so AllowOriginFunc would never be asked: remove one of them`)
	case len(o.AllowedOrigins) == 0 && o.AllowOriginFunc == nil:
		k.fail("AllowedOrigins", "", `no origin is allowed, so the middleware would refuse every cross-origin request: list origins such as "http://localhost:3000", or set AllowOriginFunc`)
	}
	if c.anyOrigin && o.CrossOriginProtection {
		k.fail("CrossOriginProtection", "", `"*" in AllowedOrigins allows every origin, so CrossOriginProtection would refuse nothing: list the origins you trust in AllowedOrigins, or keep "*" and use net/http.CrossOriginProtection alone`)
	}
	c.origins = match.NewSet(exact, patterns)
}

// methods compiles AllowedMethods.
func (k *compiler) methods() {
	c := k.c
	methods := k.o.AllowedMethods
	if len(methods) == 0 {
		methods = defaultMethods
	}
	c.methods = make(map[string]struct{}, len(methods))
	for _, m := range methods {
		switch {
		case m == "*":
			c.anyMethod = true
		case !headerlist.IsToken(m):
			k.fail("AllowedMethods", m, "a method is a token (letters, digits and !#$%&'*+-.^_`|~), with no spaces or commas: list each method as its own entry")
			continue
		case len(m) > maxMethodLen:
			k.fail("AllowedMethods", m, fmt.Sprintf("methods longer than %d bytes are not supported", maxMethodLen))
			continue
		case containsFold(forbiddenMethods, m):
			k.fail("AllowedMethods", m, "browsers never send CONNECT, TRACE or TRACK (Fetch forbids them): remove it")
			continue
		}
		for _, n := range normalisedMethods {
			if strings.EqualFold(m, n) {
				m = n
			}
		}
		if !slices.Contains(k.norm.AllowedMethods, m) {
			k.norm.AllowedMethods = append(k.norm.AllowedMethods, m)
			c.methods[m] = struct{}{}
		}
	}
	if c.anyMethod {
		c.acam = "*"
	} else {
		c.acam = strings.Join(k.norm.AllowedMethods, ", ")
	}
}

// requestHeaders compiles AllowedHeaders.
func (k *compiler) requestHeaders() {
	c := k.c
	var names []string
	for _, h := range k.o.AllowedHeaders {
		lh := strings.ToLower(h)
		switch {
		case h == "*":
			c.anyHeader = true
		case !headerlist.IsToken(h):
			k.fail("AllowedHeaders", h, "a header name is a token (letters, digits and !#$%&'*+-.^_`|~), with no spaces or commas: list each header as its own entry")
			continue
		case slices.Contains(forbiddenRequestHeaders, lh) || strings.HasPrefix(lh, "proxy-") || strings.HasPrefix(lh, "sec-"):
			k.fail("AllowedHeaders", h, "browsers never let a page set this header (a Fetch forbidden request-header), so allowing it has no effect: remove it")
			continue
		case lh == "authorization":
			c.authorization = true
		}
		if !slices.Contains(k.norm.AllowedHeaders, lh) {
			k.norm.AllowedHeaders = append(k.norm.AllowedHeaders, lh)
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
}

// exposedHeaders compiles ExposedHeaders.
func (k *compiler) exposedHeaders() {
	credentials := k.o.AllowCredentials
	var exposed []string
	anyExposed := false
	for _, h := range k.o.ExposedHeaders {
		lh := strings.ToLower(h)
		switch {
		case h == "*":
			anyExposed = true
			if credentials {
				k.fail("ExposedHeaders", h, `with AllowCredentials browsers read "*" as a header literally named "*": list the headers to expose by name`)
				continue
			}
		case !headerlist.IsToken(h):
			k.fail("ExposedHeaders", h, "a header name is a token (letters, digits and !#$%&'*+-.^_`|~), with no spaces or commas: list each header as its own entry")
			continue
		case lh == "set-cookie" || lh == "set-cookie2":
			k.fail("ExposedHeaders", h, "browsers never expose Set-Cookie to pages (Fetch filters it): remove it")
			continue
		}
		if !slices.Contains(exposed, lh) {
			exposed = append(exposed, lh)
		}
	}
	k.norm.ExposedHeaders = exposed
	if anyExposed && !credentials {
		k.c.aceh = "*"
	} else {
		k.c.aceh = strings.Join(exposed, ", ")
	}
}

// maxAge compiles MaxAge.
func (k *compiler) maxAge() {
	switch d := k.o.MaxAge; {
	case d > maxMaxAge:
		k.fail("MaxAge", d.String(), "at most 24h: browsers cap it anyway (Chromium at 2h, Firefox at 24h); 2h is a good value")
	case d < 0:
		k.c.maxAge = "0" // any negative value, as -1 or -time.Second: browsers must not cache the preflight
	case d%time.Second != 0:
		k.fail("MaxAge", d.String(), "Access-Control-Max-Age counts whole seconds: round it to a whole number of seconds (or use any negative value to disable caching)")
	case d > 0:
		k.c.maxAge = strconv.FormatInt(int64(d/time.Second), 10)
	}
}

// preflightStatus compiles PreflightStatus and what every successful preflight varies on.
func (k *compiler) preflightStatus() {
	c := k.c
	c.status = k.o.PreflightStatus
	if c.status == 0 {
		c.status = defaultPreflight
	}
	if c.status < 200 || c.status > 299 {
		k.fail("PreflightStatus", strconv.Itoa(k.o.PreflightStatus), "browsers accept a preflight only with an ok status (Fetch §4.8): use a status in 200–299, or 0 for the default 204")
	}
	k.norm.PreflightStatus = c.status

	// What a successful preflight's answer depends on. Under "*" the Origin is not one of them: the answer
	// is the same for every origin.
	c.preflightVary = "Origin, Access-Control-Request-Method, Access-Control-Request-Headers"
	if c.anyOrigin {
		c.preflightVary = "Access-Control-Request-Method, Access-Control-Request-Headers"
	}
	if c.privateNetwork {
		c.preflightVary += ", Access-Control-Request-Private-Network"
	}
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
