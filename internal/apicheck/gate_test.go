package main

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// libSource is the synthetic package whose API the tests record, then change.
const libSource = `// Package lib is what the gate's tests change.
package lib

import "io"

// Max is a constant.
const Max = 10

// Options configures a Client.
type Options struct {
	Name   string
	Limit  int
	secret string
}

// Client does things.
type Client struct{ opts Options }

// New returns a Client.
func New(o Options) (*Client, error) { return &Client{opts: o}, nil }

// Do reads r.
func (c *Client) Do(r io.Reader) (int, error) { return 0, nil }

func (c *Client) helper(n int) {}

// Doer is what a Client is.
type Doer interface {
	Do(r io.Reader) (int, error)
}
`

// recorded writes the module with libSource, records its API, and returns the directory.
func recorded(t *testing.T) string {
	t.Helper()
	dir := writeModule(t, map[string]string{"lib.go": libSource})
	status, out := gateRun(t, dir, "-update", ".")
	require.Equal(t, exitOK, status, out)
	return dir
}

// TestGate plants changes in the synthetic package and checks what the gate says of each.
func TestGate(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name     string
		old, new string   // the change planted in libSource
		status   int      // the gate's exit status
		reported []string // the changes it names, in order
	}{
		{
			name: "a removed func is incompatible",
			old:  "func New(o Options) (*Client, error) { return &Client{opts: o}, nil }", new: "",
			status:   exitBreaking,
			reported: []string{"removed: func New(Options) (*Client, error)"},
		},
		{
			name: "a changed signature is incompatible",
			old:  "func (c *Client) Do(r io.Reader) (int, error)", new: "func (c *Client) Do(r io.Reader, limit int) (int, error)",
			status: exitBreaking,
			reported: []string{
				"changed: method (*Client) Do(io.Reader) (int, error)",
				"to: method (*Client) Do(io.Reader, int) (int, error)",
			},
		},
		{
			name: "a removed struct field is incompatible",
			old:  "\tLimit  int\n", new: "",
			status:   exitBreaking,
			reported: []string{"removed: type Options struct, Limit int"},
		},
		{
			name: "a changed field type is incompatible",
			old:  "Limit  int\n", new: "Limit  int64\n",
			status:   exitBreaking,
			reported: []string{"changed: type Options struct, Limit int", "to: type Options struct, Limit int64"},
		},
		{
			name: "a changed constant value is incompatible",
			old:  "const Max = 10", new: "const Max = 11",
			status:   exitBreaking,
			reported: []string{"changed: const Max untyped int = 10", "to: const Max untyped int = 11"},
		},
		{
			name: "a constant that gains a type is incompatible",
			old:  "const Max = 10", new: "const Max int = 10",
			status:   exitBreaking,
			reported: []string{"changed: const Max untyped int = 10", "to: const Max int = 10"},
		},
		{
			name: "a new method in an exported interface is incompatible, and listed",
			old:  "\tDo(r io.Reader) (int, error)\n}", new: "\tDo(r io.Reader) (int, error)\n\tClose() error\n}",
			status: exitBreaking,
			reported: []string{
				"added:   type Doer interface, Close() error",
				"changed: type Doer interface {Do}",
				"to: type Doer interface {Close, Do}",
			},
		},
		{
			name: "a struct that stops being comparable is incompatible, even through an unexported field",
			old:  "\tsecret string\n", new: "\tsecret []string\n",
			status:   exitBreaking,
			reported: []string{"removed: type Client struct, comparable", "removed: type Options struct, comparable"},
		},
		{
			name: "a renamed type is a removal",
			old:  "type Doer interface", new: "type Reader interface",
			status: exitBreaking,
			reported: []string{
				"added:   type Reader interface {Do}",
				"added:   type Reader interface, Do(io.Reader) (int, error)",
				"removed: type Doer interface {Do}",
				"removed: type Doer interface, Do(io.Reader) (int, error)",
			},
		},
		{
			name: "an addition passes and is listed",
			old:  "\tsecret string\n}", new: "\tsecret string\n\tTimeout int\n}\n\n// Extra is new.\nfunc Extra() {}",
			status:   exitOK,
			reported: []string{"added:   func Extra()", "added:   type Options struct, Timeout int"},
		},
		{
			name: "a pointer receiver that becomes a value receiver is compatible: the value's method set grows",
			old:  "func (c *Client) Do(", new: "func (c Client) Do(",
			status:   exitOK,
			reported: []string{"added:   method (Client) Do(io.Reader) (int, error)"},
		},
		{
			name: "unexported fields, methods and names are not API",
			old:  "\tsecret string\n", new: "\tsecret, other string\n",
			status: exitOK,
		},
		{
			name: "a changed unexported method is not API",
			old:  "func (c *Client) helper(n int) {}", new: "func (c *Client) helper(s string) error { return nil }\n\nfunc unexported() {}",
			status: exitOK,
		},
		{
			name:   "renamed parameters are not a change",
			old:    "func New(o Options) (*Client, error) { return &Client{opts: o}, nil }",
			new:    "func New(opts Options) (c *Client, err error) { return &Client{opts: opts}, nil }",
			status: exitOK,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			dir := recorded(t)
			write(t, dir, "lib.go", edit(t, libSource, tt.old, tt.new))
			status, out := gateRun(t, dir, ".")
			assert.Equal(t, tt.status, status, out)
			assert.Equal(t, tt.reported, reported(out), out)
		})
	}
}

