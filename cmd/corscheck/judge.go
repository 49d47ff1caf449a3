package main

import (
	"fmt"
	"net/http"
	"slices"
)

// judge turns the answers into findings.
func judge(answers []answer, plain http.Header, trusted string) []finding {
	out := []finding{}
	add := func(id, sev string, a answer, h http.Header, msg, fix string) {
		out = append(out, finding{ID: id, Severity: sev, Origin: a.origin, Evidence: evidence(h), Message: msg, Fix: fix})
	}
	pick := func(a answer) (http.Header, bool, bool) {
		if ok, c := allows(a.get, a.origin); ok {
			return a.get, true, c
		}
		if ok, c := allows(a.pre, a.origin); ok {
			return a.pre, true, c
		}
		return nil, false, false
	}
	anyOrigin := false
	for _, a := range answers {
		if a.kind != probeUnrelated {
			continue
		}
		if h, ok, creds := pick(a); ok {
			anyOrigin = true
			sev, with := sevLow, "without credentials, so its responses are as public as with \"*\""
			if creds {
				sev, with = sevCritical, "with credentials: any website can read this API with its visitors' cookies"
			}
			add(idReflectsAny, sev, a, h, fmt.Sprintf("The unrelated origin %s is allowed, %s.", a.origin, with),
				"Allow a fixed list of origins (AllowedOrigins) instead of echoing the Origin header; never echo it with credentials.")
		}
	}
	var wildcardDone, varyDone bool
	for _, a := range answers {
		h, ok, creds := pick(a)
		switch a.kind {
		case probeNull:
			if ok {
				sev, with := sevLow, "without credentials"
				if creds {
					sev, with = sevCritical, "with credentials: any site can send Origin: null from a sandboxed iframe and read this API with its visitors' cookies"
				}
				add(idAllowsNull, sev, a, h, fmt.Sprintf("The origin null is allowed, %s.", with),
					"Never allow null: sandboxed iframes, data: URLs, file: pages and cross-origin redirects all send it, and any site can produce one.")
			}
		case probeLookalike:
			if ok && !anyOrigin {
				sev, with := sevMedium, "without credentials"
				if creds {
					sev, with = sevCritical, "with credentials: whoever registers it reads this API with your users' cookies"
				}
				add(idLookalike, sev, a, h, fmt.Sprintf("%s, %s, is allowed, %s.", a.origin, a.what, with),
					"The origin check matches a prefix, a suffix or a substring, or parses the origin leniently: compare the whole serialized origin byte for byte, or use a subdomain pattern anchored at a dot (https://*.example.com).")
			}
		case probeInsecure:
			if ok && creds && !anyOrigin {
				add(idInsecureOrigin, sevHigh, a, h, fmt.Sprintf("%s, %s, is allowed with credentials: anyone on the network path of that plain-http page (public Wi-Fi, a hostile router) can inject script into it and read this API with your users' cookies.", a.origin, a.what),
					"Allow only https origins together with credentials.")
			}
		case probeSubdomain:
			if ok && creds && !anyOrigin {
				add(idAnySubdomain, sevMedium, a, h, fmt.Sprintf("%s, %s, is allowed with credentials: one vulnerable or taken-over subdomain exposes this API.", a.origin, a.what),
					"List the subdomains that need access instead of trusting them all, or make sure every subdomain is as trustworthy as the API.")
			}
		case probeTrusted:
			if a.preOK < 200 || a.preOK > 299 || a.pre.Get("Access-Control-Allow-Origin") == "" {
				what := fmt.Sprintf("status %d", a.preOK)
				if a.pre.Get("Access-Control-Allow-Origin") == "" {
					what += " and no Access-Control-Allow-Origin"
				}
				add(idPreflightNotAns, sevInfo, a, a.pre, fmt.Sprintf("A preflight from the trusted origin %s (OPTIONS with Access-Control-Request-Method: GET) got %s: every call from it that needs a preflight (PUT, DELETE, a JSON body, Authorization) will fail.", a.origin, what),
					"Route OPTIONS to the CORS middleware: wrap the whole router with it, before authentication.")
			}
		}
		for _, r := range []http.Header{a.get, a.pre} {
			if !wildcardDone && r.Get("Access-Control-Allow-Origin") == "*" && r.Get("Access-Control-Allow-Credentials") == "true" {
				wildcardDone = true
				add(idWildcardCreds, sevMedium, a, r, "The API answers Access-Control-Allow-Origin: * together with Access-Control-Allow-Credentials: true. Browsers refuse this combination, so credentialed calls fail: something is misconfigured.",
					"Either name the allowed origins (AllowedOrigins with AllowCredentials), or drop Access-Control-Allow-Credentials and keep \"*\" for public data.")
			}
		}
		if ok, _ := allows(a.get, a.origin); ok && !varyDone && a.origin != "*" && !varies(a.get, "Origin") && dependsOnOrigin(a, answers, plain) {
			varyDone = true
			add(idMissingVary, sevMedium, a, a.get, fmt.Sprintf("The API echoes %s in Access-Control-Allow-Origin without Vary: Origin: a shared cache can serve one origin's answer to another (cache poisoning, or CORS failures for real users).", a.origin),
				"Add Vary: Origin to every response whose CORS headers depend on the Origin, including responses to refused origins and to requests without Origin.")
		}
	}
	sortFindings(out)
	return out
}

// dependsOnOrigin reports whether the Access-Control-Allow-Origin sent to a differs from the one sent
// to another origin or to no Origin: a fixed value needs no Vary.
func dependsOnOrigin(a answer, answers []answer, plain http.Header) bool {
	mine := a.get.Get("Access-Control-Allow-Origin")
	if plain.Get("Access-Control-Allow-Origin") != mine {
		return true
	}
	for _, b := range answers {
		if b.origin != a.origin && b.get.Get("Access-Control-Allow-Origin") != mine {
			return true
		}
	}
	return false
}

var severityRank = map[string]int{sevCritical: 0, sevHigh: 1, sevMedium: 2, sevLow: 3, sevInfo: 4}

// sortFindings puts the most severe first; equal severities keep the battery's order.
func sortFindings(fs []finding) {
	slices.SortStableFunc(fs, func(a, b finding) int { return severityRank[a.Severity] - severityRank[b.Severity] })
}
