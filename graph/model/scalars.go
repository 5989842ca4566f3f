package model

import (
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
		return "", &ValueError{Message: fmt.Sprintf("UUID must be a string, got %T", v)}
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
		return time.Time{}, &ValueError{Message: fmt.Sprintf("DateTime must be a string, got %T", v)}
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
