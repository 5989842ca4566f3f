package gateway

import (
	"fmt"
	"strings"
	"testing"
	"time"
)

const relatedQuery = `{ leads(first: 50) { edges { cursor node { id name leadType gender createdAt
  category { name } source { name } products { name } partner { name } } }
  pageInfo { hasNextPage endCursor } } }`

type relatedLeads struct {
	Leads struct {
		Edges []struct {
			Cursor string
			Node   struct {
				ID, Name  string
				LeadType  *string
				Gender    *string
				CreatedAt string
				Category  *struct{ Name string }
				Source    *struct{ Name string }
				Products  []struct{ Name string }
				Partner   *struct{ Name string }
			}
		}
		PageInfo struct {
			HasNextPage bool
			EndCursor   string
		}
	}
}

// wireLead is a lead as the simulator's REST API sends it; a pointer to a
// pointer tells an absent key from a null.
type wireLead struct {
	ID           string   `json:"id"`
	Name         string   `json:"name"`
	LeadType     **string `json:"lead_type"`
	Gender       **string `json:"gender"`
	CreatedAt    string   `json:"created_at"`
	LeadCategory *string  `json:"lead_category"`
	Source       *string  `json:"source"`
	Products     []string `json:"products"`
	Partner      *string  `json:"partner"`
}

type wirePage struct {
	Results []wireLead `json:"results"`
	Next    *string    `json:"next"`
}

// The answer matches the upstream's records, whether the gateway asks for
// compressed answers or plain ones.
func TestRelatedRecordsMatchTheUpstream(t *testing.T) {
	for _, vars := range []map[string]string{{"UPSTREAM_COMPRESSION": "gzip"}, {"UPSTREAM_COMPRESSION": "none"}} {
		t.Run(fmt.Sprint(vars), func(t *testing.T) {
			e := newTestEnv(t, vars)
			var got relatedLeads
			e.query(t, relatedQuery, nil).decode(t, &got)

			var want wirePage
			e.rest(t, "/leads?page_size=50", &want)
			if len(got.Leads.Edges) != 50 || len(want.Results) != 50 {
				t.Fatalf("got %d leads, upstream page has %d; want 50", len(got.Leads.Edges), len(want.Results))
			}

			names := map[string]string{} // "route/id" -> name, fetched once
			name := func(route, id string) string {
				key := route + "/" + id
				if n, ok := names[key]; ok {
					return n
				}
				var rec struct{ Name string }
				e.rest(t, "/"+route+"/"+id, &rec)
				names[key] = rec.Name
				return rec.Name
			}

			seen := map[string]int{}
			for i, edge := range got.Leads.Edges {
				g, w := edge.Node, want.Results[i]
				ctx := fmt.Sprintf("lead %d (%s)", i, w.ID)
				if g.ID != w.ID || g.Name != w.Name {
					t.Fatalf("%s: id, name = %s, %q; want %s, %q", ctx, g.ID, g.Name, w.ID, w.Name)
				}
				checkEnum(t, ctx+" leadType", g.LeadType, w.LeadType, map[string]string{
					"individual": "INDIVIDUAL", "company": "COMPANY"})
				seen["gender "+describe(w.Gender)]++
				checkEnum(t, ctx+" gender", g.Gender, w.Gender, map[string]string{
					"male": "MALE", "female": "FEMALE", "": "UNSPECIFIED"})
				checkTime(t, ctx, g.CreatedAt, w.CreatedAt)

				if (g.Category == nil) != (w.LeadCategory == nil) ||
					(g.Category != nil && g.Category.Name != name("lead-categories", *w.LeadCategory)) {
					t.Errorf("%s: category = %+v, upstream id %v", ctx, g.Category, w.LeadCategory)
				}
				if (g.Source == nil) != (w.Source == nil) ||
					(g.Source != nil && g.Source.Name != name("sources", *w.Source)) {
					t.Errorf("%s: source = %+v, upstream id %v", ctx, g.Source, w.Source)
				}
				seen[fmt.Sprintf("partner %v", w.Partner != nil)]++
				if (g.Partner == nil) != (w.Partner == nil) ||
					(g.Partner != nil && g.Partner.Name != name("partners", *w.Partner)) {
					t.Errorf("%s: partner = %+v, upstream id %v", ctx, g.Partner, w.Partner)
				}
				if len(g.Products) != len(w.Products) {
					t.Fatalf("%s: %d products, upstream has %d", ctx, len(g.Products), len(w.Products))
				}
				for j, p := range g.Products {
					if want := name("products", w.Products[j]); p.Name != want {
						t.Errorf("%s: product %d = %q, want %q", ctx, j, p.Name, want)
					}
				}
			}
			t.Logf("awkward cases on the page: %v", seen)
			if !got.Leads.PageInfo.HasNextPage || got.Leads.Edges[49].Cursor != got.Leads.PageInfo.EndCursor {
				t.Errorf("pageInfo = %+v, want a next page ending at the last edge", got.Leads.PageInfo)
			}
		})
	}
}

