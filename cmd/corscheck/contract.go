package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"slices"
	"strings"

	"github.com/crossorigin/cors"
	"github.com/crossorigin/cors/internal/call"
	"github.com/crossorigin/cors/internal/explain"
	"github.com/crossorigin/cors/internal/fetch"
	"github.com/crossorigin/cors/internal/header"
)

// contractTool words the fixes about a call itself in the -calls file's keys.
var contractTool = explain.Tool{Include: `"credentials": "include"`, Cookie: `"cookies"`, SetCookie: `"cookies": {"name": "value"}`}

// target is what the calls of a -calls file are made against: the policy of -config, served in-process,
// or the live API at BASE_URL.
type target struct {
	base   string       // what a path is appended to: defaultConfigURL or BASE_URL, without a trailing "/"
	policy *cors.Cors   // with -config
	client *http.Client // with BASE_URL: its Transport and Timeout, as call.Network uses them
	about  string       // the target in the summary line
}

// newTarget builds the target o names: -config's policy, or the API at BASE_URL (which parseArgs checked).
func newTarget(o *options, transport http.RoundTripper) (*target, error) {
	if o.config != "" {
		p, err := loadPolicy(o.config)
		if err != nil {
			return nil, err
		}
		return &target{base: strings.TrimSuffix(defaultConfigURL, "/"), policy: p, about: "the policy " + o.config + ", served in-process"}, nil
	}
	return &target{
		base:   strings.TrimSuffix(o.url, "/"),
		client: &http.Client{Transport: transport, Timeout: o.timeout},
		about:  o.url,
	}, nil
}

// judge makes the call c as a browser on its origin would, as corstest does, and says whether the browser
// decided what c expects. The error is a network error, or the run's deadline.
func (t *target) judge(ctx context.Context, c contractCall) (*outcome, error) {
	cl := c.call
	if call.IsPath(cl.URL) {
		cl.URL = t.base + cl.URL
	}
	var made *call.Made
	var err error
	if t.policy != nil {
		// In-process a call takes microseconds: the deadline and an interrupt are looked at between calls.
		if ctx.Err() != nil {
			return nil, stoppedError{context.Cause(ctx)}
		}
		made, err = call.InProcess(t.policy.Handler(standIn(t.policy.Options().ExposedHeaders, c.read)), "", cl)
	} else {
		made, err = call.Network(ctx, t.client, cl)
	}
	if err != nil {
		return nil, err
	}
	return t.compare(c, cl, made), nil
}

// outcome is what the browser decided about one call of the file, compared with what the file expects.
type outcome struct {
	report   callReport
	call     call.Call // as made, its URL absolute
	headline string    // for a mismatch: what the browser did instead
	warnings []string  // for a call expected allowed but blocked: what a developer should know too
}

// compare holds what the browser did, made, against what c expects; cl is c as it was made.
func (t *target) compare(c contractCall, cl call.Call, made *call.Made) *outcome {
	tr := made.Trace
	o := &outcome{call: cl, report: callReport{
		Name: c.name, Expect: c.expect, Verdict: expectAllowed, BlockedAt: tr.BlockedAt, Problems: []callProblem{},
	}}
	if tr.Blocked {
		o.report.Verdict = expectBlocked
	}
	switch {
	case c.expect == expectBlocked && !tr.Blocked:
		o.headline = "expected blocked, but the browser allows " + cl.String()
		p := explain.AllowedProblem(tr, cl.Origin)
		o.report.Problems = append(o.report.Problems, callProblem{Message: p.Message, Fix: p.Fix})
	case c.expect == expectAllowed && tr.Blocked:
		o.headline = fmt.Sprintf("expected allowed, but the browser blocks %s at the %s", cl, tr.BlockedAt)
		rep := explain.Explain(explain.Input{Trace: tr, Request: made.Request, Cookies: len(cl.Cookies) > 0, Policy: t.policy}, contractTool)
		for _, p := range rep.Problems {
			o.report.Problems = append(o.report.Problems, callProblem{Message: p.Message, Fix: p.Fix})
		}
		for _, w := range rep.Warnings {
			o.warnings = append(o.warnings, w.Text())
		}
	case !tr.Blocked:
		o.unreadable(c.read, cl.Credentials == string(fetch.CredentialsInclude), tr)
	}
	o.report.OK = len(o.report.Problems) == 0
	return o
}

