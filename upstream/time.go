package upstream

import (
	"bytes"
	"errors"
	"time"
)

// errBadTime reports a timestamp in none of the accepted forms. It carries no
// part of the value, so it is safe to log.
var errBadTime = errors.New("upstream: invalid timestamp")

// timeLayouts are tried in order. RFC3339Nano also accepts a value without
// fractional seconds; the second layout accepts offsets without a colon.
var timeLayouts = []string{
	time.RFC3339Nano,
	"2006-01-02T15:04:05.999999999Z0700",
}

// Time is a timestamp as the upstream writes it. It accepts RFC 3339 with or
// without fractional seconds, offsets written as Z, +01:00 or +0100, and a
// space instead of the T between date and time. A JSON null leaves it
// unchanged; a *Time field stays nil.
type Time struct {
	time.Time
}

// UnmarshalJSON parses one of the accepted timestamp forms.
func (t *Time) UnmarshalJSON(data []byte) error {
	if string(data) == "null" {
		return nil
	}

	n := len(data)
	if n < 2 || data[0] != '"' || data[n-1] != '"' || bytes.IndexByte(data, '\\') >= 0 {
		return errBadTime
	}
	s := string(data[1 : n-1])
	if len(s) > 10 && s[10] == ' ' {
		s = s[:10] + "T" + s[11:]
	}

	for _, layout := range timeLayouts {
		if parsed, err := time.Parse(layout, s); err == nil {
			t.Time = parsed
			return nil
		}
	}
	return errBadTime
}
