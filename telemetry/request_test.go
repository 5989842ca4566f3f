package telemetry

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/capedigital/cape-gateway/internal/testlog"
)

func newTestTelemetry(t *testing.T, logs io.Writer) *Telemetry {
	t.Helper()
	logger := slog.New(slog.NewJSONHandler(logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
	tel, err := New(context.Background(), Options{Logger: logger, UpstreamBasePath: "/commercial"})
	if err != nil {
		t.Fatal(err)
	}
	return tel
}

func TestMiddlewareKeepsASaneRequestIDAndReplacesOthers(t *testing.T) {
	generated := regexp.MustCompile(`^[0-9a-f]{32}$`)
	tests := []struct {
		name, sent string
		kept       bool
	}{
		{"sane id kept", "req-42.a_B", true},
		{"128 characters kept", strings.Repeat("a", 128), true},
		{"none sent", "", false},
		{"129 characters replaced", strings.Repeat("a", 129), false},
		{"space replaced", "a b", false},
		{"newline replaced", "a\nlevel=ERROR", false},
		{"quote replaced", `a"b`, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var logs testlog.Buffer
			tel := newTestTelemetry(t, &logs)
			var fromCtx string
			h := tel.Middleware(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				fromCtx = RequestID(r.Context())
				Logger(r.Context(), nil).Info("inside")
				w.WriteHeader(http.StatusTeapot)
			}))
			req := httptest.NewRequest(http.MethodGet, "/x?token=secret", nil)
			req.Header.Set(RequestIDHeader, tt.sent)
			rr := httptest.NewRecorder()
			h.ServeHTTP(rr, req)

			got := rr.Header().Get(RequestIDHeader)
			if tt.kept && got != tt.sent {
				t.Errorf("echoed id = %q, want %q", got, tt.sent)
			}
			if !tt.kept && !generated.MatchString(got) {
				t.Errorf("echoed id = %q, want 32 hex digits", got)
			}
			if fromCtx != got {
				t.Errorf("RequestID(ctx) = %q, want %q", fromCtx, got)
			}
			lines := logs.Lines(t)
			if len(lines) != 2 {
				t.Fatalf("log lines = %d, want 2: %v", len(lines), lines)
			}
			for _, l := range lines {
				if l["request_id"] != got {
					t.Errorf("line %v: request_id = %v, want %q", l["msg"], l["request_id"], got)
				}
			}
			line := lines[1]
			if line["status"] != float64(http.StatusTeapot) || line["path"] != "/x" {
				t.Errorf("request line = %v, want status 418 and path /x without query", line)
			}
		})
	}
}

func TestMiddlewareLogsProbesAtDebugLevel(t *testing.T) {
	var logs testlog.Buffer
	logger := slog.New(slog.NewJSONHandler(&logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
	tel, err := New(context.Background(), Options{Logger: logger, QuietPaths: []string{"/healthz"}})
	if err != nil {
		t.Fatal(err)
	}
	h := tel.Middleware(http.NotFoundHandler())
	for _, path := range []string{"/healthz", "/query"} {
		h.ServeHTTP(httptest.NewRecorder(), httptest.NewRequest(http.MethodGet, path, nil))
	}
	lines := logs.Lines(t)
	if len(lines) != 2 || lines[0]["level"] != "DEBUG" || lines[1]["level"] != "INFO" {
		t.Errorf("levels = %v, want DEBUG for /healthz then INFO for /query", lines)
	}
}

func TestTransportCountsTheCallsOfEachRequest(t *testing.T) {
	up := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Header.Get("traceparent") != "" {
			t.Errorf("traceparent sent with tracing off: %q", r.Header.Get("traceparent"))
		}
		w.WriteHeader(http.StatusNotFound)
	}))
	defer up.Close()
	var logs testlog.Buffer
	tel := newTestTelemetry(t, &logs)
	client := &http.Client{Transport: tel.Transport(nil)}

	h := tel.Middleware(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		for _, id := range []string{"0b9c8a7e-1d2f-4a3b-9c8d-7e6f5a4b3c2d", "17"} {
			req, _ := http.NewRequestWithContext(r.Context(), http.MethodGet,
				up.URL+"/commercial/api/v1/sources/"+id+"?x=1", nil)
			resp, err := client.Do(req)
			if err != nil {
				t.Error(err)
				return
			}
			resp.Body.Close()
		}
		if got := UpstreamCalls(r.Context()); got != 2 {
			t.Errorf("UpstreamCalls = %d, want 2", got)
		}
	}))
	h.ServeHTTP(httptest.NewRecorder(), httptest.NewRequest(http.MethodPost, "/query", nil))

	lines := logs.Lines(t)
	if got := lines[len(lines)-1]["upstream_calls"]; got != float64(2) {
		t.Errorf("logged upstream_calls = %v, want 2", got)
	}
	c := tel.Metrics.upstreamRequests.WithLabelValues("/api/v1/sources/{id}", "GET", "404")
	if got := testutilValue(c); got != 2 {
		t.Errorf("upstream requests for /api/v1/sources/{id} 404 = %v, want 2", got)
	}
}

