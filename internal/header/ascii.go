package header

// Fetch compares header names and methods "byte-case-insensitively"
// (https://infra.spec.whatwg.org/#byte-case-insensitive): only ASCII letters fold. strings.EqualFold and
// strings.ToLower fold Unicode too (the Kelvin sign K is "k" to them), which would let a non-ASCII byte
// sequence pass for a name it is not.

// EqualFold reports whether a and b are equal under ASCII case folding.
func EqualFold(a, b string) bool {
	if len(a) != len(b) {
		return false
	}
	for i := 0; i < len(a); i++ {
		if LowerByte(a[i]) != LowerByte(b[i]) {
			return false
		}
	}
	return true
}

// Lower byte-lowercases s, allocating only when s has an upper-case ASCII letter.
func Lower(s string) string {
	for i := 0; i < len(s); i++ {
		if 'A' <= s[i] && s[i] <= 'Z' {
			b := []byte(s)
			for j := i; j < len(b); j++ {
				b[j] = LowerByte(b[j])
			}
			return string(b)
		}
	}
	return s
}

// IsLower reports whether s has no upper-case ASCII letter.
func IsLower(s string) bool {
	for i := 0; i < len(s); i++ {
		if 'A' <= s[i] && s[i] <= 'Z' {
			return false
		}
	}
	return true
}

// LowerByte lower-cases an ASCII letter and returns any other byte as is.
func LowerByte(c byte) byte {
	if 'A' <= c && c <= 'Z' {
		return c + 'a' - 'A'
	}
	return c
}
