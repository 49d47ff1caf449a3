// Command apicheck is the API gate of github.com/crossorigin/cors: it holds the exported API of each guarded
// package to the listing committed in the repository's api/ directory, and fails, naming each change and what
// to do, if the code has lost or changed anything the listing records. Additions pass and are listed. Run
// from this directory (make api, make api-update):
//
//	go run . -root ../.. . [./corstest ...]          check
//	go run . -root ../.. -update . [./corstest ...]  record the current API (refuses a break)
//
// The arguments are the guarded packages, relative to -root; each has one listing, api/<last element>.txt.
// Every public package of the module must be guarded, and every listing must belong to a guarded package.
// It is its own module, with nothing but the standard library, so that the library's go.mod never sees it.
package main

import (
	"flag"
	"fmt"
	"io"
	"os"
)

func main() {
	os.Exit(run(os.Args[1:], os.Stdout, os.Stderr))
}

// options are apicheck's command-line flags and arguments.
type options struct {
	root          string   // the module's directory
	dir           string   // the listings' directory, relative to root
	update        bool     // record the current API instead of checking it
	allowBreaking bool     // with update: record even an incompatible change
	packages      []string // the guarded packages, as patterns relative to root
}

// Exit statuses.
const (
	exitOK       = 0
	exitBreaking = 1 // an incompatible change
	exitError    = 2 // the gate could not check: usage, a missing or empty listing, an unguarded package
)

// run is the command with its arguments and outputs, and returns its exit status.
func run(args []string, stdout, stderr io.Writer) int {
	fl := flag.NewFlagSet("apicheck", flag.ContinueOnError)
	fl.SetOutput(stderr)
	var o options
	fl.StringVar(&o.root, "root", ".", "the module's directory")
	fl.StringVar(&o.dir, "dir", "api", "the listings' directory, relative to -root")
	fl.BoolVar(&o.update, "update", false, "record the current API in the listings instead of checking it")
	fl.BoolVar(&o.allowBreaking, "allow-breaking", false, "with -update, record an incompatible change too (a new major version)")
	if err := fl.Parse(args); err != nil {
		return exitError
	}
	o.packages = fl.Args()
	if len(o.packages) == 0 {
		fmt.Fprintln(stderr, "apicheck: name the guarded packages, relative to -root: . ./corstest")
		return exitError
	}
	g, err := newGate(o, stdout)
	if err != nil {
		fmt.Fprintln(stderr, "api:", err)
		return exitError
	}
	return g.run()
}