func TestGraphQLRecordsRequestsRefusedBeforeExecution(t *testing.T) {
	tests := []struct {
		name    string
		status  int
		outcome string
	}{
		{"refused token", http.StatusUnauthorized, "UNAUTHENTICATED"},
		{"body too large", http.StatusRequestEntityTooLarge, "HTTP_413"},
		{"answered", http.StatusOK, "ok"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tel := newTestTelemetry(t, io.Discard)
			h := tel.Middleware(tel.GraphQL(http.HandlerFunc(
				func(w http.ResponseWriter, r *http.Request) {
					if got := testutilValue(tel.Metrics.inFlight); got != 1 {
						t.Errorf("in flight during the request = %v, want 1", got)
					}
					w.WriteHeader(tt.status)
				})))
			h.ServeHTTP(httptest.NewRecorder(), httptest.NewRequest(http.MethodPost, "/query", nil))

			c := tel.Metrics.requests.WithLabelValues(LabelUnnamed, tt.outcome)
			if got := testutilValue(c); got != 1 {
				t.Errorf("requests{unnamed,%s} = %v, want 1", tt.outcome, got)
			}
			if got := testutilValue(tel.Metrics.inFlight); got != 0 {
				t.Errorf("in flight after = %v, want 0", got)
			}
		})
	}
}

// BenchmarkMiddleware measures what Middleware and GraphQL add to a request,
// its JSON log line included.
func BenchmarkMiddleware(b *testing.B) {
	logger := slog.New(slog.NewJSONHandler(io.Discard, nil))
	tel, err := New(context.Background(), Options{Logger: logger})
	if err != nil {
		b.Fatal(err)
	}
	h := tel.Middleware(tel.GraphQL(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		w.WriteHeader(http.StatusOK)
	})))
	req := httptest.NewRequest(http.MethodPost, "/query", nil)
	b.ReportAllocs()
	for b.Loop() {
		h.ServeHTTP(httptest.NewRecorder(), req)
	}
}

// A client that goes away is no upstream failure: its request counts as
// cancelled, and so does the upstream call its going away ended.
func TestAClientGoingAwayIsCountedAsCancelled(t *testing.T) {
	up := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		<-r.Context().Done()
	}))
	defer up.Close()
	tel := newTestTelemetry(t, io.Discard)
	client := &http.Client{Transport: tel.Transport(nil)}

	ctx, cancel := context.WithCancel(context.Background())
	h := tel.Middleware(tel.GraphQL(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		req, _ := http.NewRequestWithContext(r.Context(), http.MethodGet,
			up.URL+"/commercial/api/v1/leads", nil)
		go func() {
			time.Sleep(20 * time.Millisecond)
			cancel() // the client hangs up while the upstream call is in flight
		}()
		if _, err := client.Do(req); err == nil {
			t.Error("the upstream call succeeded, want it ended by the cancellation")
		}
	})))
	h.ServeHTTP(httptest.NewRecorder(),
		httptest.NewRequestWithContext(ctx, http.MethodPost, "/query", nil))

	if got := testutilValue(tel.Metrics.requests.WithLabelValues(LabelUnnamed, "cancelled")); got != 1 {
		t.Errorf("requests{unnamed,cancelled} = %v, want 1", got)
	}
	for status, want := range map[string]float64{"cancelled": 1, "error": 0} {
		c := tel.Metrics.upstreamRequests.WithLabelValues("/api/v1/leads", "GET", status)
		if got := testutilValue(c); got != want {
			t.Errorf("upstream requests with status %s = %v, want %v", status, got, want)
		}
	}
}
