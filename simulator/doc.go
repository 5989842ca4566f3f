// Package simulator serves a faithful stand-in for the Cape Digital commercial
// REST API and its Keycloak realm over real HTTP.
//
// The REST API lives under /commercial/api/v1 with Django REST Framework
// conventions: cursor paging with absolute next/previous URLs, page_size
// (default 20, clamped to 100), the id__in filter on every list, DRF error
// bodies, and bearer tokens that must be RS256-signed by a published key of
// the simulator's own issuer. The data is seeded and deterministic: the same
// seed gives the same leads, categories, sources, products, partners and users,
// including the awkward cases of the real data (gender "", null or absent,
// absent lead_type and partner, null references).
//
// The realm lives under /realms/capemedia (token endpoint, key set, OpenID
// configuration). Test controls live under /__sim: request statistics, reset,
// token signing, key rotation and injected faults.
package simulator
