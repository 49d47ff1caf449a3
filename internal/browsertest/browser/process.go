package browser

import (
	"bufio"
	"io"
	"os/exec"
	"regexp"
	"sync"
	"syscall"
	"time"
)

// startProcess starts cmd in its own process group, so that stopProcess
// stops its children too, and returns a channel closed when it exits.
func startProcess(cmd *exec.Cmd) (chan struct{}, error) {
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	if err := cmd.Start(); err != nil {
		return nil, err
	}
	done := make(chan struct{})
	go func() { _ = cmd.Wait(); close(done) }()
	return done, nil
}

// stopProcess ends cmd's process group: SIGTERM, then SIGKILL after grace.
func stopProcess(cmd *exec.Cmd, done chan struct{}, grace time.Duration) {
	if cmd == nil || done == nil {
		return
	}
	_ = syscall.Kill(-cmd.Process.Pid, syscall.SIGTERM)
	select {
	case <-done:
	case <-time.After(grace):
		_ = syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL)
		<-done
	}
	// Children that outlived their parent.
	_ = syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL)
}

// waitForLine reads r until a line matches re, and returns the first
// submatch, or "" with the lines read when r ends or the time is up. It keeps
// reading r in the background afterwards, so the process never blocks on a
// full pipe.
func waitForLine(r io.Reader, re *regexp.Regexp, within time.Duration) (string, []string) {
	found := make(chan string, 1)
	var mu sync.Mutex
	var lines []string
	go func() {
		s := bufio.NewScanner(r)
		s.Buffer(make([]byte, 64*1024), 1024*1024)
		sent := false
		for s.Scan() {
			if sent {
				continue
			}
			mu.Lock()
			if len(lines) < 200 {
				lines = append(lines, s.Text())
			}
			mu.Unlock()
			if m := re.FindStringSubmatch(s.Text()); m != nil {
				found <- m[1]
				sent = true
			}
		}
		if !sent {
			found <- ""
		}
		_, _ = io.Copy(io.Discard, r)
	}()
	select {
	case m := <-found:
		mu.Lock()
		defer mu.Unlock()
		return m, append([]string(nil), lines...)
	case <-time.After(within):
		mu.Lock()
		defer mu.Unlock()
		return "", append([]string(nil), lines...)
	}
}
