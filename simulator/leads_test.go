package simulator

import (
	"net/http"
	"reflect"
	"strings"
	"testing"
)

// firstLead is the newest seeded lead.
func firstLead(t *testing.T, s *testSim) wireLead {
	t.Helper()
	var p leadPage
	s.get(t, "/commercial/api/v1/leads?page_size=1", &p)
	return p.Results[0]
}

func TestPatchLeadIsPartialAndPersists(t *testing.T) {
	s := newTestSim(t, Options{Leads: 20})
	before := firstLead(t, s)
	path := "/commercial/api/v1/leads/" + before.str(t, "id")

	a := s.do(t, http.MethodPatch, path, s.token, map[string]any{
		"contact_email": nil, "reference": nil, "gender": "female", "name": "  Tembo Dairy  ",
		"partner": nil,
	})
	if a.status != http.StatusOK {
		t.Fatalf("PATCH: %d %s", a.status, a.body)
	}
	var after wireLead
	s.get(t, path+"/", &after)

	want := map[string]string{
		"contact_email": "null", "reference": "null", "gender": `"female"`,
		"name": `"Tembo Dairy"`, "partner": "null",
	}
	for key, v := range want {
		if string(after[key]) != v {
			t.Errorf("%s = %s after PATCH, want %s", key, after[key], v)
		}
	}
	for _, key := range []string{"contact_person", "products", "lead_category", "created_at"} {
		if string(after[key]) != string(before[key]) {
			t.Errorf("%s changed from %s to %s though it was not sent", key, before[key],
				after[key])
		}
	}
}

func TestCreateLead(t *testing.T) {
	s := newTestSim(t, Options{Leads: 20})
	var cats, prods leadPage
	s.get(t, "/commercial/api/v1/lead-categories", &cats)
	s.get(t, "/commercial/api/v1/products", &prods)
	body := map[string]any{
		"name": "Kisumu Fish Mongers Ltd", "contact_email": "info@kisumufish.co.ke",
		"lead_category": cats.Results[0].str(t, "id"),
		"products":      []string{prods.Results[0].str(t, "id"), prods.Results[1].str(t, "id")},
		"lead_type":     "company",
	}
	a := s.do(t, http.MethodPost, "/commercial/api/v1/leads/", s.token, body)
	if a.status != http.StatusCreated {
		t.Fatalf("POST: %d %s", a.status, a.body)
	}
	var created wireLead
	a.json(t, &created)
	if created.str(t, "status") != "NEW" || !strings.HasPrefix(created.str(t, "reference"), "CPL-") {
		t.Errorf("created lead %s lacks status NEW or a generated reference", a.body)
	}
	var got wireLead
	s.get(t, "/commercial/api/v1/leads/"+created.str(t, "id"), &got)
	if !reflect.DeepEqual(got, created) {
		t.Errorf("GET after POST = %v, want %v", got, created)
	}
	if first := firstLead(t, s); first.str(t, "id") != created.str(t, "id") {
		t.Errorf("the new lead is not first in the newest-first list")
	}
}

func TestLeadValidation(t *testing.T) {
	s := newTestSim(t, Options{Leads: 20})
	missing := "00000000-0000-4000-8000-000000000000"
	tests := []struct {
		name string
		body any
		want map[string][]string
	}{
		{"name is required", map[string]any{"contact_person": "A"},
			map[string][]string{"name": {msgRequired}}},
		{"name may not be blank or null", map[string]any{"name": " "},
			map[string][]string{"name": {msgNotBlank}}},
		{"lengths are checked", map[string]any{"name": strings.Repeat("x", 101),
			"contact_phone": strings.Repeat("7", 31), "reference": strings.Repeat("r", 31)},
			map[string][]string{
				"name":          {"Ensure this field has no more than 100 characters."},
				"contact_phone": {"Ensure this field has no more than 30 characters."},
				"reference":     {"Ensure this field has no more than 30 characters."},
			}},
		{"email format", map[string]any{"name": "A", "contact_email": "not-an-email"},
			map[string][]string{"contact_email": {msgEmail}}},
		{"enum values", map[string]any{"name": "A", "lead_type": "corp", "gender": "MALE"},
			map[string][]string{
				"lead_type": {`"corp" is not a valid choice.`},
				"gender":    {`"MALE" is not a valid choice.`},
			}},
		{"unknown and malformed uuids", map[string]any{"name": "A", "source": missing,
			"lead_category": "abc", "products": []string{missing}, "partner": 7},
			map[string][]string{
				"source":        {`Invalid pk "` + missing + `" - object does not exist.`},
				"lead_category": {"“abc” is not a valid UUID."},
				"products":      {`Invalid pk "` + missing + `" - object does not exist.`},
				"partner":       {"Incorrect type. Expected pk value, received int."},
			}},
		{"products must be a list", map[string]any{"name": "A", "products": "x"},
			map[string][]string{"products": {`Expected a list of items but got type "str".`}}},
		{"the body must be an object", []int{1},
			map[string][]string{"non_field_errors": {
				"Invalid data. Expected a dictionary, but got list."}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a := s.do(t, http.MethodPost, "/commercial/api/v1/leads", s.token, tt.body)
			if a.status != http.StatusBadRequest {
				t.Fatalf("status %d, want 400 (%s)", a.status, a.body)
			}
			if got := fieldErrs(t, a); !reflect.DeepEqual(got, tt.want) {
				t.Errorf("errors = %v, want %v", got, tt.want)
			}
		})
	}

	t.Run("PATCH refuses null name and products", func(t *testing.T) {
		path := "/commercial/api/v1/leads/" + firstLead(t, s).str(t, "id")
		a := s.do(t, http.MethodPatch, path, s.token, map[string]any{"name": nil,
			"products": nil})
		want := map[string][]string{"name": {msgNotNull}, "products": {msgNotNull}}
		if got := fieldErrs(t, a); a.status != 400 || !reflect.DeepEqual(got, want) {
			t.Errorf("got %d %v, want 400 %v", a.status, got, want)
		}
	})
}

