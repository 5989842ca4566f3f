package model

import (
	"encoding/json"
	"errors"
	"testing"
	"time"
)

func TestUnmarshalUUID(t *testing.T) {
	tests := []struct {
		in      any
		want    string
		wantErr bool
	}{
		{in: "7D5E1F0A-3C2B-4A8E-9F10-2B3C4D5E6F70", want: "7d5e1f0a-3c2b-4a8e-9f10-2b3c4d5e6f70"},
		{in: "7d5e1f0a3c2b4a8e9f102b3c4d5e6f70", wantErr: true},
		{in: "urn:uuid:7d5e1f0a-3c2b-4a8e-9f10-2b3c4d5e6f70", wantErr: true},
		{in: "not-a-uuid", wantErr: true},
		{in: 42, wantErr: true},
	}
	for _, tt := range tests {
		got, err := UnmarshalUUID(tt.in)
		var valErr *ValueError
		if tt.wantErr != (err != nil) || (err != nil && !errors.As(err, &valErr)) {
			t.Errorf("UnmarshalUUID(%v) err = %v, want error %v as a ValueError", tt.in, err, tt.wantErr)
		}
		if got != tt.want {
			t.Errorf("UnmarshalUUID(%v) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestUnmarshalDateTimeIsStrictRFC3339(t *testing.T) {
	want := time.Date(2026, 12, 3, 9, 30, 0, 500_000_000, time.UTC)
	for _, in := range []string{"2026-12-03T09:30:00.5Z", "2026-12-03T12:30:00.5+03:00"} {
		got, err := UnmarshalDateTime(in)
		if err != nil || !got.Equal(want) {
			t.Errorf("UnmarshalDateTime(%q) = %s, %v; want %s", in, got, err, want)
		}
	}
	for _, in := range []any{"2026-12-03 09:30:00Z", "2026-12-03T09:30:00+0300", "2026-12-03", 1733218200} {
		if _, err := UnmarshalDateTime(in); err == nil {
			t.Errorf("UnmarshalDateTime(%v) accepted a value that is not strict RFC 3339", in)
		}
	}
}

// A value of the wrong JSON kind is named as JSON names it, not as a Go type.
func TestWrongKindIsNamedInJSONTerms(t *testing.T) {
	tests := []struct {
		in   any
		want string
	}{
		{json.Number("5"), "UUID must be a string, got a number"},
		{true, "UUID must be a string, got a boolean"},
		{nil, "UUID must be a string, got null"},
		{[]any{"a"}, "UUID must be a string, got a list"},
		{map[string]any{}, "UUID must be a string, got an object"},
	}
	for _, tt := range tests {
		_, err := UnmarshalUUID(tt.in)
		if err == nil || err.Error() != tt.want {
			t.Errorf("UnmarshalUUID(%#v) = %v, want %q", tt.in, err, tt.want)
		}
	}
	if _, err := UnmarshalDateTime(json.Number("1")); err == nil ||
		err.Error() != "DateTime must be a string, got a number" {
		t.Errorf("UnmarshalDateTime(1) = %v", err)
	}
}
