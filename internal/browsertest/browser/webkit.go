package browser

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"time"
)

// webkitDriver drives Debian's WebKitGTK MiniBrowser through WebKitWebDriver,
// plain W3C WebDriver over HTTP. MiniBrowser has no headless mode, so the
// driver runs on a virtual X display (Xvfb) that it starts and stops itself.
type webkitDriver struct {
	xvfb, driver *exec.Cmd
	xvfbDone     chan struct{}
	driverDone   chan struct{}
	base         string // http://127.0.0.1:<port>/session/<id>
	client       *http.Client
	version      string
}

// startXvfb starts a virtual X display and returns its DISPLAY value. Xvfb
// picks a free display number itself and writes it to -displayfd.
func startXvfb() (*exec.Cmd, chan struct{}, string, error) {
	path, err := lookPath("Xvfb")
	if err != nil {
		return nil, nil, "", err
	}
	r, w, err := os.Pipe()
	if err != nil {
		return nil, nil, "", err
	}
	defer r.Close()
	// fd 3 in the child is the first of ExtraFiles.
	cmd := exec.Command(path, "-displayfd", "3", "-screen", "0", "1280x800x24", "-nolisten", "tcp", "-nolisten", "unix")
	cmd.ExtraFiles = []*os.File{w}
	done, err := startProcess(cmd)
	_ = w.Close()
	if err != nil {
		return nil, nil, "", err
	}
	line := make(chan string, 1)
	go func() {
		s, _ := bufio.NewReader(r).ReadString('\n')
		line <- strings.TrimSpace(s)
	}()
	select {
	case n := <-line:
		if _, err := strconv.Atoi(n); err != nil {
			stopProcess(cmd, done, time.Second)
			return nil, nil, "", fmt.Errorf("no display number from Xvfb (%q)", n)
		}
		return cmd, done, ":" + n, nil
	case <-time.After(startTimeout):
		stopProcess(cmd, done, time.Second)
		return nil, nil, "", fmt.Errorf("no display from Xvfb within %s", startTimeout)
	}
}

// freePort asks the kernel for a free loopback port.
func freePort() (int, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, err
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port, nil
}

// startWebKit starts WebKitWebDriver on a virtual X display of its own and
// opens a session, in which MiniBrowser sends every connection through
// proxy.
func startWebKit(_ Config, proxy *Proxy) (Driver, error) {
	path, err := lookPath("WebKitWebDriver")
	if err != nil {
		return nil, err
	}
	d := &webkitDriver{client: &http.Client{Timeout: startTimeout}}
	var display string
	if d.xvfb, d.xvfbDone, display, err = startXvfb(); err != nil {
		return nil, err
	}
	root, err := d.launch(path, display)
	if err == nil {
		err = d.newSession(root, proxy)
	}
	if err != nil {
		d.Close()
		return nil, err
	}
	return d, nil
}

