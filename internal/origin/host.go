package origin

import (
	"net/netip"
	"strconv"
	"strings"
)

// DefaultPort is the URL standard's https://url.spec.whatwg.org/#default-port of a special scheme, else
// -1: the port a serialized origin omits.
func DefaultPort(scheme string) int {
	switch scheme {
	case "http", "ws":
		return 80
	case "https", "wss":
		return 443
	case "ftp":
		return 21
	}
	return -1
}

// ParseIPv6 parses a bracketed IPv6 literal without zone.
func ParseIPv6(bracketed string) (netip.Addr, bool) {
	if len(bracketed) < 2 || bracketed[0] != '[' || bracketed[len(bracketed)-1] != ']' {
		return netip.Addr{}, false
	}
	ip, err := netip.ParseAddr(bracketed[1 : len(bracketed)-1])
	return ip, err == nil && ip.Is6() && ip.Zone() == ""
}

// SerializeIPv6 writes ip as the URL standard's https://url.spec.whatwg.org/#concept-ipv6-serializer
// does, in brackets as a host: eight lower-case hex pieces without leading zeros, the first longest run
// of two or more zero pieces compressed to "::". Unlike netip's String, it never writes an embedded
// dotted quad.
func SerializeIPv6(ip netip.Addr) string {
	b := ip.As16()
	var pieces [8]uint16
	for i := range pieces {
		pieces[i] = uint16(b[2*i])<<8 | uint16(b[2*i+1])
	}
	runStart, runLen := longestZeroRun(pieces)
	var sb strings.Builder
	sb.WriteByte('[')
	for i := 0; i < 8; i++ {
		if i == runStart {
			sb.WriteString("::")
			i += runLen - 1
			continue
		}
		if i > 0 && i != runStart+runLen {
			sb.WriteByte(':')
		}
		sb.WriteString(strconv.FormatUint(uint64(pieces[i]), 16))
	}
	sb.WriteByte(']')
	return sb.String()
}

// longestZeroRun returns where the first longest run of two or more zero pieces starts, and its length;
// start is -1 when there is none.
func longestZeroRun(pieces [8]uint16) (start, length int) {
	start, length = -1, 1
	for i := 0; i < 8; {
		if pieces[i] != 0 {
			i++
			continue
		}
		j := i
		for j < 8 && pieces[j] == 0 {
			j++
		}
		if j-i > length {
			start, length = i, j-i
		}
		i = j
	}
	return start, length
}

// IsLoopback reports whether a canonical host is a loopback host: "localhost" and its subdomains (RFC
// 6761 §6.3; browsers resolve them to loopback themselves), 127.0.0.0/8 or [::1]. Plain http from such a
// host cannot be tampered with on the network.
func IsLoopback(host string) bool {
	if host == "localhost" || strings.HasSuffix(host, ".localhost") {
		return true
	}
	if ip, ok := ParseIPv6(host); ok {
		return ip == netip.IPv6Loopback() // not ::ffff:127.0.0.1, which browsers do not treat as loopback
	}
	ip, err := netip.ParseAddr(host)
	return err == nil && ip.Is4() && ip.IsLoopback()
}

func isIPv4(host string) bool {
	ip, err := netip.ParseAddr(host)
	return err == nil && ip.Is4()
}
