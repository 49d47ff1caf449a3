package main

import (
	"fmt"
	"strconv"
	"strings"
	"unicode/utf8"
)

// printable makes a string that may come from a server or the network (a header name or value, a
// Location, an error message quoting a certificate's names) safe to print on a terminal in the human
// output: C0 controls, DEL, the C1 controls U+0080–U+009F (U+009B is a CSI on many terminals), the
// bidirectional formatting characters (which reorder what is displayed, U+202E most of all) and the
// line and paragraph separators are written as Go escapes (\x1b, \u009b, \u202e), and each byte of
// invalid UTF-8 as \xNN (a lone 0x9B byte is a CSI too). Everything else, non-ASCII letters included,
// is kept. The JSON output needs none of this: encoding/json escapes what JSON must.
func printable(s string) string {
	i := 0
	for i < len(s) {
		r, size := utf8.DecodeRuneInString(s[i:])
		if unsafeRune(r, size) {
			break
		}
		i += size
	}
	if i == len(s) {
		return s
	}
	var b strings.Builder
	b.Grow(len(s) + 16)
	b.WriteString(s[:i])
	for i < len(s) {
		r, size := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == utf8.RuneError && size == 1:
			fmt.Fprintf(&b, `\x%02x`, s[i])
		case unsafeRune(r, size):
			q := strconv.QuoteRuneToASCII(r)
			b.WriteString(q[1 : len(q)-1])
		default:
			b.WriteString(s[i : i+size])
		}
		i += size
	}
	return b.String()
}

// unsafeRune reports whether the rune (of size bytes) must not reach a terminal as it is.
func unsafeRune(r rune, size int) bool {
	switch {
	case r == utf8.RuneError && size == 1: // invalid UTF-8
		return true
	case r < 0x20, r == 0x7F, 0x80 <= r && r <= 0x9F: // C0, DEL, C1
		return true
	case r == 0x061C, r == 0x200E, r == 0x200F: // ALM, LRM, RLM
		return true
	case 0x202A <= r && r <= 0x202E, 0x2066 <= r && r <= 0x2069: // embeddings, overrides, isolates
		return true
	case r == 0x2028, r == 0x2029: // line and paragraph separators
		return true
	}
	return false
}
