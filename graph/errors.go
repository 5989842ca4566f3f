package graph

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"runtime/debug"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/99designs/gqlgen/graphql"
	"github.com/99designs/gqlgen/graphql/errcode"
	"github.com/vektah/gqlparser/v2/ast"
	"github.com/vektah/gqlparser/v2/gqlerror"

	"github.com/capedigital/cape-gateway/graph/model"
	"github.com/capedigital/cape-gateway/telemetry"
	"github.com/capedigital/cape-gateway/upstream"
)

// The stable error codes carried in extensions.code.
const (
	CodeUnauthenticated        = "UNAUTHENTICATED"
	CodeForbidden              = "FORBIDDEN"
	CodeBadUserInput           = "BAD_USER_INPUT"
	CodeNotFound               = "NOT_FOUND"
	CodeRateLimited            = "RATE_LIMITED"
	CodeUpstreamTimeout        = "UPSTREAM_TIMEOUT"
	CodeUpstreamUnavailable    = "UPSTREAM_UNAVAILABLE"
	CodeUpstreamBadResponse    = "UPSTREAM_BAD_RESPONSE"
	CodeParseFailed            = errcode.ParseFailed
	CodeValidationFailed       = errcode.ValidationFailed
	CodeQueryTooComplex        = "QUERY_TOO_COMPLEX"
	CodeQueryTooDeep           = "QUERY_TOO_DEEP"
	CodePersistedQueryNotFound = "PERSISTED_QUERY_NOT_FOUND"
	CodeInternal               = "INTERNAL_SERVER_ERROR"
)

// InputError is client input that breaks documented rules, one problem per field.
type InputError struct {
	Problems []FieldProblem
}

// FieldProblem names an input by its GraphQL path, such as "input.contactEmail"
// or "first", and says what is wrong with it.
type FieldProblem struct {
	Field   string
	Message string
}

func (e *InputError) Error() string {
	parts := make([]string, len(e.Problems))
	for i, p := range e.Problems {
		parts[i] = p.Field + " " + p.Message
	}
	return strings.Join(parts, "; ")
}

// Fields lists the offending inputs.
func (e *InputError) Fields() []string {
	fields := make([]string, len(e.Problems))
	for i, p := range e.Problems {
		fields[i] = p.Field
	}
	return fields
}

func invalidInput(field, message string) error {
	return &InputError{Problems: []FieldProblem{{Field: field, Message: message}}}
}

// ErrorPresenter turns every error a resolver returns into a GraphQL error with a
// stable code. Messages name no internal address, body or stack.
type ErrorPresenter struct {
	Logger *slog.Logger
}

// Present implements graphql.ErrorPresenterFunc.
func (p ErrorPresenter) Present(ctx context.Context, err error) *gqlerror.Error {
	var gqlErr *gqlerror.Error
	if errors.As(err, &gqlErr) && gqlErr.Err == nil {
		// Parse and validation errors, and errors already presented.
		if gqlErr.Extensions == nil || gqlErr.Extensions["code"] == nil {
			errcode.Set(gqlErr, CodeValidationFailed)
		}
		if strings.HasPrefix(gqlErr.Message, undecodableBody) {
			// gqlgen quotes the whole request body in this message.
			gqlErr.Message = "the request body is not a GraphQL request: " +
				"send a JSON object with a string query"
			errcode.Set(gqlErr, CodeBadUserInput)
		}
		return gqlErr
	}

	code, message, ext := p.classify(ctx, err)
	// gqlgen puts a value a scalar refuses at the field's path plus the
	// argument's, where a selected field of the same name would answer. Like
	// an input rule's error, it goes at the field, naming the input.
	var valErr *model.ValueError
	var argField *graphql.FieldContext
	if errors.As(err, &valErr) {
		var name string
		if argField, name = argumentOf(ctx, err); name != "" {
			ext = map[string]any{"fields": []string{name}}
		}
	}

	out := graphql.DefaultErrorPresenter(ctx, err) // may be err itself
	out.Err = nil
	out.Message = message
	if out.Extensions == nil {
		out.Extensions = map[string]any{}
	}
	for k, v := range ext {
		out.Extensions[k] = v
	}
	out.Extensions["code"] = code
	if argField != nil {
		out.Path = argField.Path()
		if f := argField.Field.Field; len(out.Locations) == 0 && f != nil && f.Position != nil {
			out.Locations = []gqlerror.Location{{Line: f.Position.Line, Column: f.Position.Column}}
		}
	}
	return out
}

