package benchmarks

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"slices"
	"sync"
	"sync/atomic"
	"time"
)

// The end-to-end run: a real HTTP/1.1 server on the loopback interface, a
// small JSON handler behind each middleware, and keep-alive clients sending
// the same allowed cross-origin GET, so that a middleware's cost is seen
// where it is paid, next to parsing, the handler and the network stack.

// E2EConfig is the configuration behind the end-to-end middlewares (one
// origin, credentials: the common case of an API and its web app).
func E2EConfig() Config { return Configs()[0] }

// E2EOrigin is the Origin of every end-to-end request, allowed by E2EConfig.
func E2EOrigin() string { return E2EConfig().AllowedOrigin }

// Item is what the end-to-end handler encodes.
type Item struct {
	ID    int      `json:"id"`
	Name  string   `json:"name"`
	Price float64  `json:"price"`
	Tags  []string `json:"tags"`
}

// e2eItem is what JSONHandler encodes; e2ePath is where the end-to-end
// request asks for it.
var e2eItem = Item{ID: 4711, Name: "widget", Price: 12.5, Tags: []string{"blue", "small"}}

const e2ePath = "/items/4711"

// JSONHandler answers every request with a small JSON document, encoded on
// every request as a real handler would.
func JSONHandler() http.Handler {
	item := e2eItem
	return http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		_ = json.NewEncoder(w).Encode(item) // a failed write is a broken connection, which the client reports
	})
}

// E2EResult is one end-to-end run.
type E2EResult struct {
	Requests  int             // completed, each with status 200
	Elapsed   time.Duration   // from the first request to the last response
	Latencies []time.Duration // per request, sorted
	// Stopped: the time bound ended the run before Requests reached the
	// number asked for.
	Stopped bool
	// CPU is the CPU time the whole process (clients and server alike) used
	// during the run, 0 where it cannot be read. Load from other processes
	// slows the wall clock but barely changes it, so its per-request
	// difference from the bare handler's is the steadier estimate of a
	// middleware's cost on a busy machine.
	CPU time.Duration
}

// CPUPerRequest is the process's CPU time per request of the run.
func (r E2EResult) CPUPerRequest() time.Duration {
	if r.Requests == 0 {
		return 0
	}
	return r.CPU / time.Duration(r.Requests)
}

// RequestsPerSecond is the throughput of the run.
func (r E2EResult) RequestsPerSecond() float64 {
	if r.Elapsed <= 0 {
		return 0
	}
	return float64(r.Requests) / r.Elapsed.Seconds()
}

// Quantile is the latency below which fraction q of the requests
// completed (nearest rank).
func (r E2EResult) Quantile(q float64) time.Duration {
	n := len(r.Latencies)
	if n == 0 {
		return 0
	}
	i := int(q*float64(n)+0.999999) - 1
	return r.Latencies[max(0, min(n-1, i))]
}

// E2EServer is a loopback HTTP/1.1 server around one handler, with two
// kinds of keep-alive client for it: client, Go's own, which Warm uses to
// check the server's answers, and the load generator's connections (see
// rawConn), which Warm opens and Run drives.
type E2EServer struct {
	url    string
	client *http.Client
	srv    *http.Server
	ln     net.Listener
	done   chan struct{}
	raw    []*rawConn
}

// StartE2E serves h on 127.0.0.1 (an ephemeral port, HTTP/1.1 only); Warm
// then checks it and opens the conns connections Run uses.
func StartE2E(h http.Handler, conns int) (*E2EServer, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, err
	}
	s := &E2EServer{
		url:  "http://" + ln.Addr().String() + e2ePath,
		ln:   ln,
		done: make(chan struct{}),
		srv: &http.Server{
			// Plain TCP: HTTP/1.1 (unencrypted HTTP/2 is off by default).
			Handler:           h,
			ReadHeaderTimeout: 10 * time.Second,
		},
	}
	go func() {
		defer close(s.done)
		_ = s.srv.Serve(ln) // returns http.ErrServerClosed on Close
	}()
	s.client = &http.Client{
		Timeout: 10 * time.Second,
		Transport: &http.Transport{
			Proxy:               nil, // loopback only, whatever the environment says
			MaxIdleConns:        conns,
			MaxIdleConnsPerHost: conns,
			MaxConnsPerHost:     conns,
			DisableCompression:  true,
			ForceAttemptHTTP2:   false,
		},
	}
	return s, nil
}

