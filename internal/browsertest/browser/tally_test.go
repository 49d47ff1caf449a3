package browser

import (
	"testing"

	"github.com/stretchr/testify/assert"
)

func TestTallyCountsEachWayACaseEnds(t *testing.T) {
	y := &Tally{Engine: WebKit, Version: "WebKitGTK 2.50.6"}
	run := func(name, deviation string, f func(t *testing.T)) {
		// Only a subtest that does not fail can run inside this test; a
		// failing case is counted through the same path by Record.
		t.Run(name, func(t *testing.T) {
			y.Record(t, func() string { return deviation })
			f(t)
		})
	}
	run("passes", "", func(*testing.T) {})
	run("passes again", "", func(*testing.T) {})
	run("deviates", "lets * cover Authorization", func(*testing.T) {})
	run("deviates the same way", "lets * cover Authorization", func(*testing.T) {})
	run("skips", "ignored when skipped", func(t *testing.T) { t.Skip("cannot run here") })
	assert.Equal(t, `browser-summary engine=webkit version="WebKitGTK 2.50.6" cases=5 passed=2 deviation=2 skipped=1 failed=0 wall=0s`, y.Summary())
	assert.Equal(t, []string{"lets * cover Authorization"}, y.Deviations())
}
