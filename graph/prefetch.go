package graph

import (
	"context"

	"github.com/99designs/gqlgen/graphql"
	"github.com/vektah/gqlparser/v2/ast"

	"github.com/capedigital/cape-gateway/graph/model"
	"github.com/capedigital/cape-gateway/loaders"
	"github.com/capedigital/cape-gateway/upstream"
)

// prefetchRelations fetches, before a page of leads is resolved, every related
// record the query selects on it: one batch per resource, all at once, and
// keeps each lead's records with it for its fields to answer from.
func prefetchRelations(ctx context.Context, leads []*model.Lead) {
	if len(leads) > 0 {
		prefetchSelected(ctx, leads, selectedLeadFields(ctx))
	}
}

// prefetchLeadRelations does the same for a field that returns one lead, such
// as lead(id:) or a mutation's answer.
func prefetchLeadRelations(ctx context.Context, lead *model.Lead) {
	if lead == nil {
		return
	}
	selected := map[string]bool{}
	if fc := graphql.GetFieldContext(ctx); fc != nil && graphql.HasOperationContext(ctx) {
		addLeadFields(selected, graphql.GetOperationContext(ctx), fc.Field.Selections)
	}
	prefetchSelected(ctx, []*model.Lead{lead}, selected)
}

// leadWithRelations maps a lead that a field returns on its own and fetches
// the relations the query selects on it.
func leadWithRelations(ctx context.Context, u *upstream.Lead) *model.Lead {
	lead := leadFromUpstream(u)
	prefetchLeadRelations(ctx, lead)
	return lead
}

// prefetchSelected fetches the relations named in selected for leads and sets
// each lead's relations from them.
func prefetchSelected(ctx context.Context, leads []*model.Lead, selected map[string]bool) {
	related := make([]model.LeadRelations, len(leads))
	for i, lead := range leads {
		related[i] = model.UnfetchedRelations()
		lead.SetRelations(&related[i])
	}
	l, ok := loaders.FromContext(ctx)
	if !ok {
		return // every relation stays unfetched, and fails if read
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

	// The loaders now hold every record named above, so these answer at once.
	for i, lead := range leads {
		r := &related[i]
		if selected["category"] {
			r.Category, r.CategoryErr = loadOne(ctx, l.LeadCategories, lead.CategoryID,
				leadCategoryFromUpstream)
		}
		if selected["source"] {
			r.Source, r.SourceErr = loadOne(ctx, l.Sources, lead.SourceID, sourceFromUpstream)
		}
		if selected["products"] {
			r.Products, r.ProductsErr = loadList(ctx, l.Products, lead.ProductIDs, productFromUpstream)
		}
		if selected["partner"] {
			r.Partner, r.PartnerErr = loadOne(ctx, l.Partners, lead.PartnerID, partnerFromUpstream)
		}
	}
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
	for _, f := range graphql.CollectFields(op, fc.Field.Selections, []string{"LeadConnection"}) {
		switch f.Name {
		case "nodes":
			addLeadFields(out, op, f.Selections)
		case "edges":
			for _, e := range graphql.CollectFields(op, f.Selections, []string{"LeadEdge"}) {
				if e.Name == "node" {
					addLeadFields(out, op, e.Selections)
				}
			}
		}
	}
	return out
}

// addLeadFields adds to out the names of the Lead fields in set.
func addLeadFields(out map[string]bool, op *graphql.OperationContext, set ast.SelectionSet) {
	for _, f := range graphql.CollectFields(op, set, []string{"Lead"}) {
		out[f.Name] = true
	}
}