// TestGateSaysHowToProceed plants a removal and a changed signature together: the gate names exactly those two
// and says what to do about them.
func TestGateSaysHowToProceed(t *testing.T) {
	t.Parallel()
	dir := recorded(t)
	src := edit(t, libSource, "func New(o Options) (*Client, error) { return &Client{opts: o}, nil }", "")
	src = edit(t, src, "func (c *Client) Do(r io.Reader) (int, error) { return 0, nil }", "func (c *Client) Do(r io.Reader) error { return nil }")
	write(t, dir, "lib.go", src)
	status, out := gateRun(t, dir, ".")
	assert.Equal(t, exitBreaking, status)
	assert.Equal(t, []string{
		"removed: func New(Options) (*Client, error)",
		"changed: method (*Client) Do(io.Reader) (int, error)",
		"to: method (*Client) Do(io.Reader) error",
	}, reported(out), out)
	assert.Contains(t, out, "api: example.com/lib: 2 incompatible changes against api/lib.txt:")
	assert.Contains(t, out, "- undo each change above")
	assert.Contains(t, out, "- if the break is intended, release it as a new major version: module example.com/lib/v2")
	assert.Contains(t, out, `docs/development.md, "API compatibility"`)
}

// TestGateFailsWithoutAListing checks that a gate with nothing to compare with fails, loudly.
func TestGateFailsWithoutAListing(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name    string
		listing string // the content of api/lib.txt; "-" for none
		want    string
	}{
		{name: "a missing listing fails", listing: "-", want: "api/lib.txt: no listing"},
		{name: "an empty listing fails", listing: "", want: "api/lib.txt: the listing of example.com/lib records no feature"},
		{name: "a listing of comments alone fails", listing: "# nothing\n\n", want: "records no feature"},
		{
			name:    "a listing of another package fails",
			listing: "pkg example.com/other, func New()\n",
			want:    `api/lib.txt:1: not a feature of example.com/lib: "pkg example.com/other, func New()"`,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			dir := writeModule(t, map[string]string{"lib.go": libSource})
			if tt.listing != "-" {
				write(t, dir, "api/lib.txt", tt.listing)
			}
			status, out := gateRun(t, dir, ".")
			assert.Equal(t, exitError, status, out)
			assert.Contains(t, out, tt.want)
		})
	}
}

