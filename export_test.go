package cors

import "github.com/crossorigin/cors/internal/match"

// Exported for the tests of package cors_test, which hold the reference implementations.

// ParseOrigin is parseOrigin.
func ParseOrigin(s string) (match.Origin, bool) { return parseOrigin(s) }

// MaxOriginLen is maxOriginLen.
const MaxOriginLen = maxOriginLen
