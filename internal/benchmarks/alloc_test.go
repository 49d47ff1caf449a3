package benchmarks

import (
	"testing"

	"github.com/stretchr/testify/assert"
)

func TestOursStaysWithinItsAllocationTargets(t *testing.T) {
	for _, c := range Matrix() {
		if c.Library.Name != Ours || c.Scenario.Request == nil {
			continue
		}
		t.Run(c.Scenario.FullName(), func(t *testing.T) {
			if c.Handler == nil {
				t.Fatalf("no middleware to measure: %s", c.Skip)
			}
			w := NewWriter()
			c.Serve(w) // let the writer's map grow to its working size
			got := testing.AllocsPerRun(50, func() { c.Serve(w) })
			assert.LessOrEqual(t, got, float64(AllocTarget))
		})
	}
}