// describe names a JSON value that may be absent, null or a string.
func describe(v **string) string {
	switch {
	case v == nil:
		return "absent"
	case *v == nil:
		return "null"
	}
	return fmt.Sprintf("%q", **v)
}

func checkEnum(t *testing.T, ctx string, got *string, wire **string, mapping map[string]string) {
	t.Helper()
	if wire == nil || *wire == nil {
		if got != nil {
			t.Errorf("%s = %q, want null for an upstream %s", ctx, *got, describe(wire))
		}
		return
	}
	want, ok := mapping[**wire]
	if !ok {
		t.Fatalf("%s: upstream value %q is not in the schema", ctx, **wire)
	}
	if got == nil || *got != want {
		t.Errorf("%s = %v, want %s", ctx, got, want)
	}
}

func checkTime(t *testing.T, ctx, got, wire string) {
	t.Helper()
	g, err := time.Parse(time.RFC3339Nano, got)
	if err != nil || !strings.HasSuffix(got, "Z") {
		t.Fatalf("%s: createdAt %q is not RFC 3339 UTC", ctx, got)
	}
	w, err := time.Parse(time.RFC3339Nano, wire)
	if err != nil {
		t.Fatalf("%s: upstream created_at %q: %v", ctx, wire, err)
	}
	if !g.Equal(w) {
		t.Errorf("%s: createdAt = %s, want %s", ctx, g, w)
	}
}

func TestRelatedRecordsAreBatched(t *testing.T) {
	t.Run("filter makes one list call per related resource", func(t *testing.T) {
		e := newTestEnv(t, map[string]string{"CAPE_BATCH": "filter"})
		var got relatedLeads
		e.query(t, relatedQuery, nil).decode(t, &got)
		stats := e.sim.Stats()
		if stats.Total > 5 {
			t.Errorf("upstream requests = %d (%v), want at most 5", stats.Total, stats.Requests)
		}
		if n := stats.Requests["GET /commercial/api/v1/leads"]; n != 1 {
			t.Errorf("lead list calls = %d, want 1", n)
		}
	})

	t.Run("each makes one GET per distinct related id", func(t *testing.T) {
		e := newTestEnv(t, map[string]string{"CAPE_BATCH": "each"})
		var got relatedLeads
		e.query(t, relatedQuery, nil).decode(t, &got)

		var page wirePage
		e.rest(t, "/leads?page_size=50", &page)
		e.sim.Reset()
		e.query(t, relatedQuery, nil).decode(t, &got)
		distinct := map[string]bool{}
		for _, l := range page.Results {
			for _, id := range append([]*string{l.LeadCategory, l.Source, l.Partner}, ptrs(l.Products)...) {
				if id != nil {
					distinct[*id] = true
				}
			}
		}
		if total := e.upstreamCalls(); total > int64(1+len(distinct)) {
			t.Errorf("upstream requests = %d, want at most 1 + %d distinct ids", total, len(distinct))
		}
	})

	t.Run("unselected relations cost nothing", func(t *testing.T) {
		e := newTestEnv(t, nil)
		var got relatedLeads
		e.query(t, `{ leads(first: 50) { edges { cursor node { id name leadType gender createdAt } }
			pageInfo { hasNextPage endCursor } } }`, nil).decode(t, &got)
		if total := e.upstreamCalls(); total != 1 {
			t.Errorf("upstream requests = %d (%v), want exactly 1", total, e.sim.Stats().Requests)
		}
	})
}

