package upstream

import "context"

// UsersRevenueKPI returns the users' revenue KPI, which the upstream
// documents as a Lead. Unlike GetLead, it accepts an answer without an id.
//
// Upstream: GET /api/v1/leads/analytics/users-revenue-kpi
func (c *Client) UsersRevenueKPI(ctx context.Context) (*Lead, error) {
	route := c.routes.RevenueKPI

	var lead Lead
	if err := c.do(ctx, newGet(route, route, ""), &lead, nil); err != nil {
		return nil, err
	}
	return &lead, nil
}
