package browser

import (
	"errors"
	"fmt"
	"net/http"
	"time"
)

// Form is an HTML form that a page submits: a real top-level navigation, with
// the cookies and the Origin header a browser sends for one (what a CSRF test
// needs; fetch() is not the same request).
type Form struct {
	Action  string            // the URL the form posts to
	Method  string            // "" = POST
	Enctype string            // "" = application/x-www-form-urlencoded
	Fields  map[string]string // hidden inputs
}

// Landing is the page the browser shows after a form submission.
type Landing struct {
	URL  string `json:"url"`  // location.href of the new page
	Body string `json:"body"` // its document.body.innerText
}

// submitJS builds the form in the page and submits it once the script has
// returned, so that the navigation does not cut the script short.
const submitJS = `((action, method, enctype, fields) => {
  const f = document.createElement("form");
  f.action = action; f.method = method; if (enctype) f.enctype = enctype;
  for (const [k, v] of Object.entries(fields)) {
    const i = document.createElement("input"); i.type = "hidden"; i.name = k; i.value = v; f.appendChild(i);
  }
  document.body.appendChild(f);
  setTimeout(() => f.submit(), 0);
  return location.href;
})(%s, %s, %s, %s)`

// landedJS reports the page once the navigation to it is complete; a page
// still on before reports null.
// Firefox shows a transient about:blank on the way, which is not a landing.
const landedJS = `document.readyState === "complete" && location.href !== %s && location.href !== "about:blank"
  ? {url: location.href, body: document.body ? document.body.innerText : ""} : null`

// SubmitForm makes the page at origin submit form, a top-level navigation,
// and returns the page the browser lands on. The tab shows that page
// afterwards (Run reads it).
func (b *Browser) SubmitForm(origin string, form Form) (Landing, error) {
	method := form.Method
	if method == "" {
		method = http.MethodPost
	}
	fields := form.Fields
	if fields == nil {
		fields = map[string]string{}
	}
	b.mu.Lock()
	defer b.mu.Unlock()
	if err := b.show(origin); err != nil {
		return Landing{}, err
	}
	var before string
	js := fmt.Sprintf(submitJS, jsValue(form.Action), jsValue(method), jsValue(form.Enctype), jsValue(fields))
	if err := b.run(js, Timeout, &before); err != nil {
		return Landing{}, fmt.Errorf("%s: submitting a form from %s: %w", b.engine.Name, origin, err)
	}
	b.origin = "" // the tab navigates away
	deadline := time.Now().Add(Timeout)
	for {
		var got *Landing
		// While the old document unloads a script can fail; try again.
		err := b.run(fmt.Sprintf(landedJS, jsValue(before)), time.Second, &got)
		if err == nil && got != nil {
			return *got, nil
		}
		if time.Now().After(deadline) {
			if err == nil {
				err = errors.New("the page did not change")
			}
			return Landing{}, fmt.Errorf("%s: the form from %s to %s did not land within %s: %w", b.engine.Name, origin, form.Action, Timeout, err)
		}
		time.Sleep(20 * time.Millisecond)
	}
}
