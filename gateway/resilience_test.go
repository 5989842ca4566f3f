package gateway

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"
)

// Simulator routes, as its stats and faults name them.
const (
	simListLeads    = "GET /commercial/api/v1/leads"
	simGetLead      = "GET /commercial/api/v1/leads/{id}"
	simCreateLead   = "POST /commercial/api/v1/leads"
	simUpdateLead   = "PATCH /commercial/api/v1/leads/{id}"
	simListProducts = "GET /commercial/api/v1/products"
	simGetProduct   = "GET /commercial/api/v1/products/{id}"
)

// fault makes the simulator misbehave as f says (see simulator/faults.go).
func (e *testEnv) fault(t *testing.T, f map[string]any) {
	t.Helper()
	e.simPost(t, e.sim.URL()+"/__sim/faults", f, http.StatusCreated, nil)
}

// clearFaults lets the simulator answer normally again.
func (e *testEnv) clearFaults(t *testing.T) {
	t.Helper()
	req, err := http.NewRequest(http.MethodDelete, e.sim.URL()+"/__sim/faults", nil)
	if err != nil {
		t.Fatal(err)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
}

// calls returns the requests the simulator served on route since its last reset.
func (e *testEnv) calls(route string) int64 { return e.sim.Stats().Requests[route] }

// pathOf renders an error's path like "leads.nodes.0.products".
func pathOf(e gqlError) string {
	parts := make([]string, len(e.Path))
	for i, p := range e.Path {
		parts[i] = fmt.Sprint(p)
	}
	return strings.Join(parts, ".")
}

// wantOneError fails unless resp has exactly one error, with code at path.
func wantOneError(t *testing.T, resp gqlResponse, code, path string) gqlError {
	t.Helper()
	if len(resp.Errors) != 1 {
		t.Fatalf("errors = %+v, want one %s at %s", resp.Errors, code, path)
	}
	got := resp.Errors[0]
	if got.code() != code || pathOf(got) != path {
		t.Errorf("error %s at %q (%q), want %s at %q", got.code(), pathOf(got), got.Message,
			code, path)
	}
	if resp.Status != http.StatusOK {
		t.Errorf("HTTP %d, want 200 for a field failure", resp.Status)
	}
	return got
}

const leadsQuery = `{ leads(first: 1) { nodes { id } } }`

func TestA503StormOpensTheBreaker(t *testing.T) {
	e := newTestEnv(t, map[string]string{
		"UPSTREAM_RETRIES": "2", "UPSTREAM_RETRY_BACKOFF": "5ms",
		"UPSTREAM_BREAKER_FAILURES": "5", "UPSTREAM_BREAKER_COOLDOWN": "1s",
	})
	e.fault(t, map[string]any{"route": simListLeads, "status": 503})

	// 3 attempts, then 2 more that open the breaker, then none.
	wantCalls := []int64{3, 5, 5, 5, 5}
	for i, want := range wantCalls {
		resp := e.query(t, leadsQuery, nil)
		if string(resp.Data) != `{"leads":null}` {
			t.Errorf("query %d: data = %s, want leads null", i+1, resp.Data)
		}
		wantOneError(t, resp, "UPSTREAM_UNAVAILABLE", "leads")
		if got := e.calls(simListLeads); got != want {
			t.Errorf("query %d: upstream requests = %d, want %d", i+1, got, want)
		}
	}

	t.Run("other routes keep working while it is open", func(t *testing.T) {
		query := `{ leads(first: 1) { nodes { id } } products(first: 2) { nodes { id } } }`
		resp := e.query(t, query, nil)
		wantOneError(t, resp, "UPSTREAM_UNAVAILABLE", "leads")
		var got struct {
			Products struct{ Nodes []struct{ ID string } }
		}
		if err := json.Unmarshal(resp.Data, &got); err != nil || len(got.Products.Nodes) != 2 {
			t.Errorf("data = %s, want two products", resp.Data)
		}
	})

	t.Run("a probe after the cooldown closes it", func(t *testing.T) {
		e.clearFaults(t)
		deadline := time.Now().Add(3 * time.Second)
		for {
			resp := e.query(t, leadsQuery, nil)
			if len(resp.Errors) == 0 {
				break
			}
			wantOneError(t, resp, "UPSTREAM_UNAVAILABLE", "leads")
			if time.Now().After(deadline) {
				t.Fatal("the breaker never closed")
			}
			time.Sleep(50 * time.Millisecond)
		}
		if got := e.calls(simListLeads); got != 6 {
			t.Errorf("upstream requests = %d, want 6: one probe after the storm", got)
		}
	})
}

func TestRateLimitRetryAfter(t *testing.T) {
	tests := []struct {
		name          string
		retryAfter    string
		wantCalls     int64
		wantRetry     bool
		minTime       time.Duration
		maxTime       time.Duration
		wantRateLimit float64 // retryAfter extension, 0 when the retry succeeds
	}{
		{
			name: "1s fits the deadline and the retry answers", retryAfter: "1",
			wantCalls: 2, minTime: time.Second, maxTime: 3 * time.Second,
		},
		{
			name: "3600s does not fit and fails fast", retryAfter: "3600",
			wantCalls: 1, maxTime: 500 * time.Millisecond, wantRateLimit: 3600,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := newTestEnv(t, nil)
			e.fault(t, map[string]any{
				"route": simListLeads, "status": 429, "retryAfter": tt.retryAfter, "times": 1,
				"body": `{"detail":"Request was throttled."}`,
			})

			start := time.Now()
			resp := e.query(t, leadsQuery, nil)
			elapsed := time.Since(start)

			if tt.wantRateLimit == 0 {
				var got struct {
					Leads struct{ Nodes []struct{ ID string } }
				}
				resp.decode(t, &got)
				if len(got.Leads.Nodes) != 1 {
					t.Errorf("nodes = %+v, want one lead", got.Leads.Nodes)
				}
			} else {
				got := wantOneError(t, resp, "RATE_LIMITED", "leads")
				if ra := got.Extensions["retryAfter"]; ra != tt.wantRateLimit {
					t.Errorf("retryAfter = %v, want %v", ra, tt.wantRateLimit)
				}
			}
			if got := e.calls(simListLeads); got != tt.wantCalls {
				t.Errorf("upstream requests = %d, want %d", got, tt.wantCalls)
			}
			if elapsed < tt.minTime || elapsed > tt.maxTime {
				t.Errorf("answered after %s, want between %s and %s", elapsed, tt.minTime,
					tt.maxTime)
			}
		})
	}
}

