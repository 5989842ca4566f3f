package model

import (
	"encoding/json"
	"fmt"
	"io"
	"strconv"
	"time"

	"github.com/99designs/gqlgen/graphql"
	"github.com/google/uuid"
)

// MarshalUUID writes an id as a JSON string. Ids come from the upstream as they
// are, so they are escaped as JSON (strconv.Quote's Go escapes are not JSON).
func MarshalUUID(id string) graphql.Marshaler {
	return graphql.MarshalString(id)
}

// UnmarshalUUID accepts a UUID string and returns it in canonical lowercase form.
func UnmarshalUUID(v any) (string, error) {
	s, ok := v.(string)
	if !ok {
		return "", &ValueError{Message: "UUID must be a string, got " + jsonKind(v)}
	}
	id, err := uuid.Parse(s)
	if err != nil || len(s) != 36 {
		return "", &ValueError{Message: fmt.Sprintf("%q is not a valid UUID", truncate(s, 40))}
	}
	return id.String(), nil
}

// MarshalDateTime writes a time as RFC 3339 in UTC, keeping any fraction of a second.
func MarshalDateTime(t time.Time) graphql.Marshaler {
	return graphql.WriterFunc(func(w io.Writer) {
		io.WriteString(w, strconv.Quote(t.UTC().Format(time.RFC3339Nano)))
	})
}

// UnmarshalDateTime accepts only strict RFC 3339 strings.
func UnmarshalDateTime(v any) (time.Time, error) {
	s, ok := v.(string)
	if !ok {
		return time.Time{}, &ValueError{Message: "DateTime must be a string, got " + jsonKind(v)}
	}
	t, err := time.Parse(time.RFC3339Nano, s)
	if err != nil {
		return time.Time{}, &ValueError{
			Message: fmt.Sprintf("%q is not an RFC 3339 date-time", truncate(s, 40)),
		}
	}
	return t, nil
}

func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return s[:n] + "…"
}

// ValueError is a client value that a scalar or enum does not accept.
type ValueError struct {
	Message string
}

func (e *ValueError) Error() string { return e.Message }

// jsonKind names the kind of JSON value v was decoded from, for messages that
// should not name Go types.
func jsonKind(v any) string {
	switch v.(type) {
	case nil:
		return "null"
	case string:
		return "a string"
	case bool:
		return "a boolean"
	case json.Number, float64, float32, int, int32, int64:
		return "a number"
	case []any:
		return "a list"
	case map[string]any:
		return "an object"
	}
	return "a value of another type"
}
