package fetch

import (
	"fmt"
	"net/url"
	"slices"

	"github.com/crossorigin/cors/internal/header"
	"github.com/crossorigin/cors/internal/method"
)

// A RequestError is a fetch() that a browser refuses before sending anything, with a TypeError: the
// Request itself is wrong, not the network or the server.
type RequestError struct {
	Reason string // what is wrong, and how to write it instead
}

func (e *RequestError) Error() string { return "invalid fetch: " + e.Reason }

func refuse(format string, args ...any) *RequestError {
	return &RequestError{Reason: fmt.Sprintf(format, args...)}
}

// fetching is one fetch in progress: what the browser sends next, and what it has seen.
type fetching struct {
	trace  *Trace
	origin string   // the page's serialized origin
	page   *url.URL // the page's origin as a URL; nil for "null"
	creds  Credentials
	verb   string  // the method sent next (a redirect may turn it into GET)
	fields []Field // the script's headers sent next (a redirect may drop some)
	url    *url.URL
	// corsTainting is Fetch's response tainting "cors": set at the first cross-origin request, it stays
	// (https://fetch.spec.whatwg.org/#concept-request-response-tainting).
	corsTainting bool
	// tainted is the redirect-taint: from here on the Origin is serialized as "null"
	// (https://fetch.spec.whatwg.org/#concept-request-tainted-origin).
	tainted bool
}

// start checks r as fetch() does before sending anything, and sets up the fetch.
func start(r Request) (*fetching, error) {
	verb := r.Method
	if verb == "" {
		verb = "GET"
	}
	verb = method.Normalize(verb)
	switch {
	case !header.IsToken(verb):
		return nil, refuse("%q is not a method name", verb)
	case method.IsForbidden(verb):
		return nil, refuse("fetch() refuses the method %s (a forbidden method)", verb)
	}
	u, err := url.Parse(r.URL)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return nil, refuse("%q is not an absolute http or https URL", r.URL)
	}
	if u.User != nil {
		return nil, refuse("fetch() refuses a URL with credentials (user:password@) in it")
	}
	if err := HostError(u); err != nil {
		return nil, refuse("fetch() refuses the URL %q: %v", r.URL, err)
	}
	u.Fragment, u.RawFragment = "", ""
	origin, err := ParseOrigin(r.Origin)
	if err != nil {
		return nil, &RequestError{Reason: err.Error()}
	}
	creds := r.Credentials
	switch creds {
	case "":
		creds = CredentialsSameOrigin
	case CredentialsOmit, CredentialsSameOrigin, CredentialsInclude:
	default:
		return nil, refuse("credentials mode %q is not omit, same-origin or include", creds)
	}
	t := &Trace{Method: verb}
	if err := t.setScriptHeaders(r.Header); err != nil {
		return nil, err
	}
	return &fetching{trace: t, origin: origin, page: originURL(origin), creds: creds, verb: verb,
		fields: slices.Clone(t.Header), url: u}, nil
}

// setScriptHeaders records the script's headers as the browser takes them: values normalized, the
// forbidden ones dropped; a name or value fetch() throws on is an error.
func (t *Trace) setScriptHeaders(fields []Field) error {
	for _, h := range fields {
		if !header.IsToken(h.Name) {
			return refuse("%q is not a header name", h.Name)
		}
		v := NormalizeHeaderValue(h.Value)
		if !IsValidHeaderValue(v) {
			return refuse("the value of %s has a NUL, CR or LF byte", h.Name)
		}
		f := Field{Name: h.Name, Value: v}
		if IsForbiddenRequestHeader(h.Name, v) {
			t.Dropped = append(t.Dropped, f)
			continue
		}
		t.Header = append(t.Header, f)
	}
	t.UnsafeNames = UnsafeRequestHeaderNames(t.Header)
	return nil
}
