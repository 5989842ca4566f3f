package gateway

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/capedigital/cape-gateway/limits/limitstest"
)

// refusal is what a request refused before execution must get.
type refusal struct {
	status  int
	code    string
	message string // prefix of the first error's message
}

// checkRefused asserts got is want and that the upstream served nothing.
func (e *testEnv) checkRefused(t *testing.T, got gqlResponse, want refusal) {
	t.Helper()
	if got.Status != want.status || len(got.Errors) == 0 || got.Errors[0].code() != want.code {
		t.Fatalf("HTTP %d %+v, want %d with %s", got.Status, got.Errors, want.status, want.code)
	}
	if !strings.HasPrefix(got.Errors[0].Message, want.message) {
		t.Errorf("message = %q, want it to start with %q", got.Errors[0].Message, want.message)
	}
	if len(got.Data) != 0 && string(got.Data) != "null" {
		t.Errorf("data = %s, want none", got.Data)
	}
	if n := e.upstreamCalls(); n != 0 {
		t.Errorf("upstream calls = %d, want 0", n)
	}
}

func TestOperationsOverTheLimitsAreRefusedWithoutUpstreamCalls(t *testing.T) {
	// A token limit above the default lets the other limits show.
	e := newTestEnv(t, map[string]string{"GRAPHQL_MAX_TOKENS": "10000"})
	fragmentCycle := "{ leads { ...A } } fragment A on LeadConnection { ...B } " +
		"fragment B on LeadConnection { ...A }"
	tests := []struct {
		name  string
		query string
		want  refusal
	}{
		{
			name:  "an alias flood of 200 big pages has too many root fields",
			query: limitstest.Aliased(200, "leads(first: 100) { edges { node { id name } } }"),
			want: refusal{http.StatusBadRequest, "QUERY_TOO_COMPLEX",
				"the operation selects 200 root fields; at most 20 are allowed"},
		},
		{
			name:  "a query named IntrospectionQuery gets no pass",
			query: "query IntrospectionQuery " + limitstest.Aliased(21, "leads { nodes { id } }"),
			want: refusal{http.StatusBadRequest, "QUERY_TOO_COMPLEX",
				"the operation selects 21 root fields"},
		},
		{
			name: "three full pages of a hundred leads cost too much",
			query: limitstest.Aliased(3, "leads(first: 100) { edges { cursor node { id name "+
				"contactPerson contactPhone contactEmail categoryId category { id name } "+
				"sourceId source { id name } productIds products { id name price } partnerId "+
				"partner { id name } status node reference leadType gender createdAt "+
				"updatedAt } } pageInfo { hasNextPage endCursor } }"),
			want: refusal{http.StatusBadRequest, "QUERY_TOO_COMPLEX",
				"the operation costs 10503; at most 10000 is allowed"},
		},
		{
			name:  "sixteen levels of nesting are too deep",
			query: limitstest.NestedTypeRef(14),
			want: refusal{http.StatusBadRequest, "QUERY_TOO_DEEP",
				"the operation nests fields more than 15 levels deep"},
		},
		{
			name:  "ten thousand nested braces exceed the parser's nesting bound",
			query: strings.Repeat("{ a ", 10_000) + strings.Repeat("}", 10_000),
			want: refusal{http.StatusBadRequest, "GRAPHQL_PARSE_FAILED",
				"exceeded maximum nesting depth of 1000"},
		},
		{
			name:  "a document of many small fields exceeds the parser's token limit",
			query: "{" + strings.Repeat(" __typename", 20_000) + " }",
			want: refusal{http.StatusBadRequest, "GRAPHQL_PARSE_FAILED",
				"exceeded token limit of 10000"},
		},
		{
			name:  "recursive fragments fail validation",
			query: fragmentCycle,
			want: refusal{http.StatusBadRequest, "GRAPHQL_VALIDATION_FAILED",
				"Cannot spread fragment"},
		},
		{
			name:  "a syntax error fails parsing",
			query: "{ leads { ",
			want:  refusal{http.StatusBadRequest, "GRAPHQL_PARSE_FAILED", "Expected Name"},
		},
		{
			name:  "an unknown field fails validation",
			query: "{ leads { nodes { salary } } }",
			want: refusal{http.StatusBadRequest, "GRAPHQL_VALIDATION_FAILED",
				`Cannot query field "salary"`},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e.sim.Reset()
			e.checkRefused(t, e.query(t, tt.query, nil), tt.want)
		})
	}
}

