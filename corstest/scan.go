package corstest

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"

	"github.com/crossorigin/cors/internal/call"
	"github.com/crossorigin/cors/internal/fetch"
	"github.com/crossorigin/cors/internal/scan"
)

// Finding is one dangerous answer found by [Scan]: an origin the API should not trust but does.
type Finding struct {
	ID       string // "reflects-any-origin", "allows-null-origin", "lookalike-origin", ...
	Severity string // "info", "low", "medium", "high" or "critical"
	Origin   string // the origin sent
	Message  string // what the API answered to Origin, and what it means for a page there
	Fix      string // what to change on the server
}

// Scan asks h, in-process, at the path "/", what the corscheck scan asks a live API (the same battery of
// origins derived from trusted, the same finding ids and severities), and returns every finding. A trusted
// value that is not a serialised origin is an error. To scan one subtree of an API, or a deployed one,
// use [ScanURL].
//
// The findings come most severe first; a sound policy has none above "low". The ids and severities are
// listed in docs/corscheck.md.
func Scan(h http.Handler, trusted string) ([]Finding, error) {
	if h == nil {
		return nil, errors.New("corstest: Scan needs a handler")
	}
	u, _ := url.Parse(APIOrigin + "/")
	s := &scan.Scanner{Transport: fetch.HandlerTransport{Handler: h}, URL: u}
	return runScan(context.Background(), s, trusted)
}

// ScanURL is Scan over the network, against rawURL (an absolute http or https URL), through client's
// Transport and Timeout as [CheckURL] uses them. A network error ends the scan with an error.
func ScanURL(ctx context.Context, client *http.Client, rawURL, trusted string) ([]Finding, error) {
	u, err := url.Parse(rawURL)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return nil, fmt.Errorf("corstest: ScanURL needs an absolute http or https URL, not %q", rawURL)
	}
	b := call.Browser(client)
	s := &scan.Scanner{Transport: b.Transport, Timeout: b.Timeout, URL: u}
	return runScan(ctxOrBackground(ctx), s, trusted)
}

func runScan(ctx context.Context, s *scan.Scanner, trusted string) ([]Finding, error) {
	if trusted == "" {
		return nil, errors.New(`corstest: the trusted origin is required: the origin the API is meant to allow, such as "https://app.example.com"`)
	}
	fs, err := s.Run(ctx, trusted)
	var bad *scan.OriginError
	switch {
	case errors.As(err, &bad):
		return nil, fmt.Errorf("corstest: the trusted origin %q: %w", trusted, err)
	case err != nil:
		return nil, fmt.Errorf("corstest: %w", err)
	}
	out := make([]Finding, 0, len(fs))
	for _, f := range fs {
		out = append(out, Finding{ID: f.ID, Severity: f.Severity, Origin: f.Origin, Message: f.Message, Fix: f.Fix})
	}
	return out, nil
}
