package headerlist

import (
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestSplitReadsWhatRealClientsSend(t *testing.T) {
	tests := []struct {
		name  string
		lines []string
		want  []string // nil: refused
	}{
		{"a browser's sorted lower-case list", []string{"content-type,x-a,x-b"}, []string{"content-type", "x-a", "x-b"}},
		{"optional whitespace", []string{"X-A , x-b,\tx-c\t"}, []string{"X-A", "x-b", "x-c"}},
		{"empty elements are skipped", []string{",,x-a, ,,x-b,"}, []string{"x-a", "x-b"}},
		{"several lines", []string{"x-a", "x-b, x-c"}, []string{"x-a", "x-b", "x-c"}},
		{"no header at all", nil, []string{}},
		{"an empty value", []string{""}, []string{}},
		{"whitespace inside a name", []string{"x a"}, nil},
		{"a non-token byte", []string{"x-a;x-b"}, nil},
		{"a control byte", []string{"x-a\x00"}, nil},
		{"a non-ASCII byte", []string{"x-\xc3\xa9"}, nil},
		{"exactly MaxElements elements", []string{strings.Repeat("a,", MaxElements-1) + "a"}, repeat("a", MaxElements)},
		{"one element more than MaxElements", []string{strings.Repeat("a,", MaxElements)}, nil},
		{"empty elements count towards the bound", []string{strings.Repeat(",", MaxElements)}, nil},
		{"exactly MaxBytes bytes", []string{strings.Repeat("a", MaxBytes)}, []string{strings.Repeat("a", MaxBytes)}},
		{"one byte more than MaxBytes", []string{strings.Repeat("a", MaxBytes+1)}, nil},
		{"bytes add up over lines", []string{strings.Repeat("a", MaxBytes/2), strings.Repeat("b", MaxBytes/2+1)}, nil},
		{"exactly MaxElements lines", repeat("a", MaxElements), repeat("a", MaxElements)},
		{"more lines than MaxElements", repeat("a", MaxElements+1), nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var dst [MaxElements]string
			n, ok := Split(tt.lines, &dst)
			if tt.want == nil {
				assert.False(t, ok)
				return
			}
			require.True(t, ok)
			assert.Equal(t, tt.want, dst[:n])
		})
	}
}

func repeat(s string, n int) []string {
	out := make([]string, n)
	for i := range out {
		out[i] = s
	}
	return out
}

func TestSplitDoesNotAllocate(t *testing.T) {
	lines := []string{"content-type, x-a", "x-b"}
	hostile := []string{strings.Repeat("a,", 1<<19)}
	allocs := testing.AllocsPerRun(100, func() {
		var dst [MaxElements]string
		Split(lines, &dst)
		Split(hostile, &dst)
	})
	assert.Zero(t, allocs)
}

func TestSetIsCaseInsensitive(t *testing.T) {
	s := NewSet([]string{"content-type", "x-request-id"})
	for name, want := range map[string]bool{
		"content-type": true, "Content-Type": true, "CONTENT-TYPE": true, "x-request-id": true,
		"x-request": false, "content-typ": false, "": false, strings.Repeat("A", MaxBytes+1): false, "Content-Typ": false,
	} {
		assert.Equal(t, want, s.Contains(name), name)
	}
	assert.Zero(t, testing.AllocsPerRun(100, func() { s.Contains("Content-Type") }))

	long := strings.Repeat("x", 200)
	many := []string{long, "a"}
	for i := range fewNames {
		many = append(many, "x-"+strconv.Itoa(i))
	}
	withLong := NewSet(many)
	require.NotNil(t, withLong.names, "more than fewNames names are hashed")
	assert.True(t, withLong.Contains(strings.ToUpper(long)), "names longer than the fold buffer are compared one by one")
	assert.True(t, withLong.Contains("A"))
	assert.False(t, withLong.Contains(strings.ToUpper(long)+"X"))
	assert.False(t, withLong.Contains(strings.Repeat("Y", 200)))
}

func TestSetAnswersAlikeAtEverySize(t *testing.T) {
	// Few names are kept in a list, more in a map: both must give the same answers.
	for _, n := range []int{0, 1, fewNames, fewNames + 1, 40} {
		names := make([]string, n)
		for i := range names {
			names[i] = "x-header-" + strconv.Itoa(i)
		}
		s := NewSet(names)
		for _, name := range names {
			assert.True(t, s.Contains(name), "%d names: %s", n, name)
			assert.True(t, s.Contains(strings.ToUpper(name)), "%d names: %s in upper case", n, name)
		}
		assert.False(t, s.Contains("x-header-"+strconv.Itoa(n)), "%d names", n)
		assert.False(t, s.Contains("x-header-"), "%d names", n)
		assert.False(t, s.Contains(""), "%d names", n)
		assert.Zero(t, testing.AllocsPerRun(10, func() { s.Contains("X-Header-0") }), "%d names", n)
	}
}

// refSplit is Split written the obvious way, with the standard library, for FuzzSplit to compare with.
func refSplit(lines []string) ([]string, bool) {
	total := 0
	var elems []string
	for _, l := range lines {
		total += len(l)
		elems = append(elems, strings.Split(l, ",")...)
	}
	if len(lines) > MaxElements || total > MaxBytes || len(elems) > MaxElements {
		return nil, false
	}
	names := []string{}
	for _, e := range elems {
		e = strings.Trim(e, " \t")
		if e == "" {
			continue
		}
		if !tokenRE.MatchString(e) {
			return nil, false
		}
		names = append(names, e)
	}
	return names, true
}

// tokenRE is RFC 9110's token = 1*tchar, as a regular expression.
var tokenRE = regexp.MustCompile("^[!#$%&'*+\\-.^_`|~0-9A-Za-z]+$")

// FuzzSplit holds that Split agrees with the obvious implementation on every input, never panics and
// never reads past its bounds.
func FuzzSplit(f *testing.F) {
	for _, s := range []string{"content-type,x-a", " , ,x-a ,\t", "a b", strings.Repeat("a,", 70), "", "x-a\nx-b"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		lines := strings.Split(s, "\n")
		var dst [MaxElements]string
		n, ok := Split(lines, &dst)
		want, wantOK := refSplit(lines)
		require.Equal(t, wantOK, ok, "%q", lines)
		if ok {
			require.Equal(t, want, dst[:n])
		}
		if !ok {
			require.Zero(t, n)
			return
		}
		total := 0
		for _, l := range lines {
			total += len(l)
		}
		require.LessOrEqual(t, total, MaxBytes)
		rest := strings.Join(lines, ",")
		for _, name := range dst[:n] {
			require.True(t, tokenRE.MatchString(name))
			i := strings.Index(rest, name)
			require.GreaterOrEqual(t, i, 0, "names come from the input, in order")
			rest = rest[i+len(name):]
		}
	})
}
