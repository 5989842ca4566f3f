package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"slices"
	"sync"
	"time"
)

// The queries of the scenarios.
const (
	smallListQuery = `{ leads(first: 20) { edges { cursor node { id name contactPerson
  contactPhone status node leadType gender createdAt } } pageInfo { hasNextPage endCursor } } }`
	relatedQuery = `{ leads(first: 50) { edges { cursor node { id name leadType gender createdAt
  category { name } source { name } products { name } partner { name } } }
  pageInfo { hasNextPage endCursor } } }`
	lookupQuery = `query Lookup($id: UUID!) { lead(id: $id) { id name leadType gender
  category { name } source { name } products { name } partner { name } } }`
)

// scenario is one kind of request, made by client i on its n-th call.
type scenario struct {
	name    string
	direct  bool // against the simulator, not the gateway
	request func(ctx context.Context, client, n int) (*http.Request, error)
}

func (e *environment) scenarios() []scenario {
	return []scenario{
		{name: "direct-list-20", direct: true, request: e.restList},
		{name: "gateway-list-20", request: e.graphQL(smallListQuery, nil)},
		{name: "gateway-related-50", request: e.graphQL(relatedQuery, nil)},
		{name: "gateway-lookup", request: e.graphQL(lookupQuery, func(client, n int) map[string]any {
			return map[string]any{"id": e.leadIDs[(client*7+n)%len(e.leadIDs)]}
		})},
	}
}

func (e *environment) restList(ctx context.Context, client, _ int) (*http.Request, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet,
		e.simURL+"/commercial/api/v1/leads?page_size=20", nil)
	if err != nil {
		return nil, err
	}
	req.Header.Set("Authorization", "Bearer "+e.tokens[client])
	return req, nil
}

func (e *environment) graphQL(query string, vars func(client, n int) map[string]any,
) func(context.Context, int, int) (*http.Request, error) {
	return func(ctx context.Context, client, n int) (*http.Request, error) {
		body := map[string]any{"query": query}
		if vars != nil {
			body["variables"] = vars(client, n)
		}
		raw, err := json.Marshal(body)
		if err != nil {
			return nil, err
		}
		req, err := http.NewRequestWithContext(ctx, http.MethodPost, e.gatewayURL+"/query",
			bytes.NewReader(raw))
		if err != nil {
			return nil, err
		}
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set("Authorization", "Bearer "+e.tokens[client])
		return req, nil
	}
}

// measure warms up, then drives s for o.duration and collects the figures.
func (e *environment) measure(ctx context.Context, s scenario, o options) (result, error) {
	if _, err := e.drive(ctx, s, o.concurrency, o.warmup); err != nil {
		return result{}, err
	}
	resetPeakRSS(e.gw.Process.Pid)
	calls0, err := e.upstreamTotal(ctx)
	if err != nil {
		return result{}, err
	}
	cpu0 := processCPU(e.gw.Process.Pid)

	profiled := make(chan error, 1)
	if o.cpuProfile != "" && !s.direct {
		path := profilePath(o.cpuProfile, s.name, o.only == "")
		go func() { profiled <- e.cpuProfile(ctx, o.duration, path) }()
	} else {
		profiled <- nil
	}
	start := time.Now()
	latencies, err := e.drive(ctx, s, o.concurrency, o.duration)
	if err != nil {
		return result{}, err
	}
	elapsed := time.Since(start)
	if err := <-profiled; err != nil {
		return result{}, err
	}

	cpu1 := processCPU(e.gw.Process.Pid)
	calls1, err := e.upstreamTotal(ctx)
	if err != nil {
		return result{}, err
	}
	r := summarize(s.name, latencies, elapsed)
	r.UpstreamPerRequest = float64(calls1-calls0) / float64(len(latencies))
	if !s.direct {
		r.GatewayCPUPer1000 = (cpu1 - cpu0).Seconds() / float64(len(latencies)) * 1000
		r.GatewayPeakRSSMB = float64(peakRSS(e.gw.Process.Pid)) / (1 << 20)
	}

	if o.rate > 0 {
		latencies, err := e.drivePaced(ctx, s, o.concurrency, o.rate, o.duration)
		if err != nil {
			return result{}, fmt.Errorf("at %g req/s: %w", o.rate, err)
		}
		calls2, err := e.upstreamTotal(ctx)
		if err != nil {
			return result{}, err
		}
		p := summarize(s.name, latencies, o.duration)
		r.Paced = &paced{Rate: o.rate, Requests: p.Requests,
			P50ms: p.P50ms, P95ms: p.P95ms, P99ms: p.P99ms,
			UpstreamPerRequest: float64(calls2-calls1) / float64(p.Requests)}
	}
	return r, nil
}

