package corstest

import (
	"github.com/crossorigin/cors/internal/fetch"
	"github.com/crossorigin/cors/internal/tracehook"
)

// The corscheck command judges a contract's calls with this package and explains them from the trace
// in its own terms; the trace stays out of this package's API.
func init() {
	tracehook.Register(func(result any) *fetch.Trace {
		if r, ok := result.(*Result); ok && r != nil {
			return r.trace
		}
		return nil
	})
}
