package browser

import (
	"fmt"
	"strings"
)

// Request is what the page asks fetch() for.
type Request struct {
	Method      string            // "" = GET
	Headers     map[string]string // request headers set by the script
	Credentials string            // "include", "omit"; "" = fetch's default (same-origin)
	Body        string
	// Sandboxed makes the fetch from an iframe of the page sandboxed with
	// only allow-scripts: it has an opaque origin, so it sends "Origin: null".
	Sandboxed bool
	// Timing asks for the PerformanceResourceTiming entry of the fetch.
	Timing bool
}

// Outcome is what the page saw of a fetch.
type Outcome struct {
	OK      bool              `json:"ok"` // fetch resolved: the page could read the response
	Status  int               `json:"status"`
	Body    string            `json:"body"`
	Headers map[string]string `json:"headers"` // the response headers readable by the page
	Error   string            `json:"error"`   // why fetch rejected
	// Timing is the fetch's resource timing entry, when Request.Timing asked
	// for it and the browser recorded one.
	Timing *ResourceTiming `json:"timing,omitempty"`
}

// ResourceTiming is what PerformanceResourceTiming tells the page about one
// fetch. Fetch's "timing allow check" decides what a cross-origin page sees:
// without Timing-Allow-Origin, transferSize, encodedBodySize and serverTiming
// are zero or empty.
type ResourceTiming struct {
	TransferSize    int            `json:"transferSize"`
	EncodedBodySize int            `json:"encodedBodySize"`
	DecodedBodySize int            `json:"decodedBodySize"`
	ResponseStatus  int            `json:"responseStatus"` // 0 where the engine lacks the attribute
	ServerTiming    []ServerTiming `json:"serverTiming"`
}

// ServerTiming is one entry of the Server-Timing header, as the page reads it.
type ServerTiming struct {
	Name        string  `json:"name"`
	Duration    float64 `json:"duration"`
	Description string  `json:"description"`
}

// fetchJS runs fetch(url, init) and reports what the calling script can see.
// The resource timing entry is added after the body is read; some engines
// record it a moment later, so the script waits up to a second for it.
const fetchJS = `async (url, init, timing) => {
  const entry = async () => {
    const abs = new URL(url, location.href).href;
    for (let i = 0; i < 50; i++) {
      const es = performance.getEntriesByName(abs, "resource");
      if (es.length > 0) {
        const e = es[es.length - 1];
        return {transferSize: e.transferSize, encodedBodySize: e.encodedBodySize, decodedBodySize: e.decodedBodySize,
          responseStatus: e.responseStatus || 0,
          serverTiming: (e.serverTiming || []).map((s) => ({name: s.name, duration: s.duration, description: s.description}))};
      }
      await new Promise((r) => setTimeout(r, 20));
    }
    return null;
  };
  let out;
  try {
    const r = await fetch(url, init);
    const headers = {};
    r.headers.forEach((v, k) => { headers[k] = v; });
    const body = await r.text();
    out = {ok: true, status: r.status, body, headers, error: ""};
  } catch (e) {
    out = {ok: false, status: 0, body: "", headers: {}, error: String(e)};
  }
  if (timing) { const t = await entry(); if (t) out.timing = t; }
  return out;
}`

// sandboxJS runs a script inside an iframe of the page that is sandboxed with
// only allow-scripts; the iframe posts its result back to the page.
const sandboxJS = `new Promise((resolve) => {
  const f = document.createElement("iframe");
  f.sandbox = "allow-scripts";
  window.addEventListener("message", function done(e) {
    if (e.source !== f.contentWindow) return;
    window.removeEventListener("message", done);
    f.remove();
    resolve(e.data);
  });
  f.srcdoc = %s;
  document.body.appendChild(f);
})`

// Fetch makes the page at origin call fetch(url, req) and returns what the
// page saw. An error means the browser, not CORS, failed.
func (b *Browser) Fetch(origin, url string, req Request) (Outcome, error) {
	init := map[string]any{}
	if req.Method != "" {
		init["method"] = req.Method
	}
	if len(req.Headers) > 0 {
		init["headers"] = req.Headers
	}
	if req.Credentials != "" {
		init["credentials"] = req.Credentials
	}
	if req.Body != "" {
		init["body"] = req.Body
	}
	call := fmt.Sprintf("(%s)(%s, %s, %v)", fetchJS, jsValue(url), jsValue(init), req.Timing)
	if req.Sandboxed {
		call = fmt.Sprintf(sandboxJS, jsValue("<script>"+call+`.then((r) => parent.postMessage(r, "*"));</script>`))
	}
	got, err := Eval[Outcome](b, origin, call)
	if err != nil {
		return Outcome{}, fmt.Errorf("fetch(%s) from %s: %w", url, origin, err)
	}
	return got, nil
}

// Blocked reports whether got is what a page sees when fetch fails for a
// CORS reason: a rejection with the engine's bare network error, which tells
// the page nothing, not even the status.
func (e Engine) Blocked(got Outcome) bool {
	return !got.OK && strings.Contains(got.Error, e.NetworkError)
}
