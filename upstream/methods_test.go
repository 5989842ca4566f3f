package upstream

import (
	"context"
	"encoding/json"
	"net/http"
	"reflect"
	"testing"
	"time"
)

const leadJSON = `{"id":"l1","name":"Acme","contact_person":null,"products":["p1","p2"],
	"status":"open","created_at":"2024-05-01T10:00:00.123456Z","gender":"","lead_type":"robot",
	"unknown_field":{"nested":[1,2]}}`

var wantLead = Lead{
	ID:        "l1",
	Name:      "Acme",
	Products:  []string{"p1", "p2"},
	Status:    ptr("open"),
	CreatedAt: &Time{time.Date(2024, 5, 1, 10, 0, 0, 123456000, time.UTC)},
	Gender:    ptr(""),
	LeadType:  ptr("robot"),
}

func TestMethodsSendTheDocumentedRequests(t *testing.T) {
	type call func(ctx context.Context, c *Client) (any, error)
	tests := []struct {
		name    string
		call    call
		status  int
		answer  string
		wantReq seenRequest // Method, Path, Query, Body compared
		want    any
	}{
		{
			name: "ListLeads sends cursor and page size",
			call: func(ctx context.Context, c *Client) (any, error) {
				return c.ListLeads(ctx, ListOptions{Cursor: "cD0y", PageSize: 20})
			},
			answer: `{"results":[` + leadJSON + `],
				"next":"http://elsewhere.example/commercial/api/v1/leads?cursor=bmV4dA%3D%3D&page_size=20",
				"previous":"http://x/api/v1/leads?page_size=20"}`,
			wantReq: seenRequest{Method: "GET", Path: "/commercial/api/v1/leads",
				Query: "cursor=cD0y&page_size=20"},
			want: &Page[Lead]{Results: []Lead{wantLead}, NextCursor: "bmV4dA=="},
		},
		{
			name: "GetLead escapes the id",
			call: func(ctx context.Context, c *Client) (any, error) {
				return c.GetLead(ctx, "l1/../x?y")
			},
			answer:  leadJSON,
			wantReq: seenRequest{Method: "GET", Path: "/commercial/api/v1/leads/l1%2F..%2Fx%3Fy"},
			want:    &wantLead,
		},
		{
			name: "ListLeadsByID filters with id__in",
			call: func(ctx context.Context, c *Client) (any, error) {
				return c.ListLeadsByID(ctx, []string{"a", "b", "a", "", "c"})
			},
			answer: `{"results":[` + leadJSON + `],"next":null,"previous":null}`,
			wantReq: seenRequest{Method: "GET", Path: "/commercial/api/v1/leads",
				Query: "id__in=a,b,c&page_size=3"},
			want: []Lead{wantLead},
		},
		{
			name: "CreateLead posts the input without empty fields",
			call: func(ctx context.Context, c *Client) (any, error) {
				return c.CreateLead(ctx, LeadInput{Name: "Acme", Gender: ptr(""),
					Products: []string{"p1"}})
			},
			status: http.StatusCreated,
			answer: leadJSON,
			wantReq: seenRequest{Method: "POST", Path: "/commercial/api/v1/leads",
				Body: `{"name":"Acme","products":["p1"],"gender":""}`},
			want: &wantLead,
		},
		{
			name: "UpdateLead sends only set fields and explicit nulls",
			call: func(ctx context.Context, c *Client) (any, error) {
				return c.UpdateLead(ctx, "l1", LeadUpdate{
					Name:     Some("Acme"),
					Partner:  Null[string](),
					Products: Some([]string{}),
				})
			},
			answer: leadJSON,
			wantReq: seenRequest{Method: "PATCH", Path: "/commercial/api/v1/leads/l1",
				Body: `{"name":"Acme","products":[],"partner":null}`},
			want: &wantLead,
		},
		{
			name: "UsersRevenueKPI accepts a lead without id",
			call: func(ctx context.Context, c *Client) (any, error) {
				return c.UsersRevenueKPI(ctx)
			},
			answer: `{"name":"kpi","total":12345678901234567890}`,
			wantReq: seenRequest{Method: "GET",
				Path: "/commercial/api/v1/leads/analytics/users-revenue-kpi"},
			want: &Lead{Name: "kpi"},
		},
		{
			name: "ListLeadCategories",
			call: func(ctx context.Context, c *Client) (any, error) {
				return c.ListLeadCategories(ctx, ListOptions{})
			},
			answer: `{"results":[{"id":"c1","name":"Retail","description":null}],
				"next":null,"previous":null}`,
			wantReq: seenRequest{Method: "GET", Path: "/commercial/api/v1/lead-categories"},
			want:    &Page[LeadCategory]{Results: []LeadCategory{{ID: "c1", Name: "Retail"}}},
		},
		{
			name: "GetLeadCategory",
			call: func(ctx context.Context, c *Client) (any, error) {
				return c.GetLeadCategory(ctx, "c1")
			},
			answer:  `{"id":"c1","name":"Retail","description":"Shops"}`,
			wantReq: seenRequest{Method: "GET", Path: "/commercial/api/v1/lead-categories/c1"},
			want:    &LeadCategory{ID: "c1", Name: "Retail", Description: ptr("Shops")},
		},
		{
			name: "ListLeadCategoriesByID",
			call: func(ctx context.Context, c *Client) (any, error) {
				return c.ListLeadCategoriesByID(ctx, []string{"c1"})
			},
			answer: `{"results":[{"id":"c1","name":"Retail"}],"next":null,"previous":null}`,
			wantReq: seenRequest{Method: "GET", Path: "/commercial/api/v1/lead-categories",
				Query: "id__in=c1&page_size=1"},
			want: []LeadCategory{{ID: "c1", Name: "Retail"}},
		},
		{
			name: "CreateLeadCategory",
			call: func(ctx context.Context, c *Client) (any, error) {
				return c.CreateLeadCategory(ctx, LeadCategoryInput{Name: "Retail", Description: "Shops"})
			},
			status: http.StatusCreated,
			answer: `{"id":"c1","name":"Retail","description":"Shops"}`,
			wantReq: seenRequest{Method: "POST", Path: "/commercial/api/v1/lead-categories",
				Body: `{"name":"Retail","description":"Shops"}`},
			want: &LeadCategory{ID: "c1", Name: "Retail", Description: ptr("Shops")},
		},
		{
			name: "ListSources",
			call: func(ctx context.Context, c *Client) (any, error) {
				return c.ListSources(ctx, ListOptions{PageSize: 5})
			},
			answer:  `{"results":[{"id":"s1","name":"Web"}],"next":null,"previous":null}`,
			wantReq: seenRequest{Method: "GET", Path: "/commercial/api/v1/sources", Query: "page_size=5"},
			want:    &Page[Source]{Results: []Source{{ID: "s1", Name: "Web"}}},
		},
		{
			name: "GetSource",
			call: func(ctx context.Context, c *Client) (any, error) {
				return c.GetSource(ctx, "s1")
			},
			answer:  `{"id":"s1","name":"Web"}`,
			wantReq: seenRequest{Method: "GET", Path: "/commercial/api/v1/sources/s1"},
			want:    &Source{ID: "s1", Name: "Web"},
		},
		{
			name: "ListSourcesByID",
			call: func(ctx context.Context, c *Client) (any, error) {
				return c.ListSourcesByID(ctx, []string{"s1", "s2"})
			},
			answer: `{"results":[{"id":"s2","name":"Radio"}],"next":null,"previous":null}`,
			wantReq: seenRequest{Method: "GET", Path: "/commercial/api/v1/sources",
				Query: "id__in=s1,s2&page_size=2"},
			want: []Source{{ID: "s2", Name: "Radio"}},
		},
		{
			name: "ListProducts keeps string and number prices exactly",
			call: func(ctx context.Context, c *Client) (any, error) {
				return c.ListProducts(ctx, ListOptions{})
			},
			answer: `{"results":[{"id":"p1","name":"Ad","price":"1500.00"},
				{"id":"p2","name":"Spot","price":1500.10},{"id":"p3","name":"Free","price":null}],
				"next":null,"previous":null}`,
			wantReq: seenRequest{Method: "GET", Path: "/commercial/api/v1/products"},
			want: &Page[Product]{Results: []Product{
				{ID: "p1", Name: "Ad", Price: ptr(Decimal("1500.00"))},
				{ID: "p2", Name: "Spot", Price: ptr(Decimal("1500.10"))},
				{ID: "p3", Name: "Free"},
			}},
		},
		{
			name: "GetProduct",
			call: func(ctx context.Context, c *Client) (any, error) {
				return c.GetProduct(ctx, "p1")
			},
			answer:  `{"id":"p1","name":"Ad","price":"99999999999999999999.99"}`,
			wantReq: seenRequest{Method: "GET", Path: "/commercial/api/v1/products/p1"},
			want:    &Product{ID: "p1", Name: "Ad", Price: ptr(Decimal("99999999999999999999.99"))},
		},
		{
			name: "ListProductsByID",
			call: func(ctx context.Context, c *Client) (any, error) {
				return c.ListProductsByID(ctx, []string{"p1"})
			},
			answer: `{"results":[],"next":null,"previous":null}`,
			wantReq: seenRequest{Method: "GET", Path: "/commercial/api/v1/products",
				Query: "id__in=p1&page_size=1"},
			want: []Product{},
		},
		{
			name: "ListPartners",
			call: func(ctx context.Context, c *Client) (any, error) {
				return c.ListPartners(ctx, ListOptions{})
			},
			answer:  `{"results":[{"id":"x1","name":"Safari"}],"next":null,"previous":null}`,
			wantReq: seenRequest{Method: "GET", Path: "/commercial/api/v1/partners"},
			want:    &Page[Partner]{Results: []Partner{{ID: "x1", Name: "Safari"}}},
		},
		{
			name: "GetPartner",
			call: func(ctx context.Context, c *Client) (any, error) {
				return c.GetPartner(ctx, "x1")
			},
			answer:  `{"id":"x1","name":"Safari"}`,
			wantReq: seenRequest{Method: "GET", Path: "/commercial/api/v1/partners/x1"},
			want:    &Partner{ID: "x1", Name: "Safari"},
		},
		{
			name: "ListPartnersByID",
			call: func(ctx context.Context, c *Client) (any, error) {
				return c.ListPartnersByID(ctx, []string{"x1"})
			},
			answer: `{"results":[{"id":"x1","name":"Safari"}],"next":null,"previous":null}`,
			wantReq: seenRequest{Method: "GET", Path: "/commercial/api/v1/partners",
				Query: "id__in=x1&page_size=1"},
			want: []Partner{{ID: "x1", Name: "Safari"}},
		},
		{
			name: "ListUsers sends page options and reads page numbers",
			call: func(ctx context.Context, c *Client) (any, error) {
				return c.ListUsers(ctx, UserListOptions{Page: 2, PageSize: 10, Ordering: "-date_joined",
					Search: "ann", Status: "ACTIVE"})
			},
			answer: `{"count":31,"results":[{"id":"u1","username":"ann","inactive_alert":false,
				"last_login":null,"date_joined":"2024-01-02 03:04:05+0300"}],
				"next":"http://other/api/v1/auth/users?page=3&page_size=10",
				"previous":"http://other/api/v1/auth/users?page_size=10"}`,
			wantReq: seenRequest{Method: "GET", Path: "/commercial/api/v1/auth/users",
				Query: "ordering=-date_joined&page=2&page_size=10&search=ann&status=ACTIVE"},
			want: &UserPage{Count: 31, NextPage: 3, PreviousPage: 1, Results: []User{{
				ID: "u1", Username: "ann", InactiveAlert: ptr(false),
				DateJoined: &Time{time.Date(2024, 1, 2, 3, 4, 5, 0, time.FixedZone("", 3*3600))},
			}}},
		},
		{
			name: "ListUsersByRole accepts a bare list",
			call: func(ctx context.Context, c *Client) (any, error) {
				return c.ListUsersByRole(ctx, "sales")
			},
			answer: `[{"id":"u1","username":"ann"}]`,
			wantReq: seenRequest{Method: "GET", Path: "/commercial/api/v1/auth/users/by-role",
				Query: "role=sales"},
			want: []User{{ID: "u1", Username: "ann"}},
		},
		{
			name: "GetUserInfo",
			call: func(ctx context.Context, c *Client) (any, error) {
				return c.GetUserInfo(ctx)
			},
			answer:  `{"id":"u1","username":"demo","email":"demo@example.com"}`,
			wantReq: seenRequest{Method: "GET", Path: "/commercial/api/v1/auth/users/user-info"},
			want:    &User{ID: "u1", Username: "demo", Email: ptr("demo@example.com")},
		},
		{
			name: "RegisterUser defaults the realm",
			call: func(ctx context.Context, c *Client) (any, error) {
				return c.RegisterUser(ctx, RegisterUserInput{Email: "a@b.co", FirstName: "A",
					LastName: "B", CountryCode: "254", PhoneNumber: "700", EmployeeNumber: "E1",
					Gender: "MALE", Roles: []string{"sales"}})
			},
			status: http.StatusCreated,
			answer: `{"id":"u9","username":"a@b.co"}`,
			wantReq: seenRequest{Method: "POST", Path: "/commercial/api/v1/auth/register",
				Body: `{"email":"a@b.co","first_name":"A","last_name":"B","country_code":"254",` +
					`"phone_number":"700","employee_number":"E1","gender":"MALE",` +
					`"roles":["sales"],"realm":"capemedia"}`},
			want: &User{ID: "u9", Username: "a@b.co"},
		},
		{
			name: "RegisterConsumer",
			call: func(ctx context.Context, c *Client) (any, error) {
				return c.RegisterConsumer(ctx, RegisterConsumerInput{Email: "a@b.co", FirstName: "A",
					LastName: "B", Password: "secret123", ConfirmPassword: "secret123"})
			},
			status: http.StatusCreated,
			answer: `{"id":"u10","username":"a@b.co"}`,
			wantReq: seenRequest{Method: "POST", Path: "/commercial/api/v1/auth/register-consumer",
				Body: `{"email":"a@b.co","first_name":"A","last_name":"B",` +
					`"password":"secret123","confirm_password":"secret123"}`},
			want: &User{ID: "u10", Username: "a@b.co"},
		},
	}

	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			status := tt.status
			if status == 0 {
				status = http.StatusOK
			}
			f := newFake(t, respond(status, tt.answer))
			c := f.client(t, WithUserAgent("cape-test/1"))

			got, err := tt.call(tokenCtx(), c)
			if err != nil {
				t.Fatalf("got error %v, want none", err)
			}
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("got %s, want %s", dump(got), dump(tt.want))
			}

			reqs := f.requests()
			if len(reqs) != 1 {
				t.Fatalf("got %d requests, want 1", len(reqs))
			}
			req := reqs[0]
			gotReq := seenRequest{Method: req.Method, Path: req.Path, Query: req.Query, Body: req.Body}
			if gotReq != tt.wantReq {
				t.Errorf("got request %+v, want %+v", gotReq, tt.wantReq)
			}
			wantHeaders := seenRequest{Auth: "Bearer " + testToken, UserAgent: "cape-test/1",
				Accept: "application/json", AcceptEnc: "gzip"}
			if req.Body != "" {
				wantHeaders.ContentType = "application/json"
			}
			gotHeaders := seenRequest{Auth: req.Auth, UserAgent: req.UserAgent, Accept: req.Accept,
				AcceptEnc: req.AcceptEnc, ContentType: req.ContentType}
			if gotHeaders != wantHeaders {
				t.Errorf("got headers %+v, want %+v", gotHeaders, wantHeaders)
			}
		})
	}
}

func dump(v any) string {
	b, err := json.Marshal(v)
	if err != nil {
		return err.Error()
	}
	return string(b)
}