func ptrs(ids []string) []*string {
	out := make([]*string, len(ids))
	for i := range ids {
		out[i] = &ids[i]
	}
	return out
}

func TestWalkingPagesFollowsTheUpstreamOrder(t *testing.T) {
	e := newTestEnv(t, nil)
	var want []string
	var page wirePage
	e.rest(t, "/leads?page_size=100", &page)
	for _, l := range page.Results {
		want = append(want, l.ID)
	}
	cursor := page.Next
	page = wirePage{}
	e.rest(t, strings.TrimPrefix(*cursor, e.sim.URL()+"/commercial/api/v1"), &page)
	for _, l := range page.Results {
		want = append(want, l.ID)
	}

	var got []string
	var after *string
	for range 3 {
		var p relatedLeads
		e.query(t, `query($after: String) { leads(first: 50, after: $after) {
			edges { cursor node { id name } } pageInfo { hasNextPage endCursor } } }`,
			map[string]any{"after": after}).decode(t, &p)
		for _, edge := range p.Leads.Edges {
			got = append(got, edge.Node.ID)
		}
		end := p.Leads.PageInfo.EndCursor
		after = &end
	}

	seen := map[string]bool{}
	for i, id := range got {
		if seen[id] {
			t.Fatalf("lead %s appears twice", id)
		}
		seen[id] = true
		if i < len(want) && id != want[i] {
			t.Fatalf("lead %d = %s, upstream order has %s", i, id, want[i])
		}
	}
	if len(got) != 150 {
		t.Errorf("walked %d leads, want 150", len(got))
	}
}

func TestLeadLookup(t *testing.T) {
	e := newTestEnv(t, nil)

	t.Run("an unknown id is null without an error", func(t *testing.T) {
		var got struct{ Lead *struct{ ID string } }
		e.query(t, `{ lead(id: "00000000-0000-4000-8000-000000000000") { id } }`, nil).decode(t, &got)
		if got.Lead != nil {
			t.Errorf("lead = %+v, want null", got.Lead)
		}
	})

	t.Run("a malformed id is refused before any upstream call", func(t *testing.T) {
		for _, q := range []struct {
			query string
			vars  map[string]any
		}{
			{query: `{ lead(id: "not-a-uuid") { id } }`},
			{query: `{ mine: lead(id: "not-a-uuid") { id } }`},
			{query: `query($id: UUID!) { lead(id: $id) { id } }`, vars: map[string]any{"id": "12345"}},
		} {
			e.sim.Reset()
			resp := e.query(t, q.query, q.vars)
			if len(resp.Errors) != 1 {
				t.Fatalf("errors = %+v, want one", resp.Errors)
			}
			if c := resp.Errors[0].code(); c != "BAD_USER_INPUT" {
				t.Errorf("code = %s, want BAD_USER_INPUT", c)
			}
			if fields := fmt.Sprint(resp.Errors[0].Extensions["fields"]); fields != "[id]" {
				t.Errorf("fields = %s, want [id]", fields)
			}
			if n := e.upstreamCalls(); n != 0 {
				t.Errorf("upstream requests = %d, want 0", n)
			}
		}
	})

	t.Run("a known id answers the lead with its relations", func(t *testing.T) {
		var page wirePage
		e.rest(t, "/leads?page_size=1", &page)
		var got struct {
			Lead struct {
				ID       string
				Category *struct{ Name string }
			}
		}
		e.query(t, `query($id: UUID!) { lead(id: $id) { id category { name } } }`,
			map[string]any{"id": strings.ToUpper(page.Results[0].ID)}).decode(t, &got)
		if got.Lead.ID != page.Results[0].ID || got.Lead.Category == nil {
			t.Errorf("lead = %+v, want %s with its category", got.Lead, page.Results[0].ID)
		}
	})
}