// Close stops the server and drops the clients' connections.
func (s *E2EServer) Close() {
	s.closeRaw()
	s.client.CloseIdleConnections()
	_ = s.srv.Close()
	<-s.done
}

// get sends one end-to-end request on req (reused: a GET without body)
// and reads the whole response.
func (s *E2EServer) get(req *http.Request) (*http.Response, error) {
	resp, err := s.client.Do(req)
	if err != nil {
		return nil, err
	}
	_, err = io.Copy(io.Discard, resp.Body)
	if cerr := resp.Body.Close(); err == nil {
		err = cerr
	}
	if err == nil && resp.StatusCode != http.StatusOK {
		err = fmt.Errorf("status %d", resp.StatusCode)
	}
	return resp, err
}

// newE2ERequest is the end-to-end request: an allowed cross-origin GET.
func (s *E2EServer) newE2ERequest() (*http.Request, error) {
	req, err := http.NewRequest(http.MethodGet, s.url, nil)
	if err != nil {
		return nil, err
	}
	req.Header.Set("Origin", E2EOrigin())
	req.Header.Set("Accept", "application/json")
	return req, nil
}

// Warm checks the server's answers and opens the load generator's conns
// connections for Run. Every response must be the JSON document with the
// CORS headers wantCORS says: the allowed origin reflected with
// credentials, or none. Go's client checks conns requests, concurrently;
// then each of the load generator's connections checks one more.
func (s *E2EServer) Warm(conns int, wantCORS bool) error {
	if err := s.checkWithClient(conns, wantCORS); err != nil {
		return err
	}
	s.client.CloseIdleConnections() // from here on, only the load generator's connections
	s.closeRaw()
	body, err := json.Marshal(e2eItem)
	if err != nil {
		return err
	}
	body = append(body, '\n') // as json.Encoder writes it
	for range conns {
		c, err := dialRaw(s.ln.Addr().String(), body, wantCORS)
		if err != nil {
			return err
		}
		s.raw = append(s.raw, c)
		if err := c.conn.SetDeadline(time.Now().Add(10 * time.Second)); err != nil {
			return err
		}
		if err := c.roundTrip(); err != nil {
			return fmt.Errorf("load generator: %w", err)
		}
	}
	return nil
}

func (s *E2EServer) closeRaw() {
	for _, c := range s.raw {
		c.close()
	}
	s.raw = nil
}

// checkWithClient sends conns requests at once through client and checks
// every response.
func (s *E2EServer) checkWithClient(conns int, wantCORS bool) error {
	errs := make(chan error, conns)
	for range conns {
		go func() {
			req, err := s.newE2ERequest()
			if err == nil {
				var resp *http.Response
				if resp, err = s.get(req); err == nil {
					err = checkE2E(resp, wantCORS)
				}
			}
			errs <- err
		}()
	}
	var all []error
	for range conns {
		all = append(all, <-errs)
	}
	return errors.Join(all...)
}

func checkE2E(resp *http.Response, wantCORS bool) error {
	if ct := resp.Header.Get("Content-Type"); ct != "application/json" {
		return fmt.Errorf("Content-Type %q", ct)
	}
	acao := resp.Header.Values("Access-Control-Allow-Origin")
	switch {
	case !wantCORS && len(acao) > 0:
		return fmt.Errorf("the bare handler answered ACAO %q", acao)
	case wantCORS && (len(acao) != 1 || acao[0] != E2EOrigin()):
		return fmt.Errorf("ACAO %q, want %q", acao, E2EOrigin())
	case wantCORS && resp.Header.Get("Access-Control-Allow-Credentials") != "true":
		return errors.New("no Access-Control-Allow-Credentials: true")
	}
	return nil
}

