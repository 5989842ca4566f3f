package model

import (
	"encoding/json"
	"math"
	"strconv"

	"github.com/99designs/gqlgen/graphql"
)

// The built-in String and Int scalars, bound in gqlgen.yml. They write values
// as gqlgen's own do, but read input as the GraphQL specification coerces it:
// a String only from a string and an Int only from a whole number within 32
// bits. gqlgen's defaults would turn 5 into "5", true into "true" and "5"
// into 5.

// MarshalString writes s as a JSON string.
func MarshalString(s string) graphql.Marshaler { return graphql.MarshalString(s) }

// UnmarshalString accepts only a string.
func UnmarshalString(v any) (string, error) {
	if s, ok := v.(string); ok {
		return s, nil
	}
	return "", &ValueError{Message: "String must be a string, got " + jsonKind(v)}
}

// MarshalInt writes i as a JSON number.
func MarshalInt(i int) graphql.Marshaler { return graphql.MarshalInt(i) }

// UnmarshalInt accepts only a whole number from -2³¹ to 2³¹-1: a JSON number
// from variables, or an integer literal from the document.
func UnmarshalInt(v any) (int, error) {
	var n int64
	var err error
	switch v := v.(type) {
	case json.Number:
		n, err = strconv.ParseInt(string(v), 10, 64)
	case int64:
		n = v
	case int:
		n = int64(v)
	default:
		return 0, &ValueError{Message: "Int must be a whole number, got " + jsonKind(v)}
	}
	if err != nil || n < math.MinInt32 || n > math.MaxInt32 {
		return 0, &ValueError{Message: "Int must be a whole number from -2147483648 to 2147483647"}
	}
	return int(n), nil
}
