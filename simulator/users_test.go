package simulator

import (
	"net/http"
	"net/url"
	"reflect"
	"strings"
	"testing"
	"time"
)

type userPage struct {
	Count    int     `json:"count"`
	Next     *string `json:"next"`
	Previous *string `json:"previous"`
	Results  []user  `json:"results"`
}

func TestUserListPagesByNumber(t *testing.T) {
	s := newTestSim(t, Options{Leads: 5})
	var p1, p2 userPage
	s.get(t, "/commercial/api/v1/auth/users?page_size=15", &p1)
	if p1.Count != 40 || len(p1.Results) != 15 || p1.Previous != nil || p1.Next == nil {
		t.Fatalf("page 1: count %d, %d results, previous %v", p1.Count, len(p1.Results),
			p1.Previous)
	}
	s.get(t, *p1.Next, &p2)
	u, _ := url.Parse(*p1.Next)
	if u.Query().Get("page") != "2" || p2.Previous == nil {
		t.Errorf("next = %s, previous of page 2 = %v", *p1.Next, p2.Previous)
	}
	if strings.Contains(*p2.Previous, "page=") {
		t.Errorf("previous of page 2 = %s, want no page parameter", *p2.Previous)
	}
	a := s.do(t, http.MethodGet, "/commercial/api/v1/auth/users?page=9", s.token, nil)
	if a.status != 404 || string(a.body) != `{"detail":"Invalid page."}` {
		t.Errorf("page 9: got %d %s, want 404 Invalid page.", a.status, a.body)
	}
}

func TestUserListFilters(t *testing.T) {
	s := newTestSim(t, Options{Leads: 5})
	var all userPage
	s.get(t, "/commercial/api/v1/auth/users?page_size=100&ordering=-date_joined", &all)
	for i := 1; i < len(all.Results); i++ {
		if all.Results[i-1].DateJoined < all.Results[i].DateJoined {
			t.Fatalf("ordering=-date_joined not descending at %d", i)
		}
	}
	var demo userPage
	s.get(t, "/commercial/api/v1/auth/users?search=DEMO", &demo)
	if demo.Count < 1 || demo.Results[0].Username != "demo" {
		t.Errorf("search=DEMO found %v", demo.Results)
	}
	var inactive userPage
	s.get(t, "/commercial/api/v1/auth/users?status=inactive&page_size=100", &inactive)
	for _, u := range inactive.Results {
		if u.Status != "inactive" {
			t.Errorf("status=inactive answered %s with status %s", u.Username, u.Status)
		}
	}
	var admins userPage
	s.get(t, "/commercial/api/v1/auth/users/by-role?role=admin", &admins)
	if admins.Count < 1 {
		t.Errorf("no admins by role")
	}
}

func TestUserInfoIsTheTokenUser(t *testing.T) {
	s := newTestSim(t, Options{Leads: 5})
	var me user
	s.get(t, "/commercial/api/v1/auth/users/user-info", &me)
	if me.Username != "demo" {
		t.Errorf("user-info = %s, want demo", me.Username)
	}

	tok, err := s.Token(map[string]any{"iss": s.Issuer(), "sub": "someone-else",
		"preferred_username": "nobody", "exp": time.Now().Add(time.Minute).Unix()})
	if err != nil {
		t.Fatal(err)
	}
	if a := s.do(t, "GET", "/commercial/api/v1/auth/users/user-info", tok, nil); a.status != 404 {
		t.Errorf("unknown user: got %d, want 404", a.status)
	}
}

func TestAdminRoutesNeedTheAdminRole(t *testing.T) {
	s := newTestSim(t, Options{Leads: 5})
	tok, err := s.Token(map[string]any{"iss": s.Issuer(), "sub": "s",
		"exp":          time.Now().Add(time.Minute).Unix(),
		"realm_access": map[string]any{"roles": []string{"sales"}}})
	if err != nil {
		t.Fatal(err)
	}
	for _, path := range []string{"/commercial/api/v1/auth/users",
		"/commercial/api/v1/auth/users/by-role?role=sales"} {
		a := s.do(t, http.MethodGet, path, tok, nil)
		if a.status != 403 || !strings.Contains(string(a.body), msgForbidden) {
			t.Errorf("%s: got %d %s, want 403", path, a.status, a.body)
		}
	}
	a := s.do(t, http.MethodPost, "/commercial/api/v1/auth/register", tok, map[string]any{})
	if a.status != 403 {
		t.Errorf("register: got %d, want 403", a.status)
	}
}

func TestRegister(t *testing.T) {
	s := newTestSim(t, Options{Leads: 5})
	staff := map[string]any{
		"email": "akinyi.otieno@capedigital.co.ke", "first_name": "Akinyi",
		"last_name": "Otieno", "country_code": "254", "phone_number": "712345678",
		"employee_number": "EMP-0042", "gender": "FEMALE", "roles": []string{"sales"},
	}
	if a := s.do(t, "POST", "/commercial/api/v1/auth/register", s.token, staff); a.status != 201 {
		t.Fatalf("register: %d %s", a.status, a.body)
	}
	tests := []struct {
		name string
		path string
		body map[string]any
		want map[string][]string
	}{
		{"a taken email", "register", staff, map[string][]string{
			"email": {"A user with this email already exists."}}},
		{"staff fields", "register", map[string]any{"email": "x@", "country_code": "2544",
			"gender": "male", "section": "abc"}, map[string][]string{
			"email":           {msgEmail},
			"first_name":      {msgRequired},
			"last_name":       {msgRequired},
			"country_code":    {"Ensure this field has no more than 3 characters."},
			"phone_number":    {msgRequired},
			"employee_number": {msgRequired},
			"gender":          {`"male" is not a valid choice.`},
			"section":         {"“abc” is not a valid UUID."},
		}},
		{"a short password", "register-consumer", map[string]any{"email": "a@b.co",
			"first_name": "A", "last_name": "B", "password": "short",
			"confirm_password": "short"}, map[string][]string{
			"password": {"Ensure this field has at least 8 characters."}}},
		{"passwords that differ", "register-consumer", map[string]any{"email": "a@b.co",
			"first_name": "A", "last_name": "B", "password": "longenough",
			"confirm_password": "different"}, map[string][]string{
			"non_field_errors": {"Passwords do not match."}}},
	}
	for _, tt := range tests {
		t.Run(tt.name+" is refused", func(t *testing.T) {
			a := s.do(t, "POST", "/commercial/api/v1/auth/"+tt.path, s.token, tt.body)
			if got := fieldErrs(t, a); a.status != 400 || !reflect.DeepEqual(got, tt.want) {
				t.Errorf("got %d %v, want 400 %v", a.status, got, tt.want)
			}
		})
	}

	consumer := map[string]any{"email": "Mwende@Example.com", "first_name": "Mwende",
		"last_name": "Mutua", "password": "longenough", "confirm_password": "longenough"}
	a := s.do(t, "POST", "/commercial/api/v1/auth/register-consumer", s.token, consumer)
	var u user
	a.json(t, &u)
	if a.status != 201 || u.Email != "mwende@example.com" {
		t.Errorf("register-consumer: %d %s", a.status, a.body)
	}
}