func TestAStalledUpstreamAnswersUpstreamTimeoutWithinTheDeadline(t *testing.T) {
	const timeout = 300 * time.Millisecond
	const margin = 250 * time.Millisecond
	e := newTestEnv(t, map[string]string{"UPSTREAM_TIMEOUT": timeout.String()})
	e.fault(t, map[string]any{"route": simListLeads, "delay": "5s"})

	start := time.Now()
	resp := e.query(t, leadsQuery, nil)
	elapsed := time.Since(start)

	wantOneError(t, resp, "UPSTREAM_TIMEOUT", "leads")
	if elapsed < timeout || elapsed > timeout+margin {
		t.Errorf("answered after %s, want between %s and %s", elapsed, timeout, timeout+margin)
	}
	if got := e.calls(simListLeads); got != 1 {
		t.Errorf("upstream requests = %d, want 1", got)
	}
}

func TestAClientThatDisconnectsLeavesNoUpstreamRequestRunning(t *testing.T) {
	// The gateway talks to the simulator through a recorder that reports when
	// the upstream request for the page of leads starts and ends.
	started := make(chan struct{}, 1)
	ended := make(chan error, 1)
	var sim atomic.Pointer[http.Handler]
	recorder := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/commercial/api/v1/leads" {
			started <- struct{}{}
			defer func() { ended <- r.Context().Err() }()
		}
		(*sim.Load()).ServeHTTP(w, r)
	}))
	t.Cleanup(recorder.Close)

	e := newTestEnv(t, map[string]string{"CAPE_API_URL": recorder.URL + "/commercial"})
	h := e.sim.Handler()
	sim.Store(&h)
	e.fault(t, map[string]any{"route": simListLeads, "delay": "8s"})

	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	done := make(chan error, 1)
	go func() { done <- e.postContext(ctx, map[string]string{"query": leadsQuery}) }()

	<-started
	cancel()
	if err := <-done; !errors.Is(err, context.Canceled) {
		t.Errorf("client got %v, want its own cancellation", err)
	}
	select {
	case err := <-ended:
		if !errors.Is(err, context.Canceled) {
			t.Errorf("upstream request ended with %v, want cancelled", err)
		}
	case <-time.After(2 * time.Second):
		t.Fatal("the upstream request was still running 2s after the client left")
	}
	if got := e.calls(simListLeads); got != 1 {
		t.Errorf("upstream requests = %d, want 1", got)
	}
}

func TestWritesAreNotRetriedOn503(t *testing.T) {
	e := newTestEnv(t, map[string]string{"UPSTREAM_RETRY_BACKOFF": "5ms"})
	var page wirePage
	e.rest(t, "/leads?page_size=1", &page)

	tests := []struct {
		name, route, query, path string
	}{
		{"createLead", simCreateLead, `mutation { createLead(input: {name: "Kilimo"}) { id } }`,
			"createLead"},
		{"updateLead", simUpdateLead, `mutation { updateLead(id: "` + page.Results[0].ID +
			`", input: {name: "Kilimo"}) { id } }`, "updateLead"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e.sim.Reset()
			e.fault(t, map[string]any{"route": tt.route, "status": 503, "times": 1})

			resp := e.query(t, tt.query, nil)
			wantOneError(t, resp, "UPSTREAM_UNAVAILABLE", tt.path)
			if got := e.calls(tt.route); got != 1 {
				t.Errorf("upstream requests = %d, want exactly 1", got)
			}
		})
	}
}