// A single lead's related records are fetched as soon as the lead is known, as
// a page's are, instead of waiting for the loaders' batch window: with a window
// of a second, the lookup, the creation, the update and the revenue KPI each
// answer well before it ends, with the records.
func TestSingleLeadRelationsDoNotWaitForTheBatchWindow(t *testing.T) {
	e := newTestEnv(t, map[string]string{"CAPE_BATCH_WAIT": "1s", "CACHE_TTL": "0"})
	var page wirePage
	e.rest(t, "/leads?page_size=1", &page)
	id := page.Results[0].ID
	category, source := *page.Results[0].LeadCategory, *page.Results[0].Source
	created := fmt.Sprintf(`mutation { createLead(input: {name: "Kilimo Ltd", categoryId: %q, `+
		`sourceId: %q}) `, category, source)

	const selection = `{ id category { id } source { id } products { id } partner { id } }`
	for _, op := range []struct{ name, query, wantID, wantCategory, wantSource string }{
		{"lookup", `query($id: UUID!) { lead(id: $id) ` + selection + ` }`, id, category, source},
		{"creation", created + selection + ` }`, "", category, source},
		{"update", `mutation($id: UUID!) { updateLead(id: $id, input: {reference: "R-1"}) ` +
			selection + ` }`, id, category, source},
		{"revenue KPI", `{ usersRevenueKpi ` + selection + ` }`, "", "", ""},
	} {
		t.Run(op.name, func(t *testing.T) {
			vars := map[string]any{}
			if op.wantID != "" {
				vars["id"] = op.wantID
			}
			start := time.Now()
			resp := e.query(t, op.query, vars)
			took := time.Since(start)
			if len(resp.Errors) != 0 {
				t.Fatalf("errors = %+v", resp.Errors)
			}
			var got map[string]*struct {
				ID       string
				Category *struct{ ID string }
				Source   *struct{ ID string }
				Products []struct{ ID string }
				Partner  *struct{ ID string }
			}
			resp.decode(t, &got)
			for _, lead := range got {
				if lead == nil || (op.wantID != "" && lead.ID != op.wantID) ||
					lead.Category == nil || lead.Source == nil {
					t.Fatalf("lead = %+v, want a lead with its category and source", lead)
				}
				if op.wantCategory != "" && (lead.Category.ID != op.wantCategory ||
					lead.Source.ID != op.wantSource) {
					t.Errorf("category, source = %s, %s; want %s, %s", lead.Category.ID,
						lead.Source.ID, op.wantCategory, op.wantSource)
				}
			}
			if took >= time.Second {
				t.Errorf("took %s: the relations waited for the one-second batch window", took)
			}
		})
	}
}

func TestFirstBelowOneIsRefusedBeforeAnyUpstreamCall(t *testing.T) {
	e := newTestEnv(t, nil)
	for _, q := range []string{`{ leads(first: 0) { nodes { id } } }`, `{ products(first: -1) { nodes { id } } }`} {
		e.sim.Reset()
		resp := e.query(t, q, nil)
		if len(resp.Errors) != 1 || resp.Errors[0].code() != "BAD_USER_INPUT" {
			t.Fatalf("%s: errors = %+v, want one BAD_USER_INPUT", q, resp.Errors)
		}
		if n := e.upstreamCalls(); n != 0 {
			t.Errorf("%s: upstream requests = %d, want 0", q, n)
		}
	}
}
