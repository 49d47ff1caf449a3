// Command devserver demonstrates the cors middleware in the setting it is made
// for: a browser app on http://localhost:3000 calling an API on
// http://localhost:8080.
//
// It starts two servers: a frontend that serves one page, and the API wrapped
// by cors with options read from a JSON config file. The page calls the API
// with fetch (a simple GET, a preflighted PUT with a custom header, a
// credentialed request with a cookie, and a DELETE the config refuses) and
// shows what the browser allowed it to read. At start, the devserver prints
// why the browser blocks that DELETE, judged in-process with corstest.
//
//	cd examples && go run ./devserver
//	go run ./devserver -config my-cors.json -frontend-addr localhost:5173 -api-addr localhost:9000
//
// Without -config the embedded devserver/cors.json is used. Ctrl+C (SIGINT) or
// SIGTERM shuts both servers down gracefully.
package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"log"
	"log/slog"
	"net"
	"net/http"
	"os"
	"os/signal"
	"strings"
	"syscall"
	"time"

	"github.com/crossorigin/cors"
	"github.com/crossorigin/cors/corstest"
)

// shutdownTimeout bounds how long in-flight requests may take to finish once
// a signal arrives.
const shutdownTimeout = 5 * time.Second

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	err := run(ctx, os.Args[1:], os.Stdout, os.Stderr)
	switch {
	case err == nil:
	case errors.Is(err, flag.ErrHelp):
	case errors.As(err, new(usageError)):
		os.Exit(2) // the flag package has already printed the problem and the usage
	default:
		fmt.Fprintln(os.Stderr, "devserver:", err)
		os.Exit(1)
	}
}

// usageError is a command-line mistake already reported by the flag package.
type usageError struct{ error }

// run parses args, starts the frontend and the API, prints where they are and
// the effective CORS options to stdout, and serves until ctx is done; then it
// shuts both servers down gracefully. Logs (CORS refusals among them) go to
// stderr.
func run(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	set, err := parseFlags(args, stderr)
	if err != nil {
		return err
	}
	var logger *slog.Logger
	if !set.quiet {
		logger = slog.New(slog.NewTextHandler(stderr, &slog.HandlerOptions{Level: slog.LevelDebug}))
	}

	// Build the middleware before taking the ports, so that a config mistake
	// is the only thing reported.
	c, source, err := newCors(set.configPath, logger)
	if err != nil {
		return err
	}

	apiLn, err := net.Listen("tcp", set.apiAddr)
	if err != nil {
		return fmt.Errorf("API: %w (choose another address with -api-addr)", err)
	}
	defer apiLn.Close()
	frontendLn, err := net.Listen("tcp", set.frontendAddr)
	if err != nil {
		return fmt.Errorf("frontend: %w (choose another address with -frontend-addr)", err)
	}
	defer frontendLn.Close()

	frontendURL := baseURL(set.frontendAddr, frontendLn.Addr())
	apiURL := baseURL(set.apiAddr, apiLn.Addr())
	h, err := assembleHandlers(c, source, apiURL)
	if err != nil {
		return err
	}
	if err := printBanner(stdout, frontendURL, apiURL, h); err != nil {
		return err
	}
	errorLog := log.New(stderr, "devserver: ", log.LstdFlags)
	return serve(ctx, stdout, errorLog, map[net.Listener]http.Handler{frontendLn: h.frontend, apiLn: h.api})
}

// settings are the command line's.
type settings struct {
	frontendAddr, apiAddr, configPath string
	quiet                             bool
}

