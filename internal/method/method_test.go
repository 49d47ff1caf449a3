package method

import (
	"testing"

	"github.com/stretchr/testify/assert"
)

func TestNormalizeUpperCasesTheSixFetchNormalizes(t *testing.T) {
	for in, want := range map[string]string{
		"delete": "DELETE", "get": "GET", "Head": "HEAD", "options": "OPTIONS", "post": "POST", "pUt": "PUT",
		"patch": "patch", "PATCH": "PATCH", "Propfind": "Propfind", "": "", "gets": "gets", "ge": "ge",
	} {
		assert.Equal(t, want, Normalize(in), in)
	}
}

func TestSafelistedMethodsCompareByteForByte(t *testing.T) {
	for m, want := range map[string]bool{"GET": true, "HEAD": true, "POST": true, "get": false, "PUT": false, "OPTIONS": false, "": false} {
		assert.Equal(t, want, IsSafelisted(m), m)
	}
}

func TestForbiddenMethodsInAnyCase(t *testing.T) {
	for m, want := range map[string]bool{"CONNECT": true, "trace": true, "Track": true, "TRACES": false, "GET": false, "TRAC\u212a": false} {
		assert.Equal(t, want, IsForbidden(m), m)
	}
}
