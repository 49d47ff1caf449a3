package benchmarks

import (
	"fmt"
	"strings"
)

// OutcomeTable renders, as Markdown, what every library answered in every
// scenario: "allowed 204", "refused 403", "n/a", or what went wrong (✗).
func OutcomeTable(cells []*Cell) string {
	libs := Libraries()
	var b strings.Builder
	b.WriteString("| scenario | expected |")
	for _, l := range libs {
		b.WriteString(" " + l.Name + " |")
	}
	b.WriteString("\n|---|---|" + strings.Repeat("---|", len(libs)) + "\n")
	for i := 0; i < len(cells); {
		s := cells[i].Scenario
		expected := s.Expected()
		if ours := s.OursExpected(); ours != expected {
			expected += "; ours: " + ours
		}
		fmt.Fprintf(&b, "| %s | %s |", s.FullName(), expected)
		for _, l := range libs {
			b.WriteString(" " + Find(cells, s.FullName(), l.Name).Label() + " |")
		}
		b.WriteString("\n")
		for i < len(cells) && cells[i].Scenario == s {
			i++
		}
	}
	return b.String()
}

// Label is the cell's outcome as shown in the outcome table.
func (c *Cell) Label() string {
	switch {
	case c == nil:
		return ""
	case c.Scenario.Request == nil:
		return "n/a"
	case c.Handler == nil && c.Outcome.Verdict == "":
		return c.Skip
	case c.Wrong():
		return "✗ " + c.Outcome.String()
	case c.Library.Name == Ours && !c.Scenario.OursMatches(c.Outcome):
		return "✗ " + c.Outcome.String() // measured, but not what this library promises
	}
	return c.Outcome.String()
}

// Find returns the cell of a library in a scenario ("<config>/<request>").
func Find(cells []*Cell, scenario, library string) *Cell {
	for _, c := range cells {
		if c.Scenario.FullName() == scenario && c.Library.Name == library {
			return c
		}
	}
	return nil
}

// Expected is the outcome the scenario's name promises, as shown in the
// outcome table.
func (s *Scenario) Expected() string {
	switch {
	case s.Request == nil:
		return "n/a: " + s.NA
	case s.WildcardOK:
		return "refused or allowed (*)"
	}
	return s.Expect.String()
}
