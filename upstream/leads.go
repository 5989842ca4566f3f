package upstream

import (
	"context"
	"net/http"
)

// Lead is a sales lead as the upstream sends it. Pointer fields are nil when
// the field is absent or null; Gender may also point at "".
type Lead struct {
	ID            string   `json:"id"`
	Name          string   `json:"name"`
	ContactPerson *string  `json:"contact_person"`
	ContactPhone  *string  `json:"contact_phone"`
	ContactEmail  *string  `json:"contact_email"`
	LeadCategory  *string  `json:"lead_category"`
	Source        *string  `json:"source"`
	Products      []string `json:"products"`
	Status        *string  `json:"status"`
	Node          *string  `json:"node"`
	CreatedAt     *Time    `json:"created_at"`
	UpdatedAt     *Time    `json:"updated_at"`
	Reference     *string  `json:"reference"`
	LeadType      *string  `json:"lead_type"`
	Gender        *string  `json:"gender"`
	Partner       *string  `json:"partner"`
}

// LeadInput is the body of a lead creation. Nil and empty fields are left out.
type LeadInput struct {
	Name          string   `json:"name"`
	ContactPerson *string  `json:"contact_person,omitempty"`
	ContactPhone  *string  `json:"contact_phone,omitempty"`
	ContactEmail  *string  `json:"contact_email,omitempty"`
	LeadCategory  *string  `json:"lead_category,omitempty"`
	Source        *string  `json:"source,omitempty"`
	Products      []string `json:"products,omitempty"`
	Reference     *string  `json:"reference,omitempty"`
	LeadType      *string  `json:"lead_type,omitempty"`
	Gender        *string  `json:"gender,omitempty"`
	Partner       *string  `json:"partner,omitempty"`
}

// LeadUpdate is the body of a partial lead update: only Set fields are sent,
// and a Null field is sent as JSON null.
type LeadUpdate struct {
	Name          Optional[string]   `json:"name,omitzero"`
	ContactPerson Optional[string]   `json:"contact_person,omitzero"`
	ContactPhone  Optional[string]   `json:"contact_phone,omitzero"`
	ContactEmail  Optional[string]   `json:"contact_email,omitzero"`
	LeadCategory  Optional[string]   `json:"lead_category,omitzero"`
	Source        Optional[string]   `json:"source,omitzero"`
	Products      Optional[[]string] `json:"products,omitzero"`
	Reference     Optional[string]   `json:"reference,omitzero"`
	LeadType      Optional[string]   `json:"lead_type,omitzero"`
	Gender        Optional[string]   `json:"gender,omitzero"`
	Partner       Optional[string]   `json:"partner,omitzero"`
}

func leadID(l *Lead) string { return l.ID }

// ListLeads returns one page of leads.
//
// Upstream: GET /api/v1/leads
func (c *Client) ListLeads(ctx context.Context, opts ListOptions) (*Page[Lead], error) {
	r := newGet(c.routes.Leads, c.routes.Leads, opts.query())
	// A page's leads are read once, to answer one request; the reference
	// records that are kept across requests come from other routes.
	r.shareBody = true
	return getPage[Lead](ctx, c, r)
}

// GetLead returns the lead with the given id.
//
// Upstream: GET /api/v1/leads/{id}
func (c *Client) GetLead(ctx context.Context, id string) (*Lead, error) {
	return getByID(ctx, c, c.routes.Leads, id, leadID)
}

// ListLeadsByID returns the leads with the given ids, in the upstream's
// order, one call per 100 ids. Unknown ids are missing from the result.
//
// Upstream: GET /api/v1/leads?id__in={ids}&page_size={n}
func (c *Client) ListLeadsByID(ctx context.Context, ids []string) ([]Lead, error) {
	return listByID[Lead](ctx, c, c.routes.Leads, ids)
}

// CreateLead creates a lead and returns it as stored.
//
// Upstream: POST /api/v1/leads
func (c *Client) CreateLead(ctx context.Context, in LeadInput) (*Lead, error) {
	r, err := newWithBody(http.MethodPost, c.routes.Leads, c.routes.Leads, in)
	if err != nil {
		return nil, err
	}

	var lead Lead
	if err := c.do(ctx, r, &lead, requireID(&lead, leadID)); err != nil {
		return nil, err
	}
	return &lead, nil
}

// UpdateLead changes the Set fields of the lead with the given id and
// returns the lead as stored.
//
// Upstream: PATCH /api/v1/leads/{id}
func (c *Client) UpdateLead(ctx context.Context, id string, in LeadUpdate) (*Lead, error) {
	path, route, err := itemPath(c.routes.Leads, id)
	if err != nil {
		return nil, err
	}
	r, err := newWithBody(http.MethodPatch, route, path, in)
	if err != nil {
		return nil, err
	}

	var lead Lead
	if err := c.do(ctx, r, &lead, requireID(&lead, leadID)); err != nil {
		return nil, err
	}
	return &lead, nil
}
