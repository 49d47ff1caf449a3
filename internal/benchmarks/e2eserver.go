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

// closeRaw closes the load generator's connections.
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

// checkE2E checks a response Go's client read: Content-Type
// application/json and, with wantCORS, the allowed origin reflected with credentials, or else no
// Access-Control-Allow-Origin.
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
