package limits

import (
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/capedigital/cape-gateway/limits/limitstest"

	"github.com/vektah/gqlparser/v2"

	"github.com/capedigital/cape-gateway/graph"
)

func TestGuardRefusesOperationsOverTheLimits(t *testing.T) {
	roomy := testLimits
	roomy.MaxAliases, roomy.MaxRootFields = 1000, 1000
	closed := testLimits
	closed.Introspection = false

	tests := []struct {
		name        string
		limits      Limits
		query       string
		wantCode    string
		wantMessage string
	}{
		{
			name:        "nesting one level past the depth limit is too deep",
			query:       limitstest.NestedTypeRef(14),
			wantCode:    graph.CodeQueryTooDeep,
			wantMessage: "the operation nests fields more than 15 levels deep",
		},
		{
			name:        "five hundred nested levels are too deep",
			query:       limitstest.NestedTypeRef(500),
			wantCode:    graph.CodeQueryTooDeep,
			wantMessage: "the operation nests fields more than 15 levels deep",
		},
		{
			name:        "ten thousand nested levels do not parse",
			query:       limitstest.NestedTypeRef(10_000),
			wantCode:    graph.CodeParseFailed,
			wantMessage: "exceeded maximum nesting depth of 1000",
		},
		{
			name:        "thirty-one aliases are too many",
			query:       `{ __type(name: "Lead") ` + limitstest.Aliased(31, "name") + " }",
			wantCode:    graph.CodeQueryTooComplex,
			wantMessage: "the operation uses 31 aliases; at most 30 are allowed",
		},
		{
			name:        "twenty-one root fields are too many",
			query:       "{" + strings.Repeat(" __typename", 21) + " }",
			wantCode:    graph.CodeQueryTooComplex,
			wantMessage: "the operation selects 21 root fields; at most 20 are allowed",
		},
		{
			name:        "root fields spread from fragments count each time",
			query:       "{ ...F ...F } fragment F on Query {" + strings.Repeat(" __typename", 11) + " }",
			wantCode:    graph.CodeQueryTooComplex,
			wantMessage: "the operation selects 22 root fields; at most 20 are allowed",
		},
		{
			name:        "an alias flood of big pages costs too much",
			limits:      roomy,
			query:       limitstest.Aliased(200, "leads(first: 100) { nodes { id } }"),
			wantCode:    graph.CodeQueryTooComplex,
			wantMessage: "the operation costs 40200; at most 10000 is allowed",
		},
		{
			name:        "a query named IntrospectionQuery gets no pass",
			limits:      roomy,
			query:       "query IntrospectionQuery " + limitstest.Aliased(50, "leads(first: 100) { nodes { id } }"),
			wantCode:    graph.CodeQueryTooComplex,
			wantMessage: "the operation costs 10050; at most 10000 is allowed",
		},
		{
			name:   "a fragment fan-out is cut off at the selection budget",
			limits: roomy,
			query: "{ ...F0 } " + fanOut(24) +
				"fragment F24 on Query { __typename }",
			wantCode:    graph.CodeQueryTooComplex,
			wantMessage: "the operation makes more than 10000 selections once fragments are expanded",
		},
		{
			name:        "introspection is refused when it is off",
			limits:      closed,
			query:       `{ __type(name: "Lead") { name } }`,
			wantCode:    graph.CodeValidationFailed,
			wantMessage: "introspection is disabled on this server",
		},
		{
			name:        "introspection inside a fragment is refused when it is off",
			limits:      closed,
			query:       "{ ...F } fragment F on Query { __schema { queryType { name } } }",
			wantCode:    graph.CodeValidationFailed,
			wantMessage: "introspection is disabled on this server",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			l := tt.limits
			if l == (Limits{}) {
				l = testLimits
			}
			ts := newServer(t, l, nil)

			got := post(t, ts.URL, map[string]any{"query": tt.query})
			if got.status != http.StatusBadRequest || got.code() != tt.wantCode {
				t.Fatalf("HTTP %d %+v, want 400 with %s", got.status, got.Errors, tt.wantCode)
			}
			if got.Errors[0].Message != tt.wantMessage {
				t.Errorf("message = %q, want %q", got.Errors[0].Message, tt.wantMessage)
			}
			if len(got.Data) != 0 && string(got.Data) != "null" {
				t.Errorf("data = %s, want none", got.Data)
			}
		})
	}
}

// fanOut returns fragments F0 to F(n-1), each spreading the next one twice, so
// that F0 expands to 2^n selections.
func fanOut(n int) string {
	var b strings.Builder
	for i := range n {
		fmt.Fprintf(&b, "fragment F%d on Query { ...F%d ...F%d } ", i, i+1, i+1)
	}
	return b.String()
}

func TestGuardLetsThroughWhatIsWithinTheLimits(t *testing.T) {
	ts := newServer(t, testLimits, nil)
	tests := []struct {
		name, query string
	}{
		{name: "the standard introspection query", query: limitstest.IntrospectionQuery},
		{name: "nesting exactly at the depth limit", query: limitstest.NestedTypeRef(13)},
		{name: "thirty aliases", query: `{ __type(name: "Lead") ` + limitstest.Aliased(30, "name") + " }"},
		{name: "twenty root fields", query: "{" + strings.Repeat(" __typename", 20) + " }"},
		{
			name:  "the same fragment spread twice",
			query: "{ ...F ...F } fragment F on Query { __typename }",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := post(t, ts.URL, map[string]any{"query": tt.query})
			if got.status != http.StatusOK || len(got.Errors) != 0 {
				t.Fatalf("HTTP %d %+v, want 200 without errors", got.status, got.Errors)
			}
		})
	}
}

func TestStandardIntrospectionQueryIsFifteenLevelsDeep(t *testing.T) {
	es := graph.NewExecutableSchema(graph.Config{Resolvers: &graph.Resolver{}})
	doc, errs := gqlparser.LoadQuery(es.Schema(), limitstest.IntrospectionQuery)
	if errs != nil {
		t.Fatal(errs)
	}
	s := measure(doc.Operations[0], 100, 100_000)
	if s.depth != 15 || s.rootFields != 1 || s.aliases != 0 || !s.introspection {
		t.Errorf("shape = %+v, want depth 15, 1 root field, no alias, introspection", s)
	}
}
