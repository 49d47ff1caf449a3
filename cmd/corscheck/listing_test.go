package main

import (
	"encoding"
	"encoding/json"
	"flag"
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/crossorigin/cors/internal/explain"
	"github.com/crossorigin/cors/internal/fetch"
	"github.com/crossorigin/cors/internal/scan"
)

// The command's contract is held like the library's API (docs/development.md, "API compatibility"):
// TestCommandContract builds it from the code and compares it with the committed listing. -update
// records it (make api-update); a removal is recorded only with -allow-breaking as well.
var (
	updateContract = flag.Bool("update", false, "TestCommandContract: record the command's contract in "+contractListing)
	allowBreaking  = flag.Bool("allow-breaking", false, "with -update: record a removal too (a new major version)")
)

// contractListing is the committed listing, relative to the repository's root (this package is two
// levels down). It is not api/corscheck.txt: the API gate (internal/apicheck) holds every api/*.txt to a
// guarded package.
const contractListing = "api/cmd/corscheck.txt"

// contractPrefix opens every item, as "pkg P, " opens the API listings' lines.
const contractPrefix = "cmd corscheck, "

const contractHeader = `# The contract of the corscheck command, one item per line: each flag (name and kind), each exit
# status, each field of each -json output and of a -calls file (path and JSON type), the scan's finding
# ids and severities, and the check names of problems and warnings. A flag's default is not part of it,
# nor is the human output. It is the contract of the last release (before v1.0.0: the one proposed for
# it). go test ./cmd/corscheck fails if the code lacks a line; make api-update rewrites this file. See
# docs/development.md, "API compatibility".
`

// TestCommandContract holds the command's flags, exit statuses, JSON fields, finding ids, severities and
// check names to the committed listing: one the code no longer has fails, named; one the listing does
// not have yet is an addition, logged.
func TestCommandContract(t *testing.T) {
	current := commandContract(t)
	listed, err := readContract(filepath.Join("../..", contractListing))
	if *updateContract {
		if err == nil {
			if d := diffContract(listed, current); d.breaks() > 0 && !*allowBreaking {
				t.Fatal(d.report() + "\nnothing recorded: only a new major version records a break (-allow-breaking)")
			}
		}
		require.NoError(t, writeContract(filepath.Join("../..", contractListing), current))
		t.Logf("recorded %d items in %s", len(current), contractListing)
		return
	}
	require.NoError(t, err, "record the listing with: make api-update")
	d := diffContract(listed, current)
	for _, a := range d.added {
		t.Logf("added (compatible; recorded when the next release is cut, by make api-update): %s", strings.TrimPrefix(a, contractPrefix))
	}
	if d.breaks() > 0 {
		t.Error(d.report())
	}
}

func TestCommandContractCheckNamesRemovalsChangesAndAdditions(t *testing.T) {
	current := commandContract(t)
	require.Contains(t, current, contractPrefix+"json explain, verdict string")
	require.Zero(t, diffContract(current, current).breaks(), "the code against its own listing")

	planted := contractPrefix + "flag -proxy string"
	listed := append(slices.Clone(current[1:]), planted) // one item the code lacks, and one it has beyond
	d := diffContract(listed, current)
	assert.Equal(t, []string{planted}, d.removed, "a planted item the code lacks is a removal")
	assert.Equal(t, []string{current[0]}, d.added, "an item the listing lacks is an addition")
	assert.Empty(t, d.changed)

	listed = slices.Clone(current)
	i := slices.Index(listed, contractPrefix+"json explain, verdict string")
	listed[i] = contractPrefix + "json explain, verdict number"
	d = diffContract(listed, current)
	assert.Equal(t, []change{{old: listed[i], new: current[i]}}, d.changed, "one path with another type is one change")
	assert.Empty(t, d.removed)
	assert.Empty(t, d.added)

	d = diffContract(append(slices.Clone(listed), planted), current)
	report := d.report()
	assert.Contains(t, report, "2 incompatible changes to the command's contract against "+contractListing)
	assert.Contains(t, report, "\tremoved: flag -proxy string\n")
	assert.Contains(t, report, "\tchanged: json explain, verdict number\n\t     to: json explain, verdict string\n")
	assert.Contains(t, report, "undo each change")
	assert.Contains(t, report, "new\n       major version of the module")
}

