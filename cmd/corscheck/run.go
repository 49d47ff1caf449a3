package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"os"
	"strings"
	"time"

	"golang.org/x/net/publicsuffix"

	"github.com/crossorigin/cors"
	"github.com/crossorigin/cors/internal/fetch"
	"github.com/crossorigin/cors/internal/header"
)

// Exit statuses.
const (
	exitOK      = 0 // explain: allowed; scan: nothing high or critical
	exitFailed  = 1 // explain: blocked; scan: a high or critical finding
	exitTrouble = 2 // a usage or network error
)

// usageText is printed by -h and after a usage error.
const usageText = `usage:
  corscheck -origin ORIGIN [-method M] [-H 'Name: value']... [-credentials] [-cookie 'name=value']...
            [-timeout D] [-deadline D] [-json] [-config FILE] URL
  corscheck -scan [-origin TRUSTED] [-timeout D] [-deadline D] [-json] URL
  corscheck -calls FILE [-timeout D] [-deadline D] [-json] (-config POLICY | BASE_URL)

Explain how a browser judges fetch(URL) from a page on ORIGIN, (-scan) look for CORS answers that
trust origins they should not, or (-calls) check that every call of a JSON file is allowed or blocked
as it expects, against a policy file served in-process or a live API. -timeout bounds each request,
-deadline the whole run. Exit status: 0 allowed / nothing high / every call as expected; 1 blocked /
a high or critical finding / a call not as expected; 2 usage, bad input or network error.

flags:
`

// multiFlag collects a repeatable flag.
type multiFlag []string

func (m *multiFlag) String() string     { return strings.Join(*m, ", ") }
func (m *multiFlag) Set(v string) error { *m = append(*m, v); return nil }

// options are the parsed command line.
type options struct {
	origin      string
	method      string
	headers     multiFlag
	credentials bool
	cookies     multiFlag
	timeout     time.Duration
	deadline    time.Duration
	json        bool
	config      string
	scan        bool
	calls       string
	url         string          // explain and scan: the URL; -calls: BASE_URL
	set         map[string]bool // the flags given on the command line
}

// errUsage marks a command-line mistake: the usage is printed after it.
var errUsage = errors.New("usage")

// parseArgs reads the command line; flags may come before or after the URL.
func parseArgs(args []string, stderr io.Writer) (*options, error) {
	o := &options{set: map[string]bool{}}
	fs := newFlagSet(o)
	var positional []string
	for {
		if err := fs.Parse(args); err != nil {
			if errors.Is(err, flag.ErrHelp) {
				printUsage(fs, stderr)
				return nil, flag.ErrHelp
			}
			return nil, fmt.Errorf("%w: %v", errUsage, err)
		}
		args = fs.Args()
		if len(args) == 0 {
			break
		}
		positional = append(positional, args[0])
		args = args[1:]
	}
	switch {
	case len(positional) > 1:
		return nil, fmt.Errorf("%w: one URL, got %d arguments: %s", errUsage, len(positional), strings.Join(positional, " "))
	case len(positional) == 1:
		o.url = positional[0]
	}
	if o.timeout <= 0 {
		return nil, fmt.Errorf("%w: -timeout must be positive", errUsage)
	}
	if o.deadline <= 0 {
		return nil, fmt.Errorf("%w: -deadline must be positive", errUsage)
	}
	fs.Visit(func(f *flag.Flag) { o.set[f.Name] = true })
	if o.set["calls"] {
		if err := checkCallsArgs(o); err != nil {
			return nil, err
		}
		return o, nil
	}
	if o.scan {
		if o.config != "" {
			return nil, fmt.Errorf("%w: -scan works on a live server, not with -config", errUsage)
		}
		if o.url == "" {
			return nil, fmt.Errorf("%w: -scan needs the URL of an API", errUsage)
		}
		return o, nil
	}
	if o.origin == "" {
		return nil, fmt.Errorf("%w: -origin is required: the origin of the page that calls the API, e.g. -origin https://app.example.com", errUsage)
	}
	if o.url == "" && o.config == "" {
		return nil, fmt.Errorf("%w: the URL to call is missing", errUsage)
	}
	return o, nil
}

