package telemetry

import (
	"context"
	"log/slog"
	"net/http"
	"strconv"
	"time"

	"go.opentelemetry.io/otel/propagation"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"
	"go.opentelemetry.io/otel/trace"
)

// Options configure New.
type Options struct {
	// Logger is the process logger; every request gets a child of it.
	Logger *slog.Logger
	// UpstreamBasePath is the path part of the upstream base URL, such as
	// "/commercial"; it is cut from the route families of upstream calls.
	UpstreamBasePath string
	// OTLP turns on span export over OTLP/HTTP, configured by the standard
	// OTEL_EXPORTER_OTLP_* environment variables of the process.
	OTLP bool
	// SpanExporter, when set, receives every span synchronously as it ends,
	// instead of OTLP. Tests use tracetest.InMemoryExporter.
	SpanExporter sdktrace.SpanExporter
	// QuietPaths are request paths (probes, scrapes) logged at debug level.
	QuietPaths []string
}

// Telemetry is the gateway's logs, metrics and traces. Build one per process
// with New and end it with Shutdown.
type Telemetry struct {
	// Metrics are the Prometheus collectors, served by Metrics.Handler.
	Metrics *Metrics

	logger     *slog.Logger
	basePath   string
	quiet      map[string]bool
	outcomes   *boundedLabel
	provider   *sdktrace.TracerProvider // nil when tracing is off
	tracer     trace.Tracer
	propagator propagation.TextMapPropagator
}

// New builds the telemetry. Tracing is on when opts.OTLP or opts.SpanExporter
// says so; otherwise no span is ever started.
func New(ctx context.Context, opts Options) (*Telemetry, error) {
	t := &Telemetry{
		Metrics:    NewMetrics(),
		logger:     opts.Logger,
		basePath:   opts.UpstreamBasePath,
		quiet:      map[string]bool{},
		outcomes:   newBoundedLabel(50),
		propagator: propagation.TraceContext{},
	}
	if t.logger == nil {
		t.logger = slog.New(slog.DiscardHandler)
	}
	for _, p := range opts.QuietPaths {
		t.quiet[p] = true
	}

	provider, err := newTracerProvider(ctx, opts)
	if err != nil {
		return nil, err
	}
	if provider != nil {
		t.provider = provider
		t.tracer = provider.Tracer(instrumentationName)
	}
	return t, nil
}

// Tracing reports whether spans are recorded.
func (t *Telemetry) Tracing() bool { return t.provider != nil }

// Shutdown exports the spans still buffered and stops tracing, within ctx.
func (t *Telemetry) Shutdown(ctx context.Context) error {
	if t.provider == nil {
		return nil
	}
	return t.provider.Shutdown(ctx)
}

// Middleware gives each request an id (the caller's X-Request-ID when sane,
// else a new one, echoed in the response), a child logger and a record the
// other hooks fill in, and logs one line when the request ends. With tracing
// on it continues a W3C trace context the caller sent.
func (t *Telemetry) Middleware(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		rec := &request{id: requestID(r.Header.Get(RequestIDHeader))}
		rec.logger = t.logger.With(slog.String("request_id", rec.id))
		w.Header().Set(RequestIDHeader, rec.id)

		ctx := withRequest(r.Context(), rec)
		if t.provider != nil {
			ctx = t.propagator.Extract(ctx, propagation.HeaderCarrier(r.Header))
		}
		defer t.logRequest(ctx, r, rec, start)
		next.ServeHTTP(&statusWriter{ResponseWriter: w, rec: rec}, r.WithContext(ctx))
	})
}

// logRequest writes the request's one line. It names no token, no variable
// and no personal field: only ids, codes, counts and timings.
func (t *Telemetry) logRequest(ctx context.Context, r *http.Request, rec *request,
	start time.Time,
) {
	s := rec.snapshot()
	if s.status == 0 {
		s.status = http.StatusOK
	}
	level := slog.LevelInfo
	switch {
	case t.quiet[r.URL.Path]:
		level = slog.LevelDebug
	case s.status >= 500:
		level = slog.LevelWarn
	}
	if !rec.logger.Enabled(ctx, level) {
		return
	}

	attrs := []slog.Attr{
		slog.String("method", r.Method),
		slog.String("path", r.URL.Path),
		slog.Int("status", s.status),
		slog.Float64("duration_ms", float64(time.Since(start).Microseconds())/1000),
		slog.Int64("upstream_calls", rec.upstreamCalls.Load()),
	}
	if s.operation != "" {
		attrs = append(attrs, slog.String("operation", s.operation))
	}
	if len(s.codes) > 0 {
		attrs = append(attrs, slog.Any("errors", s.codes))
	}
	if s.subject != "" {
		attrs = append(attrs, slog.String("subject", s.subject))
	}
	rec.logger.LogAttrs(ctx, level, "request", attrs...)
}

// GraphQL wraps the GraphQL endpoint, inside Middleware: it counts requests
// in flight and records each request's operation, outcome and latency.
func (t *Telemetry) GraphQL(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		rec := requestFrom(r.Context())
		if rec == nil || r.Method == http.MethodOptions {
			next.ServeHTTP(w, r)
			return
		}

		start := time.Now()
		t.Metrics.inFlight.Inc()
		defer func() {
			t.Metrics.inFlight.Dec()
			s := rec.snapshot()
			op := s.opLabel
			if op == "" {
				op = LabelUnnamed
			}
			outcome := t.outcome(s)
			if r.Context().Err() != nil {
				// The client went away before its answer was written.
				outcome = "cancelled"
			}
			t.Metrics.GraphQLRequest(op, outcome, time.Since(start))
		}()
		next.ServeHTTP(w, r)
	})
}

// outcome is "ok", the first error code of the answer, or for a request
// refused before GraphQL ran, a code derived from its HTTP status.
func (t *Telemetry) outcome(s summary) string {
	switch {
	case len(s.codes) > 0:
		return t.outcomes.value(s.codes[0])
	case s.status == 0 || s.status < 400:
		return "ok"
	case s.status == http.StatusUnauthorized:
		return "UNAUTHENTICATED"
	case s.status == http.StatusForbidden:
		return "FORBIDDEN"
	}
	return t.outcomes.value("HTTP_" + strconv.Itoa(s.status))
}

// statusWriter notes the response status in the request's record.
type statusWriter struct {
	http.ResponseWriter
	rec *request
}

func (w *statusWriter) WriteHeader(code int) {
	if code >= 200 {
		w.rec.setStatus(code)
	}
	w.ResponseWriter.WriteHeader(code)
}

func (w *statusWriter) Write(b []byte) (int, error) {
	w.rec.setStatus(http.StatusOK)
	return w.ResponseWriter.Write(b)
}

// Flush passes a flush on when the underlying writer supports it.
func (w *statusWriter) Flush() {
	if f, ok := w.ResponseWriter.(http.Flusher); ok {
		f.Flush()
	}
}

// Unwrap lets http.ResponseController reach the underlying writer.
func (w *statusWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }
