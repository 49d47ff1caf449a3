package benchmarks

import (
	"context"
	"fmt"
	"io"
	"time"
)

// The end-to-end suite: every handler of E2ENames measured in short rounds,
// interleaved, so that each is set against the bare handler of its own round.

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
	if err := startE2EServers(servers, names, opts.Conns); err != nil {
		return nil, err
	}
	ctx, cancel := context.WithTimeout(ctx, opts.MaxTime)
	defer cancel()
	series := make([]E2ESeries, len(names))
	for i, name := range names {
		series[i].Name = name
	}
	for round := range opts.Rounds {
		results, complete, err := runE2ERound(ctx, servers, names, round, opts)
		if err != nil || !complete {
			return series, err
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

// startE2EServers starts a server per name into servers (which the caller
// closes, the ones started before an error included) and warms each one's
// conns connections, checking that only the bare handler answers without
// CORS headers.
func startE2EServers(servers []*E2EServer, names []string, conns int) error {
	for i, name := range names {
		h, err := E2EHandler(name)
		if err != nil {
			return err
		}
		if servers[i], err = StartE2E(h, conns); err != nil {
			return err
		}
		if err := servers[i].Warm(conns, name != Bare && name != BareAgain); err != nil {
			return fmt.Errorf("%s: %w", name, err)
		}
	}
	return nil
}

// runE2ERound runs round (counted from 0): opts.PerRound requests to each
// server, one server after the other, starting with servers[round] (modulo
// their number). results are in the order of names; complete is false,
// with no error, when the time bound of ctx stopped a run, and the round
// is to be dropped.
func runE2ERound(ctx context.Context, servers []*E2EServer, names []string, round int, opts E2EOptions) (results []E2EResult, complete bool, err error) {
	results = make([]E2EResult, len(names))
	for k := range names {
		i := (k + round) % len(names)
		deadline, _ := ctx.Deadline()
		res, err := servers[i].Run(ctx, opts.PerRound, opts.Conns, time.Until(deadline))
		if err != nil {
			return nil, false, fmt.Errorf("%s, round %d: %w", names[i], round+1, err)
		}
		if res.Stopped {
			return nil, false, nil // out of time: keep the whole rounds only
		}
		results[i] = res
	}
	return results, true, nil
}