// undecodableBody starts the message of gqlgen's POST transport for a body that
// is not a GraphQL request object.
const undecodableBody = "json request body could not be decoded"

// classify picks the code, client message and extra extensions for err.
func (p ErrorPresenter) classify(ctx context.Context, err error) (string, string, map[string]any) {
	var (
		inErr   *InputError
		upErr   *upstream.Error
		badErr  *upstream.BadResponseError
		enumErr *model.UnknownEnumError
		valErr  *model.ValueError
		netErr  net.Error
	)
	switch {
	case errors.As(err, &inErr):
		return CodeBadUserInput, inErr.Error(), map[string]any{"fields": inErr.Fields()}
	case errors.As(err, &valErr):
		return CodeBadUserInput, valErr.Error(), nil
	case errors.Is(err, errPanic):
		return CodeInternal, "internal server error", nil
	case errors.As(err, &upErr):
		return presentUpstream(upErr)
	case errors.As(err, &badErr):
		p.log(ctx, "upstream answered with a bad response", err)
		return CodeUpstreamBadResponse, "the Cape API sent an answer the gateway could not read", nil
	case errors.As(err, &enumErr):
		return CodeUpstreamBadResponse, enumErr.Error(), nil
	case errors.Is(err, upstream.ErrCircuitOpen):
		return CodeUpstreamUnavailable, "the Cape API is failing; calls are paused briefly", nil
	case errors.Is(err, context.DeadlineExceeded), errors.As(err, &netErr) && netErr.Timeout():
		return CodeUpstreamTimeout, "the Cape API did not answer in time", nil
	case errors.Is(err, context.Canceled):
		return CodeUpstreamUnavailable, "the request was cancelled", nil
	case errors.As(err, &netErr):
		p.log(ctx, "upstream unreachable", err)
		return CodeUpstreamUnavailable, "the Cape API is unreachable", nil
	}
	p.log(ctx, "internal error", err)
	return CodeInternal, "internal server error", nil
}

// argumentOf finds the field whose arguments held the value that err's path
// points into, and names the argument or input field there: "id", or
// "input.productIds" for any item of that list. name is "" when err's path
// points into no argument.
func argumentOf(ctx context.Context, err error) (fc *graphql.FieldContext, name string) {
	var gqlErr *gqlerror.Error
	fc = graphql.GetFieldContext(ctx)
	if fc == nil || !errors.As(err, &gqlErr) {
		return nil, ""
	}
	field := fc.Path()
	if len(gqlErr.Path) <= len(field) || gqlErr.Path[:len(field)].String() != field.String() {
		return nil, ""
	}
	var names []string
	for _, el := range gqlErr.Path[len(field):] {
		if name, ok := el.(ast.PathName); ok {
			names = append(names, string(name))
		}
	}
	if len(names) == 0 {
		return nil, ""
	}
	return fc, strings.Join(names, ".")
}

func (p ErrorPresenter) log(ctx context.Context, msg string, err error) {
	if p.Logger == nil {
		return
	}
	attrs := []any{slog.String("error", err.Error())}
	if fc := graphql.GetFieldContext(ctx); fc != nil {
		attrs = append(attrs, slog.String("path", fc.Path().String()))
	}
	telemetry.Logger(ctx, p.Logger).ErrorContext(ctx, msg, attrs...)
}