// TestGateGuardsEveryPublicPackage checks that the guarded packages are the module's public ones, one listing
// each.
func TestGateGuardsEveryPublicPackage(t *testing.T) {
	t.Parallel()
	const sub = "package sub\n\n// F is exported.\nfunc F() {}\n"
	tests := []struct {
		name   string
		files  map[string]string
		args   []string
		status int
		want   string
	}{
		{
			name:   "an unguarded public package fails, saying how to guard it",
			files:  map[string]string{"sub/sub.go": sub},
			args:   []string{"."},
			status: exitError,
			want:   "example.com/lib/sub is public (other modules can import it) but not guarded: add ./sub to API_PACKAGES",
		},
		{
			name:   "internal packages, commands and test-only packages need no listing",
			files:  map[string]string{"internal/x/x.go": sub, "cmd/tool/main.go": "package main\n\nfunc main() {}\n", "t/t_test.go": "package t\n"},
			args:   []string{"."},
			status: exitOK,
			want:   "api: example.com/lib: no incompatible change against api/lib.txt",
		},
		{
			name:   "a listing that belongs to no guarded package fails",
			files:  map[string]string{"api/gone.txt": "pkg example.com/lib/gone, func F()\n"},
			args:   []string{"."},
			status: exitError,
			want:   "api/gone.txt is the listing of no guarded package",
		},
		{
			name:   "a pattern is refused: each guarded package is named",
			args:   []string{"./..."},
			status: exitError,
			want:   `"./...": name each guarded package, not a pattern`,
		},
		{
			name:   "no package named is a usage error",
			status: exitError,
			want:   "name the guarded packages",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			dir := recorded(t)
			for name, content := range tt.files {
				write(t, dir, name, content)
			}
			status, out := gateRun(t, dir, tt.args...)
			assert.Equal(t, tt.status, status, out)
			assert.Contains(t, out, tt.want)
		})
	}
}

// TestGateGuardsASecondPackage is the corstest case: a second public package is one more argument and one
// more listing, written by the update.
func TestGateGuardsASecondPackage(t *testing.T) {
	t.Parallel()
	dir := recorded(t)
	write(t, dir, "sub/sub.go", "package sub\n\n// F is exported.\nfunc F() {}\n")
	status, out := gateRun(t, dir, "-update", ".", "./sub")
	require.Equal(t, exitOK, status, out)
	assert.Contains(t, out, "api: example.com/lib/sub: recorded 1 features in api/sub.txt, a new listing")
	listing, err := os.ReadFile(filepath.Join(dir, "api", "sub.txt"))
	require.NoError(t, err)
	assert.Contains(t, string(listing), "\npkg example.com/lib/sub, func F()\n")

	write(t, dir, "sub/sub.go", "package sub\n")
	status, out = gateRun(t, dir, ".", "./sub")
	assert.Equal(t, exitBreaking, status, out)
	assert.Equal(t, []string{"removed: func F()"}, reported(out))
}

// TestUpdate checks the update mode: it records additions, refuses a break unless told it is a new major
// version, and writes the same bytes for the same API.
func TestUpdate(t *testing.T) {
	t.Parallel()
	dir := recorded(t)
	file := filepath.Join(dir, "api", "lib.txt")
	first, err := os.ReadFile(file)
	require.NoError(t, err)

	status, out := gateRun(t, dir, "-update", ".")
	require.Equal(t, exitOK, status, out)
	again, err := os.ReadFile(file)
	require.NoError(t, err)
	assert.Equal(t, string(first), string(again), "the same API must give the same listing")

	write(t, dir, "lib.go", edit(t, libSource, "const Max = 10", "const Max = 10\n\n// Min is new.\nconst Min = 1"))
	status, out = gateRun(t, dir, "-update", ".")
	require.Equal(t, exitOK, status, out)
	assert.Equal(t, []string{"added:   const Min untyped int = 1"}, reported(out))
	status, out = gateRun(t, dir, ".")
	assert.Equal(t, exitOK, status, out)
	assert.Empty(t, reported(out), "a recorded addition is no longer listed")

	write(t, dir, "lib.go", libSource)
	before, err := os.ReadFile(file)
	require.NoError(t, err)
	status, out = gateRun(t, dir, "-update", ".")
	assert.Equal(t, exitBreaking, status, out)
	assert.Contains(t, out, "nothing recorded")
	after, err := os.ReadFile(file)
	require.NoError(t, err)
	assert.Equal(t, string(before), string(after), "a refused update must write nothing")

	status, out = gateRun(t, dir, "-update", "-allow-breaking", ".")
	require.Equal(t, exitOK, status, out)
	status, out = gateRun(t, dir, ".")
	assert.Equal(t, exitOK, status, out)
}
