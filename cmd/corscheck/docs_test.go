package main

import (
	"os"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// callsSection is the section of docs/corscheck.md on -calls.
func callsSection(t *testing.T) string {
	t.Helper()
	doc, err := os.ReadFile("../../docs/corscheck.md")
	require.NoError(t, err)
	_, section, ok := strings.Cut(string(doc), "## A CORS contract for CI: `-calls`\n")
	require.True(t, ok, "docs/corscheck.md has a section on -calls")
	section, _, _ = strings.Cut(section, "\n## ")
	return section
}

// fenced returns the body of the first fenced block of s that opens with the line fence and holds
// contains.
func fenced(t *testing.T, s, fence, contains string) string {
	t.Helper()
	var body []string
	open := "" // the opening line of the block being read, "" outside one
	for line := range strings.SplitSeq(s, "\n") {
		switch {
		case open == "" && strings.HasPrefix(line, "```"):
			open, body = line, nil
		case open != "" && line == "```":
			if text := strings.Join(body, "\n") + "\n"; open == fence && strings.Contains(text, contains) {
				return text
			}
			open = ""
		case open != "":
			body = append(body, line)
		}
	}
	t.Fatalf("no %s block holding %q", fence, contains)
	return ""
}

// transcript splits a block of "$ command" lines, each followed by its output and, for corscheck,
// "exit N", into the commands and their outputs.
func transcript(block string) (commands, outputs []string) {
	for _, part := range strings.Split(block, "$ ")[1:] {
		command, output, _ := strings.Cut(part, "\n")
		commands = append(commands, command)
		outputs = append(outputs, output)
	}
	return commands, outputs
}

// docsVersion is the version a JSON output in the docs shows.
var docsVersion = regexp.MustCompile(`"corscheck_version": "[^"]*"`)

func TestDocsCallsTranscriptsAreRealRuns(t *testing.T) {
	section := callsSection(t)
	calls := fenced(t, section, "```json", `"calls"`)
	human := fenced(t, section, "```", "$ cat cors.json")
	machine := fenced(t, section, "```", "$ corscheck -json")
	t.Chdir(t.TempDir())
	require.NoError(t, os.WriteFile("calls.json", []byte(calls), 0o600))

	for _, block := range []string{human, machine} {
		commands, outputs := transcript(block)
		for i, command := range commands {
			switch {
			case command == "cat cors.json":
				require.NoError(t, os.WriteFile("cors.json", []byte(outputs[i]), 0o600))
			case strings.HasPrefix(command, "corscheck "):
				code, out, errOut := run(t, strings.Fields(command)[1:]...)
				assert.Empty(t, errOut)
				// The docs show a released version; this test's binary has its own.
				want := docsVersion.ReplaceAllLiteralString(outputs[i], `"corscheck_version": "`+version()+`"`)
				assert.Equal(t, want, out+"exit "+strconv.Itoa(code)+"\n", "docs/corscheck.md shows %s", command)
			default:
				t.Fatalf("a command the test cannot run: %s", command)
			}
		}
	}
}

func TestDocsCallsWorkflowRunsTheCommandTheDocsDescribe(t *testing.T) {
	workflow := fenced(t, callsSection(t), "```yaml", "corscheck")
	for _, want := range []string{
		"go run github.com/crossorigin/cors/cmd/corscheck@latest -calls calls.json -config cors.json",
		"go run github.com/crossorigin/cors/cmd/corscheck@latest -calls calls.json -deadline 2m https://api.example.com",
	} {
		assert.Contains(t, workflow, want)
		args := strings.Fields(strings.TrimPrefix(want, "go run github.com/crossorigin/cors/cmd/corscheck@latest "))
		_, err := parseArgs(args, nil)
		assert.NoError(t, err, "%s is a valid command line", want)
	}
}

func TestDocsDescribeEveryFieldOfTheJSONOutputs(t *testing.T) {
	doc, err := os.ReadFile("../../docs/corscheck.md")
	require.NoError(t, err)
	_, section, ok := strings.Cut(string(doc), "\n## JSON output\n")
	require.True(t, ok)
	section, _, _ = strings.Cut(section, "\n## ")
	for _, item := range commandContract(t) {
		field, ok := strings.CutPrefix(item, contractPrefix+"json ")
		if !ok {
			continue
		}
		output, field, _ := strings.Cut(field, ", ")
		path, _, _ := strings.Cut(field, " ")
		key := path[strings.LastIndexAny(path, ".]")+1:]
		// A row of the output's table; the scan's fields and the counts of -calls are in the text, as
		// the keys of a JSON object ({"id", "severity", ...}).
		described := strings.Contains(section, "| `"+path+"` |") || output != "explain" && strings.Contains(section, `"`+key+`"`)
		assert.True(t, described, "docs/corscheck.md's JSON output describes %s", item)
	}
}
