package graph

import (
	"context"
	"errors"
	"fmt"
	"net"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/capedigital/cape-gateway/graph/model"
	"github.com/capedigital/cape-gateway/upstream"
)

func TestPresentMapsEveryFailureToACode(t *testing.T) {
	tests := []struct {
		name    string
		err     error
		code    string
		message string
		ext     map[string]any
	}{
		{
			name: "an input rule names the field",
			err:  invalidInput("first", "must be at least 1"),
			code: CodeBadUserInput, message: "first must be at least 1",
			ext: map[string]any{"fields": []string{"first"}},
		},
		{
			name: "upstream field errors come back with GraphQL names",
			err: fmt.Errorf("create lead: %w", &upstream.Error{StatusCode: 400, FieldErrors: map[string][]string{
				"contact_email": {"Enter a valid email address."}, "lead_category": {"Invalid pk."},
			}}),
			code:    CodeBadUserInput,
			message: "the Cape API rejected the input: input.contactEmail: Enter a valid email address.; input.categoryId: Invalid pk.",
			ext:     map[string]any{"fields": []string{"input.contactEmail", "input.categoryId"}},
		},
		{
			name: "a refused read names arguments, not input fields",
			err: &upstream.Error{Method: "GET", StatusCode: 400, FieldErrors: map[string][]string{
				"ordering": {"Unknown field."}}},
			code: CodeBadUserInput, message: "the Cape API rejected the arguments: ordering: Unknown field.",
			ext: map[string]any{"fields": []string{"ordering"}},
		},
		{
			name: "a value a scalar refuses outside any field's arguments names no field",
			err:  &model.ValueError{Message: `"x" is not a valid UUID`},
			code: CodeBadUserInput, message: `"x" is not a valid UUID`,
		},
		{name: "401", err: &upstream.Error{StatusCode: 401}, code: CodeUnauthenticated},
		{name: "403 is a missing role", err: &upstream.Error{StatusCode: 403}, code: CodeForbidden},
		{name: "404", err: &upstream.Error{StatusCode: 404}, code: CodeNotFound},
		{
			name: "429 rounds Retry-After up to whole seconds",
			err:  &upstream.Error{StatusCode: 429, RetryAfter: 1500 * time.Millisecond},
			code: CodeRateLimited, ext: map[string]any{"retryAfter": int64(2)},
		},
		{name: "503", err: &upstream.Error{StatusCode: 503}, code: CodeUpstreamUnavailable,
			message: "the Cape API is unavailable (HTTP 503)"},
		{name: "504", err: &upstream.Error{StatusCode: 504}, code: CodeUpstreamTimeout},
		{name: "unreadable answer", err: &upstream.BadResponseError{StatusCode: 200, Reason: "not JSON"},
			code: CodeUpstreamBadResponse},
		{name: "unknown enum value", err: &model.UnknownEnumError{Enum: "Gender", Value: "x"},
			code: CodeUpstreamBadResponse},
		{name: "deadline", err: fmt.Errorf("list leads: %w", context.DeadlineExceeded), code: CodeUpstreamTimeout},
		{name: "call deadline", err: fmt.Errorf("list leads: %w", &upstream.TimeoutError{
			Method: "GET", Route: "/api/v1/leads", After: time.Second,
		}), code: CodeUpstreamTimeout, message: "the Cape API did not answer in time"},
		{name: "open circuit breaker", err: fmt.Errorf("get lead: upstream: GET /api/v1/leads/{id}: %w",
			upstream.ErrCircuitOpen), code: CodeUpstreamUnavailable,
			message: "the Cape API is failing; calls are paused briefly"},
		{name: "connection refused", err: &net.OpError{Op: "dial", Err: errors.New("connection refused")},
			code: CodeUpstreamUnavailable, message: "the Cape API is unreachable"},
		{name: "anything else is internal and says nothing",
			err:  errors.New("dial tcp 10.0.0.7:5432: secret internals"),
			code: CodeInternal, message: "internal server error"},
	}
	p := ErrorPresenter{}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := p.Present(context.Background(), tt.err)
			if code := got.Extensions["code"]; code != tt.code {
				t.Errorf("code = %v, want %s", code, tt.code)
			}
			if tt.message != "" && got.Message != tt.message {
				t.Errorf("message = %q, want %q", got.Message, tt.message)
			}
			for k, want := range tt.ext {
				if !reflect.DeepEqual(got.Extensions[k], want) {
					t.Errorf("extensions[%s] = %#v, want %#v", k, got.Extensions[k], want)
				}
			}
			if f, ok := got.Extensions["fields"]; ok && tt.ext["fields"] == nil {
				t.Errorf("extensions[fields] = %#v, want none", f)
			}
			if strings.Contains(got.Message, "10.0.0.7") {
				t.Errorf("message leaks an internal address: %q", got.Message)
			}
		})
	}
}

func TestUnknownEnumValuesBecomeFieldErrors(t *testing.T) {
	lead := leadFromUpstream(&upstream.Lead{ID: "x", Name: "n", Gender: strPtr("other"),
		LeadType: strPtr("company")})
	var b strings.Builder
	if err := lead.Gender.MarshalGQLContext(context.Background(), &b); err == nil {
		t.Errorf("gender %q marshalled as %q, want an error", "other", b.String())
	}
	b.Reset()
	if err := lead.LeadType.MarshalGQLContext(context.Background(), &b); err != nil || b.String() != `"COMPANY"` {
		t.Errorf("leadType = %q, %v; want \"COMPANY\"", b.String(), err)
	}
}

func TestGenderKeepsEmptyApartFromNull(t *testing.T) {
	tests := []struct {
		wire *string
		want *model.Gender
	}{
		{wire: nil, want: nil},
		{wire: strPtr(""), want: ptr(model.GenderUnspecified)},
		{wire: strPtr("female"), want: ptr(model.GenderFemale)},
	}
	for _, tt := range tests {
		got := leadFromUpstream(&upstream.Lead{Gender: tt.wire}).Gender
		if !reflect.DeepEqual(got, tt.want) {
			t.Errorf("gender(%v) = %v, want %v", tt.wire, got, tt.want)
		}
	}
}

func ptr[T any](v T) *T { return &v }
