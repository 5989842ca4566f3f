package gateway

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"
)

type mutatedLead struct {
	ID            string
	Name          string
	ContactPerson *string
	PartnerID     *string
	SourceID      *string
	Gender        *string
	Partner       *struct{ Name string }
}

const leadFields = `id name contactPerson partnerId sourceId gender partner { name }`

func TestUpdateLeadSendsOnlyTheGivenFields(t *testing.T) {
	e := newTestEnv(t, nil)
	var page wirePage
	e.rest(t, "/leads?page_size=20", &page)
	var target *wireLead
	for i := range page.Results {
		if page.Results[i].Partner != nil && page.Results[i].Source != nil {
			target = &page.Results[i]
			break
		}
	}
	if target == nil {
		t.Fatal("no lead with a partner and a source on the first page")
	}

	var got struct{ UpdateLead mutatedLead }
	e.query(t, `mutation($id: UUID!, $in: UpdateLeadInput!) { updateLead(id: $id, input: $in) { `+
		leadFields+` } }`, map[string]any{
		"id": target.ID,
		"in": map[string]any{"contactPerson": "Achieng Otieno", "partnerId": nil, "gender": "UNSPECIFIED"},
	}).decode(t, &got)

	u := got.UpdateLead
	if u.ContactPerson == nil || *u.ContactPerson != "Achieng Otieno" {
		t.Errorf("contactPerson = %v, want Achieng Otieno", u.ContactPerson)
	}
	if u.PartnerID != nil || u.Partner != nil {
		t.Errorf("partner = %v / %v, want cleared by the explicit null", u.PartnerID, u.Partner)
	}
	if u.Gender == nil || *u.Gender != "UNSPECIFIED" {
		t.Errorf("gender = %v, want UNSPECIFIED", u.Gender)
	}
	if u.Name != target.Name || u.SourceID == nil || *u.SourceID != *target.Source {
		t.Errorf("name, sourceId = %q, %v; want the omitted fields unchanged (%q, %s)",
			u.Name, u.SourceID, target.Name, *target.Source)
	}

	var after wireLead
	e.rest(t, "/leads/"+target.ID, &after)
	if after.Partner != nil || after.Gender == nil || *after.Gender == nil || **after.Gender != "" {
		t.Errorf("upstream now has partner %v, gender %s; want null and \"\"",
			after.Partner, describe(after.Gender))
	}
}

func TestMutationInputErrors(t *testing.T) {
	e := newTestEnv(t, nil)
	tests := []struct {
		name         string
		query        string
		vars         map[string]any
		wantField    string
		wantUpstream int64
	}{
		{
			name:      "an invalid email is refused before any upstream call",
			query:     `mutation($in: CreateLeadInput!) { createLead(input: $in) { id } }`,
			vars:      map[string]any{"in": map[string]any{"name": "Acme", "contactEmail": "not-an-email"}},
			wantField: "input.contactEmail",
		},
		{
			name:  "a short password is refused before any upstream call",
			query: `mutation($in: RegisterConsumerInput!) { registerConsumer(input: $in) { id } }`,
			vars: map[string]any{"in": map[string]any{"email": "a@b.co", "firstName": "A",
				"lastName": "B", "password": "short", "confirmPassword": "short"}},
			wantField: "input.password",
		},
		{
			name:  "an unknown category comes back from the upstream under its GraphQL name",
			query: `mutation($in: CreateLeadInput!) { createLead(input: $in) { id } }`,
			vars: map[string]any{"in": map[string]any{"name": "Acme",
				"categoryId": "00000000-0000-4000-8000-000000000000"}},
			wantField: "input.categoryId", wantUpstream: 1,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e.sim.Reset()
			resp := e.query(t, tt.query, tt.vars)
			if len(resp.Errors) != 1 || resp.Errors[0].code() != "BAD_USER_INPUT" {
				t.Fatalf("errors = %+v, want one BAD_USER_INPUT", resp.Errors)
			}
			fields, _ := resp.Errors[0].Extensions["fields"].([]any)
			if len(fields) != 1 || fields[0] != tt.wantField {
				t.Errorf("fields = %v, want [%s]", fields, tt.wantField)
			}
			if n := e.upstreamCalls(); n != tt.wantUpstream {
				t.Errorf("upstream requests = %d, want %d", n, tt.wantUpstream)
			}
		})
	}
}

