package graph

import (
	"encoding/json"
	"errors"
	"reflect"
	"strings"
	"testing"

	"github.com/99designs/gqlgen/graphql"

	"github.com/capedigital/cape-gateway/graph/model"
)

func TestLeadUpdateSendsOnlyGivenFields(t *testing.T) {
	email := "wanjiru@example.co.ke"
	gender := model.GenderUnspecified
	in := model.UpdateLeadInput{
		ContactEmail: graphql.OmittableOf(&email),
		PartnerID:    graphql.OmittableOf[*string](nil),
		Gender:       graphql.OmittableOf(&gender),
	}
	body, err := leadUpdateFromGraphQL(in)
	if err != nil {
		t.Fatalf("err = %v", err)
	}
	raw, err := json.Marshal(body)
	if err != nil {
		t.Fatal(err)
	}
	var got map[string]any
	if err := json.Unmarshal(raw, &got); err != nil {
		t.Fatal(err)
	}
	want := map[string]any{"contact_email": "wanjiru@example.co.ke", "partner": nil, "gender": ""}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("body = %s, want exactly %v", raw, want)
	}
}

func TestInputChecks(t *testing.T) {
	long := func(n int) *string { s := strings.Repeat("x", n); return &s }
	tests := []struct {
		name       string
		check      func() error
		wantFields []string
	}{
		{
			name: "a lead name over 100 characters is refused",
			check: func() error {
				_, err := leadInputFromGraphQL(model.CreateLeadInput{Name: *long(101)})
				return err
			},
			wantFields: []string{"input.name"},
		},
		{
			name: "a lead name of 100 multi-byte characters is accepted",
			check: func() error {
				_, err := leadInputFromGraphQL(model.CreateLeadInput{Name: strings.Repeat("é", 100)})
				return err
			},
		},
		{
			name: "an email with a display name and a long phone are both named",
			check: func() error {
				e := "Amina <amina@example.com>"
				_, err := leadInputFromGraphQL(model.CreateLeadInput{
					Name: "Acme", ContactEmail: graphql.OmittableOf(&e),
					ContactPhone: graphql.OmittableOf(long(31)),
				})
				return err
			},
			wantFields: []string{"input.contactPhone", "input.contactEmail"},
		},
		{
			name: "clearing a lead's name is refused",
			check: func() error {
				_, err := leadUpdateFromGraphQL(model.UpdateLeadInput{Name: graphql.OmittableOf[*string](nil)})
				return err
			},
			wantFields: []string{"input.name"},
		},
		{
			name: "a short password that does not match its confirmation",
			check: func() error {
				_, err := registerConsumerFromGraphQL(model.RegisterConsumerInput{
					Email: "a@b.co", FirstName: "A", LastName: "B",
					Password: "short", ConfirmPassword: "shorts",
				})
				return err
			},
			wantFields: []string{"input.password", "input.confirmPassword"},
		},
		{
			name: "a staff country code over 3 characters",
			check: func() error {
				_, err := registerUserFromGraphQL(model.RegisterUserInput{
					Email: "a@b.co", FirstName: "A", LastName: "B", CountryCode: "2547",
					PhoneNumber: "700000000", EmployeeNumber: "E1", Gender: model.StaffGenderFemale,
				})
				return err
			},
			wantFields: []string{"input.countryCode"},
		},
		{
			name: "a lead category needs a description",
			check: func() error {
				_, err := leadCategoryInputFromGraphQL(model.CreateLeadCategoryInput{Name: "Retail"})
				return err
			},
			wantFields: []string{"input.description"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := tt.check()
			if tt.wantFields == nil {
				if err != nil {
					t.Fatalf("err = %v, want none", err)
				}
				return
			}
			var inErr *InputError
			if !errors.As(err, &inErr) {
				t.Fatalf("err = %v, want an InputError", err)
			}
			if got := inErr.Fields(); !reflect.DeepEqual(got, tt.wantFields) {
				t.Errorf("fields = %v, want %v", got, tt.wantFields)
			}
		})
	}
}
