package benchmarks

import (
	"context"
	"flag"
	"net/http"
	"strconv"
	"testing"
	"time"

	"github.com/crossorigin/cors"
)

var (
	e2eConns = flag.Int("e2e.conns", 4, "BenchmarkEndToEnd: keep-alive connections (one client goroutine each)")
	e2eMax   = flag.Duration("e2e.max", 20*time.Second, "BenchmarkEndToEnd: time bound of one run, whatever b.N is")
)

// BenchmarkCORS runs every measured cell of the matrix as
// BenchmarkCORS/<config>/<request>/<library>. Cells that are n/a, or where
// a library does not do what the scenario's name says, are left out (see
// TestOutcomes for the table).
func BenchmarkCORS(b *testing.B) {
	benchMatrix(b, func(b *testing.B, cell *Cell) {
		w := NewWriter()
		b.ReportAllocs()
		for b.Loop() {
			cell.Serve(w)
		}
	})
}

// BenchmarkCORSParallel is BenchmarkCORS with the requests sent from
// GOMAXPROCS goroutines at once (b.RunParallel), each with its own writer
// and its own copy of the request: what a lock or a hot shared counter on
// the request path costs shows here and not in BenchmarkCORS. ns/op is
// wall time per request over all goroutines, so with no contention it is
// the sequential figure divided by GOMAXPROCS.
func BenchmarkCORSParallel(b *testing.B) {
	benchMatrix(b, func(b *testing.B, cell *Cell) {
		b.ReportAllocs()
		b.RunParallel(func(pb *testing.PB) {
			w := NewWriter()
			r := cell.Scenario.Request.Clone(context.Background())
			for pb.Next() {
				w.Reset()
				cell.Quiet.ServeHTTP(w, r)
			}
		})
	})
}

func benchMatrix(b *testing.B, bench func(*testing.B, *Cell)) {
	cells := Matrix()
	for _, config := range Configs() {
		b.Run(config.Name, func(b *testing.B) {
			for _, s := range Scenarios() {
				if s.Config.Name != config.Name || s.Request == nil {
					continue // a parent without sub-benchmarks would time itself
				}
				b.Run(s.Name, func(b *testing.B) {
					for _, lib := range Libraries() {
						cell := Find(cells, s.FullName(), lib.Name)
						if cell.Skip != "" {
							continue
						}
						b.Run(lib.Name, func(b *testing.B) { bench(b, cell) })
					}
				})
			}
		})
	}
}

// BenchmarkOrigins is the origin-count sweep,
// BenchmarkOrigins/<request>/<origins>/<library>: the same request with 1,
// 100, 1,000 and 10,000 configured origins (half exact, half subdomain
// wildcards; see SweepOrigins), for every library that can state them.
//
// Each request and size is built and checked on its own, just before it is
// timed, and dropped after, so that no benchmark pays for a heap of
// 10,000-origin middlewares in its garbage collections.
func BenchmarkOrigins(b *testing.B) {
	for _, req := range SweepRequests() {
		b.Run(req, func(b *testing.B) {
			for _, n := range SweepSizes {
				b.Run(strconv.Itoa(n), func(b *testing.B) {
					cells := Sweep(SweepScenario(req, n))
					for _, lib := range Libraries() {
						cell := FindSweep(cells, req, n, lib.Name)
						if lib.Name == Bare || cell.Skip != "" {
							continue // the floor does not depend on the configuration
						}
						b.Run(lib.Name, func(b *testing.B) {
							w := NewWriter()
							b.ReportAllocs()
							for b.Loop() {
								cell.Serve(w)
							}
						})
					}
				})
			}
		})
	}
}

// BenchmarkVaryMerge is an allowed actual request after an earlier layer
// has set "Vary: Accept-Encoding": the one path on which our middleware
// may allocate (the merged Vary line).
func BenchmarkVaryMerge(b *testing.B) {
	s := VaryMergeScenario()
	for _, lib := range Libraries() {
		cell := Find(Matrix(), s.FullName(), lib.Name)
		if cell.Skip != "" {
			continue
		}
		b.Run(lib.Name, func(b *testing.B) {
			w := NewWriter()
			scratch := make([]string, 1)
			b.ReportAllocs()
			for b.Loop() {
				ServeAfterVary(cell.Handler, w, s.Request, scratch)
			}
		})
	}
}

// thousandOrigins is the configuration of the construction benchmark.
func thousandOrigins() Config {
	origins := make([]string, 1000)
	for i := range origins {
		origins[i] = "https://app" + strconv.Itoa(i) + ".example.com"
	}
	return Config{Name: "1000_origins", Origins: origins, Credentials: true}
}

// BenchmarkNew measures building a middleware with 1,000 exact origins
// (our target: under 1 ms) and with the sweep's 10,000 origins, half of
// them subdomain wildcards (our target: under 20 ms), next to the peers'
// constructors.
func BenchmarkNew(b *testing.B) {
	tenK := Config{Name: "10000_origins", Origins: SweepOrigins(10000, KindSubdomain), Credentials: true}
	next := http.NotFoundHandler()
	for _, c := range []Config{thousandOrigins(), tenK} {
		b.Run(c.Name, func(b *testing.B) {
			b.Run(Ours, func(b *testing.B) {
				opts := OurOptions(c)
				b.ReportAllocs()
				for b.Loop() {
					if _, err := cors.New(opts); err != nil {
						b.Fatal(err)
					}
				}
			})
			for _, lib := range Libraries() {
				if !lib.Peer {
					continue
				}
				if _, err := build(lib, c, next); err != nil {
					continue // not expressible: reported as n/a
				}
				b.Run(lib.Name, func(b *testing.B) {
					b.ReportAllocs()
					for b.Loop() {
						if _, err := lib.Wrap(c, next); err != nil {
							b.Fatal(err)
						}
					}
				})
			}
		})
	}
}

// BenchmarkEndToEnd sends b.N allowed cross-origin GETs over real loopback
// HTTP/1.1, -e2e.conns keep-alive connections at a time, to the JSON
// handler behind each middleware (and alone, first and last), bounded by
// -e2e.max whatever b.N is. It reports requests per second and the p50 and
// p99 latencies; cmd/report runs it several times and sets each against
// the bare handler of the same pass. -benchtime=1x is a smoke test.
func BenchmarkEndToEnd(b *testing.B) {
	for _, name := range E2ENames() {
		b.Run(name, func(b *testing.B) {
			h, err := E2EHandler(name)
			if err != nil {
				b.Fatal(err)
			}
			srv, err := StartE2E(h, *e2eConns)
			if err != nil {
				b.Fatal(err)
			}
			defer srv.Close()
			if err := srv.Warm(*e2eConns, name != Bare && name != BareAgain); err != nil {
				b.Fatal(err)
			}
			b.ResetTimer()
			res, err := srv.Run(context.Background(), b.N, *e2eConns, *e2eMax)
			b.StopTimer()
			if err != nil {
				b.Fatal(err)
			}
			if res.Stopped {
				b.Logf("stopped by -e2e.max %s after %d of %d requests", *e2eMax, res.Requests, b.N)
			}
			b.ReportMetric(res.RequestsPerSecond(), "req/s")
			b.ReportMetric(float64(res.Quantile(0.50).Nanoseconds())/1e3, "p50-µs")
			b.ReportMetric(float64(res.Quantile(0.99).Nanoseconds())/1e3, "p99-µs")
			b.ReportMetric(float64(res.Requests), "requests")
		})
	}
}