// unreadable reports each header of read that the page cannot read from the allowed call traced.
func (o *outcome) unreadable(read []string, credentialed bool, tr *fetch.Trace) {
	var names []string
	for _, name := range read {
		if p := explain.Unreadable(tr, name, credentialed); p != nil {
			names = append(names, name)
			o.report.Problems = append(o.report.Problems, callProblem{Message: p.Message, Fix: p.Fix})
		}
	}
	if len(names) > 0 {
		o.headline = fmt.Sprintf("the browser allows %s, but the page cannot read %s", o.call, strings.Join(names, ", "))
	}
}

// standIn is the application behind the policy with -config. It answers 200 with every header the
// policy exposes and every header the call reads (unless the middleware set it, or it is one that
// decides CORS or frames the body), so that "read" asks the one thing the policy decides: whether it
// exposes them. Whether the real application sets them is for a check against BASE_URL to tell.
func standIn(exposed, read []string) http.Handler {
	names := slices.Concat(exposed, read)
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h := w.Header()
		h.Set("Content-Type", "text/plain; charset=utf-8")
		for _, name := range names {
			if standInSets(name) && len(h.Values(name)) == 0 {
				h.Set(name, "set by corscheck's stand-in application")
			}
		}
		_, _ = io.WriteString(w, "ok\n")
	})
}

// standInSets reports whether the stand-in application sets the response header name: not "*", not
// one that decides CORS (Access-Control-*, Vary, Location), frames the body or that no page ever reads
// (Set-Cookie, Set-Cookie2).
func standInSets(name string) bool {
	switch lower := header.Lower(name); lower {
	case "*", "content-length", "transfer-encoding":
		return false
	default:
		return !header.IsForbiddenResponseName(lower) && !header.IsDecisive(name)
	}
}

// runCalls checks every call of the -calls file against the target, in the file's order.
func runCalls(ctx context.Context, o *options, stdout, stderr io.Writer) int {
	f, err := os.Open(o.calls)
	if err != nil {
		fmt.Fprintf(stderr, "corscheck: -calls: %s\n", printable(err.Error()))
		return exitTrouble
	}
	defer f.Close()
	return runContract(ctx, o, f, fetch.NewTransport(0), stdout, stderr)
}

// runContract reads the calls from file, named o.calls, and checks each against the target, through
// transport over the network. Every problem of the file is reported before any call is made; a network
// error stops the run after the calls judged so far are printed.
func runContract(ctx context.Context, o *options, file io.Reader, transport http.RoundTripper, stdout, stderr io.Writer) int {
	calls, err := readCalls(o.calls, file)
	if err != nil {
		fmt.Fprintf(stderr, "corscheck: %s\n", printable(err.Error()))
		return exitTrouble
	}
	t, err := newTarget(o, transport)
	if err != nil {
		fmt.Fprintf(stderr, "corscheck: %s\n", printable(err.Error()))
		return exitTrouble
	}
	out := newContractWriter(stdout, o.json)
	for i, c := range calls {
		res, err := t.judge(ctx, c)
		if err != nil {
			if werr := out.finish(""); werr != nil {
				fmt.Fprintf(stderr, "corscheck: %s\n", printable(werr.Error()))
			}
			fmt.Fprintf(stderr, "corscheck: call %d (%q): %s\n", i+1, printable(c.name), printable(judgeError(err, t.policy == nil)))
			return exitTrouble
		}
		out.call(res)
	}
	if err := out.finish(fmt.Sprintf("%s against %s", o.calls, t.about)); err != nil {
		fmt.Fprintf(stderr, "corscheck: %s\n", printable(err.Error()))
		return exitTrouble
	}
	if out.report.Failed > 0 {
		return exitFailed
	}
	return exitOK
}

// stoppedError ends an in-process run between two calls: the deadline passed, or an interrupt came.
type stoppedError struct{ cause error }

func (e stoppedError) Error() string { return e.cause.Error() }

// judgeError words an error of judge in the command's terms: the run stopped, fetch() refuses the call
// (which the file's checks should have caught first), or, over the network, a network error.
func judgeError(err error, network bool) string {
	var stopped stoppedError
	if errors.As(err, &stopped) {
		return stopped.Error()
	}
	if refused := (*fetch.RequestError)(nil); network && !errors.As(err, &refused) {
		return "network error: " + err.Error()
	}
	return err.Error()
}
