// Package loaders batches the lookups of a lead's related records (lead categories,
// sources, products, partners) within one GraphQL request.
//
// A Loaders value is built for each request and dropped with it. Records outlive
// a request only in the optional cross-request cache (Config.Cache), which is
// partitioned by credential, so nothing one caller fetched is ever served to
// another. Each loader answers a batch in key order with one result per key, and
// a key the upstream does not know resolves to ErrNotFound. How a batch reaches
// the upstream is the Strategy: one list call with an id__in filter, or one GET
// per distinct id, all in flight at once within a bound.
package loaders
