package main

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"math"
	"net/http"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"
)

// pprofClient talks to the gateway's profiling listener without keeping a
// connection open, so that it never counts in the goroutines it reads.
var pprofClient = &http.Client{
	Transport: &http.Transport{DisableKeepAlives: true},
	Timeout:   5 * time.Minute,
}

// cpuProfile records the gateway's CPU for d into path, reading the
// profile that net/http/pprof serves on PPROF_ADDR.
func (e *environment) cpuProfile(ctx context.Context, d time.Duration, path string) error {
	seconds := max(1, int(math.Round(d.Seconds())))
	url := fmt.Sprintf("%s/debug/pprof/profile?seconds=%d", e.pprofURL, seconds)
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	if err != nil {
		return err
	}
	resp, err := pprofClient.Do(req)
	if err != nil {
		return fmt.Errorf("cpu profile: %w", err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("cpu profile: HTTP %d", resp.StatusCode)
	}
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	if _, err := io.Copy(f, resp.Body); err != nil {
		f.Close()
		return fmt.Errorf("cpu profile: %w", err)
	}
	return f.Close()
}

// profilePath is where the CPU profile of scenario goes: base itself when one
// scenario is profiled, else base with the scenario's name before its
// extension.
func profilePath(base, scenario string, several bool) string {
	if !several {
		return base
	}
	ext := filepath.Ext(base)
	return strings.TrimSuffix(base, ext) + "-" + scenario + ext
}

// goroutines is a count of the gateway's goroutines.
type goroutines struct {
	Total int `json:"total"`
	// UpstreamPool are the two goroutines of each kept-alive connection to
	// the upstream, which the pool closes only after its idle timeout.
	UpstreamPool int `json:"upstream_pool"`
}

// Other is every goroutine that is not part of the upstream pool.
func (g goroutines) Other() int { return g.Total - g.UpstreamPool }

// countGoroutines reads the goroutine profile (debug=1 groups goroutines by
// stack, each group headed by its count).
func (e *environment) countGoroutines(ctx context.Context) (goroutines, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet,
		e.pprofURL+"/debug/pprof/goroutine?debug=1", nil)
	if err != nil {
		return goroutines{}, err
	}
	resp, err := pprofClient.Do(req)
	if err != nil {
		return goroutines{}, fmt.Errorf("goroutine profile: %w", err)
	}
	defer resp.Body.Close()
	return parseGoroutines(resp.Body)
}

func parseGoroutines(r io.Reader) (goroutines, error) {
	var g goroutines
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 64<<10), 1<<20)
	group, counted := 0, false
	for sc.Scan() {
		line := sc.Text()
		if rest, ok := strings.CutPrefix(line, "goroutine profile: total "); ok {
			g.Total, _ = strconv.Atoi(rest)
			continue
		}
		if n, _, ok := strings.Cut(line, " @ "); ok {
			group, _ = strconv.Atoi(n)
			counted = false
			continue
		}
		pooled := strings.Contains(line, "net/http.(*persistConn).readLoop") ||
			strings.Contains(line, "net/http.(*persistConn).writeLoop")
		if pooled && !counted {
			g.UpstreamPool += group
			counted = true
		}
	}
	if g.Total == 0 {
		return g, fmt.Errorf("goroutine profile: no total in the answer")
	}
	return g, sc.Err()
}

// settledGoroutines closes the benchmark's idle connections, so that the
// gateway's server goroutines for them end, then reads the count until it
// stops falling (at most ten seconds).
func (e *environment) settledGoroutines(ctx context.Context) (goroutines, error) {
	e.client.CloseIdleConnections()
	http.DefaultTransport.(*http.Transport).CloseIdleConnections() // from waitReady
	deadline := time.Now().Add(10 * time.Second)
	last, err := e.countGoroutines(ctx)
	for err == nil && time.Now().Before(deadline) {
		select {
		case <-ctx.Done():
			return last, ctx.Err()
		case <-time.After(250 * time.Millisecond):
		}
		var now goroutines
		if now, err = e.countGoroutines(ctx); err == nil && now.Other() >= last.Other() {
			return now, nil
		}
		last = now
	}
	return last, err
}
