package main

import (
	"errors"
	"flag"
	"io"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestCommandLineMistakesAreUsageErrorsPrintedWithTheirReasonAlone(t *testing.T) {
	tests := []struct {
		name   string
		args   []string
		reason string
	}{
		{"an unknown flag", []string{"-bogus"}, "flag provided but not defined: -bogus"},
		{"a flag without its value", []string{"-origin"}, "flag needs an argument: -origin"},
		{"two URLs", []string{"-origin", app, "https://a.example", "https://b.example"}, "one URL, got 2 arguments: https://a.example https://b.example"},
		{"a timeout of zero", []string{"-origin", app, "-timeout", "0s", "https://a.example"}, "-timeout must be positive"},
		{"a negative deadline", []string{"-origin", app, "-deadline", "-1s", "https://a.example"}, "-deadline must be positive"},
		{"explain without -origin", []string{"https://a.example"}, "-origin is required: the origin of the page that calls the API, e.g. -origin https://app.example.com"},
		{"explain without a URL", []string{"-origin", app}, "the URL to call is missing"},
		{"scan with -config", []string{"-scan", "-config", "cors.json", "https://a.example"}, "-scan works on a live server, not with -config"},
		{"scan without a URL", []string{"-scan"}, "-scan needs the URL of an API"},
		{"calls and scan", []string{"-calls", "calls.json", "-scan", "https://a.example"}, "-calls and -scan are two modes: give one of them"},
		{"version and more", []string{"-version", "-json"}, "-version prints the version and nothing else: remove -json"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := parseArgs(tt.args, io.Discard)
			var usage *usageError
			require.True(t, errors.As(err, &usage), "%v is a *usageError", err)
			assert.Equal(t, tt.reason, usage.reason)

			code, out, errOut := run(t, tt.args...)
			assert.Equal(t, exitTrouble, code)
			assert.Empty(t, out)
			assert.Equal(t, "corscheck: "+tt.reason+"\nrun corscheck -h for the usage\n", errOut)
		})
	}
}

func TestHelpIsNotAUsageError(t *testing.T) {
	var usage strings.Builder
	_, err := parseArgs([]string{"-h"}, &usage)
	assert.ErrorIs(t, err, flag.ErrHelp)
	assert.False(t, errors.As(err, new(*usageError)))
	assert.Contains(t, usage.String(), "corscheck -version")
	assert.Contains(t, usage.String(), "-version\n")
}
