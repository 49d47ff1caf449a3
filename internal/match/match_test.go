package match

import (
	"testing"

	"github.com/stretchr/testify/assert"
)

func TestSet(t *testing.T) {
	s := NewSet(
		[]string{"https://a.example", "http://localhost:3000"},
		[]Pattern{
			{Scheme: "https", Host: ".example.com", Subdomains: true},
			{Scheme: "http", Host: "127.0.0.1", AnyPort: true},
		},
	)
	assert.True(t, s.HasPatterns())
	assert.False(t, NewSet([]string{"https://a.example"}, nil).HasPatterns())
	assert.True(t, s.HasExact("https://a.example"))
	assert.False(t, s.HasExact("https://A.example"), "exact origins compare byte for byte")

	tests := []struct {
		o    Origin
		want bool
	}{
		{Origin{"https", "x.example.com", ""}, true},
		{Origin{"https", "x.y.example.com", ""}, true},
		{Origin{"https", "example.com", ""}, false},
		{Origin{"https", "xexample.com", ""}, false},
		{Origin{"https", "x.example.com", "8443"}, false},
		{Origin{"http", "x.example.com", ""}, false},
		{Origin{"http", "127.0.0.1", "5173"}, true},
		{Origin{"http", "127.0.0.1", ""}, true},
		{Origin{"http", "127.0.0.2", "5173"}, false},
	}
	for _, tt := range tests {
		assert.Equal(t, tt.want, s.MatchPattern(tt.o), "%+v", tt.o)
	}
}
