package browser

import (
	"fmt"
	"os"
	"os/exec"
	"slices"
	"strings"
	"testing"
	"time"
)

// The engines, by the names CORS_BROWSERS takes.
const (
	Chromium = "chromium"
	Firefox  = "firefox"
	WebKit   = "webkit"
)

// Environment variables read by ForEach.
const (
	// BrowsersEnv selects engines: a comma-separated list of engine names.
	// Unset or empty means every engine.
	BrowsersEnv = "CORS_BROWSERS"
	// SkipEnv, when set to 1, makes every browser test skip instead of
	// failing on a machine without the browsers. CI never sets it.
	SkipEnv = "CORS_SKIP_BROWSER"
)

// Engine describes one browser engine: how to find it, how to install it,
// and what its pages see when a fetch is blocked.
type Engine struct {
	Name string // chromium, firefox or webkit
	// Binaries are the programs the engine needs, each looked up on the PATH
	// and then at the Debian path.
	Binaries []string
	// Install is the command that installs the engine on Debian.
	Install string
	// NetworkError is what a page's fetch rejects with on a CORS failure.
	NetworkError string
	// Package is the Debian package whose version names the engine.
	Package string

	start func(cfg Config, proxy *Proxy) (Driver, error)
}

var engines = []Engine{
	{
		Name: Chromium, Binaries: []string{"chromium"}, Package: "chromium",
		Install:      "apt-get update && apt-get install -y --no-install-recommends chromium",
		NetworkError: "TypeError: Failed to fetch",
		start:        startChromium,
	},
	{
		Name: Firefox, Binaries: []string{"firefox-esr"}, Package: "firefox-esr",
		Install:      "apt-get update && apt-get install -y --no-install-recommends firefox-esr",
		NetworkError: "TypeError: NetworkError when attempting to fetch resource.",
		start:        startFirefox,
	},
	{
		// xauth is installed beside Xvfb for xvfb-run, which a developer may
		// use by hand; the harness starts Xvfb itself and needs no X authority.
		Name: WebKit, Binaries: []string{"WebKitWebDriver", "Xvfb"}, Package: "webkit2gtk-driver",
		Install:      "apt-get update && apt-get install -y --no-install-recommends webkit2gtk-driver xvfb xauth",
		NetworkError: "TypeError: Load failed",
		start:        startWebKit,
	},
}

// Names lists every engine, in the order ForEach runs them.
func Names() []string {
	var names []string
	for _, e := range engines {
		names = append(names, e.Name)
	}
	return names
}

// Lookup returns the engine of that name.
func Lookup(name string) (Engine, bool) {
	for _, e := range engines {
		if e.Name == name {
			return e, true
		}
	}
	return Engine{}, false
}

// path finds the engine's first binary, and checks that the others exist.
func (e Engine) path() (string, error) {
	var first string
	for i, bin := range e.Binaries {
		p, err := lookPath(bin)
		if err != nil {
			return "", fmt.Errorf("%s is not installed: %w", e.Name, err)
		}
		if i == 0 {
			first = p
		}
	}
	return first, nil
}

// lookPath finds bin on the PATH, or else in Debian's directories for
// programs, which a restricted PATH may lack.
func lookPath(bin string) (string, error) {
	if p, err := exec.LookPath(bin); err == nil {
		return p, nil
	}
	for _, dir := range []string{"/usr/bin", "/usr/sbin", "/usr/local/bin"} {
		p := dir + "/" + bin
		if st, err := os.Stat(p); err == nil && !st.IsDir() && st.Mode()&0o111 != 0 {
			return p, nil
		}
	}
	return "", fmt.Errorf("%s: %w", bin, exec.ErrNotFound)
}

// Selected returns the engines named by value, a comma-separated list, in
// the order ForEach runs them; an empty value selects every engine.
func Selected(value string) ([]Engine, error) {
	if strings.TrimSpace(value) == "" {
		return slices.Clone(engines), nil
	}
	want := map[string]bool{}
	for _, n := range strings.Split(value, ",") {
		n = strings.ToLower(strings.TrimSpace(n))
		if n == "" {
			continue
		}
		if _, ok := Lookup(n); !ok {
			return nil, fmt.Errorf("%s=%q: unknown engine %q (known: %s)", BrowsersEnv, value, n, strings.Join(Names(), ", "))
		}
		want[n] = true
	}
	var out []Engine
	for _, e := range engines {
		if want[e.Name] {
			out = append(out, e)
		}
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("%s=%q names no engine (known: %s)", BrowsersEnv, value, strings.Join(Names(), ", "))
	}
	return out, nil
}

