// Package cache keeps reference records (lead categories, sources, products,
// partners) across requests, so that the common lead query does not fetch the
// same few records again for every caller.
//
// Entries are partitioned by credential: a key holds the verified subject and
// roles, or a hash of the raw token when no claims were verified, so no caller
// is ever served what another caller's token fetched. Only records the upstream
// returned are kept; errors and unknown ids are never cached.
//
// Misses for the same key that are in flight at once are fetched once (single
// flight). The shared fetch runs detached from the request that started it, so
// a caller who goes away does not fail the others waiting on the same fetch;
// each waiter stops waiting when its own context ends.
//
// Entries live in a Backend: process memory (NewMemory), bounded and expiring,
// or Redis (NewRedis), shared by every replica. A Redis that fails or goes away
// only turns lookups into misses.
package cache
