package graph

import (
	"context"

	"github.com/99designs/gqlgen/graphql"

	"github.com/capedigital/cape-gateway/graph/model"
	"github.com/capedigital/cape-gateway/loaders"
	"github.com/capedigital/cape-gateway/upstream"
)

// prefetchRelations fetches, before a page of leads is resolved, every related
// record the query selects on it: one batch per resource, all at once. The
// page's field resolvers then find their records in the request's loaders
// instead of depending on how the scheduler times their Loads.
func prefetchRelations(ctx context.Context, leads []*model.Lead) {
	if len(leads) > 0 {
		prefetchSelected(ctx, leads, selectedLeadFields(ctx))
	}
}

// prefetchLeadRelations does the same for a field that returns one lead, such
// as lead(id:) or a mutation's answer, so that its related records need not
// wait out the loaders' batch window.
func prefetchLeadRelations(ctx context.Context, lead *model.Lead) {
	if lead == nil {
		return
	}
	fc := graphql.GetFieldContext(ctx)
	if fc == nil || !graphql.HasOperationContext(ctx) {
		return
	}
	selected := map[string]bool{}
	for _, f := range graphql.CollectFields(graphql.GetOperationContext(ctx),
		fc.Field.Selections, []string{"Lead"}) {
		selected[f.Name] = true
	}
	prefetchSelected(ctx, []*model.Lead{lead}, selected)
}

// leadWithRelations maps a lead that a field returns on its own and starts
// fetching the relations the query selects on it.
func leadWithRelations(ctx context.Context, u *upstream.Lead) *model.Lead {
	lead := leadFromUpstream(u)
	prefetchLeadRelations(ctx, lead)
	return lead
}

// prefetchSelected fetches the relations named in selected for leads.
func prefetchSelected(ctx context.Context, leads []*model.Lead, selected map[string]bool) {
	l, ok := loaders.FromContext(ctx)
	if !ok {
		return
	}
	var p loaders.Prefetch
	if selected["category"] {
		p.LeadCategories = distinct(leads, func(x *model.Lead) []*string {
			return []*string{x.CategoryID}
		})
	}
	if selected["source"] {
		p.Sources = distinct(leads, func(x *model.Lead) []*string { return []*string{x.SourceID} })
	}
	if selected["partner"] {
		p.Partners = distinct(leads, func(x *model.Lead) []*string { return []*string{x.PartnerID} })
	}
	if selected["products"] {
		p.Products = distinct(leads, func(x *model.Lead) []*string {
			ids := make([]*string, len(x.ProductIDs))
			for i := range x.ProductIDs {
				ids[i] = &x.ProductIDs[i]
			}
			return ids
		})
	}
	l.Prefetch(ctx, p)
}

// distinct lists the non-empty ids that pick returns for the leads, once each.
func distinct(leads []*model.Lead, pick func(*model.Lead) []*string) []string {
	seen := make(map[string]struct{}, len(leads))
	out := make([]string, 0, len(leads))
	for _, lead := range leads {
		for _, id := range pick(lead) {
			if id == nil || *id == "" {
				continue
			}
			if _, ok := seen[*id]; !ok {
				seen[*id] = struct{}{}
				out = append(out, *id)
			}
		}
	}
	return out
}

// selectedLeadFields names the Lead fields selected under the current connection
// field, through edges.node and nodes, honouring fragments and @skip/@include.
func selectedLeadFields(ctx context.Context) map[string]bool {
	fc := graphql.GetFieldContext(ctx)
	if fc == nil || !graphql.HasOperationContext(ctx) {
		return nil
	}
	op := graphql.GetOperationContext(ctx)
	out := map[string]bool{}
	collect := func(set []graphql.CollectedField) {
		for _, f := range set {
			out[f.Name] = true
		}
	}
	for _, f := range graphql.CollectFields(op, fc.Field.Selections, []string{"LeadConnection"}) {
		switch f.Name {
		case "nodes":
			collect(graphql.CollectFields(op, f.Selections, []string{"Lead"}))
		case "edges":
			for _, e := range graphql.CollectFields(op, f.Selections, []string{"LeadEdge"}) {
				if e.Name == "node" {
					collect(graphql.CollectFields(op, e.Selections, []string{"Lead"}))
				}
			}
		}
	}
	return out
}
