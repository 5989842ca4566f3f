package model

import (
	"encoding/json"
	"testing"
)

func TestStringAcceptsOnlyAString(t *testing.T) {
	if got, err := UnmarshalString("Kahawa"); err != nil || got != "Kahawa" {
		t.Errorf(`UnmarshalString("Kahawa") = %q, %v`, got, err)
	}
	for in, want := range map[any]string{
		json.Number("5"): "String must be a string, got a number",
		int64(5):         "String must be a string, got a number",
		true:             "String must be a string, got a boolean",
	} {
		if _, err := UnmarshalString(in); err == nil || err.Error() != want {
			t.Errorf("UnmarshalString(%#v) = %v, want %q", in, err, want)
		}
	}
	for _, in := range []any{[]any{"a"}, map[string]any{"a": "b"}} {
		if _, err := UnmarshalString(in); err == nil {
			t.Errorf("UnmarshalString(%#v) accepted it", in)
		}
	}
}

func TestIntAcceptsOnlyAWholeNumberWithin32Bits(t *testing.T) {
	for in, want := range map[any]int{
		json.Number("20"):          20,
		json.Number("-2147483648"): -2147483648,
		int64(2147483647):          2147483647,
		int64(0):                   0,
	} {
		if got, err := UnmarshalInt(in); err != nil || got != want {
			t.Errorf("UnmarshalInt(%#v) = %d, %v; want %d", in, got, err, want)
		}
	}
	for _, in := range []any{"5", json.Number("5.5"), json.Number("1e3"), json.Number("2147483648"),
		int64(-2147483649), true, nil, []any{1}} {
		if got, err := UnmarshalInt(in); err == nil {
			t.Errorf("UnmarshalInt(%#v) = %d, want an error", in, got)
		}
	}
}
