package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"net/url"
	"os"
	"runtime/debug"
	"strings"
	"time"

	"github.com/crossorigin/cors"
)

// Exit statuses.
const (
	exitOK      = 0 // explain: allowed; scan: nothing high or critical; calls: every call as expected
	exitFailed  = 1 // explain: blocked; scan: a high or critical finding; calls: a call not as expected
	exitTrouble = 2 // a usage error, bad input (a policy or calls file) or a network error
)

// usageText is printed by -h and after a usage error.
const usageText = `usage:
  corscheck -origin ORIGIN [-method M] [-H 'Name: value']... [-credentials] [-cookie 'name=value']...
            [-timeout D] [-deadline D] [-json] [-config FILE] URL
  corscheck -scan [-origin TRUSTED] [-timeout D] [-deadline D] [-json] URL
  corscheck -calls FILE [-timeout D] [-deadline D] [-json] (-config POLICY | BASE_URL)
  corscheck -version

Explain how a browser judges fetch(URL) from a page on ORIGIN, (-scan) look for CORS answers that
trust origins they should not, or (-calls) check that every call of a JSON file is allowed or blocked
as it expects, against a policy file served in-process or a live API. -timeout bounds each request,
-deadline the whole run. Exit status: 0 allowed / nothing high / every call as expected; 1 blocked /
a high or critical finding / a call not as expected; 2 usage, bad input or network error. -version
prints corscheck's version.

flags:
`

// multiFlag collects a repeatable flag. It is a flag.Getter, as the standard library's flags are.
type multiFlag []string

func (m *multiFlag) String() string     { return strings.Join(*m, ", ") }
func (m *multiFlag) Set(v string) error { *m = append(*m, v); return nil }
func (m *multiFlag) Get() any           { return []string(*m) }

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
	version     bool
	url         string          // explain and scan: the URL; -calls: BASE_URL
	set         map[string]bool // the flags given on the command line
}

// usageError is a mistake on the command line: Run prints its reason, then where the usage is.
type usageError struct{ reason string }

func (e *usageError) Error() string { return e.reason }

// usagef returns a usageError whose reason is formatted as fmt.Sprintf formats it.
func usagef(format string, args ...any) error {
	return &usageError{reason: fmt.Sprintf(format, args...)}
}

// parseArgs reads the command line; flags may come before or after the URL.
func parseArgs(args []string, stderr io.Writer) (*options, error) {
	o := &options{set: map[string]bool{}}
	fs := newFlagSet(o)
	positional, err := parseFlags(fs, args)
	if errors.Is(err, flag.ErrHelp) {
		printUsage(fs, stderr)
		return nil, err
	}
	if err != nil {
		return nil, err
	}
	fs.Visit(func(f *flag.Flag) { o.set[f.Name] = true })
	if o.version {
		return o, checkVersionArgs(o, positional)
	}
	switch {
	case len(positional) > 1:
		return nil, usagef("one URL, got %d arguments: %s", len(positional), strings.Join(positional, " "))
	case len(positional) == 1:
		o.url = positional[0]
	}
	if o.timeout <= 0 {
		return nil, usagef("-timeout must be positive")
	}
	if o.deadline <= 0 {
		return nil, usagef("-deadline must be positive")
	}
	if err := checkMode(o); err != nil {
		return nil, err
	}
	return o, nil
}

// parseFlags parses args into fs's flags and returns the arguments that are not flags, wherever they
// stand: flag.Parse stops at the first one.
func parseFlags(fs *flag.FlagSet, args []string) ([]string, error) {
	var positional []string
	for {
		if err := fs.Parse(args); err != nil {
			if errors.Is(err, flag.ErrHelp) {
				return nil, err
			}
			return nil, &usageError{reason: err.Error()}
		}
		args = fs.Args()
		if len(args) == 0 {
			return positional, nil
		}
		positional = append(positional, args[0])
		args = args[1:]
	}
}

// checkMode checks that the command line gives what its mode needs: -calls, -scan, or an explanation.
func checkMode(o *options) error {
	switch {
	case o.set["calls"]:
		return checkCallsArgs(o)
	case o.scan && o.config != "":
		return usagef("-scan works on a live server, not with -config")
	case o.scan && o.url == "":
		return usagef("-scan needs the URL of an API")
	case o.scan:
		return nil
	case o.origin == "":
		return usagef("-origin is required: the origin of the page that calls the API, e.g. -origin https://app.example.com")
	case o.url == "" && o.config == "":
		return usagef("the URL to call is missing")
	}
	return nil
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
	fs.BoolVar(&o.version, "version", false, "print corscheck's version (the module version Go stamped in the binary, and its VCS revision when known) and exit")
	return fs
}

// checkVersionArgs refuses anything beside -version: a command line that asks for the version and for
// a check as well is a mistake, and doing one of the two silently would hide it.
func checkVersionArgs(o *options, positional []string) error {
	var others []string
	for _, name := range sortedKeys(o.set) {
		if name != "version" {
			others = append(others, "-"+name)
		}
	}
	others = append(others, positional...)
	if len(others) > 0 {
		return usagef("-version prints the version and nothing else: remove %s", strings.Join(others, ", "))
	}
	return nil
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
		return usagef("-calls needs the path of a JSON file of calls")
	case o.scan:
		return usagef("-calls and -scan are two modes: give one of them")
	case len(given) > 0:
		return usagef("-calls takes each call's origin, method, headers, credentials and cookies from %s: remove %s", o.calls, strings.Join(given, ", "))
	case o.config != "" && o.url != "":
		return usagef("-calls checks the policy -config serves in-process or the API at BASE_URL, not both: remove -config or %s", o.url)
	case o.config == "" && o.url == "":
		return usagef("-calls needs a target: -config POLICY (the policy file, in-process) or BASE_URL (a live API, e.g. https://api.example.com)")
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
		return usagef("BASE_URL %q is not a base URL: write the API's scheme and host, and a path prefix if any (e.g. https://api.example.com or https://example.com/backend), with no query, fragment or user:password@", raw)
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
	if usage := (*usageError)(nil); errors.As(err, &usage) {
		fmt.Fprintf(stderr, "corscheck: %s\n", printable(usage.reason))
		fmt.Fprintln(stderr, "run corscheck -h for the usage")
		return exitTrouble
	}
	if err != nil {
		fmt.Fprintf(stderr, "corscheck: %s\n", printable(err.Error()))
		return exitTrouble
	}
	if o.version {
		info, _ := debug.ReadBuildInfo()
		fmt.Fprintln(stdout, versionLine(info))
		return exitOK
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
