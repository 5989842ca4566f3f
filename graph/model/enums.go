package model

import (
	"context"
	"fmt"
	"io"
	"strconv"
)

// LeadType says whether a lead is a person or a company.
type LeadType string

// The lead types the schema knows.
const (
	LeadTypeIndividual LeadType = "INDIVIDUAL"
	LeadTypeCompany    LeadType = "COMPANY"
)

var leadTypeWire = map[LeadType]string{
	LeadTypeIndividual: "individual",
	LeadTypeCompany:    "company",
}

// LeadTypeFromWire maps the upstream's lead_type. A value the schema does not know
// is kept, so that writing it reports a field error instead of a wrong answer.
func LeadTypeFromWire(s string) LeadType { return fromWire(leadTypeWire, s) }

// Wire returns the upstream's spelling of t.
func (t LeadType) Wire() string { return leadTypeWire[t] }

// UnmarshalGQLContext implements graphql.ContextUnmarshaler.
func (t *LeadType) UnmarshalGQLContext(_ context.Context, v any) error {
	s, ok := v.(string)
	if !ok || leadTypeWire[LeadType(s)] == "" {
		return &ValueError{Message: fmt.Sprintf("%v is not a valid LeadType", v)}
	}
	*t = LeadType(s)
	return nil
}

// MarshalGQLContext implements graphql.ContextMarshaler. An unknown upstream value
// becomes null plus an error at the field's path.
func (t LeadType) MarshalGQLContext(_ context.Context, w io.Writer) error {
	if leadTypeWire[t] == "" {
		return &UnknownEnumError{Enum: "LeadType", Value: string(t)}
	}
	_, err := io.WriteString(w, strconv.Quote(string(t)))
	return err
}

// Gender is the gender recorded on a lead. GenderUnspecified is the upstream's
// empty string; a null upstream value stays null.
type Gender string

// The genders the schema knows.
const (
	GenderMale        Gender = "MALE"
	GenderFemale      Gender = "FEMALE"
	GenderUnspecified Gender = "UNSPECIFIED"
)

var genderWire = map[Gender]string{
	GenderMale:        "male",
	GenderFemale:      "female",
	GenderUnspecified: "",
}

// GenderFromWire maps the upstream's gender, keeping unknown values as
// LeadTypeFromWire does.
func GenderFromWire(s string) Gender { return fromWire(genderWire, s) }

// fromWire returns the schema value that wire spells s, or s marked invalid.
func fromWire[E ~string](wire map[E]string, s string) E {
	for k, v := range wire {
		if v == s {
			return k
		}
	}
	return E(invalidPrefix + s)
}

// Wire returns the upstream's spelling of g.
func (g Gender) Wire() string { return genderWire[g] }

func (g Gender) valid() bool {
	_, ok := genderWire[g]
	return ok
}

// UnmarshalGQLContext implements graphql.ContextUnmarshaler.
func (g *Gender) UnmarshalGQLContext(_ context.Context, v any) error {
	s, ok := v.(string)
	if !ok || !Gender(s).valid() {
		return &ValueError{Message: fmt.Sprintf("%v is not a valid Gender", v)}
	}
	*g = Gender(s)
	return nil
}

// MarshalGQLContext implements graphql.ContextMarshaler.
func (g Gender) MarshalGQLContext(_ context.Context, w io.Writer) error {
	if !g.valid() {
		return &UnknownEnumError{Enum: "Gender", Value: string(g)}
	}
	_, err := io.WriteString(w, strconv.Quote(string(g)))
	return err
}

// invalidPrefix marks an upstream enum value the schema does not know; no valid
// value starts with it.
const invalidPrefix = "\x00"

// UnknownEnumError reports an upstream value outside a schema enum.
type UnknownEnumError struct {
	Enum  string
	Value string
}

func (e *UnknownEnumError) Error() string {
	v := e.Value
	if len(v) > 0 && v[0] == invalidPrefix[0] {
		v = v[1:]
	}
	return fmt.Sprintf("upstream sent %s value %q, which the schema does not know",
		e.Enum, truncate(v, 40))
}
