package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"time"
)

// environment is a running simulator and gateway, each its own process.
type environment struct {
	dir        string
	simURL     string
	gatewayURL string
	pprofURL   string // the gateway's PPROF_ADDR listener
	sim, gw    *exec.Cmd
	exited     map[*exec.Cmd]chan struct{} // closed once the process has ended
	tokens     []string
	leadIDs    []string
	client     *http.Client
}

// startEnvironment builds both binaries and starts them on free loopback ports.
func startEnvironment(ctx context.Context, o options, logger *slog.Logger) (*environment, error) {
	dir, err := os.MkdirTemp("", "loadbench-")
	if err != nil {
		return nil, err
	}
	env := &environment{dir: dir, client: newHTTPClient(o.concurrency),
		exited: map[*exec.Cmd]chan struct{}{}}
	if err := env.build(ctx, logger); err != nil {
		env.stop()
		return nil, err
	}
	if err := env.startSimulator(ctx, o); err != nil {
		env.stop()
		return nil, err
	}
	if err := env.startGateway(ctx, o); err != nil {
		env.stop()
		return nil, err
	}
	if err := env.prepare(ctx, o.concurrency); err != nil {
		env.stop()
		return nil, err
	}
	return env, nil
}

func (e *environment) build(ctx context.Context, logger *slog.Logger) error {
	logger.Info("building the gateway and the simulator")
	for _, b := range []struct{ out, pkg string }{
		{"gateway", "."}, {"capesim", "./cmd/capesim"},
	} {
		cmd := exec.CommandContext(ctx, "go", "build", "-o", filepath.Join(e.dir, b.out), b.pkg)
		cmd.Stdout, cmd.Stderr = os.Stderr, os.Stderr
		if err := cmd.Run(); err != nil {
			return fmt.Errorf("build %s: %w", b.pkg, err)
		}
	}
	return nil
}

func (e *environment) startSimulator(ctx context.Context, o options) error {
	addr, err := freeAddr()
	if err != nil {
		return err
	}
	e.sim = exec.CommandContext(ctx, filepath.Join(e.dir, "capesim"),
		"-addr", addr, "-latency", o.latency.String())
	e.sim.Stdout, e.sim.Stderr = io.Discard, os.Stderr
	if err := e.start(e.sim); err != nil {
		return fmt.Errorf("start simulator: %w", err)
	}
	e.simURL = "http://" + addr
	return waitReady(ctx, e.simURL+"/__sim/stats", e.exited[e.sim])
}

func (e *environment) startGateway(ctx context.Context, o options) error {
	addr, err := freeAddr()
	if err != nil {
		return err
	}
	pprofAddr, err := freeAddr()
	if err != nil {
		return err
	}
	e.pprofURL = "http://" + pprofAddr
	e.gw = exec.CommandContext(ctx, filepath.Join(e.dir, "gateway"))
	e.gw.Env = append(os.Environ(),
		"GATEWAY_ADDR="+addr,
		"CAPE_API_URL="+e.simURL+"/commercial",
		"JWT_JWKS_URL="+e.simURL+"/realms/capemedia/protocol/openid-connect/certs",
		"JWT_ISSUER="+e.simURL+"/realms/capemedia",
		"CAPE_BATCH="+o.batch,
		"PPROF_ADDR="+pprofAddr,
	)
	if o.cacheTTL != "" {
		e.gw.Env = append(e.gw.Env, "CACHE_TTL="+o.cacheTTL)
	}
	e.gw.Env = append(e.gw.Env, o.gatewayEnv...)
	// The gateway logs a line per request, as in production; the lines go to
	// a file rather than the terminal.
	logPath := filepath.Join(e.dir, "gateway.log")
	logFile, err := os.Create(logPath)
	if err != nil {
		return err
	}
	defer logFile.Close() // the gateway holds its own descriptor
	e.gw.Stdout, e.gw.Stderr = io.Discard, logFile
	if err := e.start(e.gw); err != nil {
		return fmt.Errorf("start gateway: %w", err)
	}
	e.gatewayURL = "http://" + addr
	if err := waitReady(ctx, e.gatewayURL+"/healthz", e.exited[e.gw]); err != nil {
		return fmt.Errorf("%w; the gateway's log ends:\n%s", err, logTail(logPath, 2048))
	}
	return nil
}

