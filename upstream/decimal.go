package upstream

import (
	"encoding/json"
	"errors"
)

// errBadDecimal reports a decimal that is neither a JSON number nor a string
// holding one. Like errBadTime it carries no part of the value.
var errBadDecimal = errors.New("upstream: invalid decimal")

// Decimal is an exact decimal as the upstream writes it, either as a JSON
// number (1500.1) or as a string holding one ("1500.00"). It keeps the digits
// as sent, so no precision is lost to a float. A JSON null leaves it unchanged;
// a *Decimal field stays nil.
type Decimal string

// String returns the decimal's digits.
func (d Decimal) String() string { return string(d) }

// UnmarshalJSON accepts a JSON number or a string that holds one.
func (d *Decimal) UnmarshalJSON(data []byte) error {
	if string(data) == "null" {
		return nil
	}
	if n := len(data); n >= 2 && data[0] == '"' && data[n-1] == '"' {
		data = data[1 : n-1]
	}
	if !isJSONNumber(data) {
		return errBadDecimal
	}
	*d = Decimal(data)
	return nil
}

// isJSONNumber reports whether b is exactly one JSON number: a valid JSON
// value that starts with a minus sign or a digit and ends with a digit, so
// that it is a number with no space around it.
func isJSONNumber(b []byte) bool {
	n := len(b)
	if n == 0 || (b[0] != '-' && !isDigit(b[0])) || !isDigit(b[n-1]) {
		return false
	}
	return json.Valid(b)
}

func isDigit(c byte) bool { return '0' <= c && c <= '9' }