// Run sends n requests over the conns keep-alive connections Warm opened
// (each worker one connection, one request at a time), or as many as fit
// in maxTime, and times every one from sending to the last byte of the
// body. Every response is checked as Warm's were.
func (s *E2EServer) Run(ctx context.Context, n, conns int, maxTime time.Duration) (E2EResult, error) {
	if len(s.raw) < conns {
		return E2EResult{}, fmt.Errorf("Run on %d connections, but Warm opened %d", conns, len(s.raw))
	}
	ctx, cancel := context.WithTimeout(ctx, maxTime)
	defer cancel()
	var next atomic.Int64 // requests handed out: a client-side counter, not on the server's path
	lat := make([][]time.Duration, conns)
	errs := make([]error, conns)
	var wg sync.WaitGroup
	cpu := processCPU()
	start := time.Now()
	for i := range conns {
		lat[i] = make([]time.Duration, 0, min(n/conns+1, 1<<16)) // n may be huge when maxTime is the bound
		wg.Add(1)
		go func() {
			defer wg.Done()
			c := s.raw[i]
			// A bound on the whole run, not per request: a timer per request would be
			// client work on the server's cores.
			if err := c.conn.SetDeadline(time.Now().Add(maxTime + 10*time.Second)); err != nil {
				errs[i] = err
				return
			}
			for ctx.Err() == nil && next.Add(1) <= int64(n) {
				t0 := time.Now()
				if err := c.roundTrip(); err != nil {
					if ctx.Err() == nil {
						errs[i] = err
					}
					return
				}
				lat[i] = append(lat[i], time.Since(t0))
			}
		}()
	}
	wg.Wait()
	res := E2EResult{Elapsed: time.Since(start), CPU: processCPU() - cpu}
	for _, l := range lat {
		res.Latencies = append(res.Latencies, l...)
	}
	slices.Sort(res.Latencies)
	res.Requests = len(res.Latencies)
	res.Stopped = res.Requests < n
	return res, errors.Join(errs...)
}

// BareAgain is the bare handler measured a second time, last: the A/A
// control, whose difference from the first bare run is the noise of the
// machine, the yardstick for any "within 2% of bare" claim.
const BareAgain = "bare_again"

// HeadersOnly is the bare handler behind a wrapper that sets, deciding
// nothing, the CORS headers ours sets for the end-to-end request (as fresh
// copies on every request). Against the bare handler it is what sending and
// reading those headers costs, server and client together, which any
// correct middleware pays; ours against it is the middleware's own cost.
const HeadersOnly = "headers_only"

// E2ENames lists the end-to-end runs in order: the bare handler, this
// library, the peers, the headers alone, and the bare handler again.
func E2ENames() []string {
	names := []string{Bare}
	for _, l := range Libraries() {
		if l.Name != Bare {
			names = append(names, l.Name)
		}
	}
	return append(names, HeadersOnly, BareAgain)
}

// E2EHandler is the JSON handler behind the named middleware (E2EConfig),
// behind the headers alone for HeadersOnly, or alone for Bare and BareAgain.
func E2EHandler(name string) (http.Handler, error) {
	if name == HeadersOnly {
		return headersOnly(JSONHandler())
	}
	if name == BareAgain {
		name = Bare
	}
	return e2eWrap(name, JSONHandler())
}

// e2eWrap returns h behind the named library's middleware, configured with E2EConfig.
func e2eWrap(name string, h http.Handler) (http.Handler, error) {
	for _, l := range Libraries() {
		if l.Name == name {
			return build(l, E2EConfig(), h)
		}
	}
	return nil, fmt.Errorf("no library %q", name)
}

// headersOnly returns next behind a wrapper that sets the headers ours sets
// for the end-to-end request, recorded once from ours itself.
func headersOnly(next http.Handler) (http.Handler, error) {
	ours, err := e2eWrap(Ours, stateless) // a handler that sets nothing: every header recorded is ours
	if err != nil {
		return nil, err
	}
	req, err := http.NewRequest(http.MethodGet, "http://127.0.0.1"+e2ePath, nil)
	if err != nil {
		return nil, err
	}
	req.Header.Set("Origin", E2EOrigin())
	rec := NewWriter()
	ours.ServeHTTP(rec, req)
	type field struct {
		key    string
		values []string
	}
	var fields []field
	for k, v := range rec.Header() {
		fields = append(fields, field{k, v})
	}
	if len(fields) == 0 {
		return nil, errors.New("headers_only: ours set no header for the end-to-end request")
	}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h := w.Header()
		for _, f := range fields {
			h[f.key] = slices.Clone(f.values)
		}
		next.ServeHTTP(w, r)
	}), nil
}

// E2ETarget is the most our middleware may cost end to end, as a fraction
// of the bare handler's requests per second.
const E2ETarget = 0.02

// E2EOptions bounds an end-to-end suite.
type E2EOptions struct {
	Rounds   int           // rounds; in each, every name of E2ENames runs once
	PerRound int           // requests per name and round
	Conns    int           // keep-alive connections (client goroutines)
	MaxTime  time.Duration // the whole suite, whatever Rounds and PerRound ask
}

