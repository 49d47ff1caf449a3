//go:build !linux

package cachetest

import "os/exec"

// killWithParent: only Linux can tie nginx's life to the test binary; elsewhere
// the test's cleanup is the only way nginx is stopped.
func killWithParent(*exec.Cmd) {}
