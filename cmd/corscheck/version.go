package main

import (
	"runtime/debug"
	"sync"
)

// modulePath is the module corscheck belongs to: its version is corscheck's.
const modulePath = "github.com/crossorigin/cors"

// Versions that are not a module version.
const (
	develVersion   = "(devel)"   // built from source with no version known: how Go writes it
	unknownVersion = "(unknown)" // a binary that carries no build information
)

// version is corscheck's version, as Go stamped it in the binary: what -version prints after
// "corscheck", and every -json output's "corscheck_version".
var version = sync.OnceValue(func() string {
	info, _ := debug.ReadBuildInfo() // nil when the binary has no build information
	return moduleVersion(info)
})

// moduleVersion is the version of this module in info, as Go stamps it: "v1.0.0" for a binary built
// by go install github.com/crossorigin/cors/cmd/corscheck@v1.0.0; a pseudo-version for a build in a
// checkout with VCS information (v0.0.0-20261207031400-014ea05dc429, "+dirty" when the checkout has
// changes not committed); "(devel)" when Go knew no version. When corscheck is built as a dependency
// of another module (a tool of its go.mod), it is the version that module requires, or the one it
// replaces it with. Without build information, "(unknown)".
func moduleVersion(info *debug.BuildInfo) string {
	switch m := ownModule(info); {
	case m == nil:
		return unknownVersion
	case m.Replace != nil && m.Replace.Version == "": // replaced by a directory
		return develVersion
	case m.Replace != nil:
		return m.Replace.Version
	case m.Version == "":
		return develVersion
	default:
		return m.Version
	}
}

// ownModule is this module in info: the main module, or a dependency of another; nil if info has
// neither.
func ownModule(info *debug.BuildInfo) *debug.Module {
	if info == nil {
		return nil
	}
	if info.Main.Path == modulePath {
		return &info.Main
	}
	for _, d := range info.Deps {
		if d.Path == modulePath {
			return d
		}
	}
	return nil
}

// versionLine is what -version prints: "corscheck VERSION", then, when this module is the main
// module and Go stamped its VCS information, " (vcs.revision REVISION)", or
// " (vcs.revision REVISION, modified)" for a build with changes not committed:
//
//	corscheck v1.0.0
//	corscheck v0.0.0-20261207031400-014ea05dc429+dirty (vcs.revision 014ea05dc42920a0508b1f1cbb5a0d38ee32dc4a, modified)
//	corscheck (devel)
func versionLine(info *debug.BuildInfo) string {
	line := "corscheck " + moduleVersion(info)
	if info == nil || info.Main.Path != modulePath { // the VCS information is another module's
		return line
	}
	var revision, modified string
	for _, s := range info.Settings {
		switch s.Key {
		case "vcs.revision":
			revision = s.Value
		case "vcs.modified":
			modified = s.Value
		}
	}
	switch {
	case revision == "":
		return line
	case modified == "true":
		return line + " (vcs.revision " + revision + ", modified)"
	default:
		return line + " (vcs.revision " + revision + ")"
	}
}
