package upstream

import (
	"errors"
	"io"
	"net/http"
	"reflect"
	"strings"
	"testing"
	"time"
)

func TestNonSuccessAnswersBecomeErrors(t *testing.T) {
	tests := []struct {
		name        string
		status      int
		contentType string
		header      map[string]string
		body        string
		want        Error
	}{
		{
			name:        "HTML 502 page keeps the status",
			status:      http.StatusBadGateway,
			contentType: "text/html",
			body:        "<html><body><h1>502 Bad Gateway</h1></body></html>",
			want:        Error{StatusCode: 502},
		},
		{
			name:   "empty 503 keeps the status",
			status: http.StatusServiceUnavailable,
			want:   Error{StatusCode: 503},
		},
		{
			name:   "truncated JSON 500 keeps the status",
			status: http.StatusInternalServerError,
			body:   `{"detail": "Serv`,
			want:   Error{StatusCode: 500},
		},
		{
			name:   "429 with Retry-After in seconds",
			status: http.StatusTooManyRequests,
			header: map[string]string{"Retry-After": "7"},
			body:   `{"detail":"Request was throttled. Expected available in 7 seconds."}`,
			want: Error{StatusCode: 429, RetryAfter: 7 * time.Second,
				Detail: "Request was throttled. Expected available in 7 seconds."},
		},
		{
			name:   "429 with an unparseable Retry-After",
			status: http.StatusTooManyRequests,
			header: map[string]string{"Retry-After": "soon"},
			want:   Error{StatusCode: 429},
		},
		{
			name:   "400 field errors with non_field_errors",
			status: http.StatusBadRequest,
			body: `{"name":["This field is required."],"contact_email":["Enter a valid email address."],
				"non_field_errors":["Lead already exists."]}`,
			want: Error{StatusCode: 400, FieldErrors: map[string][]string{
				"name":             {"This field is required."},
				"contact_email":    {"Enter a valid email address."},
				"non_field_errors": {"Lead already exists."},
			}},
		},
		{
			name:   "400 with a string instead of a list and nested objects",
			status: http.StatusBadRequest,
			body: `{"name":"Too long.","address":{"city":["Required."]},
				"products":{"0":["Invalid pk \"x\" - object does not exist."]},
				"items":[{},{"qty":["Must be positive."]}],"count":[42]}`,
			want: Error{StatusCode: 400, FieldErrors: map[string][]string{
				"name":         {"Too long."},
				"address.city": {"Required."},
				"products.0":   {`Invalid pk "x" - object does not exist.`},
				"items.1.qty":  {"Must be positive."},
				"count":        {"42"},
			}},
		},
		{
			name:   "400 with a bare list",
			status: http.StatusBadRequest,
			body:   `["Something is wrong."]`,
			want: Error{StatusCode: 400, FieldErrors: map[string][]string{
				"non_field_errors": {"Something is wrong."},
			}},
		},
		{
			name:   "401 detail",
			status: http.StatusUnauthorized,
			body:   `{"detail":"Authentication credentials were not provided."}`,
			want:   Error{StatusCode: 401, Detail: "Authentication credentials were not provided."},
		},
		{
			name:   "401 simplejwt body keeps only the detail",
			status: http.StatusUnauthorized,
			body: `{"detail":"Given token not valid for any token type","code":"token_not_valid",
				"messages":[{"token_class":"AccessToken","message":"Token is invalid or expired"}]}`,
			want: Error{StatusCode: 401, Detail: "Given token not valid for any token type"},
		},
		{
			name:   "403 detail",
			status: http.StatusForbidden,
			body:   `{"detail":"You do not have permission to perform this action."}`,
			want:   Error{StatusCode: 403, Detail: "You do not have permission to perform this action."},
		},
		{
			name:   "404 detail",
			status: http.StatusNotFound,
			body:   `{"detail":"Not found."}`,
			want:   Error{StatusCode: 404, Detail: "Not found."},
		},
		{
			name:   "echoed token is redacted",
			status: http.StatusUnauthorized,
			body:   `{"detail":"bad token ` + testToken + `"}`,
			want:   Error{StatusCode: 401, Detail: "bad token [REDACTED]"},
		},
	}

	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			f := newFake(t, func(w http.ResponseWriter, r *http.Request) {
				if tt.contentType != "" {
					w.Header().Set("Content-Type", tt.contentType)
				}
				for k, v := range tt.header {
					w.Header().Set(k, v)
				}
				w.WriteHeader(tt.status)
				io.WriteString(w, tt.body)
			})
			c := f.client(t, WithRetries(0))

			lead, err := c.GetLead(tokenCtx(), "abc")
			if lead != nil {
				t.Errorf("got lead %+v, want nil", lead)
			}
			var got *Error
			if !errors.As(err, &got) {
				t.Fatalf("got error %T %v, want *Error", err, err)
			}
			want := tt.want
			want.Method, want.Route = "GET", "/api/v1/leads/{id}"
			if !reflect.DeepEqual(*got, want) {
				t.Errorf("got %+v, want %+v", *got, want)
			}
			assertClean(t, err)
		})
	}
}

func TestRetryAfterHTTPDateIsRelativeToNow(t *testing.T) {
	t.Parallel()
	at := time.Now().Add(time.Minute).UTC().Format(http.TimeFormat)
	f := newFake(t, func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Retry-After", at)
		w.WriteHeader(http.StatusTooManyRequests)
	})

	_, err := f.client(t).ListLeads(tokenCtx(), ListOptions{})
	var e *Error
	if !errors.As(err, &e) {
		t.Fatalf("got %T %v, want *Error", err, err)
	}
	if e.RetryAfter < 58*time.Second || e.RetryAfter > time.Minute {
		t.Errorf("got RetryAfter %v, want about 1m", e.RetryAfter)
	}
}

func TestParseRetryAfter(t *testing.T) {
	now := time.Date(2025, 3, 1, 12, 0, 0, 0, time.UTC)
	tests := []struct {
		in   string
		want time.Duration
	}{
		{"", 0},
		{"0", 0},
		{"-3", 0},
		{" 120 ", 2 * time.Minute},
		{"Sat, 01 Mar 2025 12:00:30 GMT", 30 * time.Second},
		{"Sat, 01 Mar 2025 11:00:00 GMT", 0},
		{"99999999999999999999", 0},
		{"9223372036854775807", time.Duration(9223372036) * time.Second},
	}
	for _, tt := range tests {
		if got := parseRetryAfter(tt.in, now); got != tt.want {
			t.Errorf("parseRetryAfter(%q) = %v, want %v", tt.in, got, tt.want)
		}
	}
}

func TestIsNotFound(t *testing.T) {
	tests := []struct {
		name string
		err  error
		want bool
	}{
		{"404", &Error{StatusCode: 404}, true},
		{"wrapped 404", errors.Join(errors.New("get lead"), &Error{StatusCode: 404}), true},
		{"invalid id", ErrInvalidID, true},
		{"403", &Error{StatusCode: 403}, false},
		{"bad response", &BadResponseError{StatusCode: 200}, false},
		{"nil", nil, false},
	}
	for _, tt := range tests {
		if got := IsNotFound(tt.err); got != tt.want {
			t.Errorf("%s: got %v, want %v", tt.name, got, tt.want)
		}
	}
}

// assertClean fails when err's text leaks the token, a query or a body.
func assertClean(t *testing.T, err error) {
	t.Helper()
	msg := err.Error()
	for _, leak := range []string{testToken, "?", "cursor=", "<html", "detail", "Not found"} {
		if strings.Contains(msg, leak) {
			t.Errorf("error %q contains %q", msg, leak)
		}
	}
}
