package cors

// Exported for the tests of package cors_test, which hold the reference implementations.

// ParseOrigin is parseOrigin.
func ParseOrigin(s string) (tupleOrigin, bool) { return parseOrigin(s) }

// MaxOriginLen is maxOriginLen.
const MaxOriginLen = maxOriginLen
