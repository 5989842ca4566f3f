package upstream

import (
	"context"
	"net/http"
)

// LeadCategory groups leads.
type LeadCategory struct {
	ID          string  `json:"id"`
	Name        string  `json:"name"`
	Description *string `json:"description"`
}

// LeadCategoryInput is the body of a lead category creation. Both fields
// are required upstream.
type LeadCategoryInput struct {
	Name        string `json:"name"`
	Description string `json:"description"`
}

func leadCategoryID(lc *LeadCategory) string { return lc.ID }

// ListLeadCategories returns one page of lead categories.
//
// Upstream: GET /api/v1/lead-categories
func (c *Client) ListLeadCategories(ctx context.Context,
	opts ListOptions) (*Page[LeadCategory], error) {
	return listPage[LeadCategory](ctx, c, c.routes.LeadCategories, opts)
}

// GetLeadCategory returns the lead category with the given id.
//
// Upstream: GET /api/v1/lead-categories/{id}
func (c *Client) GetLeadCategory(ctx context.Context, id string) (*LeadCategory, error) {
	return getByID(ctx, c, c.routes.LeadCategories, id, leadCategoryID)
}

// ListLeadCategoriesByID returns the lead categories with the given ids, in
// the upstream's order, one call per 100 ids. Unknown ids are missing.
//
// Upstream: GET /api/v1/lead-categories?id__in={ids}&page_size={n}
func (c *Client) ListLeadCategoriesByID(ctx context.Context, ids []string) ([]LeadCategory, error) {
	return listByID[LeadCategory](ctx, c, c.routes.LeadCategories, ids)
}

// CreateLeadCategory creates a lead category and returns it as stored.
//
// Upstream: POST /api/v1/lead-categories
func (c *Client) CreateLeadCategory(ctx context.Context,
	in LeadCategoryInput) (*LeadCategory, error) {
	route := c.routes.LeadCategories
	r, err := newWithBody(http.MethodPost, route, route, in)
	if err != nil {
		return nil, err
	}

	var lc LeadCategory
	if err := c.do(ctx, r, &lc, requireID(&lc, leadCategoryID)); err != nil {
		return nil, err
	}
	return &lc, nil
}