// newFlagSet declares the command's flags, each stored in o.
func newFlagSet(o *options) *flag.FlagSet {
	fs := flag.NewFlagSet("corscheck", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	fs.StringVar(&o.origin, "origin", "", "the page's origin, e.g. https://app.example.com (explain: required; scan: the origin the API trusts)")
	fs.StringVar(&o.method, "method", "GET", "the method given to fetch(); DELETE, GET, HEAD, OPTIONS, POST and PUT are upper-cased, others sent as written")
	fs.Var(&o.headers, "H", "a request header the script sets, 'Name: value' (repeatable)")
	fs.BoolVar(&o.credentials, "credentials", false, `credentials: "include" (cookies sent; the response must name the origin and allow credentials); default "same-origin"`)
	fs.Var(&o.cookies, "cookie", "a cookie in the page's jar for the URL, 'name=value' (repeatable; sent only with -credentials)")
	fs.DurationVar(&o.timeout, "timeout", 10*time.Second, "bound on each request, from sending it to reading its response")
	fs.DurationVar(&o.deadline, "deadline", defaultDeadline, "bound on the whole run: every preflight, request and redirect of an explanation, every request of a scan or of -calls")
	fs.BoolVar(&o.json, "json", false, "print one JSON object instead of the explanation")
	fs.StringVar(&o.config, "config", "", "explain (or check -calls) against this policy file of github.com/crossorigin/cors, served in-process (no network)")
	fs.BoolVar(&o.scan, "scan", false, "scan URL for dangerous CORS answers instead of explaining one call")
	fs.StringVar(&o.calls, "calls", "", "check every call of this JSON file against -config's policy or the API at BASE_URL, as a browser judges them")
	return fs
}

// callFlags are the flags that describe one call: with -calls, the file describes each call.
var callFlags = []string{"origin", "method", "H", "credentials", "cookie"}

// checkCallsArgs checks the command line of -calls: a target, -config or BASE_URL, and no flag that
// describes one call or another mode.
func checkCallsArgs(o *options) error {
	var given []string
	for _, name := range callFlags {
		if o.set[name] {
			given = append(given, "-"+name)
		}
	}
	switch {
	case o.calls == "":
		return fmt.Errorf("%w: -calls needs the path of a JSON file of calls", errUsage)
	case o.scan:
		return fmt.Errorf("%w: -calls and -scan are two modes: give one of them", errUsage)
	case len(given) > 0:
		return fmt.Errorf("%w: -calls takes each call's origin, method, headers, credentials and cookies from %s: remove %s", errUsage, o.calls, strings.Join(given, ", "))
	case o.config != "" && o.url != "":
		return fmt.Errorf("%w: -calls checks the policy -config serves in-process or the API at BASE_URL, not both: remove -config or %s", errUsage, o.url)
	case o.config == "" && o.url == "":
		return fmt.Errorf("%w: -calls needs a target: -config POLICY (the policy file, in-process) or BASE_URL (a live API, e.g. https://api.example.com)", errUsage)
	case o.url != "":
		return checkBaseURL(o.url)
	}
	return nil
}

// checkBaseURL checks the BASE_URL of -calls: the API's scheme and host, and a path prefix if any, that
// the calls' paths are appended to.
func checkBaseURL(raw string) error {
	u, err := url.Parse(raw)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || u.User != nil || u.RawQuery != "" || u.ForceQuery || u.Fragment != "" || strings.HasSuffix(raw, "#") {
		return fmt.Errorf("%w: BASE_URL %q is not a base URL: write the API's scheme and host, and a path prefix if any (e.g. https://api.example.com or https://example.com/backend), with no query, fragment or user:password@", errUsage, raw)
	}
	return nil
}

func printUsage(fs *flag.FlagSet, w io.Writer) {
	fmt.Fprint(w, usageText)
	fs.SetOutput(w)
	fs.PrintDefaults()
	fs.SetOutput(io.Discard)
}

// Run is the whole command: it parses args, does the work, writes the result to stdout and errors to
// stderr, and returns the exit status. Tests call it directly.
func Run(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	o, err := parseArgs(args, stderr)
	if errors.Is(err, flag.ErrHelp) {
		return exitOK
	}
	if err != nil {
		fmt.Fprintf(stderr, "corscheck: %s\n", printable(strings.TrimPrefix(err.Error(), "usage: ")))
		fmt.Fprintln(stderr, "run corscheck -h for the usage")
		return exitTrouble
	}
	// -timeout bounds one exchange only, and an explanation can make 42 of them (a preflight and a
	// request for each of 21 hops), a scan about 30: one deadline bounds the whole run.
	ctx, cancel := context.WithTimeoutCause(ctx, o.deadline, fmt.Errorf("the whole run took longer than -deadline %s", o.deadline))
	defer cancel()
	switch {
	case o.set["calls"]:
		return runCalls(ctx, o, stdout, stderr)
	case o.scan:
		return runScan(ctx, o, stdout, stderr)
	}
	return runExplain(ctx, o, stdout, stderr)
}

// defaultDeadline bounds a whole run unless -deadline says otherwise: enough for a scan of a slow
// server (about 30 requests), short of the 7 minutes a redirect loop of 10-second hops would take.
const defaultDeadline = 60 * time.Second

// defaultConfigURL is the URL called with -config when none is given: nothing is sent anywhere.
const defaultConfigURL = "https://api.corscheck.invalid/"

// parseHeader reads one -H value.
func parseHeader(s string) (fetch.Field, error) {
	name, value, ok := strings.Cut(s, ":")
	if !ok {
		return fetch.Field{}, fmt.Errorf("-H %q has no colon: write it 'Name: value'", s)
	}
	name = strings.TrimSpace(name)
	if !header.IsToken(name) {
		return fetch.Field{}, fmt.Errorf("-H %q: %q is not a header name", s, name)
	}
	return fetch.Field{Name: name, Value: value}, nil
}

// setup builds the client and request of an explanation, and the policy when -config is given.
func setup(o *options) (*fetch.Client, fetch.Request, *cors.Cors, error) {
	req := fetch.Request{Origin: o.origin, Method: o.method, URL: o.url, Credentials: fetch.CredentialsSameOrigin}
	if o.credentials {
		req.Credentials = fetch.CredentialsInclude
	}
	if _, err := fetch.ParseOrigin(o.origin); err != nil {
		return nil, req, nil, fmt.Errorf("-origin: %v", err)
	}
	for _, h := range o.headers {
		f, err := parseHeader(h)
		if err != nil {
			return nil, req, nil, err
		}
		req.Header = append(req.Header, f)
	}
	client := &fetch.Client{Timeout: o.timeout}
	var policy *cors.Cors
	if o.config != "" {
		p, err := loadPolicy(o.config)
		if err != nil {
			return nil, req, nil, err
		}
		policy = p
		client.Transport = fetch.HandlerTransport{Handler: p.Handler(appHandler)}
		switch {
		case req.URL == "":
			req.URL = defaultConfigURL
		case strings.HasPrefix(req.URL, "/") && !strings.HasPrefix(req.URL, "//"):
			// Offline only the path matters: "/api/items/1" is called on the default host.
			req.URL = strings.TrimSuffix(defaultConfigURL, "/") + req.URL
		}
	} else {
		client.Transport = fetch.NewTransport(0)
	}
	u, err := url.Parse(req.URL)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return nil, req, nil, fmt.Errorf("%q is not an absolute http or https URL", req.URL)
	}
	if len(o.cookies) > 0 {
		jar, err := cookiejar.New(&cookiejar.Options{PublicSuffixList: publicsuffix.List})
		if err != nil {
			return nil, req, nil, err
		}
		var cs []*http.Cookie
		for _, c := range o.cookies {
			name, value, ok := strings.Cut(c, "=")
			if !ok || !header.IsToken(strings.TrimSpace(name)) {
				return nil, req, nil, fmt.Errorf("-cookie %q: write it name=value", c)
			}
			cs = append(cs, &http.Cookie{Name: strings.TrimSpace(name), Value: strings.TrimSpace(value)})
		}
		jar.SetCookies(u, cs)
		client.Jar = jar
	}
	return client, req, policy, nil
}

// loadPolicy reads a policy file the way the library's users do: LoadOptions, then New. LoadOptions
// bounds the read itself and says when a file is too large: a tighter bound here would cut the file
// and report the cut as a JSON syntax error instead.
func loadPolicy(path string) (*cors.Cors, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("-config: %v", err)
	}
	defer f.Close()
	opts, err := cors.LoadOptions(f)
	if err != nil {
		return nil, fmt.Errorf("-config %s: %v", path, err)
	}
	c, err := cors.New(opts)
	if err != nil {
		return nil, fmt.Errorf("-config %s: the policy is invalid:\n%v", path, err)
	}
	return c, nil
}

// appHandler stands for the application behind the middleware with -config: it answers every request
// with 200 and a short text body.
var appHandler = http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	_, _ = io.WriteString(w, "ok\n")
})
