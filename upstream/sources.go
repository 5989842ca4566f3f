package upstream

import "context"

// Source is where a lead came from.
type Source struct {
	ID          string  `json:"id"`
	Name        string  `json:"name"`
	Description *string `json:"description"`
}

func sourceID(s *Source) string { return s.ID }

// ListSources returns one page of sources.
//
// Upstream: GET /api/v1/sources
func (c *Client) ListSources(ctx context.Context, opts ListOptions) (*Page[Source], error) {
	return listPage[Source](ctx, c, c.routes.Sources, opts)
}

// GetSource returns the source with the given id.
//
// Upstream: GET /api/v1/sources/{id}
func (c *Client) GetSource(ctx context.Context, id string) (*Source, error) {
	return getByID(ctx, c, c.routes.Sources, id, sourceID)
}

// ListSourcesByID returns the sources with the given ids, in the upstream's
// order, one call per 100 ids. Unknown ids are missing.
//
// Upstream: GET /api/v1/sources?id__in={ids}&page_size={n}
func (c *Client) ListSourcesByID(ctx context.Context, ids []string) ([]Source, error) {
	return listByID[Source](ctx, c, c.routes.Sources, ids)
}
