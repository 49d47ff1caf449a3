package main

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestFeatures holds the listing's rendering of each kind of declaration: what a caller can see is written,
// exactly; what a caller cannot see is not.
func TestFeatures(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		src  string // the declarations of package lib
		goV  string // the go line of its module, if not 1.23
		want []string
	}{
		{
			name: "parameter and result names are left out, a variadic parameter is kept",
			src:  "func F(a, b int, rest ...string) (n int, err error) { return }",
			want: []string{"func F(int, int, ...string) (int, error)"},
		},
		{
			name: "types of other packages carry their full import path",
			src:  "import r1 \"math/rand\"\nimport r2 \"math/rand/v2\"\nfunc F(*r1.Rand) *r2.Rand { return nil }",
			want: []string{"func F(*math/rand.Rand) *math/rand/v2.Rand"},
		},
		{
			name: "an alias is written as what it denotes, where it is used",
			src:  "import \"io\"\ntype R = io.Reader\nfunc F(R) {}",
			want: []string{"func F(io.Reader)", "type R = io.Reader"},
		},
		{
			name: "constants carry their type and exact value",
			src:  "type Mode int\nconst (\n\tA Mode = iota\n\tB\n)\nconst S = \"a\\nb\"\nconst F = 1.5",
			want: []string{
				"const A Mode = 0", "const B Mode = 1", "const F untyped float = 3/2", `const S untyped string = "a\nb"`,
				"type Mode int",
			},
		},
		{
			name: "unexported fields, methods and declarations are not listed",
			src:  "type T struct {\n\tA int\n\tb int\n}\nfunc (T) M() {}\nfunc (T) m() {}\nfunc f() {}\nvar v int\nconst c = 1",
			want: []string{"method (T) M()", "type T struct", "type T struct, A int", "type T struct, comparable"},
		},
		{
			name: "fields and methods promoted from an unexported embedded struct are listed",
			src:  "type inner struct{ X int }\nfunc (*inner) M() {}\ntype T struct {\n\t*inner\n\tY []int\n}",
			want: []string{"method (T) M()", "type T struct", "type T struct, Y []int", "type T struct, promoted X int"},
		},
		{
			name: "an exported embedded type is listed",
			src:  "import \"io\"\ntype T struct{ io.Reader }",
			want: []string{
				"method (T) Read([]byte) (int, error)", "type T struct", "type T struct, comparable",
				"type T struct, embedded io.Reader",
			},
		},
		{
			name: "a function-typed field drops the names of its parameters",
			src:  "type O struct{ Hook func(origin string) (ok bool) }",
			want: []string{"type O struct", "type O struct, Hook func(string) bool"},
		},
		{
			name: "an interface header names its exported methods",
			src:  "import \"io\"\ntype I interface {\n\tio.Closer\n\tRun(n int) error\n}",
			want: []string{"type I interface {Close, Run}", "type I interface, Close() error", "type I interface, Run(int) error"},
		},
		{
			name: "an interface with unexported methods is sealed: its header names no method",
			src:  "type I interface {\n\tRun()\n\tseal()\n}",
			want: []string{"type I interface (sealed)", "type I interface, Run()"},
		},
		{
			name: "a constraint lists its type set",
			src:  "type Number interface{ ~int | ~float64 }\nfunc Sum[T Number](xs ...T) T { var s T; return s }",
			want: []string{
				"func Sum[T Number](...T) T", "type Number interface {}", "type Number interface, type set ~int | ~float64",
			},
		},
		{
			name: "generic types and methods keep their type parameters",
			src:  "type List[T any] struct{ Items []T }\nfunc (l *List[T]) Push(v T) {}\nfunc Keys[K comparable, V any](m map[K]V) []K { return nil }",
			want: []string{
				"func Keys[K comparable, V interface{}](map[K]V) []K", "method (*List[T]) Push(T)",
				"type List[T interface{}] struct", "type List[T interface{}] struct, Items []T",
			},
		},
		{
			name: "a generic alias keeps its type parameters",
			src:  "type Set[T comparable] = map[T]bool\nfunc F(Set[string]) {}",
			goV:  "1.24",
			want: []string{"func F(map[string]bool)", "type Set[T comparable] = map[T]bool"},
		},
		{
			name: "literal types are written whole: channel directions, struct tags, unexported fields",
			src:  "var C chan (<-chan int)\nvar S struct {\n\ta int `json:\"a\"`\n}\nvar A [4]map[string]chan<- error",
			want: []string{
				"var A [4]map[string]chan<- error", "var C chan (<-chan int)", "var S struct{a int \"json:\\\"a\\\"\"}",
			},
		},
		{
			name: "other defined types are written with their underlying type",
			src:  "type F func(s string) bool\ntype P *int\ntype M map[string][]int",
			want: []string{"type F func(string) bool", "type M map[string][]int", "type P *int"},
		},
		{
			name: "byte and uint8 are one type, written byte; rune and int32 are one type, written int32",
			src:  "func F([]byte, []uint8, rune, int32) {}",
			want: []string{"func F([]byte, []byte, int32, int32)"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			files := map[string]string{"lib.go": "package lib\n\n" + tt.src + "\n"}
			if tt.goV != "" {
				files["go.mod"] = "module example.com/lib\n\ngo " + tt.goV + "\n"
			}
			dir := writeModule(t, files)
			pkgs, err := loadPackages(dir, []string{"."})
			require.NoError(t, err)
			var want []string
			for _, w := range tt.want {
				want = append(want, "pkg example.com/lib, "+w)
			}
			assert.Equal(t, want, features(pkgs[0]))
		})
	}
}

// TestFeatureKey checks the key that pairs a removed feature with the added one that replaced it.
func TestFeatureKey(t *testing.T) {
	t.Parallel()
	tests := []struct{ feature, key string }{
		{"pkg p, func New(Options) (*Cors, error)", "func New"},
		{"pkg p, func Keys[K comparable](map[K]int) []K", "func Keys"},
		{"pkg p, const Max untyped int = 10", "const Max"},
		{"pkg p, var V int", "var V"},
		{"pkg p, method (*Cors) Apply(net/http.ResponseWriter) bool", "method Cors.Apply"},
		{"pkg p, method (Cors) Apply(net/http.ResponseWriter) bool", "method Cors.Apply"},
		{"pkg p, type Options struct", "type Options"},
		{"pkg p, type Doer interface {Close, Do}", "type Doer"},
		{"pkg p, type F func(string, int) bool", "type F"},
		{"pkg p, type List[T interface{}] struct, Items []T", "type List struct, Items"},
		{"pkg p, type Options struct, MaxAge time.Duration", "type Options struct, MaxAge"},
		{"pkg p, type T struct, promoted X int", "type T struct, promoted X"},
		{"pkg p, type T struct, embedded *net/http.Server", "type T struct, embedded *net/http.Server"},
		{"pkg p, type I interface, Run(int) error", "type I interface, Run"},
	}
	for _, tt := range tests {
		t.Run(tt.feature, func(t *testing.T) {
			assert.Equal(t, tt.key, featureKey(tt.feature))
		})
	}
}

// TestNextMajor checks the module path that a break is told to move to.
func TestNextMajor(t *testing.T) {
	t.Parallel()
	assert.Equal(t, "github.com/crossorigin/cors/v2", nextMajor("github.com/crossorigin/cors"))
	assert.Equal(t, "example.com/m/v3", nextMajor("example.com/m/v2"))
}
