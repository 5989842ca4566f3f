package gateway

import (
	"context"
	"errors"
	"log/slog"
	"net/http"
	"net/url"
	"time"

	sdktrace "go.opentelemetry.io/otel/sdk/trace"

	"github.com/capedigital/cape-gateway/telemetry"
	"github.com/capedigital/cape-gateway/upstream"
)

// Option adjusts a gateway before it is wired; tests use them.
type Option func(*Gateway)

// WithSpanExporter sends the gateway's spans to exp instead of OTLP.
func WithSpanExporter(exp sdktrace.SpanExporter) Option {
	return func(gw *Gateway) { gw.spanExporter = exp }
}

// startTelemetry builds the logs, metrics and traces of the gateway. Tracing is
// on with OTEL_EXPORTER_OTLP_ENDPOINT (or a test's span exporter).
func (gw *Gateway) startTelemetry(ctx context.Context) error {
	base, err := url.Parse(gw.cfg.UpstreamURL)
	if err != nil {
		return err
	}
	gw.tel, err = telemetry.New(ctx, telemetry.Options{
		Logger:           gw.logger,
		UpstreamBasePath: base.Path,
		OTLP:             gw.cfg.OTLPEndpoint != "",
		SpanExporter:     gw.spanExporter,
		QuietPaths:       []string{"/healthz", "/readyz", "/metrics"},
	})
	if err == nil && gw.cfg.OTLPEndpoint != "" {
		gw.logger.Info("tracing on: exporting spans over OTLP/HTTP",
			slog.String("endpoint", gw.cfg.OTLPEndpoint))
	}
	return err
}

// instrument makes every upstream call go through the telemetry's transport.
func (gw *Gateway) instrument(hc *http.Client) *http.Client {
	hc.Transport = gw.tel.Transport(hc.Transport)
	return hc
}

// readiness is ready once the JWT key set is loaded and the upstream has
// answered one probe: an unauthenticated GET of one lead, where any HTTP status
// (a 401 as well) shows that it is up. After that first answer the upstream's
// health no longer counts, so that an upstream outage does not pull every
// replica out of its load balancer at once; the breakers deal with it instead.
func (gw *Gateway) readiness(hc *http.Client) *telemetry.Readiness {
	leads := gw.cfg.Routes["LEADS"]
	if leads == "" {
		leads = upstream.DefaultRoutes().Leads
	}
	keys := func(context.Context) error {
		if !gw.verifier.Ready() {
			return errors.New("JWT key set not loaded")
		}
		return nil
	}
	probe := telemetry.HTTPProbe(hc, gw.cfg.UpstreamURL+leads+"?page_size=1")
	return telemetry.NewReadiness(gw.logger,
		telemetry.Check{Name: "jwt-keys", Test: keys},
		telemetry.Check{Name: "upstream", Test: telemetry.Once(probe)})
}

// Drain runs when shutdown begins: /readyz turns 503 at once, and the gateway
// goes on serving for SHUTDOWN_DELAY so that load balancers stop sending it
// traffic before it stops accepting connections.
func (gw *Gateway) Drain() {
	gw.ready.Drain()
	if gw.cfg.ShutdownDelay <= 0 {
		return
	}
	gw.logger.Info("not ready; still serving before shutdown",
		slog.Duration("delay", gw.cfg.ShutdownDelay))
	t := time.NewTimer(gw.cfg.ShutdownDelay)
	defer t.Stop()
	<-t.C
}

// flushTraces exports the spans still buffered.
func (gw *Gateway) flushTraces() {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if err := gw.tel.Shutdown(ctx); err != nil {
		gw.logger.Warn("flushing traces", slog.String("error", err.Error()))
	}
}
