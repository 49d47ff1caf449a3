package main

import (
	"bufio"
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"runtime"
	"strings"
)

// Env is what the report says about where the numbers come from.
type Env struct {
	GOOS, GOARCH, CPU, Go, Run, Load, Stat, Library string
	CPUs                                            int
}

// describe completes env, as Parse read it from the benchmark output, with
// how the numbers were taken (or the file they were read from), the load
// on the machine before and after, the Go version and, for a run, the
// library's commit.
func describe(env *Env, o options, loadBefore string) {
	env.Run = fmt.Sprintf("%d pass(es) of `-benchtime %s`", o.count, o.benchtime)
	env.Load = loadBefore + " before, " + loadAverage() + " after"
	if o.from != "" {
		env.Run, env.Load = "from "+o.from, "not recorded"
	}
	env.Stat = o.stat
	env.CPUs = runtime.NumCPU()
	if env.CPU == "" {
		env.CPU = cpuModel()
	}
	if v, err := exec.Command("go", "env", "GOVERSION").Output(); err == nil {
		env.Go = strings.TrimSpace(string(v))
	}
	if o.from == "" {
		env.Library = libraryRevision()
	}
}

// cpuModel is the CPU's model name from /proc/cpuinfo, or GOARCH where it
// cannot be read.
func cpuModel() string {
	f, err := os.Open("/proc/cpuinfo")
	if err != nil {
		return runtime.GOARCH
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if k, v, ok := strings.Cut(sc.Text(), ":"); ok && strings.TrimSpace(k) == "model name" {
			return strings.TrimSpace(v)
		}
	}
	return runtime.GOARCH
}

// loadAverage is the 1-minute load average: other work on the machine
// inflates every timing, so the report states it.
func loadAverage() string {
	b, err := os.ReadFile("/proc/loadavg")
	if err != nil {
		return "unknown"
	}
	return strings.Fields(string(b) + " unknown")[0]
}

// libraryRevision names the commit of the library the benchmarks were built
// from (they build the working tree, through the replace directive), and
// says whether its Go files had uncommitted changes.
func libraryRevision() string {
	root, err := exec.Command("go", "list", "-m", "-f", "{{.Dir}}", "github.com/crossorigin/cors").Output()
	if err != nil {
		return ""
	}
	dir := strings.TrimSpace(string(root))
	rev, err := exec.Command("git", "-C", dir, "rev-parse", "--short", "HEAD").Output()
	if err != nil {
		return ""
	}
	s := "library at " + strings.TrimSpace(string(rev))
	dirty, err := exec.Command("git", "-C", dir, "status", "--porcelain", "--", "*.go", ":!internal/benchmarks").Output()
	if err == nil && len(bytes.TrimSpace(dirty)) > 0 {
		s += " plus uncommitted changes"
	}
	return s
}
