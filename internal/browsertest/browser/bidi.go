package browser

import (
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"golang.org/x/net/websocket"
)

// bidiResponse is a message from the BiDi server: the answer to a command
// (success or error), or an event.
type bidiResponse struct {
	ID      int             `json:"id"`
	Type    string          `json:"type"` // success, error, event
	Result  json.RawMessage `json:"result"`
	Error   string          `json:"error"`
	Message string          `json:"message"`
}

// connect opens the WebSocket to the BiDi server at endpoint and starts
// delivering its answers (read).
func (d *firefoxDriver) connect(endpoint string) error {
	// x/net/websocket always sends an Origin, which --remote-allow-origins admits.
	ws, err := websocket.Dial(endpoint+"/session", "", "http://127.0.0.1")
	if err != nil {
		return err
	}
	d.ws = ws
	go d.read()
	return nil
}

// newSession starts the BiDi session, which accepts the tests' certificates,
// notes the browser's version, and finds the tab the driver uses.
func (d *firefoxDriver) newSession() error {
	var session struct {
		Capabilities struct {
			BrowserName    string `json:"browserName"`
			BrowserVersion string `json:"browserVersion"`
		} `json:"capabilities"`
	}
	// The tests' https servers use httptest's self-signed certificate.
	caps := map[string]any{"capabilities": map[string]any{"alwaysMatch": map[string]any{"acceptInsecureCerts": true}}}
	if err := d.call("session.new", caps, startTimeout, &session); err != nil {
		return err
	}
	d.version = session.Capabilities.BrowserName + " " + session.Capabilities.BrowserVersion
	var tree struct {
		Contexts []struct {
			Context string `json:"context"`
		} `json:"contexts"`
	}
	if err := d.call("browsingContext.getTree", map[string]any{}, Timeout, &tree); err != nil || len(tree.Contexts) == 0 {
		return fmt.Errorf("finding the tab: %v (%d contexts)", err, len(tree.Contexts))
	}
	d.context = tree.Contexts[0].Context
	return nil
}

// read delivers each response to the command waiting for it; events, which
// the driver never subscribes to, are dropped.
func (d *firefoxDriver) read() {
	for {
		var msg bidiResponse
		err := websocket.JSON.Receive(d.ws, &msg)
		d.mu.Lock()
		if err != nil {
			d.readErr = err
			for id, ch := range d.pending {
				close(ch)
				delete(d.pending, id)
			}
			d.mu.Unlock()
			return
		}
		if ch, ok := d.pending[msg.ID]; ok && msg.Type != "event" {
			delete(d.pending, msg.ID)
			ch <- msg
		}
		d.mu.Unlock()
	}
}

// call sends one BiDi command and decodes its result into out.
func (d *firefoxDriver) call(method string, params any, timeout time.Duration, out any) error {
	d.mu.Lock()
	if d.readErr != nil {
		d.mu.Unlock()
		return fmt.Errorf("the BiDi connection is closed: %w", d.readErr)
	}
	d.nextID++
	id := d.nextID
	ch := make(chan bidiResponse, 1)
	d.pending[id] = ch
	d.mu.Unlock()
	forget := func() {
		d.mu.Lock()
		delete(d.pending, id)
		d.mu.Unlock()
	}
	if err := websocket.JSON.Send(d.ws, map[string]any{"id": id, "method": method, "params": params}); err != nil {
		forget()
		return err
	}
	select {
	case msg, ok := <-ch:
		if !ok {
			return errors.New("the BiDi connection closed")
		}
		if msg.Type == "error" {
			return fmt.Errorf("%s: %s: %s", method, msg.Error, msg.Message)
		}
		if out == nil {
			return nil
		}
		return json.Unmarshal(msg.Result, out)
	case <-time.After(timeout):
		forget()
		return fmt.Errorf("%s did not answer within %s", method, timeout)
	}
}
