package scan

import (
	"fmt"
	"net/http"
	"slices"

	"github.com/crossorigin/cors/internal/fetch"
	"github.com/crossorigin/cors/internal/header"
)

// judgement collects the findings of one scan.
type judgement struct {
	answers []answer
	plain   http.Header // the answer to a GET without Origin
	out     []Finding
	// anyOrigin: an unrelated origin is allowed, so every other one is too, and the findings about
	// lookalikes, subdomains and http variants would say nothing new.
	anyOrigin              bool
	wildcardDone, varyDone bool
}

// judge turns the answers into findings, the most severe first.
func judge(answers []answer, plain http.Header) []Finding {
	j := &judgement{answers: answers, plain: plain, out: []Finding{}}
	for _, a := range answers {
		if a.kind == probeUnrelated {
			j.unrelated(a)
		}
	}
	for _, a := range answers {
		j.origin(a)
		j.wildcardWithCredentials(a)
		j.missingVary(a)
	}
	sortFindings(j.out)
	return j.out
}

func (j *judgement) add(id, sev string, a answer, h http.Header, msg, fix string) {
	j.out = append(j.out, Finding{ID: id, Severity: sev, Origin: a.origin, Evidence: evidence(h), Message: msg, Fix: fix})
}

// granted returns the response that allows a's origin (the GET's, else the preflight's), and whether
// with credentials; ok is false when neither does.
func granted(a answer) (h http.Header, ok, credentials bool) {
	if ok, c := allows(a.get, a.origin); ok {
		return a.get, true, c
	}
	if ok, c := allows(a.pre, a.origin); ok {
		return a.pre, true, c
	}
	return nil, false, false
}

// unrelated judges the answer to an origin the API has no reason to know.
func (j *judgement) unrelated(a answer) {
	h, ok, creds := granted(a)
	if !ok {
		return
	}
	j.anyOrigin = true
	sev, with := SeverityLow, "without credentials, so its responses are as public as with \"*\""
	if creds {
		sev, with = SeverityCritical, "with credentials: any website can read this API with its visitors' cookies"
	}
	j.add(IDReflectsAny, sev, a, h, fmt.Sprintf("The unrelated origin %s is allowed, %s.", a.origin, with),
		"Allow a fixed list of origins (AllowedOrigins) instead of echoing the Origin header; never echo it with credentials.")
}

// origin judges whether a's origin should have been allowed, by what it stands for.
func (j *judgement) origin(a answer) {
	h, ok, creds := granted(a)
	switch a.kind {
	case probeNull:
		if ok {
			sev, with := SeverityLow, "without credentials"
			if creds {
				sev, with = SeverityCritical, "with credentials: any site can send Origin: null from a sandboxed iframe and read this API with its visitors' cookies"
			}
			j.add(IDAllowsNull, sev, a, h, fmt.Sprintf("The origin null is allowed, %s.", with),
				"Never allow null: sandboxed iframes, data: URLs, file: pages and cross-origin redirects all send it, and any site can produce one.")
		}
	case probeLookalike:
		if ok && !j.anyOrigin {
			sev, with := SeverityMedium, "without credentials"
			if creds {
				sev, with = SeverityCritical, "with credentials: whoever registers it reads this API with your users' cookies"
			}
			j.add(IDLookalike, sev, a, h, fmt.Sprintf("%s, %s, is allowed, %s.", a.origin, a.what, with),
				"The origin check matches a prefix, a suffix or a substring, or parses the origin leniently: compare the whole serialized origin byte for byte, or use a subdomain pattern anchored at a dot (https://*.example.com).")
		}
	case probeInsecure:
		if ok && creds && !j.anyOrigin {
			j.add(IDInsecureOrigin, SeverityHigh, a, h, fmt.Sprintf("%s, %s, is allowed with credentials: anyone on the network path of that plain-http page (public Wi-Fi, a hostile router) can inject script into it and read this API with your users' cookies.", a.origin, a.what),
				"Allow only https origins together with credentials.")
		}
	case probeSubdomain:
		if ok && creds && !j.anyOrigin {
			j.add(IDAnySubdomain, SeverityMedium, a, h, fmt.Sprintf("%s, %s, is allowed with credentials: one vulnerable or taken-over subdomain exposes this API.", a.origin, a.what),
				"List the subdomains that need access instead of trusting them all, or make sure every subdomain is as trustworthy as the API.")
		}
	case probeTrusted:
		j.trustedPreflight(a)
	}
}

