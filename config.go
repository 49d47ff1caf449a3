package cors

import (
	"errors"
	"fmt"
	"log/slog"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/crossorigin/cors/internal/header"
	"github.com/crossorigin/cors/internal/headerlist"
	"github.com/crossorigin/cors/internal/method"
	"github.com/crossorigin/cors/internal/origin"
)

// config is a validated, normalised and immutable policy. Request handling only reads it.
type config struct {
	options Options // normalised, for Cors.Options

	anyOrigin  bool
	origins    *origin.Set
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
	opts Options  // as given
	cfg  *config  // being built
	norm *Options // what Cors.Options shows
	errs []error
}

func (comp *compiler) fail(field, value, reason string) {
	comp.errs = append(comp.errs, &ConfigError{Field: field, Value: value, Reason: reason})
}

// newConfig validates o and builds the immutable policy, or reports every problem found.
func newConfig(o Options) (*config, error) {
	comp := &compiler{
		opts: o,
		cfg: &config{
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
	comp.origins()
	comp.methods()
	comp.requestHeaders()
	comp.exposedHeaders()
	comp.maxAge()
	comp.preflightStatus()
	if len(comp.errs) > 0 {
		return nil, errors.Join(comp.errs...)
	}
	cfg := comp.cfg
	cfg.allowSlots = 1 + boolInt(cfg.credentials) + boolInt(cfg.aceh != "") + boolInt(cfg.timingAllow)
	cfg.preflightSlots = 3 + boolInt(cfg.credentials) + boolInt(cfg.maxAge != "")
	cfg.options = *comp.norm
	return cfg, nil
}

// origins compiles AllowedOrigins and AllowOriginFunc.
func (comp *compiler) origins() {
	o, cfg := comp.opts, comp.cfg
	trust := origin.Trust{Credentials: o.AllowCredentials, Insecure: o.DangerouslyAllowInsecureOrigins}
	seen := make(map[string]bool, len(o.AllowedOrigins))
	var exact []string
	var wildcards []origin.Pattern
	for _, entry := range o.AllowedOrigins {
		p, err := origin.ParsePattern(entry, trust)
		if err != nil {
			if bad := (*origin.PatternError)(nil); errors.As(err, &bad) {
				comp.fail("AllowedOrigins", bad.Entry, bad.Reason)
			} else {
				comp.errs = append(comp.errs, err)
			}
			continue
		}
		canonical := p.String()
		if seen[canonical] {
			continue
		}
		seen[canonical] = true
		comp.norm.AllowedOrigins = append(comp.norm.AllowedOrigins, canonical)
		switch {
		case p.Any:
			cfg.anyOrigin = true
		case p.IsExact():
			exact = append(exact, canonical)
		default:
			wildcards = append(wildcards, p)
		}
	}
	comp.originConflicts()
	set, err := origin.NewSet(exact, wildcards)
	if err != nil {
		comp.errs = append(comp.errs, err) // unreachable: exact and wildcards are sorted just above
	}
	cfg.origins = set
}

// originConflicts reports the origin options that contradict each other or allow nothing.
func (comp *compiler) originConflicts() {
	o, cfg := comp.opts, comp.cfg
	switch {
	case cfg.anyOrigin && len(comp.norm.AllowedOrigins) > 1:
		comp.fail("AllowedOrigins", "*", `"*" already allows every origin, so the other entries mean nothing: keep either "*" or the list`)
	case cfg.anyOrigin && o.AllowOriginFunc != nil:
		comp.fail("AllowOriginFunc", "", `"*" in AllowedOrigins already allows every origin, so AllowOriginFunc would never be asked: remove one of them`)
	case len(o.AllowedOrigins) == 0 && o.AllowOriginFunc == nil && !o.CrossOriginProtection:
		// With CrossOriginProtection, no origin is a policy: a site whose pages call only their own
		// origin, its cross-origin writes refused (net/http.CrossOriginProtection with no trusted origin).
		comp.fail("AllowedOrigins", "", `no origin is allowed, so the middleware would refuse every cross-origin request: list origins such as "http://localhost:3000", or set AllowOriginFunc; for a site whose pages call only their own origin, set CrossOriginProtection alone`)
	}
	if cfg.anyOrigin && o.CrossOriginProtection {
		comp.fail("CrossOriginProtection", "", `"*" in AllowedOrigins allows every origin, so CrossOriginProtection would refuse nothing: list the origins you trust in AllowedOrigins, or keep "*" and use net/http.CrossOriginProtection alone`)
	}
}

// methods compiles AllowedMethods.
func (comp *compiler) methods() {
	cfg := comp.cfg
	methods := comp.opts.AllowedMethods
	if len(methods) == 0 {
		methods = defaultMethods
	}
	cfg.methods = make(map[string]struct{}, len(methods))
	for _, m := range methods {
		switch {
		case m == "*":
			cfg.anyMethod = true
		case !header.IsToken(m):
			comp.fail("AllowedMethods", m, "a method is a token (letters, digits and !#$%&'*+-.^_`|~), with no spaces or commas: list each method as its own entry")
			continue
		case len(m) > maxMethodLen:
			comp.fail("AllowedMethods", m, fmt.Sprintf("methods longer than %d bytes are not supported", maxMethodLen))
			continue
		case method.IsForbidden(m):
			comp.fail("AllowedMethods", m, "browsers never send CONNECT, TRACE or TRACK (Fetch forbids them): remove it")
			continue
		}
		m = method.Normalize(m) // browsers upper-case these six, so a configured "put" means PUT
		if !slices.Contains(comp.norm.AllowedMethods, m) {
			comp.norm.AllowedMethods = append(comp.norm.AllowedMethods, m)
			cfg.methods[m] = struct{}{}
		}
	}
	if cfg.anyMethod {
		cfg.acam = "*"
	} else {
		cfg.acam = strings.Join(comp.norm.AllowedMethods, ", ")
	}
}

// requestHeaders compiles AllowedHeaders.
func (comp *compiler) requestHeaders() {
	cfg := comp.cfg
	var names []string
	for _, h := range comp.opts.AllowedHeaders {
		lh := strings.ToLower(h)
		switch {
		case h == "*":
			cfg.anyHeader = true
		case !header.IsToken(h):
			comp.fail("AllowedHeaders", h, "a header name is a token (letters, digits and !#$%&'*+-.^_`|~), with no spaces or commas: list each header as its own entry")
			continue
		case header.IsForbiddenRequestName(lh):
			comp.fail("AllowedHeaders", h, "browsers never let a page set this header (a Fetch forbidden request-header), so allowing it has no effect: remove it")
			continue
		case lh == "authorization":
			cfg.authorization = true
		}
		if !slices.Contains(comp.norm.AllowedHeaders, lh) {
			comp.norm.AllowedHeaders = append(comp.norm.AllowedHeaders, lh)
			if lh != "*" {
				names = append(names, lh)
			}
		}
	}
	cfg.headers = headerlist.NewSet(names)
	switch {
	case cfg.anyHeader && cfg.authorization:
		cfg.acah = "*, authorization"
	case cfg.anyHeader:
		cfg.acah = "*"
	default:
		cfg.acah = strings.Join(names, ", ")
	}
}

// exposedHeaders compiles ExposedHeaders.
func (comp *compiler) exposedHeaders() {
	credentials := comp.opts.AllowCredentials
	var exposed []string
	anyExposed := false
	for _, h := range comp.opts.ExposedHeaders {
		lh := strings.ToLower(h)
		switch {
		case h == "*":
			anyExposed = true
			if credentials {
				comp.fail("ExposedHeaders", h, `with AllowCredentials browsers read "*" as a header literally named "*": list the headers to expose by name`)
				continue
			}
		case !header.IsToken(h):
			comp.fail("ExposedHeaders", h, "a header name is a token (letters, digits and !#$%&'*+-.^_`|~), with no spaces or commas: list each header as its own entry")
			continue
		case lh == "set-cookie" || lh == "set-cookie2":
			comp.fail("ExposedHeaders", h, "browsers never expose Set-Cookie to pages (Fetch filters it): remove it")
			continue
		}
		if !slices.Contains(exposed, lh) {
			exposed = append(exposed, lh)
		}
	}
	comp.norm.ExposedHeaders = exposed
	if anyExposed && !credentials {
		comp.cfg.aceh = "*"
	} else {
		comp.cfg.aceh = strings.Join(exposed, ", ")
	}
}

// maxAge compiles MaxAge.
func (comp *compiler) maxAge() {
	switch d := comp.opts.MaxAge; {
	case d > maxMaxAge:
		comp.fail("MaxAge", d.String(), "at most 24h: browsers cap it anyway (Chromium at 2h, Firefox at 24h); 2h is a good value")
	case d < 0:
		comp.cfg.maxAge = "0" // any negative value, as -1 or -time.Second: browsers must not cache the preflight
	case d%time.Second != 0:
		comp.fail("MaxAge", d.String(), "Access-Control-Max-Age counts whole seconds: round it to a whole number of seconds (or use any negative value to disable caching)")
	case d > 0:
		comp.cfg.maxAge = strconv.FormatInt(int64(d/time.Second), 10)
	}
}

// preflightStatus compiles PreflightStatus and what every successful preflight varies on.
func (comp *compiler) preflightStatus() {
	cfg := comp.cfg
	cfg.status = comp.opts.PreflightStatus
	if cfg.status == 0 {
		cfg.status = defaultPreflight
	}
	if cfg.status < 200 || cfg.status > 299 {
		comp.fail("PreflightStatus", strconv.Itoa(comp.opts.PreflightStatus), "browsers accept a preflight only with an ok status (Fetch's CORS-preflight fetch): use a status in 200–299, or 0 for the default 204")
	}
	comp.norm.PreflightStatus = cfg.status

	// What a successful preflight's answer depends on. Under "*" the Origin is not one of them: the answer
	// is the same for every origin.
	cfg.preflightVary = "Origin, Access-Control-Request-Method, Access-Control-Request-Headers"
	if cfg.anyOrigin {
		cfg.preflightVary = "Access-Control-Request-Method, Access-Control-Request-Headers"
	}
	if cfg.privateNetwork {
		cfg.preflightVary += ", Access-Control-Request-Private-Network"
	}
}

// clone returns a copy of o whose slices share nothing with o.
func (o Options) clone() Options {
	o.AllowedOrigins = slices.Clone(o.AllowedOrigins)
	o.AllowedMethods = slices.Clone(o.AllowedMethods)
	o.AllowedHeaders = slices.Clone(o.AllowedHeaders)
	o.ExposedHeaders = slices.Clone(o.ExposedHeaders)
	return o
}