func TestAFailingFieldKeepsItsSiblingsData(t *testing.T) {
	e := newTestEnv(t, map[string]string{"UPSTREAM_RETRY_BACKOFF": "5ms"})
	e.fault(t, map[string]any{
		"route": simListProducts, "status": 500,
		"body": `{"detail":"database at 10.1.2.3:5432 is down"}`,
	})

	resp := e.query(t, `{ leads(first: 1) { nodes { id } } products(first: 1) { nodes { id } } }`,
		nil)
	got := wantOneError(t, resp, "UPSTREAM_UNAVAILABLE", "products")
	var data struct {
		Leads    *struct{ Nodes []struct{ ID string } }
		Products *struct{ Nodes []struct{ ID string } }
	}
	if err := json.Unmarshal(resp.Data, &data); err != nil {
		t.Fatal(err)
	}
	if data.Leads == nil || len(data.Leads.Nodes) != 1 {
		t.Errorf("leads = %+v, want one lead", data.Leads)
	}
	if data.Products != nil {
		t.Errorf("products = %+v, want null, never an empty list", data.Products)
	}
	for _, leak := range []string{"10.1.2.3", "database", "127.0.0.1", "/commercial"} {
		ext := fmt.Sprint(got.Extensions)
		if strings.Contains(got.Message, leak) || strings.Contains(ext, leak) {
			t.Errorf("error %q (%v) reveals %q", got.Message, got.Extensions, leak)
		}
	}
	if n := e.calls(simListProducts); n != 1 {
		t.Errorf("upstream requests = %d, want 1: a 500 is not retried", n)
	}
}

func TestFailedRelatedProductsAreNullNotEmptyAndKeepTheLead(t *testing.T) {
	e := newTestEnv(t, map[string]string{
		"UPSTREAM_RETRIES": "0", "UPSTREAM_BREAKER_FAILURES": "0",
	})
	e.fault(t, map[string]any{"route": simGetProduct, "status": 503})

	resp := e.query(t, `{ leads(first: 20) { nodes { id productIds products { id } } } }`, nil)
	var data struct {
		Leads struct {
			Nodes []struct {
				ID         string
				ProductIDs []string
				Products   *[]struct{ ID string }
			}
		}
	}
	if err := json.Unmarshal(resp.Data, &data); err != nil {
		t.Fatal(err)
	}
	if len(data.Leads.Nodes) != 20 {
		t.Fatalf("nodes = %d, want all 20 leads kept", len(data.Leads.Nodes))
	}
	wantPaths := map[string]bool{}
	for i, n := range data.Leads.Nodes {
		switch {
		case len(n.ProductIDs) > 0:
			wantPaths[fmt.Sprintf("leads.nodes.%d.products", i)] = true
			if n.Products != nil {
				t.Errorf("lead %d products = %v, want null", i, *n.Products)
			}
		case n.Products == nil || len(*n.Products) != 0:
			t.Errorf("lead %d has no products: got %v, want []", i, n.Products)
		}
	}
	if len(wantPaths) == 0 {
		t.Fatal("no lead on the page has products; the test proves nothing")
	}
	if len(resp.Errors) != len(wantPaths) {
		t.Errorf("errors = %d, want one per lead with products (%d)", len(resp.Errors),
			len(wantPaths))
	}
	for _, got := range resp.Errors {
		if got.code() != "UPSTREAM_UNAVAILABLE" || !wantPaths[pathOf(got)] {
			t.Errorf("error %s at %s, want UPSTREAM_UNAVAILABLE at a lead's products",
				got.code(), pathOf(got))
		}
	}
}

func TestIdenticalGetsWithinOneRequestAreMadeOnce(t *testing.T) {
	e := newTestEnv(t, nil)
	var page wirePage
	e.rest(t, "/leads?page_size=1", &page)
	id := page.Results[0].ID

	// The first lookup is held long enough for the second to find it in flight.
	e.sim.Reset()
	e.fault(t, map[string]any{"route": simGetLead, "delay": "300ms", "times": 1})
	var got struct{ A, B struct{ ID string } }
	e.query(t, `query($id: UUID!) { a: lead(id: $id) { id } b: lead(id: $id) { id } }`,
		map[string]any{"id": id}).decode(t, &got)

	if got.A.ID != id || got.B.ID != id {
		t.Errorf("a, b = %s, %s, want %s twice", got.A.ID, got.B.ID, id)
	}
	if n := e.calls(simGetLead); n != 1 {
		t.Errorf("upstream requests = %d, want 1", n)
	}

	t.Run("separate requests are not shared", func(t *testing.T) {
		e.sim.Reset()
		for range 2 {
			e.query(t, `query($id: UUID!) { lead(id: $id) { id } }`, map[string]any{"id": id})
		}
		if n := e.calls(simGetLead); n != 2 {
			t.Errorf("upstream requests = %d, want 2", n)
		}
	})
}