// parseFlags reads the command line.
func parseFlags(args []string, stderr io.Writer) (settings, error) {
	var set settings
	fs := flag.NewFlagSet("devserver", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.StringVar(&set.frontendAddr, "frontend-addr", "localhost:3000", "`address` the frontend page listens on")
	fs.StringVar(&set.apiAddr, "api-addr", "localhost:8080", "`address` the CORS-wrapped API listens on")
	fs.StringVar(&set.configPath, "config", "", "`path` of a JSON file of CORS options (default: the embedded devserver/cors.json)")
	fs.BoolVar(&set.quiet, "quiet", false, "do not log the requests the middleware refuses")
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return set, err
		}
		return set, usageError{err}
	}
	if fs.NArg() > 0 {
		return set, fmt.Errorf("unexpected arguments %q (all settings are flags; see -h)", fs.Args())
	}
	return set, nil
}

// serve serves each handler on its listener until ctx is done or a server stops on its own, then shuts
// every server down.
func serve(ctx context.Context, stdout io.Writer, errorLog *log.Logger, handlers map[net.Listener]http.Handler) error {
	served := make(chan error, len(handlers))
	var servers []*http.Server
	for ln, h := range handlers {
		srv := &http.Server{Handler: h, ReadHeaderTimeout: 10 * time.Second, ErrorLog: errorLog}
		servers = append(servers, srv)
		go func() { served <- srv.Serve(ln) }()
	}
	var errs []error
	pending := len(servers)
	select {
	case <-ctx.Done():
		fmt.Fprintln(stdout, "shutting down...")
	case err := <-served: // a server stopped on its own: stop the other too
		pending--
		errs = append(errs, err)
	}
	shutdownCtx, cancel := context.WithTimeout(context.Background(), shutdownTimeout)
	defer cancel()
	for _, srv := range servers {
		if err := srv.Shutdown(shutdownCtx); err != nil {
			errs = append(errs, fmt.Errorf("shutdown: %w", err))
		}
	}
	for ; pending > 0; pending-- {
		if err := <-served; !errors.Is(err, http.ErrServerClosed) {
			errs = append(errs, err)
		}
	}
	return errors.Join(errs...)
}

// baseURL is the http URL for a server asked to listen on requested and
// actually listening on actual: the requested host name (so "localhost" stays
// "localhost", which is the origin a browser will send) with the actual port
// (so port 0 works). An empty or unspecified host becomes localhost.
func baseURL(requested string, actual net.Addr) string {
	host, _, err := net.SplitHostPort(requested)
	if ip := net.ParseIP(host); err != nil || host == "" || (ip != nil && ip.IsUnspecified()) {
		host = "localhost"
	}
	port := "0"
	if tcp, ok := actual.(*net.TCPAddr); ok {
		port = fmt.Sprint(tcp.Port)
	}
	return "http://" + net.JoinHostPort(host, port)
}

// effectiveOptionsJSON writes o as a config file spells it, one option per
// line, with max_age as a duration string: printed, it is a valid config file.
func effectiveOptionsJSON(o cors.Options) ([]byte, error) {
	list := func(s []string) []string {
		if s == nil {
			return []string{}
		}
		return s
	}
	fields := []struct {
		key   string
		value any
	}{
		{"allowed_origins", list(o.AllowedOrigins)},
		{"allowed_methods", list(o.AllowedMethods)},
		{"allowed_headers", list(o.AllowedHeaders)},
		{"exposed_headers", list(o.ExposedHeaders)},
		{"allow_credentials", o.AllowCredentials},
		{"max_age", o.MaxAge.String()},
		{"allow_private_network", o.AllowPrivateNetwork},
		{"preflight_status", o.PreflightStatus},
		{"dangerously_allow_insecure_origins", o.DangerouslyAllowInsecureOrigins},
		{"cross_origin_protection", o.CrossOriginProtection},
		{"timing_allow_origin", o.TimingAllowOrigin},
	}
	var b bytes.Buffer
	b.WriteString("{")
	for i, f := range fields {
		v, err := json.Marshal(f.value)
		if err != nil {
			return nil, err
		}
		if i > 0 {
			b.WriteString(",")
		}
		fmt.Fprintf(&b, "\n    %q: %s", f.key, v)
	}
	b.WriteString("\n  }")
	return b.Bytes(), nil
}

