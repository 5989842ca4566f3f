package gateway

import (
	"context"
	"encoding/json"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/capedigital/cape-gateway/internal/testlog"

	"github.com/capedigital/cape-gateway/config"
	"github.com/capedigital/cape-gateway/simulator"
)

// testEnv is a gateway in front of a simulator, both on real loopback listeners.
type testEnv struct {
	sim   *simulator.Simulator
	gw    *Gateway
	url   string
	token string
}

// newTestEnv starts a simulator with 500 leads and a gateway against it. vars
// override the gateway's environment; opts adjust the gateway.
func newTestEnv(t testing.TB, vars map[string]string, opts ...Option) *testEnv {
	t.Helper()
	sim, err := simulator.New(simulator.Options{Leads: 500, Seed: 1})
	if err != nil {
		t.Fatal(err)
	}
	if err := sim.Start("127.0.0.1:0"); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { sim.Close() })

	env := map[string]string{
		"CAPE_API_URL": sim.URL() + "/commercial",
		"JWT_JWKS_URL": sim.JWKSURL(),
		"JWT_ISSUER":   sim.Issuer(),
	}
	for k, v := range vars {
		env[k] = v
	}
	cfg, err := config.Load(nil, func(k string) string { return env[k] })
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	t.Cleanup(cancel)
	gw, err := New(ctx, cfg, slog.New(slog.NewTextHandler(testlog.To(t), nil)), opts...)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(gw.Close)
	srv := httptest.NewServer(gw.Handler())
	t.Cleanup(srv.Close)

	token, err := sim.DemoToken(time.Hour)
	if err != nil {
		t.Fatal(err)
	}
	return &testEnv{sim: sim, gw: gw, url: srv.URL, token: token}
}

// gqlError is one entry of a GraphQL response's errors.
type gqlError struct {
	Message    string         `json:"message"`
	Path       []any          `json:"path"`
	Locations  []any          `json:"locations"`
	Extensions map[string]any `json:"extensions"`
}

func (e gqlError) code() string {
	code, _ := e.Extensions["code"].(string)
	return code
}

// gqlResponse is a decoded GraphQL answer with its HTTP status.
type gqlResponse struct {
	Status int
	Data   json.RawMessage `json:"data"`
	Errors []gqlError      `json:"errors"`
}

// query posts a GraphQL query with the demo token.
func (e *testEnv) query(t *testing.T, query string, vars map[string]any) gqlResponse {
	t.Helper()
	return e.post(t, "Bearer "+e.token, map[string]any{"query": query, "variables": vars})
}

func (e *testEnv) post(t *testing.T, authorization string, body any) gqlResponse {
	t.Helper()
	raw, err := json.Marshal(body)
	if err != nil {
		t.Fatal(err)
	}
	header := http.Header{"Content-Type": {"application/json"}}
	if authorization != "" {
		header.Set("Authorization", authorization)
	}
	resp, answer := e.exchange(t, http.MethodPost, "/query", header, string(raw))
	out := gqlResponse{Status: resp.StatusCode}
	if err := json.Unmarshal(answer, &out); err != nil {
		t.Fatalf("decode response (HTTP %d): %v", resp.StatusCode, err)
	}
	return out
}

// decode unmarshals a response's data into v, failing on any error.
func (r gqlResponse) decode(t *testing.T, v any) {
	t.Helper()
	if len(r.Errors) > 0 {
		t.Fatalf("errors: %+v", r.Errors)
	}
	if err := json.Unmarshal(r.Data, v); err != nil {
		t.Fatalf("data: %v", err)
	}
}

// rest gets a path of the simulator's REST API with the demo token.
func (e *testEnv) rest(t *testing.T, path string, v any) {
	t.Helper()
	req, err := http.NewRequest(http.MethodGet, e.sim.URL()+"/commercial/api/v1"+path, nil)
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Authorization", "Bearer "+e.token)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("GET %s: HTTP %d", path, resp.StatusCode)
	}
	if err := json.NewDecoder(resp.Body).Decode(v); err != nil {
		t.Fatalf("GET %s: %v", path, err)
	}
}

// upstreamCalls returns the REST requests the simulator served since the last
// reset.
func (e *testEnv) upstreamCalls() int64 { return e.sim.Stats().Total }
