package benchmarks

import (
	"net/http"
	"strconv"
	"testing"

	"github.com/crossorigin/cors"
)

// BenchmarkCORS runs every measured cell of the matrix as
// BenchmarkCORS/<config>/<request>/<library>. Cells that are n/a, or where
// a library does not do what the scenario's name says, are left out (see
// TestOutcomes for the table).
func BenchmarkCORS(b *testing.B) {
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

// ThousandOrigins is the configuration of the construction benchmark.
func thousandOrigins() Config {
	origins := make([]string, 1000)
	for i := range origins {
		origins[i] = "https://app" + strconv.Itoa(i) + ".example.com"
	}
	return Config{Name: "1000_origins", Origins: origins, Credentials: true}
}

// BenchmarkNew measures building a middleware with 1,000 exact origins
// (our target: under 1 ms), next to the peers' constructors.
func BenchmarkNew(b *testing.B) {
	c := thousandOrigins()
	next := http.NotFoundHandler()
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
