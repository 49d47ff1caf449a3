package main

import (
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/crossorigin/cors/internal/call"
	"github.com/crossorigin/cors/internal/fetch"
	"github.com/crossorigin/cors/internal/header"
	"github.com/crossorigin/cors/internal/method"
)

// check checks every field of the call, as fetch() and a browser would take them, and returns the call
// with every problem found.
func (j callJSON) check() (contractCall, []error) {
	c := contractCall{name: j.Name, expect: j.Expect, read: j.Read}
	c.call = call.Call{Origin: j.Origin, Method: j.Method, URL: j.URL, Credentials: j.Credentials}
	var errs []error
	fail := func(format string, args ...any) { errs = append(errs, fmt.Errorf(format, args...)) }
	if j.Name == "" {
		fail(`"name" is required: say what the call is, e.g. "the app updates an item"`)
	}
	switch _, err := fetch.ParseOrigin(j.Origin); {
	case j.Origin == "":
		fail(`"origin" is required: the origin of the page that makes the call, e.g. "http://localhost:3000"`)
	case err != nil:
		fail(`"origin": %v`, err)
	}
	if m := method.Normalize(j.Method); j.Method != "" && !header.IsToken(m) {
		fail(`"method" %q is not a method name`, j.Method)
	} else if method.IsForbidden(m) {
		fail(`"method": fetch() refuses %s (a forbidden method)`, m)
	}
	if err := checkCallURL(j.URL); err != nil {
		errs = append(errs, err)
	}
	switch fetch.Credentials(j.Credentials) {
	case "", fetch.CredentialsOmit, fetch.CredentialsSameOrigin, fetch.CredentialsInclude:
	default:
		fail(`"credentials" must be "omit", "same-origin" (the default) or "include", lower case as in fetch(), not %q`, j.Credentials)
	}
	switch j.Expect {
	case expectAllowed, expectBlocked:
	case "":
		fail(`"expect" is required: "allowed" or "blocked"`)
	default:
		fail(`"expect" must be "allowed" or "blocked", not %q`, j.Expect)
	}
	var problems []error
	c.call.Header, problems = checkHeaders(j.Headers)
	errs = append(errs, problems...)
	errs = append(errs, checkRead(j.Read, j.Expect)...)
	c.call.Cookies, problems = checkCookies(j.Cookies)
	errs = append(errs, problems...)
	return c, errs
}

// checkCallURL checks a call's url: a path, or an absolute http(s) URL without user information.
func checkCallURL(raw string) error {
	const want = `a path such as "/api/items/1", resolved against the target, or an absolute http or https URL`
	if raw == "" {
		return errors.New(`"url" is required: ` + want)
	}
	abs := raw
	if call.IsPath(raw) {
		abs = strings.TrimSuffix(defaultConfigURL, "/") + raw
	}
	u, err := url.Parse(abs)
	switch {
	case err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "":
		return fmt.Errorf(`"url" %q is not %s`, raw, want)
	case u.User != nil:
		return fmt.Errorf(`"url" %q has user information (user:password@), which fetch() refuses`, raw)
	}
	if err := fetch.HostError(u); err != nil {
		return fmt.Errorf(`"url" %q: fetch() refuses it: %v`, raw, err)
	}
	return nil
}

// checkHeaders checks the headers the page's script sets and returns them as a header map, names as
// written. A forbidden header (Cookie, Origin, ...) is kept: the browser drops it, as for a page.
func checkHeaders(headers map[string]string) (http.Header, []error) {
	if len(headers) == 0 {
		return nil, nil
	}
	h := http.Header{}
	var errs []error
	for _, name := range sortedKeys(headers) {
		switch v := headers[name]; {
		case !header.IsToken(name):
			errs = append(errs, fmt.Errorf(`"headers": %q is not a header name`, name))
		case !fetch.IsValidHeaderValue(fetch.NormalizeHeaderValue(v)):
			errs = append(errs, fmt.Errorf(`"headers": the value of %s has a NUL, CR or LF byte, which fetch() refuses`, name))
		default:
			h[name] = []string{v}
		}
	}
	return h, errs
}

// checkRead checks the response header names an allowed call must let the page read.
func checkRead(read []string, expect string) []error {
	var errs []error
	if len(read) > 0 && expect == expectBlocked {
		errs = append(errs, errors.New(`"read" lists what an allowed call lets the page read: a call expected blocked reads nothing, remove "read"`))
	}
	for _, name := range read {
		if !header.IsToken(name) {
			errs = append(errs, fmt.Errorf(`"read": %q is not a header name`, name))
		}
	}
	return errs
}

// checkCookies checks the browser's cookies for the call's URL and returns them, sorted by name.
func checkCookies(cookies map[string]string) ([]*http.Cookie, []error) {
	var out []*http.Cookie
	var errs []error
	for _, name := range sortedKeys(cookies) {
		c := &http.Cookie{Name: name, Value: cookies[name]}
		if err := c.Valid(); err != nil {
			errs = append(errs, fmt.Errorf(`"cookies": %s is not a cookie a browser holds (%v)`, strconv.Quote(name), err))
			continue
		}
		out = append(out, c)
	}
	return out, errs
}
