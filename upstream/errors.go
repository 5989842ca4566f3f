package upstream

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"net/http"
	"sort"
	"strconv"
	"strings"
	"time"
)

// Error is a non-2xx answer from the upstream. Detail and FieldErrors are
// filled from a DRF error body when there is one; a body that is not JSON
// (an HTML error page, an empty 503) leaves them empty but keeps the status.
type Error struct {
	Method     string // HTTP method, e.g. "GET"
	Route      string // route family with ids folded, e.g. "/api/v1/leads/{id}"
	StatusCode int

	// Detail is DRF's {"detail": "..."} message.
	Detail string

	// FieldErrors maps a field to its messages, DRF's {"field": ["..."]},
	// including "non_field_errors". Nested fields are joined with dots,
	// e.g. "products.0".
	FieldErrors map[string][]string

	// RetryAfter is the wait the Retry-After header asks for, 0 when absent.
	RetryAfter time.Duration
}

// Error describes the failed call without the token, query or body.
func (e *Error) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "upstream: %s %s: %d", e.Method, e.Route, e.StatusCode)
	if text := http.StatusText(e.StatusCode); text != "" {
		b.WriteString(" " + text)
	}
	if n := len(e.FieldErrors); n > 0 {
		fmt.Fprintf(&b, " (%d invalid fields)", n)
	}
	if e.RetryAfter > 0 {
		fmt.Fprintf(&b, " (retry after %s)", e.RetryAfter)
	}
	return b.String()
}

// BadResponseError is a 2xx answer the client cannot use: a body that is not
// JSON, truncated, badly compressed, too large or not of the expected shape.
type BadResponseError struct {
	Method     string
	Route      string
	StatusCode int
	Reason     string // what was wrong, never quoting the body

	err error
}

// Error describes the unusable answer without the token, query or body.
func (e *BadResponseError) Error() string {
	return fmt.Sprintf("upstream: %s %s: bad response (%d): %s",
		e.Method, e.Route, e.StatusCode, e.Reason)
}

// Unwrap returns the underlying decoding or reading error, if any.
func (e *BadResponseError) Unwrap() error { return e.err }

// IsNotFound reports whether err is an upstream 404 or an ErrInvalidID.
func IsNotFound(err error) bool {
	var e *Error
	if errors.As(err, &e) {
		return e.StatusCode == http.StatusNotFound
	}
	return errors.Is(err, ErrInvalidID)
}

func badResponse(r *request, status int, reason string, err error) *BadResponseError {
	return &BadResponseError{
		Method:     r.method,
		Route:      r.route,
		StatusCode: status,
		Reason:     reason,
		err:        err,
	}
}

// newError builds the *Error for a non-2xx answer. A body that could not be
// read or parsed leaves Detail and FieldErrors empty. Any copy of token the
// upstream echoed back is redacted.
func newError(r *request, resp *http.Response, body []byte, readErr error, token string) *Error {
	e := &Error{
		Method:     r.method,
		Route:      r.route,
		StatusCode: resp.StatusCode,
		RetryAfter: parseRetryAfter(resp.Header.Get("Retry-After"), time.Now()),
	}
	if readErr == nil {
		e.parseBody(body)
	}
	if token != "" {
		e.redact(token)
	}
	return e
}

// parseBody reads a DRF error body: {"detail": ...}, a map of field errors,
// or a bare list of messages.
func (e *Error) parseBody(body []byte) {
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.UseNumber()
	var v any
	if dec.Decode(&v) != nil {
		return
	}

	fields := map[string][]string{}
	switch v := v.(type) {
	case map[string]any:
		if detail, ok := v["detail"]; ok {
			e.Detail = strings.Join(messages(detail), "; ")
			break
		}
		flatten("", v, fields)
	case []any:
		flatten("non_field_errors", v, fields)
	case string:
		e.Detail = v
	}
	if len(fields) > 0 {
		e.FieldErrors = fields
	}
}

// flatten collects the messages of v under key, joining nested keys with
// dots. A string stands for a one-message list.
func flatten(key string, v any, out map[string][]string) {
	switch v := v.(type) {
	case map[string]any:
		for k, child := range v {
			flatten(joinKey(key, k), child, out)
		}
	case []any:
		for i, child := range v {
			switch child.(type) {
			case map[string]any, []any:
				flatten(joinKey(key, strconv.Itoa(i)), child, out)
			default:
				flatten(key, child, out)
			}
		}
	case nil:
	default:
		if key == "" {
			key = "non_field_errors"
		}
		out[key] = append(out[key], scalar(v))
	}
}

// messages returns the scalar messages found in v, in order.
func messages(v any) []string {
	fields := map[string][]string{}
	flatten("", v, fields)

	keys := make([]string, 0, len(fields))
	for k := range fields {
		keys = append(keys, k)
	}
	sort.Strings(keys)

	var out []string
	for _, k := range keys {
		out = append(out, fields[k]...)
	}
	return out
}

func joinKey(prefix, key string) string {
	if prefix == "" {
		return key
	}
	return prefix + "." + key
}

func scalar(v any) string {
	switch v := v.(type) {
	case string:
		return v
	case json.Number:
		return v.String()
	default:
		return fmt.Sprint(v)
	}
}

func (e *Error) redact(token string) {
	const mark = "[REDACTED]"
	e.Detail = strings.ReplaceAll(e.Detail, token, mark)
	for k, msgs := range e.FieldErrors {
		for i, m := range msgs {
			msgs[i] = strings.ReplaceAll(m, token, mark)
		}
		if clean := strings.ReplaceAll(k, token, mark); clean != k {
			delete(e.FieldErrors, k)
			e.FieldErrors[clean] = append(e.FieldErrors[clean], msgs...)
		}
	}
}

// parseRetryAfter reads a Retry-After value given in seconds or as an HTTP
// date, relative to now. It returns 0 when the value is absent, invalid or
// already past.
func parseRetryAfter(v string, now time.Time) time.Duration {
	v = strings.TrimSpace(v)
	if v == "" {
		return 0
	}

	if secs, err := strconv.ParseInt(v, 10, 64); err == nil {
		if secs <= 0 {
			return 0
		}
		return time.Duration(min(secs, math.MaxInt64/int64(time.Second))) * time.Second
	}
	if at, err := http.ParseTime(v); err == nil {
		return max(at.Sub(now), 0)
	}
	return 0
}
