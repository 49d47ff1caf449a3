// Package tracehook lets this module's commands read the browser's trace behind a corstest.Result,
// which corstest keeps unexported so that internal/fetch's types stay out of its public API.
//
// The corscheck command judges each call of a -calls file with corstest (so that the command and the
// package give one verdict), then explains it from the trace with internal/explain in its own terms:
// the file's keys instead of Call's fields, and, with -config, the exact option the policy file lacks.
//
// corstest registers itself when it is initialised; nothing else calls Register.
package tracehook

import "github.com/crossorigin/cors/internal/fetch"

// traceOf returns the trace behind a *corstest.Result; nil until corstest registers it.
var traceOf func(result any) *fetch.Trace

// Register is for corstest: f returns the trace behind a *corstest.Result, nil for anything else.
func Register(f func(result any) *fetch.Trace) { traceOf = f }

// Trace returns everything the browser did for result, a *corstest.Result: nil for anything else (a
// nil result included), or when corstest is not linked into the program.
func Trace(result any) *fetch.Trace {
	if traceOf == nil {
		return nil
	}
	return traceOf(result)
}
