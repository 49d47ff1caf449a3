package main

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"go/importer"
	"go/token"
	"go/types"
	"io"
	"os"
	"os/exec"
	"slices"
	"strings"
)

// goEnv is the environment every go command of the gate runs with, so that a listing depends on nothing of
// the machine: one platform (the API of a package could differ by GOOS; this library's does not, and the
// gate would not see it), no cgo, no GOFLAGS (build tags) and no go.work from the user.
var goEnv = []string{"GOOS=linux", "GOARCH=amd64", "CGO_ENABLED=0", "GOFLAGS=", "GOWORK=off"}

// goPackage is the part of `go list -json` the gate reads.
type goPackage struct {
	ImportPath string
	Name       string
	Export     string   // the compiler's export data file, with -export
	Match      []string // the command-line patterns that named it
	GoFiles    []string
	Module     *struct{ Path string }
}

// goList runs `go list -json` with args in dir and decodes its packages.
func goList(dir string, args ...string) ([]goPackage, error) {
	cmd := exec.Command("go", append([]string{"list", "-json=ImportPath,Name,Export,Match,GoFiles,Module"}, args...)...)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), goEnv...)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		return nil, fmt.Errorf("go list %s (in %s): %v\n%s", strings.Join(args, " "), dir, err, stderr.String())
	}
	var pkgs []goPackage
	for dec := json.NewDecoder(&stdout); ; {
		var p goPackage
		if err := dec.Decode(&p); errors.Is(err, io.EOF) {
			return pkgs, nil
		} else if err != nil {
			return nil, fmt.Errorf("go list %s: %v", strings.Join(args, " "), err)
		}
		pkgs = append(pkgs, p)
	}
}

// loadPackages type-checks the packages that patterns name in the module at root, from the export data the
// compiler writes (`go list -export`, read by go/importer): what a user's build of the package sees. Each
// pattern must name exactly one package; the result is in the order of patterns.
func loadPackages(root string, patterns []string) ([]*types.Package, error) {
	for _, p := range patterns {
		if strings.Contains(p, "...") {
			return nil, fmt.Errorf("%q: name each guarded package, not a pattern", p)
		}
	}
	listed, err := goList(root, append([]string{"-deps", "-export"}, patterns...)...)
	if err != nil {
		return nil, err
	}
	exports := map[string]string{}
	for _, p := range listed {
		exports[p.ImportPath] = p.Export
	}
	imp := importer.ForCompiler(token.NewFileSet(), "gc", func(path string) (io.ReadCloser, error) {
		if exports[path] == "" {
			return nil, fmt.Errorf("no export data for %s", path)
		}
		return os.Open(exports[path])
	})
	pkgs := make([]*types.Package, len(patterns))
	for i, pattern := range patterns {
		idx := slices.IndexFunc(listed, func(p goPackage) bool { return slices.Contains(p.Match, pattern) })
		if idx < 0 {
			return nil, fmt.Errorf("%q names no package", pattern)
		}
		if pkgs[i], err = imp.Import(listed[idx].ImportPath); err != nil {
			return nil, fmt.Errorf("reading the export data of %s: %v", listed[idx].ImportPath, err)
		}
	}
	return pkgs, nil
}

// publicPackages returns the path of the module at root and the import paths of its packages that other
// modules can import: every package but commands, those under an internal directory and those with only test
// files.
func publicPackages(root string) (module string, public []string, err error) {
	listed, err := goList(root, "./...")
	if err != nil {
		return "", nil, err
	}
	for _, p := range listed {
		if p.Module != nil {
			module = p.Module.Path
		}
		if p.Name != "main" && len(p.GoFiles) > 0 && !slices.Contains(strings.Split(p.ImportPath, "/"), "internal") {
			public = append(public, p.ImportPath)
		}
	}
	return module, public, nil
}
