package main

import (
	"encoding/json"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"runtime/debug"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// vcs are the settings Go stamps for a build in a git checkout.
func vcs(revision string, modified bool) []debug.BuildSetting {
	return []debug.BuildSetting{
		{Key: "-buildmode", Value: "exe"},
		{Key: "vcs", Value: "git"},
		{Key: "vcs.revision", Value: revision},
		{Key: "vcs.time", Value: "2026-12-07T03:14:00Z"},
		{Key: "vcs.modified", Value: strconv.FormatBool(modified)},
	}
}

const revision = "014ea05dc42920a0508b1f1cbb5a0d38ee32dc4a"

func TestVersionIsTheModuleVersionGoStamped(t *testing.T) {
	own := func(version string) debug.Module { return debug.Module{Path: modulePath, Version: version} }
	app := debug.Module{Path: "example.com/app", Version: "(devel)"}
	tests := []struct {
		name string
		info *debug.BuildInfo
		want string
	}{
		{"go install …@v1.0.0: the release, no VCS information",
			&debug.BuildInfo{Main: own("v1.0.0")},
			"corscheck v1.0.0"},
		{"go build in a checkout with changes not committed: a +dirty pseudo-version and the revision",
			&debug.BuildInfo{Main: own("v0.0.0-20261207031400-014ea05dc429+dirty"), Settings: vcs(revision, true)},
			"corscheck v0.0.0-20261207031400-014ea05dc429+dirty (vcs.revision " + revision + ", modified)"},
		{"go build in a clean checkout: the pseudo-version and the revision",
			&debug.BuildInfo{Main: own("v1.0.1-0.20261207031400-014ea05dc429"), Settings: vcs(revision, false)},
			"corscheck v1.0.1-0.20261207031400-014ea05dc429 (vcs.revision " + revision + ")"},
		{"a build with no VCS information: (devel)",
			&debug.BuildInfo{Main: own("(devel)"), Settings: []debug.BuildSetting{{Key: "-buildmode", Value: "exe"}}},
			"corscheck (devel)"},
		{"a main module without a version: (devel)",
			&debug.BuildInfo{Main: own("")},
			"corscheck (devel)"},
		{"no build information at all",
			nil,
			"corscheck (unknown)"},
		{"a tool of another module: the version it requires, not that module's revision",
			&debug.BuildInfo{Main: app, Deps: []*debug.Module{{Path: modulePath, Version: "v1.2.0"}}, Settings: vcs(revision, false)},
			"corscheck v1.2.0"},
		{"a tool of another module that replaces it with another version",
			&debug.BuildInfo{Main: app, Deps: []*debug.Module{{Path: modulePath, Version: "v1.2.0", Replace: &debug.Module{Path: "example.com/fork", Version: "v1.2.1"}}}},
			"corscheck v1.2.1"},
		{"a tool of another module that replaces it with a directory",
			&debug.BuildInfo{Main: app, Deps: []*debug.Module{{Path: modulePath, Version: "v1.2.0", Replace: &debug.Module{Path: "../cors"}}}},
			"corscheck (devel)"},
		{"a binary that does not hold this module",
			&debug.BuildInfo{Main: app},
			"corscheck (unknown)"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			assert.Equal(t, tt.want, versionLine(tt.info))
			word, _, _ := strings.Cut(strings.TrimPrefix(tt.want, "corscheck "), " ")
			assert.Equal(t, word, moduleVersion(tt.info), "the JSON outputs' corscheck_version is the word after corscheck")
		})
	}
}

func TestVersionFlagPrintsOneLineAndExitsZero(t *testing.T) {
	code, out, errOut := run(t, "-version")
	assert.Equal(t, exitOK, code)
	assert.Empty(t, errOut)
	info, _ := debug.ReadBuildInfo()
	assert.Equal(t, versionLine(info)+"\n", out)
	assert.Equal(t, "corscheck (devel)\n", out, "a test binary has no version")
}

func TestVersionFlagWithAnythingElseIsAUsageError(t *testing.T) {
	for _, tt := range []struct {
		args   []string
		remove string
	}{
		{[]string{"-version", "-json"}, "remove -json"},
		{[]string{"-version", "https://api.example.com"}, "remove https://api.example.com"},
		{[]string{"-origin", app, "-version", "https://api.example.com"}, "remove -origin, https://api.example.com"},
		{[]string{"-version", "-calls", "calls.json", "-config", "cors.json"}, "remove -calls, -config"},
		{[]string{"-version", "-timeout", "0s"}, "remove -timeout"},
	} {
		t.Run(strings.Join(tt.args, " "), func(t *testing.T) {
			code, out, errOut := run(t, tt.args...)
			assert.Equal(t, exitTrouble, code)
			assert.Empty(t, out)
			assert.Contains(t, errOut, "corscheck: -version prints the version and nothing else: "+tt.remove+"\n")
			assert.Contains(t, errOut, "run corscheck -h for the usage")
		})
	}
}

