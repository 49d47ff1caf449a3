// Package benchmarks measures github.com/crossorigin/cors side by side with
// the Go CORS middlewares people use (rs/cors, go-chi/cors,
// gorilla/handlers and jub0bs/cors), on one matrix of configurations and
// requests whose names stay stable so results can be compared over time:
//
//   - BenchmarkCORS/<config>/<request>/<library>: one request at a time;
//   - BenchmarkCORSParallel/...: the same from GOMAXPROCS goroutines;
//   - BenchmarkOrigins/<request>/<origins>/<library>: the origin-count
//     sweep, 1 to 10,000 configured origins;
//   - BenchmarkNew/<origins>/<library>: building a middleware;
//   - BenchmarkVaryMerge/<library>: after an earlier layer set Vary;
//   - BenchmarkEndToEnd/<handler>: real loopback HTTP/1.1, one sub-benchmark
//     per name of E2ENames (RunE2ESuite is the interleaved version
//     cmd/report runs).
//
// Every cell's outcome is checked before it is timed (Matrix, Sweep), and
// the answers to a public "*" policy are checked, not timed (Star);
// cmd/report turns a run into a Markdown report with the targets checked.
package benchmarks
