package main

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"strings"
)

// listingHeader opens every listing file; lines starting with # are comments.
const listingHeader = `# The exported API of %s, one feature per line.
# It is the API of the last release (before v1.0.0: the API proposed for it). make api fails if the code
# lacks a line; make api-update rewrites this file. See docs/development.md, "API compatibility".
`

// listingName is the file, in the listing directory, that holds the listing of the package at importPath:
// its last path element and .txt (api/cors.txt, api/corstest.txt).
func listingName(importPath string) string {
	return path.Base(importPath) + ".txt"
}

// errNoListing is the error of reading a listing that does not exist.
var errNoListing = errors.New("no listing")

// readListing reads the recorded features of the package at importPath from rel, a file under root. A missing
// file, one with no feature, and a line that is not a feature of that package are errors: a gate with nothing
// to compare with must not pass.
func readListing(root, rel, importPath string) ([]string, error) {
	data, err := os.ReadFile(filepath.Join(root, rel))
	if errors.Is(err, fs.ErrNotExist) {
		return nil, fmt.Errorf("%s: %w, so nothing to hold %s to: record it with make api-update, and commit it", rel, errNoListing, importPath)
	} else if err != nil {
		return nil, err
	}
	prefix := "pkg " + importPath + ", "
	var lines []string
	for n, line := range strings.Split(string(data), "\n") {
		line = strings.TrimSpace(line)
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		if !strings.HasPrefix(line, prefix) {
			return nil, fmt.Errorf("%s:%d: not a feature of %s: %q", rel, n+1, importPath, line)
		}
		lines = append(lines, line)
	}
	if len(lines) == 0 {
		return nil, fmt.Errorf("%s: the listing of %s records no feature: restore it with git, or record it with make api-update", rel, importPath)
	}
	return lines, nil
}

// writeListing writes the features of the package at importPath to rel, a file under root, after the header.
func writeListing(root, rel, importPath string, features []string) error {
	var b strings.Builder
	fmt.Fprintf(&b, listingHeader, importPath)
	for _, f := range features {
		b.WriteString(f + "\n")
	}
	file := filepath.Join(root, rel)
	if err := os.MkdirAll(filepath.Dir(file), 0o755); err != nil {
		return err
	}
	return os.WriteFile(file, []byte(b.String()), 0o644)
}

// featureKey is what identifies a feature apart from its details: the kind and name of what it declares
// ("func New", "method Cors.Apply", "type Options struct, MaxAge"). A removed and an added feature with one
// key are reported as one change. It only groups the report: every removed feature is a break, keyed or not.
func featureKey(feature string) string {
	_, f, _ := strings.Cut(feature, ", ") // after "pkg P, "
	word, rest, _ := strings.Cut(f, " ")
	switch word {
	case "method": // method (*T) M(...)
		recv, m, _ := strings.Cut(rest, ") ")
		return "method " + strings.TrimPrefix(strings.TrimPrefix(recv, "("), "*") + "." + name(m)
	case "type":
		n := name(rest)
		after := strings.TrimPrefix(rest, n)
		after = after[len(bracketed(after)):]
		for _, kind := range []string{" struct, ", " interface, "} {
			if sub, ok := strings.CutPrefix(after, kind); ok {
				if strings.HasPrefix(sub, "embedded ") || strings.HasPrefix(sub, "type set ") {
					return "type " + n + kind + sub // the type is the name
				}
				if s, ok := strings.CutPrefix(sub, "promoted "); ok {
					return "type " + n + kind + "promoted " + name(s)
				}
				return "type " + n + kind + name(sub)
			}
		}
		return "type " + n
	default: // const, var, func
		return word + " " + name(rest)
	}
}

// name returns the identifier s starts with.
func name(s string) string {
	if i := strings.IndexAny(s, " ([.=,"); i >= 0 {
		return s[:i]
	}
	return s
}

// bracketed returns the type parameter list s starts with, "[K comparable, V any]", or "".
func bracketed(s string) string {
	if !strings.HasPrefix(s, "[") {
		return ""
	}
	depth := 0
	for i, c := range s {
		switch c {
		case '[':
			depth++
		case ']':
			if depth--; depth == 0 {
				return s[:i+1]
			}
		}
	}
	return s
}