// commandContract is the command's contract as the code has it: one item per line, sorted.
func commandContract(t *testing.T) []string {
	t.Helper()
	var items []string
	add := func(format string, args ...any) { items = append(items, contractPrefix+fmt.Sprintf(format, args...)) }

	newFlagSet(&options{}).VisitAll(func(f *flag.Flag) { add("flag -%s %s", f.Name, flagKind(t, f)) })
	for name, status := range constants(t, ".", "exit") {
		add("exit %s %s", status, strings.ToLower(strings.TrimPrefix(name, "exit")))
	}
	outputs := map[string]reflect.Type{
		"explain": reflect.TypeFor[report](),
		"scan":    reflect.TypeFor[scanReport](),
		"calls":   reflect.TypeFor[contractReport](),
	}
	for name, typ := range outputs {
		for _, field := range jsonFields(t, typ, "") {
			add("json %s, %s", name, field)
		}
	}
	// The -calls file is {"calls": [...]}, as callList reads it, each call a callJSON.
	for _, field := range jsonFields(t, reflect.TypeFor[struct {
		Calls []callJSON `json:"calls"`
	}](), "") {
		add("calls file, %s", field)
	}
	scanPkg := packageDir(reflect.TypeFor[scan.Finding]())
	for _, id := range constants(t, scanPkg, "ID") {
		add("scan finding id %s", id)
	}
	for _, severity := range constants(t, scanPkg, "Severity") {
		add("scan severity %s", severity)
	}
	for _, check := range constants(t, packageDir(reflect.TypeFor[fetch.Failure]()), "Check") {
		add("problem check %s", check)
	}
	for _, check := range explain.WarningChecks {
		add("warning check %s", check)
	}
	slices.Sort(items)
	return slices.Compact(items)
}

// flagKind names what a flag holds: bool, string, duration, or []string for a repeatable one.
func flagKind(t *testing.T, f *flag.Flag) string {
	getter, ok := f.Value.(flag.Getter)
	require.True(t, ok, "flag -%s is not a flag.Getter: give its type a Get method", f.Name)
	switch getter.Get().(type) {
	case bool:
		return "bool"
	case string:
		return "string"
	case time.Duration:
		return "duration"
	case []string:
		return "[]string"
	}
	t.Fatalf("flag -%s holds a %T, which flagKind does not name yet", f.Name, getter.Get())
	return ""
}

// jsonFields lists every field of the JSON encoding of the struct type typ, at every depth, each as
// "path type": "preflight.status number", "problems object[]", "problems[].check string".
func jsonFields(t *testing.T, typ reflect.Type, path string) []string {
	var fields []string
	for i := range typ.NumField() {
		f := typ.Field(i)
		name, opts, _ := strings.Cut(f.Tag.Get("json"), ",")
		if !f.IsExported() || name == "-" && opts == "" {
			continue
		}
		require.False(t, f.Anonymous, "%s: an embedded field; list its fields by hand", typ)
		if name == "" {
			name = f.Name
		}
		p := name
		if path != "" {
			p = path + "." + name
		}
		kind := jsonKind(t, f.Type)
		if slices.Contains(strings.Split(opts, ","), "omitempty") {
			kind += ",omitempty"
		}
		fields = append(fields, p+" "+kind)
		switch ft := f.Type; {
		case ft.Kind() == reflect.Struct:
			fields = append(fields, jsonFields(t, ft, p)...)
		case ft.Kind() == reflect.Pointer && ft.Elem().Kind() == reflect.Struct:
			fields = append(fields, jsonFields(t, ft.Elem(), p)...)
		case ft.Kind() == reflect.Slice && ft.Elem().Kind() == reflect.Struct:
			fields = append(fields, jsonFields(t, ft.Elem(), p+"[]")...)
		}
	}
	return fields
}

// jsonKind names the JSON type encoding/json gives a Go type: string, number, boolean, object,
// T|null for a pointer, T[] for a list, {string:T} for an object of T.
func jsonKind(t *testing.T, typ reflect.Type) string {
	for _, marshaler := range []reflect.Type{reflect.TypeFor[json.Marshaler](), reflect.TypeFor[encoding.TextMarshaler]()} {
		require.False(t, typ.Implements(marshaler) || reflect.PointerTo(typ).Implements(marshaler),
			"%s encodes itself: jsonKind cannot read its JSON type from its fields", typ)
	}
	switch typ.Kind() {
	case reflect.String:
		return "string"
	case reflect.Bool:
		return "boolean"
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
		reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Float32, reflect.Float64:
		return "number"
	case reflect.Struct:
		return "object"
	case reflect.Pointer:
		return jsonKind(t, typ.Elem()) + "|null"
	case reflect.Slice:
		return jsonKind(t, typ.Elem()) + "[]"
	case reflect.Map:
		require.Equal(t, reflect.String, typ.Key().Kind(), "%s: an object's keys are strings", typ)
		return "{string:" + jsonKind(t, typ.Elem()) + "}"
	}
	t.Fatalf("%s: a Go type jsonKind does not name yet", typ)
	return ""
}

// packageDir is the directory, relative to this package, of the package of this module that declares
// typ.
func packageDir(typ reflect.Type) string {
	return filepath.Join("../..", strings.TrimPrefix(typ.PkgPath(), modulePath))
}

