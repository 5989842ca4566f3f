package telemetry

import (
	"context"
	"fmt"

	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/exporters/otlp/otlptrace/otlptracehttp"
	"go.opentelemetry.io/otel/sdk/resource"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"
	"go.opentelemetry.io/otel/trace"
)

const (
	instrumentationName = "github.com/capedigital/cape-gateway/telemetry"
	serviceName         = "cape-gateway"
)

// newTracerProvider returns nil when tracing is off. The SDK reads the
// standard variables itself: OTEL_EXPORTER_OTLP_* for the exporter,
// OTEL_TRACES_SAMPLER for sampling, OTEL_SERVICE_NAME and
// OTEL_RESOURCE_ATTRIBUTES for the resource.
func newTracerProvider(ctx context.Context, opts Options) (*sdktrace.TracerProvider, error) {
	var export sdktrace.TracerProviderOption
	switch {
	case opts.SpanExporter != nil:
		export = sdktrace.WithSyncer(opts.SpanExporter)
	case opts.OTLP:
		exp, err := otlptracehttp.New(ctx)
		if err != nil {
			return nil, fmt.Errorf("OTLP trace exporter: %w", err)
		}
		export = sdktrace.WithBatcher(exp)
	default:
		return nil, nil
	}

	res, err := resource.New(ctx,
		resource.WithAttributes(attribute.String("service.name", serviceName)),
		resource.WithFromEnv(), resource.WithTelemetrySDK())
	if err != nil {
		return nil, fmt.Errorf("trace resource: %w", err)
	}
	return sdktrace.NewTracerProvider(export, sdktrace.WithResource(res)), nil
}

// noEnd is the end of a batch that made no span.
func noEnd() {}

// Batch is the loaders' batch hook: it records the batch's size and, with
// tracing on, runs the batch in a span of its own. The batch calls the
// returned function when it is done.
func (t *Telemetry) Batch(ctx context.Context, resource string, size int,
) (context.Context, func()) {
	t.Metrics.Batch(resource, size)
	if t.provider == nil {
		return ctx, noEnd
	}
	ctx, span := t.tracer.Start(ctx, "dataloader.batch "+resource, trace.WithAttributes(
		attribute.String("dataloader.resource", resource),
		attribute.Int("dataloader.batch_size", size)))
	return ctx, func() { span.End() }
}
