package browser

import (
	"context"
	"fmt"
	"io"
	"log"
	"net"
	"net/http"
	"net/http/httputil"
	"strings"
	"sync"
	"time"
)

// Proxy is a forward HTTP proxy inside the test process, for the engines that
// cannot map host names themselves (Firefox, WebKit). Plain-HTTP requests
// arrive with an absolute URL and are forwarded, WebSocket upgrades
// included; CONNECT requests (https, wss) are tunnelled. Either way the
// connection goes to the route of the request's host:port, or straight to a
// loopback address; every other destination is refused, so a browser
// behind it reaches nothing outside the machine.
type Proxy struct {
	routes   []Route
	server   *http.Server
	listener net.Listener

	mu      sync.Mutex
	refused []string // destinations refused, for Refused
	tunnels sync.WaitGroup
	conns   map[net.Conn]struct{} // open tunnels, closed by Close
}

// StartProxy starts a proxy for routes on a loopback port.
func StartProxy(routes []Route) (*Proxy, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, err
	}
	p := &Proxy{routes: routes, listener: l, conns: map[net.Conn]struct{}{}}
	forward := &httputil.ReverseProxy{
		Rewrite: func(r *httputil.ProxyRequest) {
			// The browser's request is forwarded as it is: same URL, same
			// Host, no X-Forwarded-* headers; the transport dials the route.
			r.Out.URL = r.In.URL
			r.Out.Host = r.In.Host
		},
		Transport: &http.Transport{
			DialContext:        p.dial,
			DisableCompression: true,
			// Every request gets a fresh connection: routes are cheap, and
			// no state is shared between the browser's requests.
			DisableKeepAlives: true,
			// Only the https pages are tunnelled; the proxy never speaks TLS.
		},
		ErrorLog: log.New(io.Discard, "", 0),
		ErrorHandler: func(w http.ResponseWriter, r *http.Request, err error) {
			http.Error(w, "proxy: "+err.Error(), http.StatusBadGateway)
		},
	}
	p.server = &http.Server{
		Handler: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			switch {
			case r.Method == http.MethodConnect:
				p.tunnel(w, r)
			case r.URL.IsAbs() && (r.URL.Scheme == "http" || r.URL.Scheme == "ws"):
				// WebKit asks for a ws:// URL itself; the upgrade is HTTP.
				r.URL.Scheme = "http"
				forward.ServeHTTP(w, r)
			default:
				http.Error(w, "proxy: only absolute http URLs and CONNECT", http.StatusBadRequest)
			}
		}),
		ErrorLog:          log.New(io.Discard, "", 0),
		ReadHeaderTimeout: 10 * time.Second,
	}
	go func() { _ = p.server.Serve(l) }()
	return p, nil
}

// Addr is the proxy's "127.0.0.1:port".
func (p *Proxy) Addr() string { return p.listener.Addr().String() }

// Close stops the proxy and its open tunnels.
func (p *Proxy) Close() {
	_ = p.server.Close()
	p.mu.Lock()
	for c := range p.conns {
		_ = c.Close()
	}
	p.mu.Unlock()
	p.tunnels.Wait()
}

// Refused lists the destinations the proxy refused, host:port each, in the
// order they were asked for: anything a browser tried to reach outside the
// test's network.
func (p *Proxy) Refused() []string {
	p.mu.Lock()
	defer p.mu.Unlock()
	return append([]string(nil), p.refused...)
}

// Resolve returns the listener that host:port reaches: its route, the
// address itself on the loopback interface, or an error.
func (p *Proxy) Resolve(hostport string) (string, error) {
	host, port, err := net.SplitHostPort(hostport)
	if err != nil {
		return "", err
	}
	host = strings.ToLower(strings.TrimSuffix(host, "."))
	for _, r := range p.routes {
		rh, rp, err := net.SplitHostPort(r.From)
		if err != nil {
			continue
		}
		if rp == port && (rh == "*" || strings.EqualFold(rh, host)) {
			return r.To, nil
		}
	}
	if ip := net.ParseIP(host); (ip != nil && ip.IsLoopback()) || host == "localhost" {
		return net.JoinHostPort(host, port), nil
	}
	p.mu.Lock()
	p.refused = append(p.refused, hostport)
	p.mu.Unlock()
	return "", fmt.Errorf("%s is outside the test network", hostport)
}

func (p *Proxy) dial(ctx context.Context, network, addr string) (net.Conn, error) {
	to, err := p.Resolve(addr)
	if err != nil {
		return nil, err
	}
	var d net.Dialer
	return d.DialContext(ctx, network, to)
}

// tunnel answers a CONNECT: it dials the destination, says so, and copies
// bytes both ways until either side closes.
func (p *Proxy) tunnel(w http.ResponseWriter, r *http.Request) {
	ctx, cancel := context.WithTimeout(r.Context(), 10*time.Second)
	defer cancel()
	upstream, err := p.dial(ctx, "tcp", r.Host)
	if err != nil {
		http.Error(w, "proxy: "+err.Error(), http.StatusBadGateway)
		return
	}
	hj, ok := w.(http.Hijacker)
	if !ok {
		_ = upstream.Close()
		http.Error(w, "proxy: cannot tunnel", http.StatusInternalServerError)
		return
	}
	client, buf, err := hj.Hijack()
	if err != nil {
		_ = upstream.Close()
		return
	}
	if _, err := io.WriteString(client, "HTTP/1.1 200 Connection established\r\n\r\n"); err != nil {
		_ = client.Close()
		_ = upstream.Close()
		return
	}
	p.mu.Lock()
	p.conns[client], p.conns[upstream] = struct{}{}, struct{}{}
	p.tunnels.Add(2)
	p.mu.Unlock()
	// When either side is done, both connections close: a tunnel carries one
	// TLS connection, which neither side uses half-closed.
	var once sync.Once
	end := func() {
		once.Do(func() {
			_ = client.Close()
			_ = upstream.Close()
			p.mu.Lock()
			delete(p.conns, client)
			delete(p.conns, upstream)
			p.mu.Unlock()
		})
		p.tunnels.Done()
	}
	go func() {
		defer end()
		// Bytes the client sent after its CONNECT, already buffered, go first.
		if n := buf.Reader.Buffered(); n > 0 {
			b, _ := buf.Reader.Peek(n)
			if _, err := upstream.Write(b); err != nil {
				return
			}
		}
		_, _ = io.Copy(upstream, client)
	}()
	go func() {
		defer end()
		_, _ = io.Copy(client, upstream)
	}()
}
