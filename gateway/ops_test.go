package gateway

import (
	"bufio"
	"bytes"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/capedigital/cape-gateway/internal/testlog"

	"go.opentelemetry.io/otel/sdk/trace/tracetest"
	"go.opentelemetry.io/otel/trace"
)

// withLogsTo makes the gateway log JSON lines to w.
func withLogsTo(w io.Writer) Option {
	return func(gw *Gateway) { gw.logger = slog.New(slog.NewJSONHandler(w, nil)) }
}

// send posts a GraphQL query with the demo token and extra headers, and returns
// the answer's status, headers and body.
func (e *testEnv) send(t *testing.T, query string, header map[string]string,
) (int, http.Header, []byte) {
	t.Helper()
	raw, _ := json.Marshal(map[string]any{"query": query})
	h := http.Header{"Content-Type": {"application/json"}, "Authorization": {"Bearer " + e.token}}
	for k, v := range header {
		h.Set(k, v)
	}
	resp, body := e.exchange(t, http.MethodPost, "/query", h, string(raw))
	return resp.StatusCode, resp.Header, body
}

var emailPattern = regexp.MustCompile(`[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}`)

func TestRequestLogLineCarriesTheRequestIDAndNoSecrets(t *testing.T) {
	var logs testlog.Buffer
	e := newTestEnv(t, nil, withLogsTo(&logs))
	const query = `query OpsContacts { leads(first: 20) { edges { node {
		id contactEmail contactPhone category { name } } } } }`

	status, header, body := e.send(t, query, map[string]string{"X-Request-ID": "ops-log-1"})
	if status != http.StatusOK {
		t.Fatalf("status = %d, body %s", status, body)
	}
	if got := header.Get("X-Request-ID"); got != "ops-log-1" {
		t.Errorf("echoed X-Request-ID = %q, want ops-log-1", got)
	}
	emails := emailPattern.FindAllString(string(body), -1)
	if len(emails) == 0 {
		t.Fatal("the answer holds no email; the test needs one to look for in the logs")
	}

	line := requestLine(t, logs.String(), "ops-log-1")
	stats := e.sim.Stats()
	want := map[string]any{
		"status": float64(200), "operation": "OpsContacts",
		"upstream_calls": float64(stats.Total), "path": "/query",
	}
	for k, v := range want {
		if line[k] != v {
			t.Errorf("log %s = %v, want %v", k, line[k], v)
		}
	}
	if len(stats.Subjects) != 1 {
		t.Fatalf("simulator saw subjects %v, want one", stats.Subjects)
	}
	for sub := range stats.Subjects {
		if line["subject"] != sub {
			t.Errorf("log subject = %v, want %s", line["subject"], sub)
		}
	}

	all := logs.String()
	if strings.Contains(all, e.token) {
		t.Error("the logs hold the bearer token")
	}
	if found := emailPattern.FindString(all); found != "" {
		t.Errorf("the logs hold an email: %q", found)
	}
}

// requestLine finds the one "request" log line of id.
func requestLine(t *testing.T, logs, id string) map[string]any {
	t.Helper()
	var found []map[string]any
	sc := bufio.NewScanner(strings.NewReader(logs))
	for sc.Scan() {
		line := map[string]any{}
		if json.Unmarshal(sc.Bytes(), &line) == nil && line["msg"] == "request" &&
			line["request_id"] == id {
			found = append(found, line)
		}
	}
	if len(found) != 1 {
		t.Fatalf("request lines for %s = %d, want 1; logs:\n%s", id, len(found), logs)
	}
	return found[0]
}

// scrape reads /metrics into a map from series ("name{a=\"b\"}") to value.
func (e *testEnv) scrape(t *testing.T) map[string]float64 {
	t.Helper()
	resp, err := http.Get(e.url + "/metrics")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("GET /metrics: HTTP %d", resp.StatusCode)
	}
	out := map[string]float64{}
	sc := bufio.NewScanner(resp.Body)
	for sc.Scan() {
		line := sc.Text()
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		i := strings.LastIndexByte(line, ' ')
		v, err := strconv.ParseFloat(line[i+1:], 64)
		if err != nil {
			t.Fatalf("metrics line %q: %v", line, err)
		}
		out[line[:i]] = v
	}
	return out
}

