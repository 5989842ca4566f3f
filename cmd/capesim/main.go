// Command capesim serves the Cape API simulator on a real listener, so that
// the gateway, tests, benchmarks and other tools have an upstream to aim at.
//
// Usage:
//
//	capesim [-addr 127.0.0.1:8090] [-latency 0] [-leads 5000] [-seed 1]
package main

import (
	"context"
	"errors"
	"flag"
	"log/slog"
	"os"
	"os/signal"
	"syscall"
	"time"

	"github.com/capedigital/cape-gateway/simulator"
)

// demoTokenTTL is how long the token printed at start stays valid.
const demoTokenTTL = time.Hour

func main() {
	log := slog.New(slog.NewTextHandler(os.Stderr, nil))
	if err := run(log, os.Args[1:]); err != nil {
		log.Error("capesim stopped", "err", err)
		os.Exit(1)
	}
}

func run(log *slog.Logger, args []string) error {
	fs := flag.NewFlagSet("capesim", flag.ContinueOnError)
	addr := fs.String("addr", "127.0.0.1:8090", "listen address")
	latency := fs.Duration("latency", 0, "delay added to every REST answer")
	leads := fs.Int("leads", 5000, "how many seeded leads")
	seed := fs.Int64("seed", 1, "seed of the generated data")
	if err := fs.Parse(args); errors.Is(err, flag.ErrHelp) {
		return nil
	} else if err != nil {
		return err
	}

	sim, err := simulator.New(simulator.Options{Leads: *leads, Seed: *seed, Latency: *latency})
	if err != nil {
		return err
	}
	if err := sim.Start(*addr); err != nil {
		return err
	}
	defer sim.Close()

	token, err := sim.DemoToken(demoTokenTTL)
	if err != nil {
		return err
	}
	log.Info("capesim listening",
		"base_url", sim.URL()+"/commercial",
		"issuer", sim.Issuer(),
		"jwks", sim.JWKSURL(),
		"leads", *leads, "seed", *seed, "latency", *latency)
	// The demo token is a throwaway credential for local use, printed on
	// purpose so that a developer can paste it into curl or GraphiQL.
	log.Info("demo token (valid 1h)", "token", token)

	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	<-ctx.Done()
	log.Info("capesim shutting down")
	return nil
}
