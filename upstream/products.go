package upstream

import "context"

// Product is something a lead can be sold. Price is a decimal kept exactly
// as sent; the upstream may write it as a string ("1500.00") or a number.
type Product struct {
	ID          string   `json:"id"`
	Name        string   `json:"name"`
	Description *string  `json:"description"`
	Price       *Decimal `json:"price"`
}

func productID(p *Product) string { return p.ID }

// ListProducts returns one page of products.
//
// Upstream: GET /api/v1/products
func (c *Client) ListProducts(ctx context.Context, opts ListOptions) (*Page[Product], error) {
	return listPage[Product](ctx, c, c.routes.Products, opts)
}

// GetProduct returns the product with the given id.
//
// Upstream: GET /api/v1/products/{id}
func (c *Client) GetProduct(ctx context.Context, id string) (*Product, error) {
	return getByID(ctx, c, c.routes.Products, id, productID)
}

// ListProductsByID returns the products with the given ids, in the
// upstream's order, one call per 100 ids. Unknown ids are missing.
//
// Upstream: GET /api/v1/products?id__in={ids}&page_size={n}
func (c *Client) ListProductsByID(ctx context.Context, ids []string) ([]Product, error) {
	return listByID[Product](ctx, c, c.routes.Products, ids)
}
