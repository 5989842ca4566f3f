package graph

import (
	"context"

	"github.com/99designs/gqlgen/graphql"
	"github.com/graph-gophers/dataloader/v7"

	"github.com/capedigital/cape-gateway/graph/model"
	"github.com/capedigital/cape-gateway/loaders"
)

// prefetchRelations hands each loader, at once, every related id that the query
// selects on a page of leads. The page's field resolvers then find their records
// in that one batch instead of racing the loader's wait window. Keys are queued
// one by one from this goroutine: LoadMany would queue each from a goroutine of
// its own, and a busy scheduler could then split the batch.
func prefetchRelations(ctx context.Context, leads []*model.Lead) {
	l, ok := loaders.FromContext(ctx)
	if !ok || len(leads) == 0 {
		return
	}
	selected := selectedLeadFields(ctx)
	if selected["category"] {
		queue(ctx, l.LeadCategories, distinct(leads, func(x *model.Lead) []*string {
			return []*string{x.CategoryID}
		}))
	}
	if selected["source"] {
		queue(ctx, l.Sources, distinct(leads, func(x *model.Lead) []*string {
			return []*string{x.SourceID}
		}))
	}
	if selected["partner"] {
		queue(ctx, l.Partners, distinct(leads, func(x *model.Lead) []*string {
			return []*string{x.PartnerID}
		}))
	}
	if selected["products"] {
		queue(ctx, l.Products, distinct(leads, func(x *model.Lead) []*string {
			ids := make([]*string, len(x.ProductIDs))
			for i := range x.ProductIDs {
				ids[i] = &x.ProductIDs[i]
			}
			return ids
		}))
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

// queue asks l for every key without waiting for the answers.
func queue[V any](ctx context.Context, l *dataloader.Loader[string, V], keys []string) {
	for _, key := range keys {
		l.Load(ctx, key)
	}
}