func TestEveryJSONOutputCarriesTheVersion(t *testing.T) {
	dir := t.TempDir()
	policy := filepath.Join(dir, "cors.json")
	require.NoError(t, os.WriteFile(policy, []byte(`{"allowed_origins": ["`+app+`"]}`), 0o600))
	calls := writeCalls(t, oneCall(`"name": "the app reads", "origin": "`+app+`", "url": "/", "expect": "allowed"`))
	server := serve(t, originCheck(exactly(app), answer{}))
	for name, args := range map[string][]string{
		"explain": {"-json", "-config", policy, "-origin", app},
		"scan":    {"-json", "-scan", "-origin", app, server},
		"calls":   {"-json", "-calls", calls, "-config", policy},
	} {
		t.Run(name, func(t *testing.T) {
			code, out, errOut := run(t, args...)
			require.NotEqual(t, exitTrouble, code, errOut)
			var fields map[string]any
			require.NoError(t, json.Unmarshal([]byte(out), &fields))
			assert.Equal(t, version(), fields["corscheck_version"])
			assert.Equal(t, "(devel)", fields["corscheck_version"], "a test binary has no version")
		})
	}
}

// stampedVersion matches the -version line of a binary Go stamped with VCS information: the version
// (the pseudo-version's revision part captured) and the whole revision.
var stampedVersion = regexp.MustCompile(`^corscheck (v[0-9]+\.[0-9]+\.[0-9]+\S*?(?:-[0-9]{14}-([0-9a-f]{12}))?(\+dirty)?) \(vcs\.revision ([0-9a-f]{40})(, modified)?\)$`)

// TestBuiltBinaryPrintsTheVersionGoStamped builds the command from this checkout as a user would, with
// go build -o, and runs -version. What Go stamps depends on where the build runs, as cmd/go decides
// it (go help buildvcs):
//   - in a git checkout (Go finds a .git directory at or above the module root), with git on the PATH
//     and without -buildvcs=false: since Go 1.24, a pseudo-version (or the tag, at a tagged commit),
//     "+dirty" and ", modified" when the checkout has changes not committed, and the revision of HEAD;
//   - with -buildvcs=false (in GOFLAGS or go env), outside git, or in a linked git worktree outside any
//     checkout (its .git is a file, which cmd/go does not take for a repository: golang/go#58218):
//     "corscheck (devel)", without a revision.
func TestBuiltBinaryPrintsTheVersionGoStamped(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the command")
	}
	goTool, err := exec.LookPath("go")
	if err != nil {
		t.Skip("no go command on the PATH")
	}
	bin := filepath.Join(t.TempDir(), "corscheck")
	build := exec.Command(goTool, "build", "-o", bin, ".")
	out, err := build.CombinedOutput()
	require.NoError(t, err, "go build: %s", out)
	out, err = exec.Command(bin, "-version").Output()
	require.NoError(t, err)
	line := strings.TrimSuffix(string(out), "\n")
	t.Logf("%s", line)

	repo := gitRoot(t)
	if repo == "" || buildVCSOff(t, goTool) {
		assert.Equal(t, "corscheck (devel)", line, "no VCS information: the repository %q", repo)
		return
	}
	m := stampedVersion.FindStringSubmatch(line)
	require.NotNil(t, m, "a build in the git checkout %s is stamped with a version and a revision: %q", repo, line)
	head, err := exec.Command("git", "-C", repo, "rev-parse", "HEAD").Output()
	require.NoError(t, err)
	assert.Equal(t, strings.TrimSpace(string(head)), m[4], "the revision is HEAD's")
	if m[2] != "" {
		assert.Equal(t, m[4][:12], m[2], "the pseudo-version names the revision")
	}
	assert.Equal(t, m[3] != "", m[5] != "", "+dirty exactly when the revision is modified")
}

// gitRoot is the directory whose .git directory cmd/go finds for this module, the nearest at or above
// the module root, or "" when there is none or git is not on the PATH (cmd/go then stamps nothing).
func gitRoot(t *testing.T) string {
	t.Helper()
	if _, err := exec.LookPath("git"); err != nil {
		return ""
	}
	dir, err := filepath.Abs("../..")
	require.NoError(t, err)
	for {
		if fi, err := os.Stat(filepath.Join(dir, ".git")); err == nil && fi.IsDir() {
			return dir
		} else if err != nil && !errors.Is(err, os.ErrNotExist) {
			t.Fatal(err)
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return ""
		}
		dir = parent
	}
}

// buildVCSOff reports whether go build runs with -buildvcs=false, from GOFLAGS or go env.
func buildVCSOff(t *testing.T, goTool string) bool {
	t.Helper()
	flags, err := exec.Command(goTool, "env", "GOFLAGS").Output()
	require.NoError(t, err)
	for _, f := range strings.Fields(string(flags)) {
		name, value, _ := strings.Cut(strings.TrimLeft(f, "-"), "=")
		if off, err := strconv.ParseBool(value); name == "buildvcs" && err == nil && !off {
			return true
		}
	}
	return false
}

// go install github.com/crossorigin/cors/cmd/corscheck@v1.0.0 refuses a module whose go.mod has a
// replace (or exclude) directive: the README's install line would fail for the release.
func TestRootModuleHasNoDirectiveThatBreaksGoInstallAtAVersion(t *testing.T) {
	mod, err := os.ReadFile("../../go.mod")
	require.NoError(t, err)
	for i, line := range strings.Split(string(mod), "\n") {
		directive, _, _ := strings.Cut(strings.TrimSpace(line), " ")
		directive, _, _ = strings.Cut(directive, "(")
		assert.NotContains(t, []string{"replace", "exclude"}, directive, "go.mod:%d: %s", i+1, line)
	}
}
