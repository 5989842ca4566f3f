package limits

import (
	"context"
	"errors"

	"github.com/99designs/gqlgen/complexity"
	"github.com/99designs/gqlgen/graphql"
	"github.com/vektah/gqlparser/v2/gqlerror"

	"github.com/capedigital/cape-gateway/graph"
)

// Limits are the bounds an operation must stay within to run. A zero or
// negative bound refuses every operation that has the thing it bounds.
type Limits struct {
	// MaxDepth bounds how deep fields nest; the root fields are at depth 1.
	MaxDepth int
	// MaxAliases bounds the fields whose response key differs from their name.
	MaxAliases int
	// MaxRootFields bounds the root fields, counted through fragments.
	MaxRootFields int
	// MaxCost bounds the cost computed with Complexity. It also bounds the
	// selections an operation makes once its fragments are expanded, since each
	// of them costs at least 1.
	MaxCost int
	// Introspection allows __schema and __type. When false an operation that
	// selects either is refused before it runs.
	Introspection bool
}

// Guard is a gqlgen handler extension that refuses an operation over its
// Limits after parsing and validation, before any resolver runs.
type Guard struct {
	limits Limits
	es     graphql.ExecutableSchema
}

var _ interface {
	graphql.HandlerExtension
	graphql.OperationContextMutator
} = (*Guard)(nil)

// NewGuard returns a Guard enforcing l.
func NewGuard(l Limits) *Guard { return &Guard{limits: l} }

// ExtensionName implements graphql.HandlerExtension.
func (g *Guard) ExtensionName() string { return "Limits" }

// Validate implements graphql.HandlerExtension; it keeps the schema, whose
// complexity functions price the operations.
func (g *Guard) Validate(es graphql.ExecutableSchema) error {
	if es == nil {
		return errors.New("limits: nil executable schema")
	}
	g.es = es
	return nil
}

// MutateOperationContext implements graphql.OperationContextMutator: it
// refuses the operation when it breaks a limit.
func (g *Guard) MutateOperationContext(ctx context.Context, oc *graphql.OperationContext,
) *gqlerror.Error {
	l := g.limits
	s := measure(oc.Operation, l.MaxDepth, l.MaxCost)

	switch {
	case s.selections > l.MaxCost:
		return refusal(graph.CodeQueryTooComplex,
			"the operation makes more than %d selections once fragments are expanded", l.MaxCost)
	case s.depth > l.MaxDepth:
		return refusal(graph.CodeQueryTooDeep,
			"the operation nests fields more than %d levels deep", l.MaxDepth)
	case s.rootFields > l.MaxRootFields:
		return refusal(graph.CodeQueryTooComplex,
			"the operation selects %d root fields; at most %d are allowed", s.rootFields,
			l.MaxRootFields)
	case s.aliases > l.MaxAliases:
		return refusal(graph.CodeQueryTooComplex,
			"the operation uses %d aliases; at most %d are allowed", s.aliases, l.MaxAliases)
	case s.introspection && !l.Introspection:
		return refusal(graph.CodeValidationFailed, "introspection is disabled on this server")
	}

	cost := complexity.Calculate(ctx, g.es, oc.Operation, oc.Variables)
	if cost > l.MaxCost {
		return refusal(graph.CodeQueryTooComplex,
			"the operation costs %d; at most %d is allowed", cost, l.MaxCost)
	}
	return nil
}
