package cache

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"sync"
	"sync/atomic"
	"time"
)

// Backend keeps the cache's entries for a fixed time to live.
type Backend interface {
	// GetMany returns the value of each key, or nil for a miss. A backend that
	// keeps encoded values turns them into values with decode. A backend that
	// cannot answer reports misses, never an error.
	GetMany(ctx context.Context, keys []string, decode func([]byte) (any, error)) []any
	// SetMany keeps values[i] under keys[i]. Failures are the backend's to
	// report; the caller goes on without the entries.
	SetMany(ctx context.Context, keys []string, values []any)
}

// Result is what a lookup found for one id: a value, an error, or neither when
// the upstream does not know the id.
type Result[T any] struct {
	Value *T
	Err   error
}

// FetchFunc fetches records from the upstream, one Result per id, in the order
// of ids.
type FetchFunc[T any] func(ctx context.Context, ids []string) []Result[T]

// DefaultFetchTimeout bounds a shared fetch when Options leaves it zero.
const DefaultFetchTimeout = 30 * time.Second

// Options tune a Cache.
type Options struct {
	// FetchTimeout bounds a shared fetch, which no single caller can cancel.
	FetchTimeout time.Duration
}

// Cache is a cross-request cache over a Backend, with one flight per missing
// key. It is safe for concurrent use and is meant to live as long as the
// process.
type Cache struct {
	backend      Backend
	fetchTimeout time.Duration

	mu      sync.Mutex
	flights map[string]*flight
	waiting atomic.Int64

	// waitHook, when set by a test, runs as a caller starts waiting on flights.
	waitHook func()
}

// flight is one fetch of one key, shared by every request that misses that key
// while it is in the air. value and err are set before done is closed.
type flight struct {
	done  chan struct{}
	value any
	err   error
}

// New returns a cache that keeps its entries in b.
func New(b Backend, opts Options) *Cache {
	if opts.FetchTimeout <= 0 {
		opts.FetchTimeout = DefaultFetchTimeout
	}
	return &Cache{backend: b, fetchTimeout: opts.FetchTimeout, flights: map[string]*flight{}}
}

// Load returns the records of ids, one Result per id in order, from c where it
// can and from fetch for the rest. kind names the resource, so that ids of
// different resources never meet. Without a cache (nil c) or without a
// credential in ctx to partition by, Load simply calls fetch.
//
// The misses of one call go to fetch together, so a batch stays one batch; a
// miss that another request is already fetching waits for that fetch instead.
func Load[T any](ctx context.Context, c *Cache, kind string, ids []string, fetch FetchFunc[T],
) []Result[T] {
	if c == nil || len(ids) == 0 {
		return fetch(ctx, ids)
	}
	partition, ok := Partition(ctx)
	if !ok {
		return fetch(ctx, ids)
	}

	keys := make([]string, len(ids))
	for i, id := range ids {
		keys[i] = kind + ":" + partition + ":" + id
	}
	out := make([]Result[T], len(ids))
	var missing []int
	for i, v := range c.backend.GetMany(ctx, keys, decodeJSON[T]) {
		if t, ok := v.(*T); ok && t != nil {
			out[i].Value = t
		} else {
			missing = append(missing, i)
		}
	}
	if len(missing) == 0 {
		return out
	}

	flights := join(ctx, c, ids, keys, missing, fetch)
	c.waiting.Add(1)
	defer c.waiting.Add(-1)
	if c.waitHook != nil {
		c.waitHook()
	}
	for j, f := range flights {
		i := missing[j]
		select {
		case <-f.done:
			out[i].Value, _ = f.value.(*T)
			out[i].Err = f.err
		case <-ctx.Done():
			out[i].Err = ctx.Err()
		}
	}
	return out
}

// Waiting is how many callers are waiting for shared fetches right now.
func (c *Cache) Waiting() int { return int(c.waiting.Load()) }

// join returns a flight for each missing key: the one in the air for that key,
// or a new one. The new ones are fetched together in the background.
func join[T any](ctx context.Context, c *Cache, ids, keys []string, missing []int,
	fetch FetchFunc[T],
) []*flight {
	flights := make([]*flight, len(missing))
	var leadIDs, leadKeys []string
	var lead []*flight

	c.mu.Lock()
	for j, i := range missing {
		if f, ok := c.flights[keys[i]]; ok {
			flights[j] = f
			continue
		}
		f := &flight{done: make(chan struct{})}
		c.flights[keys[i]] = f
		flights[j] = f
		lead = append(lead, f)
		leadIDs = append(leadIDs, ids[i])
		leadKeys = append(leadKeys, keys[i])
	}
	c.mu.Unlock()

	if len(lead) > 0 {
		go fly(context.WithoutCancel(ctx), c, leadIDs, leadKeys, lead, fetch)
	}
	return flights
}

// fly fetches the ids of new flights, keeps what was found and completes the
// flights. ctx keeps the values of the request that started the flights (its
// token among them: every waiter shares its partition) but not its
// cancellation.
func fly[T any](ctx context.Context, c *Cache, ids, keys []string, flights []*flight,
	fetch FetchFunc[T],
) {
	ctx, cancel := context.WithTimeout(ctx, c.fetchTimeout)
	defer cancel()
	results := safeFetch(ctx, ids, fetch)

	var foundKeys []string
	var found []any
	for i, r := range results {
		if r.Err == nil && r.Value != nil {
			foundKeys = append(foundKeys, keys[i])
			found = append(found, r.Value)
		}
	}
	if len(found) > 0 {
		c.backend.SetMany(ctx, foundKeys, found)
	}

	c.mu.Lock()
	for _, k := range keys {
		delete(c.flights, k)
	}
	c.mu.Unlock()
	for i, f := range flights {
		if results[i].Value != nil {
			f.value = results[i].Value
		}
		f.err = results[i].Err
		close(f.done)
	}
}

// errBadFetch is the result of a fetch that panicked or broke its contract.
var errBadFetch = errors.New("cache: fetch failed")

// safeFetch calls fetch, turning a panic or a result of the wrong length into
// an error for every id: a background flight has no one else to recover it.
func safeFetch[T any](ctx context.Context, ids []string, fetch FetchFunc[T]) (out []Result[T]) {
	defer func() {
		if p := recover(); p != nil {
			out = failAll[T](len(ids), fmt.Errorf("%w: panic: %v", errBadFetch, p))
		}
	}()
	out = fetch(ctx, ids)
	if len(out) != len(ids) {
		return failAll[T](len(ids), fmt.Errorf("%w: %d results for %d ids",
			errBadFetch, len(out), len(ids)))
	}
	return out
}

func failAll[T any](n int, err error) []Result[T] {
	out := make([]Result[T], n)
	for i := range out {
		out[i].Err = err
	}
	return out
}

// decodeJSON decodes an entry that a backend keeps as JSON.
func decodeJSON[T any](raw []byte) (any, error) {
	v := new(T)
	if err := json.Unmarshal(raw, v); err != nil {
		return nil, err
	}
	return v, nil
}