func TestNotFound(t *testing.T) {
	s := newTestSim(t, Options{Leads: 5})
	tests := []struct{ method, path string }{
		{"GET", "/commercial/api/v1/leads/00000000-0000-4000-8000-000000000000"},
		{"GET", "/commercial/api/v1/leads/not-a-uuid"},
		{"PATCH", "/commercial/api/v1/leads/not-a-uuid/"},
		{"GET", "/commercial/api/v1/products/123"},
		{"GET", "/commercial/api/v1/nothing-here"},
	}
	for _, tt := range tests {
		t.Run(tt.method+" "+tt.path, func(t *testing.T) {
			a := s.do(t, tt.method, tt.path, s.token, nil)
			if a.status != 404 || string(a.body) != `{"detail":"Not found."}` {
				t.Errorf("got %d %s, want 404 Not found.", a.status, a.body)
			}
		})
	}
	t.Run("a known path with another method is 405", func(t *testing.T) {
		a := s.do(t, http.MethodDelete, "/commercial/api/v1/leads", s.token, nil)
		if a.status != http.StatusMethodNotAllowed {
			t.Errorf("got %d %s, want 405", a.status, a.body)
		}
	})
}

func TestGetByIDOnEveryResource(t *testing.T) {
	s := newTestSim(t, Options{Leads: 5})
	for _, list := range []string{"leads", "lead-categories", "sources", "products", "partners"} {
		t.Run(list+" answers each listed record by id", func(t *testing.T) {
			var p leadPage
			s.get(t, "/commercial/api/v1/"+list, &p)
			var one wireLead
			s.get(t, "/commercial/api/v1/"+list+"/"+p.Results[0].str(t, "id"), &one)
			if !reflect.DeepEqual(one, p.Results[0]) {
				t.Errorf("by id = %v, in list = %v", one, p.Results[0])
			}
		})
	}
}

func TestRevenueKPIAnswersALead(t *testing.T) {
	s := newTestSim(t, Options{Leads: 5})
	var l wireLead
	s.get(t, "/commercial/api/v1/leads/analytics/users-revenue-kpi", &l)
	if l.str(t, "id") == "" || l["products"] == nil {
		t.Errorf("KPI answer %v is not a lead", l)
	}
}

func TestCreateLeadCategory(t *testing.T) {
	s := newTestSim(t, Options{Leads: 5})
	a := s.do(t, http.MethodPost, "/commercial/api/v1/lead-categories", s.token,
		map[string]any{"name": "Matatu Saccos", "description": "Public transport"})
	if a.status != http.StatusCreated {
		t.Fatalf("POST: %d %s", a.status, a.body)
	}
	var c wireLead
	a.json(t, &c)
	var got wireLead
	s.get(t, "/commercial/api/v1/lead-categories/"+c.str(t, "id"), &got)
	if got.str(t, "name") != "Matatu Saccos" {
		t.Errorf("stored category = %v", got)
	}

	a = s.do(t, http.MethodPost, "/commercial/api/v1/lead-categories", s.token,
		map[string]any{"name": ""})
	want := map[string][]string{"name": {msgNotBlank}, "description": {msgRequired}}
	if got := fieldErrs(t, a); a.status != 400 || !reflect.DeepEqual(got, want) {
		t.Errorf("got %d %v, want 400 %v", a.status, got, want)
	}
}
