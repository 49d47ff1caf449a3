package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

// writeModule writes the module example.com/lib into a new directory, with files (path → content; a go.mod
// of go 1.23 unless files has one), and returns the directory.
func writeModule(t *testing.T, files map[string]string) string {
	t.Helper()
	dir := t.TempDir()
	if _, ok := files["go.mod"]; !ok {
		files["go.mod"] = "module example.com/lib\n\ngo 1.23\n"
	}
	for name, content := range files {
		write(t, dir, name, content)
	}
	return dir
}

// write writes content to name under dir, making its directory.
func write(t *testing.T, dir, name, content string) {
	t.Helper()
	file := filepath.Join(dir, name)
	require.NoError(t, os.MkdirAll(filepath.Dir(file), 0o755))
	require.NoError(t, os.WriteFile(file, []byte(content), 0o644))
}

// gateRun runs apicheck on the module in dir with args, and returns its exit status and its output.
func gateRun(t *testing.T, dir string, args ...string) (int, string) {
	t.Helper()
	var out bytes.Buffer
	status := run(append([]string{"-root", dir}, args...), &out, &out)
	return status, out.String()
}

// reported returns the lines of out that name a change (removed:, changed:, to:, added:), trimmed.
func reported(out string) []string {
	var lines []string
	for _, l := range strings.Split(out, "\n") {
		if strings.HasPrefix(l, "\t") {
			lines = append(lines, strings.TrimSpace(l))
		}
	}
	return lines
}

// edit returns src with old replaced by new, and fails the test if src does not hold old exactly once:
// a planted change that plants nothing would make the test pass for the wrong reason.
func edit(t *testing.T, src, old, new string) string {
	t.Helper()
	require.Equal(t, 1, strings.Count(src, old), "the change to plant must match the source exactly once: %q", old)
	return strings.Replace(src, old, new, 1)
}
