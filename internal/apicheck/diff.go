package main

import (
	"slices"
	"strings"
)

// A change is one difference between the recorded API and the current one.
type change struct {
	old, new string // the recorded feature, and the current one that replaced it ("" for a removal)
}

// comparison is the outcome of holding the current API of a package to its listing.
type comparison struct {
	breaks    []change // removed or changed features: incompatible
	additions []string // features the listing does not have: compatible
}

// compare holds current to recorded. Every recorded feature that current lacks is a break, except a method
// whose pointer receiver became a value one (the method set of *T keeps it; that of T gains it, an addition).
// A removed and an added feature with the same key (see featureKey) are reported together, as one change.
func compare(recorded, current []string) comparison {
	have := set(current)
	known := set(recorded)
	var removed, added []string
	for _, f := range recorded {
		if !have[f] && !have[valueReceiver(f)] {
			removed = append(removed, f)
		}
	}
	for _, f := range current {
		if !known[f] {
			added = append(added, f)
		}
	}
	slices.Sort(removed)
	slices.Sort(added)
	removed, added = slices.Compact(removed), slices.Compact(added)

	var c comparison
	for _, old := range removed {
		ch := change{old: old}
		if i := slices.IndexFunc(added, func(f string) bool { return featureKey(f) == featureKey(old) }); i >= 0 {
			ch.new = added[i]
			added = slices.Delete(added, i, i+1)
		}
		c.breaks = append(c.breaks, ch)
	}
	c.additions = added
	return c
}

// valueReceiver returns the feature "method (T) M..." for a feature "method (*T) M...", and "" for any other.
func valueReceiver(feature string) string {
	if pkg, rest, ok := strings.Cut(feature, ", method (*"); ok {
		return pkg + ", method (" + rest
	}
	return ""
}

// set returns the elements of list as a set.
func set(list []string) map[string]bool {
	s := make(map[string]bool, len(list))
	for _, e := range list {
		s[e] = true
	}
	return s
}