func TestMetricsShowTheUpstreamCallsOfAKnownQuery(t *testing.T) {
	e := newTestEnv(t, map[string]string{"CAPE_BATCH": "filter"})
	const query = `query OpsPage { leads(first: 10) { edges { node { id category { name } } } } }`
	if status, _, body := e.send(t, query, nil); status != http.StatusOK {
		t.Fatalf("status = %d, body %s", status, body)
	}
	stats := e.sim.Stats()
	if stats.Total != 2 {
		t.Fatalf("simulator served %d requests (%v), want 2: the page and one category batch",
			stats.Total, stats.Requests)
	}

	got := e.scrape(t)
	want := map[string]float64{
		`cape_upstream_requests_total{method="GET",route="/api/v1/leads",status="200"}`:               1,
		`cape_upstream_requests_total{method="GET",route="/api/v1/lead-categories",status="200"}`:     1,
		`cape_upstream_request_duration_seconds_count{method="GET",route="/api/v1/leads"}`:            1,
		`cape_upstream_request_duration_seconds_bucket{method="GET",route="/api/v1/leads",le="+Inf"}`: 1,
		`cape_upstream_request_duration_seconds_count{method="GET",route="/api/v1/lead-categories"}`:  1,
		`cape_graphql_requests_total{operation="OpsPage",outcome="ok"}`:                               1,
		`cape_graphql_request_duration_seconds_count{operation="OpsPage"}`:                            1,
		`cape_dataloader_batch_size_count{resource="lead_categories"}`:                                1,
		`cape_graphql_requests_in_flight`:                                                             0,
	}
	for series, v := range want {
		if g, ok := got[series]; !ok || g != v {
			t.Errorf("%s = %v (present %v), want %v", series, g, ok, v)
		}
	}

	var upstreamTotal float64
	for series, v := range got {
		if strings.HasPrefix(series, "cape_upstream_requests_total{") {
			upstreamTotal += v
		}
	}
	if upstreamTotal != float64(stats.Total) {
		t.Errorf("cape_upstream_requests_total sums to %v, want the simulator's %d",
			upstreamTotal, stats.Total)
	}
	if n := got[`cape_dataloader_batch_size_sum{resource="lead_categories"}`]; n < 1 || n > 10 {
		t.Errorf("category batch size = %v, want 1 to 10 distinct ids", n)
	}
}

func TestSpanTreeOfTheNPlusOneQuery(t *testing.T) {
	const query = `{ leads(first: 50) { edges { node {
		id category { name } source { name } products { name } partner { name } } } } }`
	for _, batch := range []string{"filter", "each"} {
		t.Run("batch "+batch, func(t *testing.T) {
			exp := tracetest.NewInMemoryExporter()
			e := newTestEnv(t, map[string]string{"CAPE_BATCH": batch}, WithSpanExporter(exp))
			if status, _, body := e.send(t, query, nil); status != http.StatusOK ||
				bytes.Contains(body, []byte(`"errors"`)) {
				t.Fatalf("status = %d, body %.300s", status, body)
			}
			checkNPlusOneSpans(t, exp.GetSpans(), batch, e.sim.Stats().Total,
				e.sim.TraceParents())
		})
	}
}

// checkNPlusOneSpans checks one operation span, one span per loader batch and
// one client span per upstream call, in one trace whose id and call spans
// reached the upstream in traceparent.
func checkNPlusOneSpans(t *testing.T, spans tracetest.SpanStubs, batch string, calls int64,
	traceparents []string,
) {
	t.Helper()
	byID := map[trace.SpanID]tracetest.SpanStub{}
	var ops, batches, clients []tracetest.SpanStub
	for _, s := range spans {
		byID[s.SpanContext.SpanID()] = s
		switch {
		case s.SpanKind == trace.SpanKindServer:
			ops = append(ops, s)
		case s.SpanKind == trace.SpanKindClient:
			clients = append(clients, s)
		case strings.HasPrefix(s.Name, "dataloader.batch "):
			batches = append(batches, s)
		}
	}
	if len(ops) != 1 || ops[0].Name != "query" {
		t.Fatalf("operation spans = %d (%v), want one named query", len(ops), names(ops))
	}
	if int64(len(clients)) != calls {
		t.Errorf("client spans = %d, want one per upstream call (%d)", len(clients), calls)
	}
	if extra := len(spans) - 1 - len(batches) - len(clients); extra != 1 {
		t.Errorf("other spans = %d, want 1 (Query.leads); all: %v", extra, names(spans))
	}
	checkBatchSpans(t, batches, clients, batch)

	root := ops[0].SpanContext
	want := map[string]bool{}
	for _, s := range spans {
		if s.SpanContext.TraceID() != root.TraceID() {
			t.Errorf("span %q is in trace %s, want %s", s.Name, s.SpanContext.TraceID(),
				root.TraceID())
		}
		if s.SpanContext.SpanID() != root.SpanID() && !descendsFrom(s, root.SpanID(), byID) {
			t.Errorf("span %q does not descend from the operation span", s.Name)
		}
	}
	for _, c := range clients {
		want["00-"+root.TraceID().String()+"-"+c.SpanContext.SpanID().String()+"-01"] = true
	}
	if len(traceparents) != len(want) {
		t.Errorf("simulator saw %d traceparent headers, want %d", len(traceparents), len(want))
	}
	for _, tp := range traceparents {
		if !want[tp] {
			t.Errorf("simulator saw traceparent %q, not one of the call spans", tp)
		}
	}
}

