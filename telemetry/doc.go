// Package telemetry is how the gateway reports what it does: one structured log
// line per request with its request id, Prometheus metrics on a private
// registry, OpenTelemetry traces of GraphQL operations, loader batches and
// upstream calls, and the readiness answer of /readyz.
//
// A Telemetry value is built once per process. Its Middleware gives every
// request an id, a child logger (see Logger) and a record that the other hooks
// fill in: the gqlgen extension notes the operation, its error codes and the
// caller's subject; the upstream Transport counts the calls the request made.
// Label values are bounded: ids are folded out of upstream paths, and only
// the first operation names seen in parsed documents become label values.
//
// Tracing is off unless an OTLP endpoint is configured or a SpanExporter is
// given; when it is off no span is started and no trace header is sent.
package telemetry