// Unavailable says what a test needing the engine must do when its browser
// is not there: skip (when told to), fail with the command that installs it,
// or nothing (msg == "").
func Unavailable(e Engine, skipRequested bool, browserErr error) (skip bool, msg string) {
	switch {
	case skipRequested:
		return true, fmt.Sprintf("%s=1: the %s browser tests are skipped; unset it to run them (install: %s)", SkipEnv, e.Name, e.Install)
	case browserErr != nil:
		return false, fmt.Sprintf("the browser tests need %s: %v\ninstall it with: %s\nor set %s=1 to skip them, or %s to run other engines",
			e.Name, browserErr, e.Install, SkipEnv, BrowsersEnv)
	}
	return false, ""
}

// ForEach runs f once per selected engine, as a subtest named after the
// engine, one engine after the other: each subtest gets its engine's browser,
// started with cfg, and closes it when f returns. It logs the browser's
// version, its start-up time and f's wall time.
//
// While one engine runs its cases, the next engine's browser starts, so
// that its start-up (seconds, mostly spent waiting on the browser) overlaps
// the cases instead of adding to them: at most two browsers are alive at
// once, and only one runs cases at a time.
func ForEach(t *testing.T, cfg Config, f func(t *testing.T, b *Browser)) {
	t.Helper()
	selected, err := Selected(os.Getenv(BrowsersEnv))
	if err != nil {
		t.Fatal(err)
	}
	skipRequested := os.Getenv(SkipEnv) == "1"
	// pending[i] delivers engine i's browser. Two starts are in flight at
	// the start; each engine started later starts when the one before the
	// previous is closed.
	pending := make([]chan started, len(selected))
	for i := 0; i < len(selected) && i < 2; i++ {
		pending[i] = startInBackground(selected[i], cfg, skipRequested)
	}
	defer closeUnused(pending)
	for i, e := range selected {
		s := <-pending[i]
		pending[i] = nil
		t.Run(e.Name, func(t *testing.T) { runWith(t, e, s, skipRequested, f) })
		if i+2 < len(selected) {
			pending[i+2] = startInBackground(selected[i+2], cfg, skipRequested)
		}
	}
}

// started is what starting an engine's browser gave: the browser, or why
// it is not there, and how long starting took.
type started struct {
	b    *Browser
	err  error
	took time.Duration
}

// startInBackground starts e's browser with cfg in a goroutine and delivers
// it on the channel returned; when skipRequested, it starts nothing and
// delivers an empty started at once.
func startInBackground(e Engine, cfg Config, skipRequested bool) chan started {
	ch := make(chan started, 1)
	if skipRequested {
		ch <- started{}
		return ch
	}
	go func() {
		begin := time.Now()
		b, err := Start(e.Name, cfg)
		ch <- started{b, err, time.Since(begin)}
	}()
	return ch
}

// closeUnused waits for the starts still pending and closes their
// browsers: those started for engines that never ran (the test was
// stopped) are closed all the same.
func closeUnused(pending []chan started) {
	for _, ch := range pending {
		if ch != nil {
			if s := <-ch; s.b != nil {
				s.b.Close()
			}
		}
	}
}

// runWith runs f in t, engine e's subtest, with the browser s: t skips or
// fails (need) when there is none. It logs the browser's version, its
// start-up time and f's wall time, and closes the browser when f returns.
func runWith(t *testing.T, e Engine, s started, skipRequested bool, f func(t *testing.T, b *Browser)) {
	if s.b != nil {
		defer func() {
			closing := time.Now()
			s.b.Close()
			t.Logf("browser %s: closed in %s", e.Name, time.Since(closing).Round(time.Millisecond))
		}()
	}
	need(t, e, skipRequested, s.err)
	t.Logf("browser %s: %s, started in %s", e.Name, s.b.Product(), s.took.Round(time.Millisecond))
	begin := time.Now()
	defer func() {
		t.Logf("browser %s: %s wall time %s", e.Name, t.Name(), time.Since(begin).Round(time.Millisecond))
	}()
	f(t, s.b)
}

// Need starts the engine's browser for t, or makes t skip (SkipEnv=1) or fail
// with the install command. The caller closes the browser.
func Need(t testing.TB, e Engine, cfg Config) *Browser {
	t.Helper()
	skipRequested := os.Getenv(SkipEnv) == "1"
	var b *Browser
	var err error
	if !skipRequested {
		b, err = Start(e.Name, cfg)
	}
	need(t, e, skipRequested, err)
	return b
}

// need makes t skip or fail, following Unavailable, when the browser is not
// there.
func need(t testing.TB, e Engine, skipRequested bool, err error) {
	t.Helper()
	skip, msg := Unavailable(e, skipRequested, err)
	switch {
	case skip:
		t.Skip(msg)
	case msg != "":
		t.Fatal(msg)
	}
}
