package limits

import (
	"context"
	"math"
	"testing"

	"github.com/99designs/gqlgen/complexity"
	"github.com/vektah/gqlparser/v2"

	"github.com/capedigital/cape-gateway/graph"
)

func TestCostMultipliesConnectionsByFirst(t *testing.T) {
	es := graph.NewExecutableSchema(graph.Config{
		Resolvers: &graph.Resolver{}, Complexity: Complexity(),
	})
	tests := []struct {
		name  string
		query string
		vars  map[string]any
		want  int
	}{
		{name: "a default page costs 20 records", query: "{ leads { nodes { id } } }", want: 41},
		{
			name:  "first 100 costs 100 records",
			query: "{ leads(first: 100) { nodes { id } } }", want: 201,
		},
		{
			name:  "first above 100 costs as 100, the cap",
			query: "{ sources(first: 1000) { nodes { id } } }", want: 201,
		},
		{
			name:  "first below 1 costs one record",
			query: "{ products(first: 0) { nodes { id } } }", want: 3,
		},
		{
			name:  "first from a variable",
			query: "query($n: Int) { partners(first: $n) { nodes { id } } }",
			vars:  map[string]any{"n": 50}, want: 101,
		},
		{
			name:  "users pages like the other connections",
			query: "{ users(first: 10, search: \"a\") { totalCount } }", want: 11,
		},
		{
			name:  "users by role is priced as a default page",
			query: `{ usersByRole(role: "sales") { id } }`, want: 21,
		},
		{
			name:  "relations inside a page multiply too",
			query: "{ leads(first: 10) { edges { node { category { name } } } } }", want: 41,
		},
		{name: "a lookup by id costs its fields", query: `{ lead(id: "x") { id name } }`, want: 3},
		{name: "the introspection schema is free", query: "{ __schema { types { name } } }", want: 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			doc, errs := gqlparser.LoadQuery(es.Schema(), tt.query)
			if errs != nil {
				t.Fatal(errs)
			}
			got := complexity.Calculate(context.Background(), es, doc.Operations[0], tt.vars)
			if got != tt.want {
				t.Errorf("cost = %d, want %d", got, tt.want)
			}
		})
	}
}

func TestConnectionCostSaturatesInsteadOfOverflowing(t *testing.T) {
	first := 100
	if got := connection(math.MaxInt/10, &first, nil); got != math.MaxInt {
		t.Errorf("cost = %d, want %d", got, math.MaxInt)
	}
}
