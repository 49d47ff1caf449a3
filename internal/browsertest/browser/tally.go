package browser

import (
	"fmt"
	"slices"
	"sync"
	"testing"
	"time"
)

// Tally counts the outcome of the cases run in one engine, for the summary
// line that a suite logs at its end (docs/conformance.md's table is built from it).
type Tally struct {
	Engine  string
	Version string
	Wall    time.Duration

	mu                                    sync.Mutex
	passed, deviations, skipped, failures int
	deviationNames                        []string
}

// Record notes, when t ends, how a case ended: passed, passed by asserting a
// documented deviation of this engine from the Fetch standard (deviation is
// its one-line summary, "" for none), skipped, or failed. Call it at the
// start of the case's subtest.
func (y *Tally) Record(t *testing.T, deviation func() string) {
	t.Cleanup(func() {
		y.mu.Lock()
		defer y.mu.Unlock()
		switch d := deviation(); {
		case t.Failed():
			y.failures++
		case t.Skipped():
			y.skipped++
		case d != "":
			y.deviations++
			if !slices.Contains(y.deviationNames, d) {
				y.deviationNames = append(y.deviationNames, d)
			}
		default:
			y.passed++
		}
	})
}

// Summary is the tally as one machine-readable line.
func (y *Tally) Summary() string {
	y.mu.Lock()
	defer y.mu.Unlock()
	return fmt.Sprintf("browser-summary engine=%s version=%q cases=%d passed=%d deviation=%d skipped=%d failed=%d wall=%s",
		y.Engine, y.Version, y.passed+y.deviations+y.skipped+y.failures, y.passed, y.deviations, y.skipped, y.failures,
		y.Wall.Round(100*time.Millisecond))
}

// Deviations lists the distinct deviations recorded, in the order first seen.
func (y *Tally) Deviations() []string {
	y.mu.Lock()
	defer y.mu.Unlock()
	return slices.Clone(y.deviationNames)
}
