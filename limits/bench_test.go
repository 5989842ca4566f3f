package limits

import (
	"context"
	"testing"

	"github.com/99designs/gqlgen/graphql"
	"github.com/vektah/gqlparser/v2"

	"github.com/capedigital/cape-gateway/graph"
)

// BenchmarkGuard measures what the guard adds to every request: measuring
// and pricing a page of 50 leads with their four relations.
func BenchmarkGuard(b *testing.B) {
	es := graph.NewExecutableSchema(graph.Config{
		Resolvers: &graph.Resolver{}, Complexity: Complexity(),
	})
	doc, errs := gqlparser.LoadQuery(es.Schema(), `{ leads(first: 50) { edges { cursor node {
		id name category { name } source { name } products { name price } partner { name }
	} } pageInfo { hasNextPage endCursor } } }`)
	if errs != nil {
		b.Fatal(errs)
	}
	g := NewGuard(Limits{MaxDepth: 15, MaxAliases: 30, MaxRootFields: 20, MaxCost: 10_000})
	if err := g.Validate(es); err != nil {
		b.Fatal(err)
	}
	oc := &graphql.OperationContext{Doc: doc, Operation: doc.Operations[0]}
	ctx := context.Background()

	b.ReportAllocs()
	for b.Loop() {
		if err := g.MutateOperationContext(ctx, oc); err != nil {
			b.Fatal(err)
		}
	}
}