// drive runs concurrency clients for d and returns every request's latency. A
// request in flight when d ends is waited for, not cancelled, so that every
// upstream call made during the run belongs to a counted request. Any failed
// request stops the run: figures of failing requests mean nothing.
func (e *environment) drive(ctx context.Context, s scenario, concurrency int, d time.Duration,
) ([]time.Duration, error) {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	end := time.Now().Add(d)
	var (
		mu        sync.Mutex
		latencies []time.Duration
		firstErr  error
		wg        sync.WaitGroup
	)
	for client := range concurrency {
		wg.Go(func() {
			var mine []time.Duration
			for n := 0; ctx.Err() == nil && time.Now().Before(end); n++ {
				start := time.Now()
				answered, err := e.once(ctx, s, client, n)
				if ctx.Err() != nil {
					break
				}
				if err != nil {
					mu.Lock()
					firstErr = cmpErr(firstErr, err)
					mu.Unlock()
					cancel()
					break
				}
				mine = append(mine, answered.Sub(start))
			}
			mu.Lock()
			latencies = append(latencies, mine...)
			mu.Unlock()
		})
	}
	wg.Wait()
	if firstErr != nil {
		return nil, firstErr
	}
	if len(latencies) == 0 {
		return nil, fmt.Errorf("no request completed")
	}
	return latencies, nil
}

// drivePaced sends s at a fixed rate for d whatever the answers' speed (an
// open loop), with at most concurrency requests in flight, and returns every
// request's latency. The latency counts from when a request was due, not from
// when a free client got to send it, so that a slow answer also shows in the
// requests that waited behind it. Any failed request stops the run.
func (e *environment) drivePaced(ctx context.Context, s scenario, concurrency int, rate float64,
	d time.Duration,
) ([]time.Duration, error) {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	interval := time.Duration(float64(time.Second) / rate)
	total := max(1, int(d/interval))
	due := make(chan time.Time, total)
	go func() {
		defer close(due)
		start := time.Now()
		timer := time.NewTimer(0)
		defer timer.Stop()
		for i := range total {
			at := start.Add(time.Duration(i) * interval)
			timer.Reset(time.Until(at))
			select {
			case <-ctx.Done():
				return
			case <-timer.C:
			}
			due <- at
		}
	}()

	var (
		mu        sync.Mutex
		latencies = make([]time.Duration, 0, total)
		firstErr  error
		wg        sync.WaitGroup
	)
	for client := range concurrency {
		wg.Go(func() {
			n := 0
			for at := range due {
				answered, err := e.once(ctx, s, client, n)
				n++
				mu.Lock()
				if err != nil {
					if ctx.Err() == nil {
						firstErr = cmpErr(firstErr, err)
					}
					cancel()
				} else {
					latencies = append(latencies, answered.Sub(at))
				}
				mu.Unlock()
			}
		})
	}
	wg.Wait()
	if firstErr != nil {
		return nil, firstErr
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	return latencies, nil
}

func cmpErr(first, err error) error {
	if first != nil {
		return first
	}
	return err
}

// once makes one request, checks that it succeeded completely and returns
// when its answer's last byte arrived.
func (e *environment) once(ctx context.Context, s scenario, client, n int) (time.Time, error) {
	req, err := s.request(ctx, client, n)
	if err != nil {
		return time.Time{}, err
	}
	resp, err := e.client.Do(req)
	if err != nil {
		return time.Time{}, err
	}
	body, err := io.ReadAll(resp.Body)
	resp.Body.Close()
	answered := time.Now()
	if err != nil {
		return time.Time{}, err
	}
	if resp.StatusCode != http.StatusOK {
		return time.Time{}, fmt.Errorf("HTTP %d: %.200s", resp.StatusCode, body)
	}
	if !s.direct && bytes.Contains(body, []byte(`"errors"`)) {
		return time.Time{}, fmt.Errorf("GraphQL errors: %.300s", body)
	}
	return answered, nil
}

// result is the figures of one scenario.
type result struct {
	Name               string  `json:"name"`
	Requests           int     `json:"requests"`
	RPS                float64 `json:"rps"`
	P50ms              float64 `json:"p50_ms"`
	P95ms              float64 `json:"p95_ms"`
	P99ms              float64 `json:"p99_ms"`
	UpstreamPerRequest float64 `json:"upstream_calls_per_request"`
	GatewayCPUPer1000  float64 `json:"gateway_cpu_seconds_per_1000"`
	GatewayPeakRSSMB   float64 `json:"gateway_peak_rss_mb"`
	Paced              *paced  `json:"paced,omitempty"`
}

// paced is a scenario's latency at a fixed request rate.
type paced struct {
	Rate     float64 `json:"rate"`
	Requests int     `json:"requests"`
	P50ms    float64 `json:"p50_ms"`
	P95ms    float64 `json:"p95_ms"`
	P99ms    float64 `json:"p99_ms"`

	UpstreamPerRequest float64 `json:"upstream_calls_per_request"`
}

func summarize(name string, latencies []time.Duration, elapsed time.Duration) result {
	slices.Sort(latencies)
	pct := func(p float64) float64 {
		i := int(p * float64(len(latencies)-1))
		return float64(latencies[i].Microseconds()) / 1000
	}
	return result{
		Name: name, Requests: len(latencies),
		RPS:   float64(len(latencies)) / elapsed.Seconds(),
		P50ms: pct(0.50), P95ms: pct(0.95), P99ms: pct(0.99),
	}
}
