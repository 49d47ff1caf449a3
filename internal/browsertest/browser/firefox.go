package browser

import (
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"regexp"
	"strings"
	"sync"
	"syscall"
	"time"

	"golang.org/x/net/websocket"
)

// firefoxDriver drives Debian's headless firefox-esr over its built-in
// WebDriver BiDi server: a WebSocket carrying JSON commands. No geckodriver.
type firefoxDriver struct {
	cmd     *exec.Cmd
	exited  chan struct{}
	profile string
	ws      *websocket.Conn
	context string // the browsing context (tab) id
	version string

	mu      sync.Mutex
	nextID  int
	pending map[int]chan bidiResponse
	readErr error
}

// startFirefox starts Debian's firefox-esr, headless, on a fresh profile
// that sends every connection through proxy, and opens a WebDriver BiDi
// session on its one tab.
func startFirefox(_ Config, proxy *Proxy) (Driver, error) {
	path, err := lookPath("firefox-esr")
	if err != nil {
		return nil, err
	}
	profile, err := newFirefoxProfile(proxy)
	if err != nil {
		return nil, err
	}
	d := &firefoxDriver{profile: profile, pending: map[int]chan bidiResponse{}}
	endpoint, err := d.launch(path)
	if err == nil {
		err = d.connect(endpoint)
	}
	if err == nil {
		err = d.newSession()
	}
	if err != nil {
		d.Close()
		return nil, err
	}
	return d, nil
}

// bidiListening is the line where Firefox says where its WebDriver BiDi
// server listens.
var bidiListening = regexp.MustCompile(`WebDriver BiDi listening on (ws://127\.0\.0\.1:\d+)`)

// launch runs the firefox-esr at path on d's profile, headless, with its
// WebDriver BiDi server on a port of its choosing, and returns the server's
// address once Firefox prints it.
func (d *firefoxDriver) launch(path string) (endpoint string, err error) {
	d.cmd = exec.Command(path, "--headless", "--no-remote", "--profile", d.profile,
		"--remote-debugging-port=0", "--remote-allow-origins=http://127.0.0.1")
	d.cmd.Env = append(os.Environ(), "MOZ_REMOTE_SETTINGS_DEVTOOLS=1", "MOZ_CRASHREPORTER_DISABLE=1")
	stderr, err := d.cmd.StderrPipe()
	if err != nil {
		return "", err
	}
	// Its own process group, so that Close stops its content processes too.
	if d.exited, err = startProcess(d.cmd); err != nil {
		return "", err
	}
	endpoint, lines := waitForLine(stderr, bidiListening, startTimeout)
	if endpoint == "" {
		return "", fmt.Errorf("%s printed no WebDriver BiDi endpoint; its output:\n%s", path, strings.Join(lines, "\n"))
	}
	return endpoint, nil
}

// Navigate asks for the load to complete (wait: "complete").
func (d *firefoxDriver) Navigate(url string) error {
	return d.call("browsingContext.navigate", map[string]any{"context": d.context, "url": url, "wait": "complete"}, navigateTimeout, nil)
}

// Evaluate runs js with script.evaluate, awaiting its promise; when timeout
// passes, it stops waiting for the answer.
func (d *firefoxDriver) Evaluate(js string, timeout time.Duration) (string, error) {
	var res struct {
		Type   string `json:"type"` // success or exception
		Result struct {
			Type  string          `json:"type"`
			Value json.RawMessage `json:"value"`
		} `json:"result"`
		ExceptionDetails struct {
			Text string `json:"text"`
		} `json:"exceptionDetails"`
	}
	err := d.call("script.evaluate", map[string]any{
		"expression":      js,
		"target":          map[string]any{"context": d.context},
		"awaitPromise":    true,
		"resultOwnership": "none",
	}, timeout, &res)
	switch {
	case err != nil:
		return "", err
	case res.Type == "exception":
		return "", fmt.Errorf("the script threw %s", res.ExceptionDetails.Text)
	case res.Result.Type != "string":
		return "", fmt.Errorf("the script returned a %s, not a string", res.Result.Type)
	}
	var s string
	err = json.Unmarshal(res.Result.Value, &s)
	return s, err
}

// Version is the browser's name and version, from session.new.
func (d *firefoxDriver) Version() string { return d.version }

// Close closes the BiDi connection, kills Firefox's process group and
// removes the profile.
func (d *firefoxDriver) Close() {
	if d.ws != nil {
		_ = d.ws.Close()
	}
	if d.cmd != nil && d.cmd.Process != nil {
		// The profile is thrown away, so there is nothing for Firefox to
		// save: its whole process group (content processes included) is
		// stopped at once, which is seconds faster than browser.close.
		_ = syscall.Kill(-d.cmd.Process.Pid, syscall.SIGKILL)
		<-d.exited
	}
	_ = os.RemoveAll(d.profile)
}
