package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"github.com/crossorigin/cors/internal/fetch"
	"github.com/crossorigin/cors/internal/scan"
)

// scanReport is the JSON output of a scan (docs/corscheck.md documents it).
type scanReport struct {
	CorscheckVersion string         `json:"corscheck_version"`
	Findings         []scan.Finding `json:"findings"`
}

// runScan scans o.url on the network.
func runScan(ctx context.Context, o *options, stdout, stderr io.Writer) int {
	return runScanWith(ctx, o, fetch.NewTransport(0), stdout, stderr)
}

// runScanWith scans o.url through transport.
func runScanWith(ctx context.Context, o *options, transport http.RoundTripper, stdout, stderr io.Writer) int {
	u, err := url.Parse(o.url)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		fmt.Fprintf(stderr, "corscheck: %s is not an absolute http or https URL\n", printable(strconv.Quote(o.url)))
		return exitTrouble
	}
	s := &scan.Scanner{Transport: transport, Timeout: o.timeout, URL: u}
	findings, err := s.Run(ctx, o.origin)
	if err != nil {
		fmt.Fprintf(stderr, "corscheck: %s\n", printable(scanError(err)))
		return exitTrouble
	}
	if o.json {
		enc := json.NewEncoder(stdout)
		enc.SetIndent("", "  ")
		if err := enc.Encode(scanReport{CorscheckVersion: version(), Findings: findings}); err != nil {
			fmt.Fprintf(stderr, "corscheck: %s\n", printable(err.Error()))
			return exitTrouble
		}
	} else {
		writeScan(stdout, u.String(), findings)
	}
	for _, f := range findings {
		if f.Severe() {
			return exitFailed
		}
	}
	return exitOK
}

// scanError words a scan's error in the command's terms.
func scanError(err error) string {
	var bad *scan.OriginError
	var underived *scan.DeriveError
	switch {
	case errors.As(err, &bad):
		return "-origin: " + err.Error()
	case errors.As(err, &underived):
		return err.Error() + ": pass -origin"
	}
	return err.Error()
}

func writeScan(w io.Writer, target string, fs []scan.Finding) {
	if len(fs) == 0 {
		fmt.Fprintf(w, "No finding: %s trusts none of the origins tried.\n", printable(target))
		return
	}
	fmt.Fprintf(w, "%d finding(s) for %s:\n", len(fs), printable(target))
	for _, f := range fs {
		fmt.Fprintf(w, "\n[%s] %s (Origin: %s)\n  %s\n", strings.ToUpper(f.Severity), f.ID, printable(f.Origin), printable(f.Message))
		keys := make([]string, 0, len(f.Evidence))
		for k := range f.Evidence {
			keys = append(keys, k)
		}
		slices.Sort(keys)
		for _, k := range keys {
			for _, v := range f.Evidence[k] {
				fmt.Fprintf(w, "  < %s: %s\n", printable(k), printable(v))
			}
		}
		fmt.Fprintf(w, "  fix: %s\n", printable(f.Fix))
	}
}
