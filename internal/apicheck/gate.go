package main

import (
	"errors"
	"fmt"
	"go/types"
	"io"
	"path/filepath"
	"strings"
)

// gate is one run of the check or of the update, over every guarded package.
type gate struct {
	o      options
	out    io.Writer
	module string           // the module's path, for the name of its next major version
	pkgs   []*types.Package // the guarded packages, in the order of o.packages
}

// newGate loads the guarded packages and makes sure that they are the module's public API, listing for
// listing: no public package unguarded, no listing left for a package no longer guarded.
func newGate(o options, out io.Writer) (*gate, error) {
	module, public, err := publicPackages(o.root)
	if err != nil {
		return nil, err
	}
	pkgs, err := loadPackages(o.root, o.packages)
	if err != nil {
		return nil, err
	}
	g := &gate{o: o, out: out, module: module, pkgs: pkgs}
	return g, g.coverage(public)
}

// coverage fails if a public package is not guarded, two guarded packages would share a listing, or the
// listing directory holds the listing of a package that is not guarded.
func (g *gate) coverage(public []string) error {
	owner := map[string]string{} // listing file name → guarded package
	for _, p := range g.pkgs {
		n := listingName(p.Path())
		if other, dup := owner[n]; dup {
			return fmt.Errorf("%s and %s would share the listing %s", other, p.Path(), g.listing(p))
		}
		owner[n] = p.Path()
	}
	for _, p := range public {
		if owner[listingName(p)] != p {
			rel := "." + strings.TrimPrefix(p, g.module)
			return fmt.Errorf("%s is public (other modules can import it) but not guarded: add %s to API_PACKAGES "+
				"in the Makefile, run make api-update and commit %s", p, rel, filepath.Join(g.o.dir, listingName(p)))
		}
	}
	files, err := filepath.Glob(filepath.Join(g.o.root, g.o.dir, "*.txt"))
	if err != nil {
		return err
	}
	for _, f := range files {
		if _, ok := owner[filepath.Base(f)]; !ok {
			return fmt.Errorf("%s is the listing of no guarded package: guard its package again or, if the package "+
				"is gone, delete the listing (removing a package needs a new major version)", filepath.Join(g.o.dir, filepath.Base(f)))
		}
	}
	return nil
}

// listing is the path of p's listing, relative to the root.
func (g *gate) listing(p *types.Package) string {
	return filepath.Join(g.o.dir, listingName(p.Path()))
}

// run checks or updates every guarded package and returns the exit status.
func (g *gate) run() int {
	if g.o.update {
		return g.update()
	}
	status := exitOK
	for _, p := range g.pkgs {
		recorded, err := readListing(g.o.root, g.listing(p), p.Path())
		if err != nil {
			fmt.Fprintln(g.out, "api:", err)
			status = max(status, exitError)
			continue
		}
		c := compare(recorded, features(p))
		g.reportAdditions(p, c.additions, "compatible: recorded when the next release is cut, by make api-update")
		if len(c.breaks) > 0 {
			g.reportBreaks(p, c.breaks)
			status = max(status, exitBreaking)
			continue
		}
		fmt.Fprintf(g.out, "api: %s: no incompatible change against %s (%d features)\n", p.Path(), g.listing(p), len(recorded))
	}
	if status == exitBreaking {
		g.howToProceed()
	}
	return status
}

// update records the current API of every guarded package, creating the listings that do not exist. If a
// package has an incompatible change and -allow-breaking is not given, it records nothing.
func (g *gate) update() int {
	current := make([][]string, len(g.pkgs))
	recorded := make([][]string, len(g.pkgs))
	refused := false
	for i, p := range g.pkgs {
		if current[i] = features(p); len(current[i]) == 0 {
			fmt.Fprintf(g.out, "api: %s has no exported API to record\n", p.Path())
			return exitError
		}
		var err error
		recorded[i], err = readListing(g.o.root, g.listing(p), p.Path())
		if err != nil && !errors.Is(err, errNoListing) && !g.o.allowBreaking {
			fmt.Fprintln(g.out, "api:", err)
			return exitError
		}
		if c := compare(recorded[i], current[i]); len(c.breaks) > 0 && !g.o.allowBreaking {
			g.reportBreaks(p, c.breaks)
			refused = true
		}
	}
	if refused {
		fmt.Fprintln(g.out, "api: nothing recorded. Undo the changes above or, for a new major version only, run make api-update API_FLAGS=-allow-breaking")
		return exitBreaking
	}
	for i, p := range g.pkgs {
		c := compare(recorded[i], current[i])
		if err := writeListing(g.o.root, g.listing(p), p.Path(), current[i]); err != nil {
			fmt.Fprintln(g.out, "api:", err)
			return exitError
		}
		if recorded[i] == nil {
			fmt.Fprintf(g.out, "api: %s: recorded %d features in %s, a new listing\n", p.Path(), len(current[i]), g.listing(p))
			continue
		}
		if len(c.additions) == 0 && len(c.breaks) == 0 {
			fmt.Fprintf(g.out, "api: %s: %s unchanged (%d features)\n", p.Path(), g.listing(p), len(current[i]))
			continue
		}
		g.reportAdditions(p, c.additions, "recorded")
		fmt.Fprintf(g.out, "api: %s: recorded %d features in %s (%d added, %d removed or changed)\n",
			p.Path(), len(current[i]), g.listing(p), len(c.additions), len(c.breaks))
	}
	return exitOK
}
