package main

import (
	"math"
	"strconv"
	"strings"
)

// FormatSample renders "12.3 ns · 48 B · 1".
func FormatSample(s Sample) string {
	return FormatNs(s.NsPerOp) + " ns · " + thousands(s.BytesPerOp) + " B · " + thousands(s.AllocsPerOp)
}

// FormatNs keeps three significant digits below 100 ns.
func FormatNs(ns float64) string {
	switch {
	case ns < 10:
		return strconv.FormatFloat(ns, 'f', 2, 64)
	case ns < 100:
		return strconv.FormatFloat(ns, 'f', 1, 64)
	}
	return thousands(ns)
}

// thousands rounds v to a whole number and groups its digits in threes:
// "10,300,457".
func thousands(v float64) string {
	s := strconv.FormatFloat(math.Round(v), 'f', 0, 64)
	var b strings.Builder
	for i, c := range s {
		if i > 0 && (len(s)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(c)
	}
	return b.String()
}

// percent renders a fraction as a percentage with one decimal: "1.5%".
func percent(f float64) string {
	return strconv.FormatFloat(f*100, 'f', 1, 64) + "%"
}

// signedPercent is percent with a "+" on increases.
func signedPercent(f float64) string {
	if f > 0 {
		return "+" + percent(f)
	}
	return percent(f)
}

// mark is ✓ for a target met and ✗ for one missed.
func mark(ok bool) string {
	if ok {
		return "✓"
	}
	return "✗"
}

// list is the items that missed a target, as " (a; b)", or "" for none.
func list(items []string) string {
	if len(items) == 0 {
		return ""
	}
	return " (" + strings.Join(items, "; ") + ")"
}
