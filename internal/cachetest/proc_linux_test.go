package cachetest

import (
	"os/exec"
	"syscall"
)

// killWithParent makes the kernel kill nginx if the test binary dies before
// its cleanup runs (for example when `go test -timeout` fires).
func killWithParent(cmd *exec.Cmd) {
	cmd.SysProcAttr = &syscall.SysProcAttr{Pdeathsig: syscall.SIGKILL}
}