// deleteCall is the DELETE the page makes, fetch(API + "/api/items/42", {method: "DELETE"}), as
// corstest states it: the credentials mode is fetch's default, same-origin, so no cookie goes cross-origin.
func deleteCall(frontendURL, apiURL string) corstest.Call {
	return corstest.Call{Origin: frontendURL, Method: http.MethodDelete, URL: apiURL + "/api/items/42"}
}

// judgeDelete is the browser's verdict on the page's DELETE, judged in-process (corstest.Check) against
// the API as configured by c. The middleware is rebuilt from c's options without their Logger: the
// banner explains this refusal, and the log is for the requests browsers really send.
func judgeDelete(c *cors.Cors, frontendURL, apiURL string) (*corstest.Result, error) {
	opts := c.Options()
	opts.Logger = nil
	quiet, err := cors.New(opts)
	if err != nil {
		return nil, err
	}
	return corstest.Check(newAPI(quiet), deleteCall(frontendURL, apiURL))
}

// indent prefixes every line of s with prefix.
func indent(prefix, s string) string {
	return prefix + strings.ReplaceAll(s, "\n", "\n"+prefix)
}

// explainDeleteCommand is the corscheck command that explains the call the page makes and the browser
// blocks: DELETE /api/items/42 from the frontend. It runs from the examples module; elsewhere, install
// corscheck with go install github.com/crossorigin/cors/cmd/corscheck@latest.
func explainDeleteCommand(frontendURL, apiURL string) string {
	return "go run github.com/crossorigin/cors/cmd/corscheck -origin " + frontendURL + " -method DELETE " + apiURL + "/api/items/42"
}

func printBanner(w io.Writer, frontendURL, apiURL string, h handlers) error {
	opts, err := effectiveOptionsJSON(h.cors.Options())
	if err != nil {
		return err
	}
	fmt.Fprintf(w, "cors devserver\n")
	fmt.Fprintf(w, "  frontend  %s   <- open this in a browser\n", frontendURL)
	fmt.Fprintf(w, "  API       %s   (any client: curl -i %s/api/hello)\n", apiURL, apiURL)
	fmt.Fprintf(w, "  config    %s\n", h.configSource)
	fmt.Fprintf(w, "effective CORS options (normalised by cors.New):\n  %s\n", opts)
	if !h.cors.OriginAllowed(frontendURL) {
		fmt.Fprintf(w, "warning: the config does not allow the frontend's origin %s, so the browser will block the page's requests; add it to allowed_origins\n", frontendURL)
	} else {
		printDeleteVerdict(w, frontendURL, apiURL, h)
	}
	fmt.Fprintf(w, "press Ctrl+C to stop\n")
	return nil
}

// printDeleteVerdict tells why the page's DELETE fails, in the browser's words with the fix on the server
// (the Err of the blocked call), and the corscheck command that asks the running API the same. A config
// that allows the DELETE is said to allow it. A call corstest cannot make (a frontend address no browser
// would send as an origin) is said too: the banner is help, and the demo runs all the same.
func printDeleteVerdict(w io.Writer, frontendURL, apiURL string, h handlers) {
	res, err := judgeDelete(h.cors, frontendURL, apiURL)
	switch {
	case err != nil:
		fmt.Fprintf(w, "the page's DELETE could not be judged: %v\n", err)
	case res.Allowed:
		fmt.Fprintf(w, "the page's DELETE is allowed by this config: the browser sends it, and the page reads the answer\n")
		return
	default:
		fmt.Fprintf(w, "why does the page's DELETE fail? the browser's verdict (corstest.Check, in-process):\n%s\n", indent("  ", res.Err().Error()))
	}
	fmt.Fprintf(w, "ask corscheck, which judges a call as a browser does, with the whole exchange:\n  %s\n", explainDeleteCommand(frontendURL, apiURL))
}