func TestCreateLeadCategory(t *testing.T) {
	e := newTestEnv(t, nil)
	var got struct {
		CreateLeadCategory struct{ ID, Name, Description string }
	}
	e.query(t, `mutation { createLeadCategory(input: {name: "Agritech", description: "Farm tools"}) {
		id name description } }`, nil).decode(t, &got)
	var stored struct{ Name, Description string }
	e.rest(t, "/lead-categories/"+got.CreateLeadCategory.ID, &stored)
	if stored.Name != "Agritech" || stored.Description != "Farm tools" {
		t.Errorf("upstream has %+v, want the new category", stored)
	}
}

func TestAFailedMutationKeepsTheResultsOfThoseBeforeIt(t *testing.T) {
	e := newTestEnv(t, nil)
	resp := e.query(t, `mutation {
		first: createLeadCategory(input: {name: "Agritech", description: "Farm tools"}) { id name }
		second: createLead(input: {name: "Kilimo", categoryId: "00000000-0000-4000-8000-000000000000"}) { id }
	}`, nil)

	var data struct {
		First  *struct{ ID, Name string }
		Second *struct{ ID string }
	}
	if err := json.Unmarshal(resp.Data, &data); err != nil {
		t.Fatalf("data %s: %v", resp.Data, err)
	}
	if data.First == nil || data.First.Name != "Agritech" || data.First.ID == "" {
		t.Errorf("first = %+v, want the created category", data.First)
	}
	if data.Second != nil {
		t.Errorf("second = %+v, want null", data.Second)
	}
	if len(resp.Errors) != 1 || resp.Errors[0].code() != "BAD_USER_INPUT" ||
		len(resp.Errors[0].Path) != 1 || resp.Errors[0].Path[0] != "second" {
		t.Errorf("errors = %+v, want one BAD_USER_INPUT at second", resp.Errors)
	}
}

// String and Int take only what the GraphQL specification lets them coerce:
// a number is no String and a string no Int, and nothing goes upstream.
func TestInputsOfTheWrongKindAreRefused(t *testing.T) {
	e := newTestEnv(t, nil)
	tests := []struct {
		name  string
		query string
		vars  map[string]any
		want  string
		field string
		at    string
	}{
		{"a number for a String", `mutation($in: CreateLeadInput!) { createLead(input: $in) { id } }`,
			map[string]any{"in": map[string]any{"name": 5}}, "String must be a string, got a number",
			"input.name", "createLead"},
		{"a string for an Int", `query($n: Int) { leads(first: $n) { nodes { id } } }`,
			map[string]any{"n": "5"}, "Int must be a whole number, got a string", "first", "leads"},
		{"an Int past 32 bits", `query($n: Int) { leads(first: $n) { nodes { id } } }`,
			map[string]any{"n": 3000000000}, "Int must be a whole number from -2147483648 to 2147483647",
			"first", "leads"},
		{"a malformed id in a list", `mutation($in: CreateLeadInput!) { createLead(input: $in) { id } }`,
			map[string]any{"in": map[string]any{"name": "A", "productIds": []any{"x"}}},
			`"x" is not a valid UUID`, "input.productIds", "createLead"},
		{"a malformed id under an alias", `{ mine: lead(id: "x") { id } }`, nil,
			`"x" is not a valid UUID`, "id", "mine"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e.sim.Reset()
			resp := e.query(t, tt.query, tt.vars)
			if len(resp.Errors) != 1 || !strings.Contains(resp.Errors[0].Message, tt.want) {
				t.Fatalf("errors = %+v, want one saying %q", resp.Errors, tt.want)
			}
			if c := resp.Errors[0].code(); c != "BAD_USER_INPUT" {
				t.Errorf("code = %s, want BAD_USER_INPUT", c)
			}
			if fields := fmt.Sprint(resp.Errors[0].Extensions["fields"]); fields != "["+tt.field+"]" {
				t.Errorf("fields = %s, want [%s]", fields, tt.field)
			}
			// At the field, as an input rule's error, not where a selected
			// field named like the input would answer.
			if path := fmt.Sprint(resp.Errors[0].Path); path != "["+tt.at+"]" {
				t.Errorf("path = %s, want [%s]", path, tt.at)
			}
			if len(resp.Errors[0].Locations) != 1 {
				t.Errorf("locations = %v, want the field's", resp.Errors[0].Locations)
			}
			if n := e.upstreamCalls(); n != 0 {
				t.Errorf("upstream requests = %d, want 0", n)
			}
		})
	}

	var got struct {
		Leads struct{ Nodes []struct{ ID string } }
	}
	e.query(t, `query($n: Int) { leads(first: $n) { nodes { id } } }`,
		map[string]any{"n": 3}).decode(t, &got)
	if len(got.Leads.Nodes) != 3 {
		t.Errorf("first: 3 gave %d leads", len(got.Leads.Nodes))
	}
}
