// Command loadbench measures what the gateway adds on top of its upstream. In one
// run it builds and starts the simulator (with a fixed latency) and the gateway
// against it, drives a few queries at a fixed concurrency with a different token
// per client, and drives the simulator's own lead list directly as the floor.
//
// It prints, per scenario, requests per second, latency percentiles, upstream
// calls per request, gateway CPU seconds per 1,000 requests and the gateway's
// peak RSS, as a table and optionally as JSON.
//
//	go run ./cmd/loadbench -duration 10s -concurrency 32
package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"log/slog"
	"os"
	"os/signal"
	"syscall"
	"time"
)

// options are the benchmark's flags.
type options struct {
	concurrency int
	duration    time.Duration
	warmup      time.Duration
	latency     time.Duration
	batch       string
	cacheTTL    string
	jsonOut     string
	only        string
	gatewayEnv  stringList
	cpuProfile  string
	rate        float64
}

func main() {
	var o options
	flag.IntVar(&o.concurrency, "concurrency", 32, "concurrent clients, each with its own token")
	flag.DurationVar(&o.duration, "duration", 10*time.Second, "measured time per scenario")
	flag.DurationVar(&o.warmup, "warmup", 2*time.Second, "unmeasured warm-up per scenario")
	flag.DurationVar(&o.latency, "latency", 2*time.Millisecond, "simulator latency per REST answer")
	flag.StringVar(&o.batch, "batch", "each", "gateway CAPE_BATCH strategy")
	flag.StringVar(&o.cacheTTL, "cache-ttl", "", "gateway CACHE_TTL (empty keeps its default)")
	flag.StringVar(&o.jsonOut, "json", "", "also write the results as JSON to this file")
	flag.StringVar(&o.only, "only", "", "run only the scenario with this name")
	flag.Var(&o.gatewayEnv, "env", "extra KEY=VALUE for the gateway (repeatable)")
	flag.Float64Var(&o.rate, "rate", 100,
		"after each measured run, drive the scenario again at this fixed rate (req/s) for latency; 0 skips it")
	flag.StringVar(&o.cpuProfile, "cpuprofile", "",
		"write the gateway's CPU profile of each measured run here (-only picks one scenario)")
	flag.Parse()

	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	logger := slog.New(slog.NewTextHandler(os.Stderr, nil))
	if err := run(ctx, o, logger); err != nil {
		logger.Error("loadbench failed", slog.Any("error", err))
		os.Exit(1)
	}
}

func run(ctx context.Context, o options, logger *slog.Logger) error {
	env, err := startEnvironment(ctx, o, logger)
	if err != nil {
		return err
	}
	defer env.stop()
	before, err := env.settledGoroutines(ctx)
	if err != nil {
		return err
	}

	var results []result
	for _, s := range env.scenarios() {
		if o.only != "" && s.name != o.only {
			continue
		}
		logger.Info("running scenario", slog.String("name", s.name))
		r, err := env.measure(ctx, s, o)
		if err != nil {
			return fmt.Errorf("%s: %w", s.name, err)
		}
		results = append(results, r)
	}

	after, err := env.settledGoroutines(ctx)
	if err != nil {
		return err
	}

	report := report{
		Date: time.Now().UTC().Format(time.RFC3339), Concurrency: o.concurrency,
		Duration: o.duration.String(), Latency: o.latency.String(), Batch: o.batch, Rate: o.rate,
		CPUs: numCPU(), Results: results, GoroutinesBefore: before, GoroutinesAfter: after,
	}
	report.print(os.Stdout)
	if o.jsonOut != "" {
		raw, err := json.MarshalIndent(report, "", "  ")
		if err != nil {
			return err
		}
		return os.WriteFile(o.jsonOut, append(raw, '\n'), 0o644)
	}
	return nil
}

// stringList is a repeatable string flag.
type stringList []string

func (s *stringList) String() string { return fmt.Sprint(*s) }

func (s *stringList) Set(v string) error {
	*s = append(*s, v)
	return nil
}
