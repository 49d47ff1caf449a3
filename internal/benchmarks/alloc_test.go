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
			assert.LessOrEqual(t, got, AllocTarget(c.Scenario.Name))
		})
	}
}

func TestTheAllocationTargetIsZeroForRefusedAndHostilePreflightsOnly(t *testing.T) {
	zero := map[string]bool{}
	for _, s := range Scenarios() {
		if AllocTarget(s.Name) == 0 {
			zero[s.Name] = true
		}
	}
	assert.Equal(t, map[string]bool{
		PreflightRefused: true, PreflightACRH1K: true, PreflightACRH64K: true,
		PreflightACRH1M: true, PreflightACRH1024: true,
	}, zero)
}