// constants reads the source of the package in dir and returns the value of each constant whose name
// starts with prefix, by name: the constants a listing is made of are literals.
func constants(t *testing.T, dir, prefix string) map[string]string {
	t.Helper()
	files, err := filepath.Glob(filepath.Join(dir, "*.go"))
	require.NoError(t, err)
	values := map[string]string{}
	fset := token.NewFileSet()
	for _, file := range files {
		if strings.HasSuffix(file, "_test.go") {
			continue
		}
		f, err := parser.ParseFile(fset, file, nil, parser.SkipObjectResolution)
		require.NoError(t, err)
		for _, decl := range f.Decls {
			if g, ok := decl.(*ast.GenDecl); ok && g.Tok == token.CONST {
				for _, spec := range g.Specs {
					literalConstants(t, spec.(*ast.ValueSpec), prefix, values)
				}
			}
		}
	}
	require.NotEmpty(t, values, "no constant %s* in %s: where are they now?", prefix, dir)
	return values
}

// literalConstants adds to values the constants of spec whose names start with prefix.
func literalConstants(t *testing.T, spec *ast.ValueSpec, prefix string, values map[string]string) {
	for i, name := range spec.Names {
		if !strings.HasPrefix(name.Name, prefix) {
			continue
		}
		require.Less(t, i, len(spec.Values), "%s has no value of its own", name.Name)
		lit, ok := spec.Values[i].(*ast.BasicLit)
		require.True(t, ok, "%s is not a literal", name.Name)
		value := lit.Value
		if lit.Kind == token.STRING {
			var err error
			value, err = strconv.Unquote(lit.Value)
			require.NoError(t, err)
		}
		values[name.Name] = value
	}
}

// contractDiff is a listing compared with the code: what the listing has that the code lacks
// (removed, or changed when the code has the same flag or field with another type), and what the code
// has beyond it (added).
type contractDiff struct {
	removed, added []string
	changed        []change
}

// change is a flag or field whose type changed: its item in the listing, and in the code.
type change struct{ old, new string }

func (d contractDiff) breaks() int { return len(d.removed) + len(d.changed) }

// diffContract compares the listed items with the current ones.
func diffContract(listed, current []string) contractDiff {
	var d contractDiff
	addedByKey := map[string]string{}
	for _, c := range current {
		if !slices.Contains(listed, c) {
			addedByKey[typedKey(c)] = c
		}
	}
	for _, l := range listed {
		switch c, ok := addedByKey[typedKey(l)]; {
		case slices.Contains(current, l):
		case ok:
			d.changed = append(d.changed, change{old: l, new: c})
			delete(addedByKey, typedKey(l))
		default:
			d.removed = append(d.removed, l)
		}
	}
	for _, c := range current {
		if addedByKey[typedKey(c)] == c { // not paired with a listed item as a change
			d.added = append(d.added, c)
		}
	}
	return d
}

// typedKey is an item without its type, for a flag or a field: a change of type is one change, not a
// removal and an addition. Other items are their own key.
func typedKey(item string) string {
	kind := strings.TrimPrefix(item, contractPrefix)
	if strings.HasPrefix(kind, "flag ") || strings.HasPrefix(kind, "json ") || strings.HasPrefix(kind, "calls file, ") {
		if i := strings.LastIndexByte(item, ' '); i >= 0 {
			return item[:i]
		}
	}
	return item
}

// report names each break and says how to proceed.
func (d contractDiff) report() string {
	var b strings.Builder
	noun := "incompatible change"
	if d.breaks() > 1 {
		noun += "s"
	}
	fmt.Fprintf(&b, "corscheck: %d %s to the command's contract against %s:\n", d.breaks(), noun, contractListing)
	for _, r := range d.removed {
		fmt.Fprintf(&b, "\tremoved: %s\n", strings.TrimPrefix(r, contractPrefix))
	}
	for _, c := range d.changed {
		fmt.Fprintf(&b, "\tchanged: %s\n\t     to: %s\n", strings.TrimPrefix(c.old, contractPrefix), strings.TrimPrefix(c.new, contractPrefix))
	}
	b.WriteString(`corscheck: scripts, CI jobs and JSON readers written against the recorded contract may no longer work. Either:
     - undo each change above (to rename a flag or a field, add the new one beside the old one, and
       say in docs/corscheck.md that the old one is deprecated), or,
     - if the break is intended, it is a breaking change of the command's contract: release it in a new
       major version of the module (see docs/development.md, "API compatibility").
`)
	return b.String()
}

// readContract reads a listing: its lines but the comments and blank ones.
func readContract(path string) ([]string, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	var items []string
	for line := range strings.SplitSeq(string(data), "\n") {
		if line != "" && !strings.HasPrefix(line, "#") {
			items = append(items, line)
		}
	}
	if len(items) == 0 {
		return nil, fmt.Errorf("%s records nothing: record it with make api-update", path)
	}
	return items, nil
}

// writeContract writes the listing of items.
func writeContract(path string, items []string) error {
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return err
	}
	return os.WriteFile(path, []byte(contractHeader+strings.Join(items, "\n")+"\n"), 0o644)
}