func TestRefusalStatusDoesNotDependOnTheAcceptHeader(t *testing.T) {
	e := newTestEnv(t, nil)
	for _, accept := range []string{
		"", "application/json", "application/graphql-response+json",
		"application/graphql-response+json, application/json;q=0.9",
	} {
		t.Run("Accept "+accept, func(t *testing.T) {
			resp, body := e.exchange(t, http.MethodPost, "/query", http.Header{
				"Accept": {accept}, "Content-Type": {"application/json"},
				"Authorization": {"Bearer " + e.token},
			}, `{"query": "{ leads { nodes { salary } } }"}`)
			if resp.StatusCode != http.StatusBadRequest ||
				!strings.Contains(string(body), `"code":"GRAPHQL_VALIDATION_FAILED"`) {
				t.Errorf("HTTP %d %s, want 400 GRAPHQL_VALIDATION_FAILED", resp.StatusCode, body)
			}
		})
	}
}

func TestAnAliasFloodOfBigPagesIsRefusedByItsCost(t *testing.T) {
	e := newTestEnv(t, map[string]string{
		"GRAPHQL_MAX_ALIASES": "1000", "GRAPHQL_MAX_ROOT_FIELDS": "1000", "GRAPHQL_MAX_TOKENS": "10000",
	})
	got := e.query(t, limitstest.Aliased(200, "leads(first: 100) { edges { node { id name } } }"), nil)
	e.checkRefused(t, got, refusal{http.StatusBadRequest, "QUERY_TOO_COMPLEX",
		"the operation costs 80200; at most 10000 is allowed"})
}

func TestTheStandardIntrospectionQueryRuns(t *testing.T) {
	e := newTestEnv(t, nil)
	got := e.query(t, limitstest.IntrospectionQuery, nil)
	var data struct {
		Schema struct {
			QueryType struct{ Name string } `json:"queryType"`
			Types     []struct{ Name string }
		} `json:"__schema"`
	}
	got.decode(t, &data)
	if got.Status != http.StatusOK || data.Schema.QueryType.Name != "Query" ||
		len(data.Schema.Types) < 20 {
		t.Errorf("HTTP %d, query type %q, %d types; want 200, Query, the schema's types",
			got.Status, data.Schema.QueryType.Name, len(data.Schema.Types))
	}
	if n := e.upstreamCalls(); n != 0 {
		t.Errorf("upstream calls = %d, want 0", n)
	}
}

func TestIntrospectionSwitchedOffIsRefused(t *testing.T) {
	e := newTestEnv(t, map[string]string{"GRAPHQL_INTROSPECTION": "false"})
	for _, query := range []string{
		limitstest.IntrospectionQuery,
		`{ __type(name: "Lead") { fields { name } } }`,
	} {
		e.checkRefused(t, e.query(t, query, nil), refusal{http.StatusBadRequest,
			"GRAPHQL_VALIDATION_FAILED", "introspection is disabled on this server"})
	}

	got := e.query(t, "{ __typename leads(first: 1) { nodes { id } } }", nil)
	if got.Status != http.StatusOK || len(got.Errors) != 0 {
		t.Errorf("ordinary query: HTTP %d %+v, want 200", got.Status, got.Errors)
	}
}

// apq returns a request body using the persisted query protocol; query is
// left out when empty.
func apq(query, hash string) map[string]any {
	body := map[string]any{"extensions": map[string]any{
		"persistedQuery": map[string]any{"version": 1, "sha256Hash": hash},
	}}
	if query != "" {
		body["query"] = query
	}
	return body
}

func sha256Hex(s string) string {
	sum := sha256.Sum256([]byte(s))
	return hex.EncodeToString(sum[:])
}

