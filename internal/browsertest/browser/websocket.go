package browser

import (
	"fmt"
)

// WebSocketOutcome is what the page saw of a WebSocket.
type WebSocketOutcome struct {
	Opened    bool   `json:"opened"`    // the open event fired
	Echo      string `json:"echo"`      // the first message received after sending one
	Error     bool   `json:"error"`     // the error event fired
	CloseCode int    `json:"closeCode"` // the close event's code; 1006 when the handshake failed, 0 when none fired
	Thrown    string `json:"thrown"`    // the exception the constructor threw, if any
}

// webSocketJS opens a WebSocket, sends msg once it is open, and settles on
// the first message or on close. An engine that blocks the socket before
// any connection (WebKit, for mixed content) may fire error and never
// close: the script then settles a second after the error.
const webSocketJS = `(url, msg) => new Promise((resolve) => {
  const out = {opened: false, echo: "", error: false, closeCode: 0, thrown: ""};
  let ws;
  try { ws = new WebSocket(url); } catch (e) { out.thrown = String(e); resolve(out); return; }
  ws.onopen = () => { out.opened = true; ws.send(msg); };
  ws.onmessage = (e) => { out.echo = String(e.data); ws.close(1000); };
  ws.onerror = () => { out.error = true; setTimeout(() => resolve(out), 1000); };
  ws.onclose = (e) => { out.closeCode = e.code; resolve(out); };
})`

// WebSocket makes the page at origin open a WebSocket to url, send msg once
// it is open, and close it after the first message back.
func (b *Browser) WebSocket(origin, url, msg string) (WebSocketOutcome, error) {
	got, err := Eval[WebSocketOutcome](b, origin, fmt.Sprintf("(%s)(%s, %s)", webSocketJS, jsValue(url), jsValue(msg)))
	if err != nil {
		return WebSocketOutcome{}, fmt.Errorf("new WebSocket(%s) from %s: %w", url, origin, err)
	}
	return got, nil
}
