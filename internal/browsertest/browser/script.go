package browser

import (
	"encoding/json"
	"fmt"
	"strings"
	"time"
)

// settle wraps js so that it resolves to "ok:" and the JSON of its value, or
// to "error:" and the exception: every driver then has the same, simple job.
func settle(js string) string {
	return `(async () => {
  try { const v = await (` + js + `); return "ok:" + JSON.stringify(v === undefined ? null : v); }
  catch (e) { return "error:" + String(e); }
})()`
}

// ScriptError is an exception thrown by, or a rejection of, a page's script.
type ScriptError struct{ Message string }

func (e *ScriptError) Error() string { return "the script threw " + e.Message }

// run evaluates js in the page shown and decodes its JSON value into out.
// The caller holds b.mu.
func (b *Browser) run(js string, timeout time.Duration, out any) error {
	raw, err := b.driver.Evaluate(settle(js), timeout)
	if err != nil {
		// The page may be stuck or gone: show it afresh next time.
		b.origin = ""
		return err
	}
	switch {
	case strings.HasPrefix(raw, "ok:"):
		if out == nil {
			return nil
		}
		return json.Unmarshal([]byte(raw[len("ok:"):]), out)
	case strings.HasPrefix(raw, "error:"):
		return &ScriptError{Message: raw[len("error:"):]}
	}
	return fmt.Errorf("unexpected script result %q", raw)
}

// Eval runs the JavaScript expression js in the page of origin, waits for the
// promise it returns (if any) for at most Timeout, and returns its value,
// decoded from JSON into T. The expression may be any async code: this is
// the generic hook for checks that need more than Fetch or WebSocket.
func Eval[T any](b *Browser, origin, js string) (T, error) {
	var got T
	b.mu.Lock()
	defer b.mu.Unlock()
	if err := b.show(origin); err != nil {
		return got, err
	}
	if err := b.run(js, Timeout, &got); err != nil {
		return got, fmt.Errorf("%s: in %s: %w", b.engine.Name, origin, err)
	}
	return got, nil
}

// Run is Eval on the page that the tab shows now, whatever its origin (after
// Navigate, or after a form submission).
func Run[T any](b *Browser, js string) (T, error) {
	var got T
	b.mu.Lock()
	defer b.mu.Unlock()
	if err := b.run(js, Timeout, &got); err != nil {
		return got, fmt.Errorf("%s: %w", b.engine.Name, err)
	}
	return got, nil
}

// jsValue writes v as a JavaScript literal.
func jsValue(v any) string {
	j, err := json.Marshal(v)
	if err != nil {
		panic(err) // strings and maps of strings always marshal
	}
	return string(j)
}