func TestPersistedQueries(t *testing.T) {
	e := newTestEnv(t, nil)
	query := "{ leads(first: 2) { nodes { id name } } }"
	hash := sha256Hex(query)
	bearer := "Bearer " + e.token

	got := e.post(t, bearer, apq("", hash))
	e.checkRefused(t, got, refusal{http.StatusOK, "PERSISTED_QUERY_NOT_FOUND",
		"PersistedQueryNotFound"})

	got = e.post(t, bearer, apq(query, sha256Hex("{ me { id } }")))
	e.checkRefused(t, got, refusal{http.StatusBadRequest, "BAD_USER_INPUT",
		"provided APQ hash does not match query"})

	deep := limitstest.NestedTypeRef(20)
	got = e.post(t, bearer, apq(deep, sha256Hex(deep)))
	e.checkRefused(t, got, refusal{http.StatusBadRequest, "QUERY_TOO_DEEP", "the operation"})
	got = e.post(t, bearer, apq("", sha256Hex(deep)))
	e.checkRefused(t, got, refusal{http.StatusOK, "PERSISTED_QUERY_NOT_FOUND", ""})

	var full, byHash struct {
		Leads struct{ Nodes []struct{ ID, Name string } }
	}
	e.post(t, bearer, apq(query, hash)).decode(t, &full)
	e.post(t, bearer, apq("", hash)).decode(t, &byHash)
	if len(byHash.Leads.Nodes) != 2 || fmt.Sprint(byHash) != fmt.Sprint(full) {
		t.Errorf("by hash = %+v, want %+v", byHash, full)
	}
	if n := e.upstreamCalls(); n != 2 {
		t.Errorf("upstream calls = %d, want 2 (one per run)", n)
	}

	got = e.post(t, "", apq("", hash))
	if got.Status != http.StatusUnauthorized || got.Errors[0].code() != "UNAUTHENTICATED" {
		t.Errorf("by hash without a token: HTTP %d %+v, want 401 UNAUTHENTICATED",
			got.Status, got.Errors)
	}
	if n := e.upstreamCalls(); n != 2 {
		t.Errorf("upstream calls = %d, want still 2", n)
	}
}

func TestPersistedQueryByHashOverGET(t *testing.T) {
	e := newTestEnv(t, nil)
	query := "{ leads(first: 1) { nodes { id } } }"
	ext := `{"persistedQuery":{"version":1,"sha256Hash":"` + sha256Hex(query) + `"}}`
	header := http.Header{"Authorization": {"Bearer " + e.token}}
	get := func() (*http.Response, []byte) {
		return e.exchange(t, http.MethodGet, "/query?extensions="+url.QueryEscape(ext), header, "")
	}

	resp, body := get()
	if resp.StatusCode != http.StatusOK ||
		!strings.Contains(string(body), `"code":"PERSISTED_QUERY_NOT_FOUND"`) {
		t.Fatalf("before storing: HTTP %d %s, want 200 PERSISTED_QUERY_NOT_FOUND",
			resp.StatusCode, body)
	}
	if got := e.post(t, "Bearer "+e.token, apq(query, sha256Hex(query))); len(got.Errors) != 0 {
		t.Fatalf("storing: %+v", got.Errors)
	}
	resp, body = get()
	if resp.StatusCode != http.StatusOK || !strings.HasPrefix(string(body), `{"data":{"leads"`) {
		t.Errorf("after storing: HTTP %d %s, want 200 with leads", resp.StatusCode, body)
	}
}

func TestTheDefaultTokenLimitRefusesFieldFloodsBeforeValidation(t *testing.T) {
	// Validation compares repeated fields pairwise, so its work grows with the
	// square of a document's fields; the default token limit stops such a
	// document at the parser.
	e := newTestEnv(t, nil)
	resp := e.query(t, "{"+strings.Repeat(" __typename", 3000)+" }", nil)
	if resp.Status != http.StatusBadRequest || len(resp.Errors) != 1 ||
		resp.Errors[0].code() != "GRAPHQL_PARSE_FAILED" ||
		resp.Errors[0].Message != "exceeded token limit of 2000" {
		t.Errorf("HTTP %d %+v, want 400 GRAPHQL_PARSE_FAILED at the 2000-token limit",
			resp.Status, resp.Errors)
	}
}