// trustedPreflight judges the answer to a preflight from the trusted origin.
func (j *judgement) trustedPreflight(a answer) {
	acao := a.pre.Get(header.AccessControlAllowOrigin)
	if fetch.IsOKStatus(a.preflightStatus) && acao != "" {
		return
	}
	what := fmt.Sprintf("status %d", a.preflightStatus)
	if acao == "" {
		what += " and no Access-Control-Allow-Origin"
	}
	j.add(IDPreflightNotAnswered, SeverityInfo, a, a.pre, fmt.Sprintf("A preflight from the trusted origin %s (OPTIONS with Access-Control-Request-Method: GET) got %s: every call from it that needs a preflight (PUT, DELETE, a JSON body, Authorization) will fail.", a.origin, what),
		"Route OPTIONS to the CORS middleware: wrap the whole router with it, before authentication.")
}

// wildcardWithCredentials reports, once, "*" together with credentials in either of a's responses.
func (j *judgement) wildcardWithCredentials(a answer) {
	for _, r := range []http.Header{a.get, a.pre} {
		if !j.wildcardDone && r.Get(header.AccessControlAllowOrigin) == "*" && r.Get(header.AccessControlAllowCredentials) == "true" {
			j.wildcardDone = true
			j.add(IDWildcardCreds, SeverityMedium, a, r, "The API answers Access-Control-Allow-Origin: * together with Access-Control-Allow-Credentials: true. Browsers refuse this combination, so credentialed calls fail: something is misconfigured.",
				"Either name the allowed origins (AllowedOrigins with AllowCredentials), or drop Access-Control-Allow-Credentials and keep \"*\" for public data.")
		}
	}
}

// missingVary reports, once, an origin echoed without Vary: Origin by an API whose answer depends on it.
func (j *judgement) missingVary(a answer) {
	if ok, _ := allows(a.get, a.origin); !ok || j.varyDone || a.origin == "*" || header.Varies(a.get.Values(header.Vary), header.Origin) || !dependsOnOrigin(a, j.answers, j.plain) {
		return
	}
	j.varyDone = true
	j.add(IDMissingVary, SeverityMedium, a, a.get, fmt.Sprintf("The API echoes %s in Access-Control-Allow-Origin without Vary: Origin: a shared cache can serve one origin's answer to another (cache poisoning, or CORS failures for real users).", a.origin),
		"Add Vary: Origin to every response whose CORS headers depend on the Origin, including responses to refused origins and to requests without Origin.")
}

// dependsOnOrigin reports whether the Access-Control-Allow-Origin sent to a differs from the one sent
// to another origin or to no Origin: a fixed value needs no Vary.
func dependsOnOrigin(a answer, answers []answer, plain http.Header) bool {
	mine := a.get.Get(header.AccessControlAllowOrigin)
	if plain.Get(header.AccessControlAllowOrigin) != mine {
		return true
	}
	for _, b := range answers {
		if b.origin != a.origin && b.get.Get(header.AccessControlAllowOrigin) != mine {
			return true
		}
	}
	return false
}

var severityRank = map[string]int{SeverityCritical: 0, SeverityHigh: 1, SeverityMedium: 2, SeverityLow: 3, SeverityInfo: 4}

// sortFindings puts the most severe first; equal severities keep the battery's order.
func sortFindings(fs []Finding) {
	slices.SortStableFunc(fs, func(a, b Finding) int { return severityRank[a.Severity] - severityRank[b.Severity] })
}
