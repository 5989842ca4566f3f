package telemetry

import (
	"context"
	"strings"

	"github.com/99designs/gqlgen/graphql"
	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/codes"
	"go.opentelemetry.io/otel/trace"

	"github.com/capedigital/cape-gateway/auth"
)

// Extension returns the gqlgen extension that records each operation's name,
// error codes and caller in the request's record and, with tracing on, makes
// a span per operation and per traced resolver (see tracedField).
func (t *Telemetry) Extension() graphql.HandlerExtension {
	ext := operationExtension{t: t}
	if t.provider == nil {
		return ext
	}
	return tracingExtension{ext}
}

// operationExtension is the extension without field spans.
type operationExtension struct{ t *Telemetry }

var (
	_ graphql.HandlerExtension    = operationExtension{}
	_ graphql.ResponseInterceptor = operationExtension{}
	_ graphql.FieldInterceptor    = tracingExtension{}
)

// ExtensionName implements graphql.HandlerExtension.
func (operationExtension) ExtensionName() string { return "CapeTelemetry" }

// Validate implements graphql.HandlerExtension.
func (operationExtension) Validate(graphql.ExecutableSchema) error { return nil }

// InterceptResponse wraps the execution of an operation, and the answer of a
// request that failed to parse or validate.
func (e operationExtension) InterceptResponse(ctx context.Context,
	next graphql.ResponseHandler,
) *graphql.Response {
	if !graphql.HasOperationContext(ctx) {
		return next(ctx)
	}
	name, kind := operationOf(graphql.GetOperationContext(ctx))

	var span trace.Span
	if e.t.provider != nil {
		ctx, span = e.t.tracer.Start(ctx, spanName(kind, name),
			trace.WithSpanKind(trace.SpanKindServer),
			trace.WithAttributes(attribute.String("graphql.operation.type", kind),
				attribute.String("graphql.operation.name", name)))
		defer span.End()
	}

	resp := next(ctx)
	errCodes := errorCodes(resp)
	if rec := requestFrom(ctx); rec != nil {
		rec.noteOperation(name, e.t.Metrics.OperationLabel(name), subject(ctx), errCodes)
	}
	if span != nil && len(errCodes) > 0 {
		span.SetAttributes(attribute.StringSlice("graphql.error.codes", errCodes))
		span.SetStatus(codes.Error, strings.Join(errCodes, ","))
	}
	return resp
}

// operationOf names the operation as parsed; both are "" when the document
// did not parse or named no operation.
func operationOf(op *graphql.OperationContext) (name, kind string) {
	if op == nil || op.Operation == nil {
		return "", ""
	}
	return op.Operation.Name, string(op.Operation.Operation)
}

// spanName follows the GraphQL semantic conventions: "query LeadsPage", or
// just the type for an anonymous operation.
func spanName(kind, name string) string {
	switch {
	case kind == "":
		return "GraphQL Operation"
	case name == "":
		return kind
	}
	return kind + " " + name
}

// errorCodes lists the distinct extensions.code values of resp's errors.
func errorCodes(resp *graphql.Response) []string {
	if resp == nil {
		return nil
	}
	var out []string
	for _, e := range resp.Errors {
		code, _ := e.Extensions["code"].(string)
		if code == "" {
			code = "UNKNOWN"
		}
		seen := false
		for _, c := range out {
			seen = seen || c == code
		}
		if !seen {
			out = append(out, code)
		}
	}
	return out
}

func subject(ctx context.Context) string {
	if c, ok := auth.ClaimsFromContext(ctx); ok {
		return c.Subject
	}
	return ""
}

// tracingExtension adds resolver spans.
type tracingExtension struct{ operationExtension }

// InterceptField runs a traced resolver in a span.
func (e tracingExtension) InterceptField(ctx context.Context, next graphql.Resolver,
) (any, error) {
	fc := graphql.GetFieldContext(ctx)
	if fc == nil || !tracedField(fc) {
		return next(ctx)
	}

	ctx, span := e.t.tracer.Start(ctx, fc.Object+"."+fc.Field.Name, trace.WithAttributes(
		attribute.String("graphql.field.path", fc.Path().String())))
	defer span.End()
	res, err := next(ctx)
	if err != nil {
		span.SetStatus(codes.Error, "resolver failed")
	}
	return res, err
}

// tracedField picks the resolvers worth a span: those with a resolver of
// their own outside any list. A resolver repeated for each item of a list
// (one on every lead of a page of 50) gets none; the loader batch that
// serves all the items has its span instead.
func tracedField(fc *graphql.FieldContext) bool {
	if !fc.IsResolver {
		return false
	}
	for p := fc; p != nil; p = p.Parent {
		if p.Index != nil {
			return false
		}
	}
	return true
}