// launch runs the WebKitWebDriver at path on a free loopback port, its
// browsers on display, and returns its address, http://127.0.0.1:<port>,
// once it says it is ready.
func (d *webkitDriver) launch(path, display string) (root string, err error) {
	port, err := freePort()
	if err != nil {
		return "", err
	}
	d.driver = exec.Command(path, "--port="+strconv.Itoa(port), "--host=local")
	// No X authority is needed: the display accepts local clients only
	// (-nolisten tcp), and the driver and MiniBrowser share the
	// environment.
	d.driver.Env = append(os.Environ(), "DISPLAY="+display, "GDK_BACKEND=x11", "LIBGL_ALWAYS_SOFTWARE=1")
	d.driver.Stdout, d.driver.Stderr = io.Discard, io.Discard
	if d.driverDone, err = startProcess(d.driver); err != nil {
		return "", err
	}
	root = fmt.Sprintf("http://127.0.0.1:%d", port)
	// The driver listens within a moment of starting.
	deadline := time.Now().Add(startTimeout)
	for {
		var status struct {
			Ready bool `json:"ready"`
		}
		if err = d.do(http.MethodGet, root+"/status", nil, &status); err == nil && status.Ready {
			return root, nil
		}
		if time.Now().After(deadline) {
			return "", fmt.Errorf("%s did not become ready: %v", path, err)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// newSession opens a session of the driver at root, whose MiniBrowser
// accepts the tests' certificates and reaches everything through proxy,
// notes the browser's version, and bounds its scripts by Timeout and its
// page loads by navigateTimeout.
func (d *webkitDriver) newSession(root string, proxy *Proxy) error {
	var session struct {
		SessionID    string `json:"sessionId"`
		Capabilities struct {
			BrowserName    string `json:"browserName"`
			BrowserVersion string `json:"browserVersion"`
		} `json:"capabilities"`
	}
	caps := map[string]any{"capabilities": map[string]any{"alwaysMatch": map[string]any{
		// The tests' https servers use httptest's self-signed certificate.
		"acceptInsecureCerts": true,
		// MiniBrowser's own --proxy: the standard "proxy" capability with
		// sslProxy breaks TLS in this driver ("unexpected TLS packet").
		"webkitgtk:browserOptions": map[string]any{"args": []string{"--automation", "--proxy=http://" + proxy.Addr()}},
	}}}
	if err := d.do(http.MethodPost, root+"/session", caps, &session); err != nil {
		return err
	}
	d.base = root + "/session/" + session.SessionID
	d.version = "WebKitGTK " + session.Capabilities.BrowserVersion
	return d.do(http.MethodPost, d.base+"/timeouts", map[string]any{"script": Timeout.Milliseconds(), "pageLoad": navigateTimeout.Milliseconds()}, nil)
}

// do sends one WebDriver command and decodes the "value" of its answer into
// out; a WebDriver error becomes an error.
func (d *webkitDriver) do(method, url string, body, out any) error {
	var rd io.Reader
	if body != nil {
		j, err := json.Marshal(body)
		if err != nil {
			return err
		}
		rd = bytes.NewReader(j)
	}
	req, err := http.NewRequest(method, url, rd)
	if err != nil {
		return err
	}
	req.Header.Set("Content-Type", "application/json")
	resp, err := d.client.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	var answer struct {
		Value json.RawMessage `json:"value"`
	}
	if err := json.NewDecoder(io.LimitReader(resp.Body, 16<<20)).Decode(&answer); err != nil {
		return fmt.Errorf("%s %s: %s: %w", method, url, resp.Status, err)
	}
	if resp.StatusCode != http.StatusOK {
		var e struct {
			Error   string `json:"error"`
			Message string `json:"message"`
		}
		_ = json.Unmarshal(answer.Value, &e)
		return fmt.Errorf("%s %s: %s: %s: %s", method, url, resp.Status, e.Error, e.Message)
	}
	if out == nil {
		return nil
	}
	return json.Unmarshal(answer.Value, out)
}

// Navigate returns once WebDriver says the page loaded, within the
// session's page-load timeout.
func (d *webkitDriver) Navigate(url string) error {
	return d.do(http.MethodPost, d.base+"/url", map[string]any{"url": url}, nil)
}

// webkitAsync hands the settled promise's string to WebDriver's callback.
const webkitAsync = `const done = arguments[arguments.length - 1];
Promise.resolve(%s).then(done, (e) => done("error:" + String(e)));`

// Evaluate is bounded by the session's script timeout, Timeout, which
// WebDriver enforces in the browser; a shorter timeout is not needed by the
// harness's callers in WebKit, whose scripts settle at once.
func (d *webkitDriver) Evaluate(js string, _ time.Duration) (string, error) {
	var got string
	err := d.do(http.MethodPost, d.base+"/execute/async", map[string]any{"script": fmt.Sprintf(webkitAsync, js), "args": []any{}}, &got)
	return got, err
}

// Version is "WebKitGTK " and the version the session reports.
func (d *webkitDriver) Version() string { return d.version }

// Close ends the session, then stops the driver (and MiniBrowser with it)
// and the X display.
func (d *webkitDriver) Close() {
	if d.base != "" {
		_ = d.do(http.MethodDelete, d.base, nil, nil)
	}
	stopProcess(d.driver, d.driverDone, 5*time.Second)
	stopProcess(d.xvfb, d.xvfbDone, 5*time.Second)
}
