package auth

import (
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
)

func TestIsIntrospectionOnly(t *testing.T) {
	tests := []struct {
		name, query, operation string
		want                   bool
	}{
		{"schema query", `{ __schema { queryType { name } } }`, "", true},
		{"typename", `{ __typename }`, "", true},
		{"type lookup with alias", `{ t: __type(name: "Lead") { name } }`, "", true},
		{"named introspection query", `query IntrospectionQuery { __schema { types { name } } }`,
			"IntrospectionQuery", true},
		{"fragment spread at root", `query Q { ...Root } fragment Root on Query { __schema {
			types { name } } __typename }`, "Q", true},
		{"inline fragment at root", `{ ... on Query { __typename } }`, "", true},
		{"named IntrospectionQuery that also selects leads",
			`query IntrospectionQuery { __schema { types { name } } leads { edges { node { id } } } }`,
			"IntrospectionQuery", false},
		{"alias hiding a data field", `{ __schema: leads { edges { cursor } } }`, "", false},
		{"data field inside a fragment", `{ ...F } fragment F on Query { __typename leads { pageInfo {
			hasNextPage } } }`, "", false},
		{"data field inside an inline fragment", `{ ... on Query { me { id } } }`, "", false},
		{"recursive fragments", `{ ...A } fragment A on Query { ...B } fragment B on Query {
			...A }`, "", false},
		{"unknown fragment", `{ ...Missing }`, "", false},
		{"mutation", `mutation { __typename }`, "", false},
		{"other operation chosen", `query A { __typename } query B { leads { pageInfo {
			hasNextPage } } }`, "B", false},
		{"no operation name with two operations", `query A { __typename } query B {
			__typename }`, "", false},
		{"absent operation name", `query A { __typename }`, "B", false},
		{"duplicate operation names", `query A { __typename } query A { leads { pageInfo {
			hasNextPage } } }`, "A", false},
		{"parse error", `{ __schema `, "", false},
		{"empty query", ``, "", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := IsIntrospectionOnly(tt.query, tt.operation); got != tt.want {
				t.Errorf("IsIntrospectionOnly = %v, want %v", got, tt.want)
			}
		})
	}
}

func TestMiddlewareAnonymousIntrospection(t *testing.T) {
	s := newJWKSSetup(t)
	introspection := `{"query":"query IntrospectionQuery { __schema { queryType { name } } }",` +
		`"operationName":"IntrospectionQuery"}`
	leads := `{"query":"{ __typename leads { pageInfo { hasNextPage } } }"}`

	post := func(body string, auth ...string) *http.Request {
		req := httptest.NewRequest(http.MethodPost, "/query", strings.NewReader(body))
		req.Header.Set("Content-Type", "application/json; charset=utf-8")
		for _, a := range auth {
			req.Header.Add("Authorization", a)
		}
		return req
	}
	get := func(query string) *http.Request {
		return httptest.NewRequest(http.MethodGet, "/query?query="+url.QueryEscape(query), nil)
	}
	plain := post(introspection)
	plain.Header.Set("Content-Type", "application/graphql")

	tests := []struct {
		name       string
		allow      bool
		req        *http.Request
		wantReason string // "" means let through
		tokenGiven bool
	}{
		{"POST introspection passes when allowed", true, post(introspection), "", false},
		{"GET introspection passes when allowed", true, get("{ __typename }"), "", false},
		{"introspection is refused when not allowed", false, post(introspection),
			reasonMissing, false},
		{"data query is refused", true, post(leads), reasonMissing, false},
		{"GET data query is refused", true, get("{ leads { pageInfo { hasNextPage } } }"),
			reasonMissing, false},
		{"introspection with a bad token is refused", true, post(introspection, "Bearer bad"),
			reasonMalformedToken, true},
		{"non-JSON body is refused", true, plain, reasonMissing, false},
		{"oversized body is refused", true,
			post(`{"query":"{ __typename }","pad":"` + strings.Repeat("x", maxIntrospectionBody) +
				`"}`), reasonMissing, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cfg := s.cfg
			cfg.AllowAnonymousIntrospection = tt.allow
			var called bool
			var body string
			next := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				called = true
				b, _ := io.ReadAll(r.Body)
				body = string(b)
			})
			rec := httptest.NewRecorder()
			want, _ := io.ReadAll(tt.req.Body)
			tt.req.Body = io.NopCloser(strings.NewReader(string(want)))

			Middleware(s.v, cfg)(next).ServeHTTP(rec, tt.req)

			if tt.wantReason != "" {
				if rec.Code != http.StatusUnauthorized || called {
					t.Fatalf("status = %d, next called = %v; want 401 and no call",
						rec.Code, called)
				}
				challenge := rec.Header().Get("WWW-Authenticate")
				if got := strings.Contains(challenge, "invalid_token"); got != tt.tokenGiven {
					t.Errorf("WWW-Authenticate = %q, want invalid_token %v", challenge, tt.tokenGiven)
				}
				if !strings.Contains(rec.Body.String(), `"message":"`+tt.wantReason+`"`) {
					t.Errorf("refusal body = %s, want reason %q", rec.Body.String(), tt.wantReason)
				}
				return
			}
			if rec.Code != http.StatusOK || !called {
				t.Fatalf("status = %d, next called = %v; want 200 and called", rec.Code, called)
			}
			if body != string(want) {
				t.Errorf("next handler read body %q, want the original %q", body, want)
			}
		})
	}
}