// presentUpstream maps an upstream HTTP error to a code, following DRF's use of
// statuses: 400 is a field error, 403 a missing role, 429 a rate limit.
func presentUpstream(e *upstream.Error) (string, string, map[string]any) {
	switch {
	case e.StatusCode == 400 && e.Method == "GET":
		// A read sends no input object: the upstream refused an argument.
		fields, message := presentFieldErrors(e.FieldErrors, "", "arguments")
		return CodeBadUserInput, message, map[string]any{"fields": fields}
	case e.StatusCode == 400:
		fields, message := presentFieldErrors(e.FieldErrors, "input.", "input")
		return CodeBadUserInput, message, map[string]any{"fields": fields}
	case e.StatusCode == 401:
		return CodeUnauthenticated, "the Cape API refused the credentials", nil
	case e.StatusCode == 403:
		return CodeForbidden, "the caller's roles do not allow this", nil
	case e.StatusCode == 404:
		return CodeNotFound, "not found", nil
	case e.StatusCode == 429:
		ext := map[string]any{}
		if e.RetryAfter > 0 {
			ext["retryAfter"] = int64((e.RetryAfter + time.Second - 1) / time.Second)
		}
		return CodeRateLimited, "the Cape API is rate limiting this caller", ext
	case e.StatusCode == 504 || e.StatusCode == 408:
		return CodeUpstreamTimeout, "the Cape API did not answer in time", nil
	case e.StatusCode >= 500:
		return CodeUpstreamUnavailable, "the Cape API is unavailable (HTTP " +
			strconv.Itoa(e.StatusCode) + ")", nil
	}
	return CodeUpstreamBadResponse,
		"the Cape API answered with HTTP " + strconv.Itoa(e.StatusCode), nil
}

// presentFieldErrors renames DRF field errors to the schema's input names and
// joins their messages.
func presentFieldErrors(fieldErrors map[string][]string, prefix, what string) ([]string, string) {
	names := make([]string, 0, len(fieldErrors))
	for name := range fieldErrors {
		names = append(names, name)
	}
	sort.Strings(names)

	fields := make([]string, 0, len(names))
	parts := make([]string, 0, len(names))
	for _, name := range names {
		field := prefix + graphQLFieldName(name)
		fields = append(fields, field)
		parts = append(parts, fmt.Sprintf("%s: %s", field, strings.Join(fieldErrors[name], " ")))
	}
	if len(parts) == 0 {
		return fields, "the Cape API rejected the " + what
	}
	return fields, "the Cape API rejected the " + what + ": " + strings.Join(parts, "; ")
}

// wireFieldNames lists the upstream fields whose GraphQL input names differ from
// a plain camelCase rename.
var wireFieldNames = map[string]string{
	"lead_category":    "categoryId",
	"source":           "sourceId",
	"products":         "productIds",
	"partner":          "partnerId",
	"non_field_errors": "input",
}

// graphQLFieldName maps an upstream snake_case field to its GraphQL input name.
func graphQLFieldName(wire string) string {
	if name, ok := wireFieldNames[wire]; ok {
		return name
	}
	parts := strings.Split(wire, "_")
	for i := 1; i < len(parts); i++ {
		if parts[i] != "" {
			parts[i] = strings.ToUpper(parts[i][:1]) + parts[i][1:]
		}
	}
	return strings.Join(parts, "")
}

// Recover turns a panic in a resolver into an internal error for that field and
// logs it once with its stack.
func (p ErrorPresenter) Recover(ctx context.Context, v any) error {
	if p.Logger != nil {
		telemetry.Logger(ctx, p.Logger).ErrorContext(ctx, "panic while resolving",
			slog.Any("panic", v),
			slog.String("stack", string(debug.Stack())))
	}
	return errPanic
}

// errPanic stands for a recovered panic, which is logged where it is recovered.
var errPanic = errors.New("internal server error")
