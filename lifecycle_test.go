package main

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"os"
	"os/signal"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/capedigital/cape-gateway/internal/testlog"

	"github.com/capedigital/cape-gateway/simulator"
)

// addressWriter passes log lines on to the test's log and sends the GraphQL
// URL of the "cape gateway listening" line on found.
type addressWriter struct {
	log   io.Writer
	found chan string
}

func (w addressWriter) Write(p []byte) (int, error) {
	var line struct {
		Msg     string `json:"msg"`
		GraphQL string `json:"graphql"`
	}
	if json.Unmarshal(p, &line) == nil && line.Msg == "cape gateway listening" {
		w.found <- strings.TrimSuffix(line.GraphQL, "/query")
	}
	return w.log.Write(p)
}

// readyzStatus gets /readyz; 0 means no answer.
func readyzStatus(base string) int {
	resp, err := http.Get(base + "/readyz")
	if err != nil {
		return 0
	}
	resp.Body.Close()
	return resp.StatusCode
}

// waitReadyz polls /readyz until it answers want, for at most 10 seconds.
func waitReadyz(t *testing.T, base string, want int) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	tick := time.NewTicker(10 * time.Millisecond)
	defer tick.Stop()
	for readyzStatus(base) != want {
		if time.Now().After(deadline) {
			t.Fatalf("/readyz did not answer %d within 10s", want)
		}
		<-tick.C
	}
}

// waitUpstream polls the simulator until it has received n requests.
func waitUpstream(t *testing.T, sim *simulator.Simulator, n int64) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	tick := time.NewTicker(5 * time.Millisecond)
	defer tick.Stop()
	for sim.Stats().Total < n {
		if time.Now().After(deadline) {
			t.Fatalf("the simulator did not receive %d requests within 10s", n)
		}
		<-tick.C
	}
}

func TestReadyzTurns503OnSIGTERMWhileASlowRequestCompletes(t *testing.T) {
	sim, err := simulator.New(simulator.Options{Leads: 50})
	if err != nil {
		t.Fatal(err)
	}
	if err := sim.Start("127.0.0.1:0"); err != nil {
		t.Fatal(err)
	}
	defer sim.Close()
	token, err := sim.DemoToken(time.Hour)
	if err != nil {
		t.Fatal(err)
	}
	env := map[string]string{
		"CAPE_API_URL": sim.URL() + "/commercial", "JWT_JWKS_URL": sim.JWKSURL(),
		"JWT_ISSUER": sim.Issuer(), "GATEWAY_ADDR": "127.0.0.1:0", "LOG_FORMAT": "json",
		"SHUTDOWN_DELAY": "2s", "SHUTDOWN_TIMEOUT": "10s",
	}

	// As main does: SIGTERM ends the context run serves under.
	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGTERM)
	defer stop()
	found := make(chan string, 1)
	stderr := addressWriter{log: testlog.To(t), found: found}
	done := make(chan error, 1)
	go func() { done <- run(ctx, nil, func(k string) string { return env[k] }, stderr) }()
	var base string
	select {
	case base = <-found:
	case err := <-done:
		t.Fatalf("run ended before listening: %v", err)
	}

	waitReadyz(t, base, http.StatusOK)
	sim.Reset()
	fault := `{"route": "GET /commercial/api/v1/leads", "delay": "4s", "times": 1}`
	resp, err := http.Post(sim.URL()+"/__sim/faults", "application/json", strings.NewReader(fault))
	if err != nil || resp.StatusCode != http.StatusCreated {
		t.Fatalf("add the slow fault: %v %v", resp, err)
	}
	resp.Body.Close()

	slow := make(chan slowAnswer, 1)
	go func() { slow <- postSlowQuery(base, token) }()
	waitUpstream(t, sim, 1)

	if err := syscall.Kill(os.Getpid(), syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	waitReadyz(t, base, http.StatusServiceUnavailable)
	select {
	case a := <-slow:
		t.Fatalf("the slow request ended before /readyz turned 503: %+v", a)
	default:
	}

	a := <-slow
	if a.err != nil || a.status != http.StatusOK || !bytes.Contains(a.body, []byte(`"edges"`)) ||
		bytes.Contains(a.body, []byte(`"errors"`)) {
		t.Errorf("slow request = %d %s %v, want 200 with its leads", a.status, a.body, a.err)
	}
	select {
	case err := <-done:
		if err != nil {
			t.Errorf("run = %v, want nil after a graceful shutdown", err)
		}
	case <-time.After(15 * time.Second):
		t.Fatal("run did not return within 15s of SIGTERM")
	}
	if readyzStatus(base) != 0 {
		t.Error("the gateway still accepts connections after run returned")
	}
}

type slowAnswer struct {
	status int
	body   []byte
	err    error
}

func postSlowQuery(base, token string) slowAnswer {
	body := `{"query": "{ leads(first: 3) { edges { node { id name } } } }"}`
	req, err := http.NewRequest(http.MethodPost, base+"/query", strings.NewReader(body))
	if err != nil {
		return slowAnswer{err: err}
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Authorization", "Bearer "+token)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return slowAnswer{err: err}
	}
	defer resp.Body.Close()
	raw, err := io.ReadAll(resp.Body)
	return slowAnswer{status: resp.StatusCode, body: raw, err: err}
}