// E2ESeries is every round of one name of E2ENames.
type E2ESeries struct {
	Name   string
	Rounds []E2EResult
}

// RunE2ESuite starts one loopback server per name of E2ENames, warms each
// one's connections and checks its answers, then runs opts.Rounds rounds
// of opts.PerRound requests per name. The order of the names rotates from
// round to round, and each round is short, so that a burst of load on the
// machine lands on every middleware alike and each is set against the
// bare handler of the same round. progress, if not nil, gets a line per
// round. Rounds the time bound cut short are dropped whole.
func RunE2ESuite(ctx context.Context, opts E2EOptions, progress io.Writer) ([]E2ESeries, error) {
	names := E2ENames()
	servers := make([]*E2EServer, len(names))
	defer func() {
		for _, s := range servers {
			if s != nil {
				s.Close()
			}
		}
	}()
	for i, name := range names {
		h, err := E2EHandler(name)
		if err != nil {
			return nil, err
		}
		if servers[i], err = StartE2E(h, opts.Conns); err != nil {
			return nil, err
		}
		if err := servers[i].Warm(opts.Conns, name != Bare && name != BareAgain); err != nil {
			return nil, fmt.Errorf("%s: %w", name, err)
		}
	}
	ctx, cancel := context.WithTimeout(ctx, opts.MaxTime)
	defer cancel()
	series := make([]E2ESeries, len(names))
	for i, name := range names {
		series[i].Name = name
	}
	for round := range opts.Rounds {
		results := make([]E2EResult, len(names))
		for k := range names {
			i := (k + round) % len(names)
			deadline, _ := ctx.Deadline()
			res, err := servers[i].Run(ctx, opts.PerRound, opts.Conns, time.Until(deadline))
			if err != nil {
				return series, fmt.Errorf("%s, round %d: %w", names[i], round+1, err)
			}
			if res.Stopped {
				return series, nil // out of time: keep the whole rounds only
			}
			results[i] = res
		}
		for i := range names {
			series[i].Rounds = append(series[i].Rounds, results[i])
		}
		if progress != nil {
			fmt.Fprintf(progress, "end to end: round %d of %d: bare %.0f req/s, %s %.0f req/s\n", round+1, opts.Rounds,
				results[0].RequestsPerSecond(), names[1], results[1].RequestsPerSecond())
		}
	}
	return series, nil
}

// Overheads is, round by round, how much lower name's throughput was than
// the bare handler's in the same round, as a fraction (0.01 = 1% fewer
// requests per second; negative when it was faster).
func Overheads(series []E2ESeries, name string) []float64 {
	return OverheadsAgainst(series, name, Bare)
}

// OverheadsAgainst is Overheads set against base instead of the bare handler.
func OverheadsAgainst(series []E2ESeries, name, base string) []float64 {
	return paired(series, name, base, func(lib, bare E2EResult) (float64, bool) {
		b := bare.RequestsPerSecond()
		return 1 - lib.RequestsPerSecond()/b, b > 0
	})
}

// CPUOverheads is, round by round, how much more CPU time per request the
// process used serving name than serving the bare handler in the same
// round, as a fraction of the bare handler's (0.01 = 1% more).
func CPUOverheads(series []E2ESeries, name string) []float64 {
	return CPUOverheadsAgainst(series, name, Bare)
}

// CPUOverheadsAgainst is CPUOverheads set against base instead of the bare
// handler.
func CPUOverheadsAgainst(series []E2ESeries, name, base string) []float64 {
	return paired(series, name, base, func(lib, bare E2EResult) (float64, bool) {
		b := bare.CPUPerRequest()
		return float64(lib.CPUPerRequest())/float64(b) - 1, b > 0
	})
}

// paired applies f to name's rounds and base's same rounds, keeping the
// values f says are defined.
func paired(series []E2ESeries, name, base string, f func(lib, base E2EResult) (float64, bool)) []float64 {
	var bare, lib *E2ESeries
	for i := range series {
		if series[i].Name == base {
			bare = &series[i]
		}
		if series[i].Name == name {
			lib = &series[i]
		}
	}
	if bare == nil || lib == nil {
		return nil
	}
	out := make([]float64, 0, len(lib.Rounds))
	for r := range min(len(bare.Rounds), len(lib.Rounds)) {
		if v, ok := f(lib.Rounds[r], bare.Rounds[r]); ok {
			out = append(out, v)
		}
	}
	return out
}
