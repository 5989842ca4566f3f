package telemetry

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"testing"

	"go.opentelemetry.io/otel/sdk/trace/tracetest"
)

func TestTracingIsOffWithoutExporter(t *testing.T) {
	tel := newTestTelemetry(t, io.Discard)
	if tel.Tracing() {
		t.Fatal("Tracing() = true with no exporter, want false")
	}
	ctx, done := tel.Batch(context.Background(), "sources", 3)
	done()
	if ctx != context.Background() {
		t.Error("Batch changed the context with tracing off")
	}
}

func TestUpstreamCallsCarryTheBatchSpanInTraceparent(t *testing.T) {
	var got string
	up := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		got = r.Header.Get("traceparent")
	}))
	defer up.Close()
	exp := tracetest.NewInMemoryExporter()
	tel, err := New(context.Background(), Options{SpanExporter: exp, UpstreamBasePath: "/c"})
	if err != nil {
		t.Fatal(err)
	}

	ctx, done := tel.Batch(context.Background(), "products", 2)
	req, _ := http.NewRequestWithContext(ctx, http.MethodGet, up.URL+"/c/api/v1/products/9", nil)
	resp, err := (&http.Client{Transport: tel.Transport(nil)}).Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	done()

	spans := exp.GetSpans()
	if len(spans) != 2 {
		t.Fatalf("spans = %d, want 2 (batch and call)", len(spans))
	}
	call, batch := spans[0], spans[1]
	if batch.Name != "dataloader.batch products" || call.Name != "GET /api/v1/products/{id}" {
		t.Errorf("span names = %q, %q", batch.Name, call.Name)
	}
	if call.Parent.SpanID() != batch.SpanContext.SpanID() {
		t.Error("the call's span is not a child of the batch's")
	}
	want := "00-" + call.SpanContext.TraceID().String() + "-" +
		call.SpanContext.SpanID().String() + "-01"
	if got != want {
		t.Errorf("traceparent = %q, want %q", got, want)
	}
}

func TestOTLPExportsToTheStandardEndpointOnShutdown(t *testing.T) {
	paths := make(chan string, 10)
	collector := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		paths <- r.Method + " " + r.URL.Path
	}))
	defer collector.Close()
	t.Setenv("OTEL_EXPORTER_OTLP_ENDPOINT", collector.URL)

	tel, err := New(context.Background(), Options{OTLP: true})
	if err != nil {
		t.Fatal(err)
	}
	_, done := tel.Batch(context.Background(), "partners", 1)
	done()
	if err := tel.Shutdown(context.Background()); err != nil {
		t.Fatal(err)
	}
	select {
	case p := <-paths:
		if p != "POST /v1/traces" {
			t.Errorf("collector got %q, want POST /v1/traces", p)
		}
	default:
		t.Error("collector got nothing after Shutdown")
	}
}
