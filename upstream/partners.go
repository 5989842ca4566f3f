package upstream

import "context"

// Partner is an organisation a lead can be attached to.
type Partner struct {
	ID          string  `json:"id"`
	Name        string  `json:"name"`
	Description *string `json:"description"`
}

func partnerID(p *Partner) string { return p.ID }

// ListPartners returns one page of partners.
//
// Upstream: GET /api/v1/partners
func (c *Client) ListPartners(ctx context.Context, opts ListOptions) (*Page[Partner], error) {
	return listPage[Partner](ctx, c, c.routes.Partners, opts)
}

// GetPartner returns the partner with the given id.
//
// Upstream: GET /api/v1/partners/{id}
func (c *Client) GetPartner(ctx context.Context, id string) (*Partner, error) {
	return getByID(ctx, c, c.routes.Partners, id, partnerID)
}

// ListPartnersByID returns the partners with the given ids, in the
// upstream's order, one call per 100 ids. Unknown ids are missing.
//
// Upstream: GET /api/v1/partners?id__in={ids}&page_size={n}
func (c *Client) ListPartnersByID(ctx context.Context, ids []string) ([]Partner, error) {
	return listByID[Partner](ctx, c, c.routes.Partners, ids)
}
