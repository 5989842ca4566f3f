package telemetry

import (
	"net/http"
	"time"

	"go.opentelemetry.io/contrib/instrumentation/net/http/otelhttp"
	"go.opentelemetry.io/otel/metric/noop"
)

// Transport wraps the upstream HTTP transport (nil means
// http.DefaultTransport): every call counts towards its request's upstream
// calls and the upstream metrics and, with tracing on, gets a client span and
// a W3C traceparent header.
func (t *Telemetry) Transport(base http.RoundTripper) http.RoundTripper {
	if base == nil {
		base = http.DefaultTransport
	}
	var rt http.RoundTripper = &countingTransport{base: base, t: t}
	if t.provider == nil {
		return rt
	}
	return otelhttp.NewTransport(rt,
		otelhttp.WithTracerProvider(t.provider),
		otelhttp.WithPropagators(t.propagator),
		otelhttp.WithMeterProvider(noop.NewMeterProvider()),
		otelhttp.WithSpanNameFormatter(func(_ string, r *http.Request) string {
			return r.Method + " " + RouteFamily(t.basePath, r.URL.Path)
		}))
}

// countingTransport records each call in the request's record and metrics.
type countingTransport struct {
	base http.RoundTripper
	t    *Telemetry
}

func (c *countingTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	if rec := requestFrom(req.Context()); rec != nil {
		rec.upstreamCalls.Add(1)
	}
	start := time.Now()
	resp, err := c.base.RoundTrip(req)

	status := 0
	switch {
	case err == nil:
		status = resp.StatusCode
	case req.Context().Err() != nil:
		status = StatusCancelled
	}
	route := RouteFamily(c.t.basePath, req.URL.Path)
	c.t.Metrics.UpstreamRequest(route, req.Method, status, time.Since(start))
	return resp, err
}