// logTail is the last n bytes of the file at path.
func logTail(path string, n int64) string {
	raw, err := os.ReadFile(path)
	if err != nil {
		return err.Error()
	}
	return string(raw[max(0, int64(len(raw))-n):])
}

// prepare signs one token per client, each with its own subject, and reads lead
// ids from the seeded data for the lookup scenario.
func (e *environment) prepare(ctx context.Context, clients int) error {
	now := time.Now().Unix()
	for i := range clients {
		claims := map[string]any{
			"iss": e.simURL + "/realms/capemedia", "sub": fmt.Sprintf("loadbench-%02d", i),
			"aud": "account", "iat": now, "exp": now + 3600,
			"realm_access": map[string]any{"roles": []string{"sales", "admin"}},
		}
		var out struct {
			AccessToken string `json:"access_token"`
		}
		if err := e.postJSON(ctx, e.simURL+"/__sim/token", claims, &out); err != nil {
			return fmt.Errorf("sign token: %w", err)
		}
		e.tokens = append(e.tokens, out.AccessToken)
	}

	var page struct {
		Results []struct {
			ID string `json:"id"`
		} `json:"results"`
	}
	req, _ := http.NewRequestWithContext(ctx, http.MethodGet,
		e.simURL+"/commercial/api/v1/leads?page_size=100", nil)
	req.Header.Set("Authorization", "Bearer "+e.tokens[0])
	if err := e.doJSON(req, &page); err != nil {
		return fmt.Errorf("read lead ids: %w", err)
	}
	for _, r := range page.Results {
		e.leadIDs = append(e.leadIDs, r.ID)
	}
	return nil
}

// upstreamTotal is how many REST requests the simulator has served.
func (e *environment) upstreamTotal(ctx context.Context) (int64, error) {
	req, _ := http.NewRequestWithContext(ctx, http.MethodGet, e.simURL+"/__sim/stats", nil)
	var stats struct {
		Total int64 `json:"total"`
	}
	err := e.doJSON(req, &stats)
	return stats.Total, err
}

func (e *environment) postJSON(ctx context.Context, url string, body, out any) error {
	raw, err := json.Marshal(body)
	if err != nil {
		return err
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, url, bytes.NewReader(raw))
	if err != nil {
		return err
	}
	req.Header.Set("Content-Type", "application/json")
	return e.doJSON(req, out)
}

func (e *environment) doJSON(req *http.Request, out any) error {
	resp, err := e.client.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	if resp.StatusCode/100 != 2 {
		return fmt.Errorf("%s %s: HTTP %d", req.Method, req.URL.Path, resp.StatusCode)
	}
	return json.NewDecoder(resp.Body).Decode(out)
}

// start starts cmd and notes when it ends.
func (e *environment) start(cmd *exec.Cmd) error {
	if err := cmd.Start(); err != nil {
		return err
	}
	exited := make(chan struct{})
	e.exited[cmd] = exited
	go func() { cmd.Wait(); close(exited) }()
	return nil
}

// stop ends both processes and removes the binaries.
func (e *environment) stop() {
	for _, cmd := range []*exec.Cmd{e.gw, e.sim} {
		exited, ok := e.exited[cmd]
		if !ok {
			continue
		}
		cmd.Process.Signal(os.Interrupt)
		select {
		case <-exited:
		case <-time.After(5 * time.Second):
			cmd.Process.Kill()
			<-exited
		}
	}
	os.RemoveAll(e.dir)
}

func freeAddr() (string, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return "", err
	}
	defer ln.Close()
	return ln.Addr().String(), nil
}

// waitReady polls url until it answers 200, for at most 30 seconds, or until
// the process that should answer has exited.
func waitReady(ctx context.Context, url string, exited <-chan struct{}) error {
	deadline := time.Now().Add(30 * time.Second)
	for time.Now().Before(deadline) {
		resp, err := http.Get(url)
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return nil
			}
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-exited:
			return errors.New("exited before it answered " + strings.TrimPrefix(url, "http://"))
		case <-time.After(50 * time.Millisecond):
		}
	}
	return errors.New("not ready after 30s: " + strings.TrimPrefix(url, "http://"))
}

func newHTTPClient(concurrency int) *http.Client {
	t := http.DefaultTransport.(*http.Transport).Clone()
	t.MaxIdleConns = concurrency * 2
	t.MaxIdleConnsPerHost = concurrency * 2
	return &http.Client{Transport: t, Timeout: 30 * time.Second}
}