// checkBatchSpans checks that every resource has batch spans and that each
// batch span holds the upstream calls of its batch: one list call with the
// filter strategy, one GET per key with each. The page's own call is the one
// client span under no batch.
func checkBatchSpans(t *testing.T, batches, clients []tracetest.SpanStub, batch string) {
	t.Helper()
	children := map[trace.SpanID]int{}
	for _, c := range clients {
		children[c.Parent.SpanID()]++
	}
	resources := map[string]bool{}
	underBatches := 0
	for _, b := range batches {
		resources[strings.TrimPrefix(b.Name, "dataloader.batch ")] = true
		want := 1
		if batch == "each" {
			want = int(intAttr(b, "dataloader.batch_size"))
		}
		if got := children[b.SpanContext.SpanID()]; got != want {
			t.Errorf("%s of %d keys holds %d upstream calls, want %d", b.Name,
				intAttr(b, "dataloader.batch_size"), got, want)
		}
		underBatches += children[b.SpanContext.SpanID()]
	}
	if len(resources) != 4 {
		t.Errorf("batch spans = %v, want batches of all four resources", names(batches))
	}
	if page := len(clients) - underBatches; page != 1 {
		t.Errorf("upstream calls outside a batch = %d, want 1 (the page)", page)
	}
}

func intAttr(s tracetest.SpanStub, key string) int64 {
	for _, kv := range s.Attributes {
		if string(kv.Key) == key {
			return kv.Value.AsInt64()
		}
	}
	return -1
}

func descendsFrom(s tracetest.SpanStub, root trace.SpanID,
	byID map[trace.SpanID]tracetest.SpanStub,
) bool {
	for range len(byID) {
		parent := s.Parent.SpanID()
		if parent == root {
			return true
		}
		next, ok := byID[parent]
		if !ok {
			return false
		}
		s = next
	}
	return false
}

func names(spans []tracetest.SpanStub) []string {
	out := make([]string, len(spans))
	for i, s := range spans {
		out[i] = s.Name
	}
	return out
}

func TestMetricsShowRetriesAndTheOpenBreaker(t *testing.T) {
	e := newTestEnv(t, map[string]string{
		"UPSTREAM_RETRIES": "2", "UPSTREAM_RETRY_BACKOFF": "1ms",
		"UPSTREAM_BREAKER_FAILURES": "3",
	})
	fault := `{"route": "GET /commercial/api/v1/leads", "status": 503, "body": "{}"}`
	resp, err := http.Post(e.sim.URL()+"/__sim/faults", "application/json",
		strings.NewReader(fault))
	if err != nil || resp.StatusCode != http.StatusCreated {
		t.Fatalf("add fault: %v %v", resp, err)
	}
	resp.Body.Close()

	if _, _, body := e.send(t, `query OpsDown { leads(first: 1) { edges { node { id } } } }`,
		nil); !bytes.Contains(body, []byte("UPSTREAM_UNAVAILABLE")) {
		t.Fatalf("answer %s, want UPSTREAM_UNAVAILABLE", body)
	}
	got := e.scrape(t)
	want := map[string]float64{
		`cape_upstream_requests_total{method="GET",route="/api/v1/leads",status="503"}`:   3,
		`cape_upstream_retries_total{method="GET",route="/api/v1/leads"}`:                 2,
		`cape_upstream_breaker_state{method="GET",route="/api/v1/leads",state="open"}`:    1,
		`cape_upstream_breaker_state{method="GET",route="/api/v1/leads",state="closed"}`:  0,
		`cape_graphql_requests_total{operation="OpsDown",outcome="UPSTREAM_UNAVAILABLE"}`: 1,
	}
	for series, v := range want {
		if g, ok := got[series]; !ok || g != v {
			t.Errorf("%s = %v (present %v), want %v", series, g, ok, v)
		}
	}
	if n := e.sim.Stats().Total; n != 3 {
		t.Errorf("simulator served %d requests, want 3", n)
	}
}
