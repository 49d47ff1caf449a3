package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"

	"github.com/crossorigin/cors/internal/explain"
	"github.com/crossorigin/cors/internal/fetch"
)

// The JSON output of an explanation (docs/corscheck.md documents it).
type (
	// headerMap is a header section with lower-case names, each with its values in order.
	headerMap map[string][]string

	preflightJSON struct {
		Status          int       `json:"status"`
		RequestHeaders  headerMap `json:"request_headers"`
		ResponseHeaders headerMap `json:"response_headers"`
		Passed          bool      `json:"passed"`
	}

	requestJSON struct {
		Status          int       `json:"status"`
		ResponseHeaders headerMap `json:"response_headers"`
		Passed          bool      `json:"passed"`
		ReadableHeaders []string  `json:"readable_headers"`
	}

	problem struct {
		Step    string `json:"step"`
		Check   string `json:"check"`
		Message string `json:"message"`
		Fix     string `json:"fix"`
	}

	warning struct {
		Check   string `json:"check"`
		Message string `json:"message"`
	}

	report struct {
		Verdict   string         `json:"verdict"`
		BlockedAt string         `json:"blocked_at"`
		Preflight *preflightJSON `json:"preflight"`
		Request   *requestJSON   `json:"request"`
		Problems  []problem      `json:"problems"`
		Warnings  []warning      `json:"warnings"`
	}
)

func lowerHeaders(h http.Header) headerMap {
	out := headerMap{}
	for k, vs := range h {
		k = strings.ToLower(k)
		out[k] = append(out[k], vs...)
	}
	return out
}

// runExplain explains one call.
func runExplain(ctx context.Context, o *options, stdout, stderr io.Writer) int {
	client, req, policy, err := setup(o)
	if err != nil {
		fmt.Fprintf(stderr, "corscheck: %s\n", printable(err.Error()))
		return exitTrouble
	}
	tr, err := client.Do(ctx, req)
	if err != nil {
		if refused := (*fetch.RequestError)(nil); errors.As(err, &refused) {
			fmt.Fprintf(stderr, "corscheck: %s\n", printable(refused.Reason))
		} else {
			fmt.Fprintf(stderr, "corscheck: network error: %s\n", printable(err.Error()))
		}
		return exitTrouble
	}
	rep := buildReport(explain.Input{Trace: tr, Request: req, Cookies: len(o.cookies) > 0, Policy: policy})
	if o.json {
		enc := json.NewEncoder(stdout)
		enc.SetIndent("", "  ")
		if err := enc.Encode(rep); err != nil {
			fmt.Fprintf(stderr, "corscheck: %s\n", printable(err.Error()))
			return exitTrouble
		}
	} else {
		writeHuman(stdout, tr, req, rep, o.config)
	}
	if rep.Verdict == "blocked" {
		return exitFailed
	}
	return exitOK
}

// tool words the fixes that are about the call itself in the command's flags.
var tool = explain.Tool{Include: "-credentials", Cookie: "-cookie", SetCookie: "-cookie 'name=value'"}

// buildReport turns a traced call into the report, problems and warnings included.
func buildReport(in explain.Input) *report {
	tr := in.Trace
	rep := &report{Verdict: "allowed", Problems: []problem{}, Warnings: []warning{}}
	if tr.Blocked {
		rep.Verdict, rep.BlockedAt = "blocked", tr.BlockedAt
	}
	if p := tr.LastOf(fetch.KindPreflight); p != nil {
		rep.Preflight = &preflightJSON{
			Status:          p.Status,
			RequestHeaders:  lowerHeaders(p.RequestHeader),
			ResponseHeaders: lowerHeaders(p.ResponseHeader),
			Passed:          p.Failure == nil,
		}
	}
	if r := tr.LastOf(fetch.KindRequest); r != nil {
		readable := tr.Readable
		if readable == nil {
			readable = []string{}
		}
		rep.Request = &requestJSON{
			Status:          r.Status,
			ResponseHeaders: lowerHeaders(r.ResponseHeader),
			Passed:          r.Failure == nil,
			ReadableHeaders: readable,
		}
	}
	ex := explain.Explain(in, tool)
	for _, p := range ex.Problems {
		rep.Problems = append(rep.Problems, problem(p))
	}
	for _, w := range ex.Warnings {
		rep.Warnings = append(rep.Warnings, warning{Check: w.Check, Message: w.Text()})
	}
	return rep
}
