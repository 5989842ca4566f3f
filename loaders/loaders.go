package loaders

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"sync"
	"time"

	"github.com/google/uuid"
	"github.com/graph-gophers/dataloader/v7"
	"golang.org/x/sync/errgroup"

	"github.com/capedigital/cape-gateway/cache"
	"github.com/capedigital/cape-gateway/upstream"
)

// ErrNotFound is the result of a key the upstream does not know.
var ErrNotFound = errors.New("not found")

// Strategy says how a batch of ids reaches the upstream.
type Strategy string

const (
	// Each makes one GET per distinct id, concurrently within Config.Concurrency.
	Each Strategy = "each"
	// Filter makes one list call with an id__in filter per batch.
	Filter Strategy = "filter"
)

// ParseStrategy reads a strategy name as written in configuration.
func ParseStrategy(s string) (Strategy, error) {
	switch Strategy(s) {
	case Each, Filter:
		return Strategy(s), nil
	}
	return "", fmt.Errorf("unknown batch strategy %q (want each or filter)", s)
}

// Config tunes the loaders.
type Config struct {
	Strategy Strategy
	// Wait is how long a loader gathers keys before it sends a batch.
	Wait time.Duration
	// Concurrency bounds the GETs in flight at once for one batch (Each).
	Concurrency int
	// Observe, when set, is called as each batch starts with the resource
	// ("lead_categories", "sources", "products" or "partners") and the number
	// of keys; the batch runs under the context it returns and calls done
	// when it ends. Metrics and tracing hook in here.
	Observe func(ctx context.Context, resource string, size int) (_ context.Context, done func())
	// Cache, when set, keeps reference records across requests, partitioned by
	// credential (see package cache); nil fetches every batch from the upstream.
	Cache *cache.Cache
}

// DefaultConfig is the configuration the gateway starts with.
var DefaultConfig = Config{Strategy: Each, Wait: time.Millisecond, Concurrency: 16}

// Loaders holds one loader per related resource, for one request.
type Loaders struct {
	LeadCategories *dataloader.Loader[string, *upstream.LeadCategory]
	Sources        *dataloader.Loader[string, *upstream.Source]
	Products       *dataloader.Loader[string, *upstream.Product]
	Partners       *dataloader.Loader[string, *upstream.Partner]

	prefetch [4]prefetchFunc // in the order of Prefetch's fields
}

// New builds the loaders of one request.
func New(c *upstream.Client, cfg Config) *Loaders {
	l := &Loaders{}
	l.LeadCategories, l.prefetch[0] = newLoader(cfg, "lead_categories", c.GetLeadCategory,
		c.ListLeadCategoriesByID, func(v *upstream.LeadCategory) string { return v.ID })
	l.Sources, l.prefetch[1] = newLoader(cfg, "sources", c.GetSource, c.ListSourcesByID,
		func(v *upstream.Source) string { return v.ID })
	l.Products, l.prefetch[2] = newLoader(cfg, "products", c.GetProduct, c.ListProductsByID,
		func(v *upstream.Product) string { return v.ID })
	l.Partners, l.prefetch[3] = newLoader(cfg, "partners", c.GetPartner, c.ListPartnersByID,
		func(v *upstream.Partner) string { return v.ID })
	return l
}

// Prefetch names related records a request is about to load, per resource.
type Prefetch struct {
	LeadCategories, Sources, Products, Partners []string
}

// Prefetch fetches the records named in p that this request has not loaded
// yet, each resource in batches of its own, all resources at once, and returns
// when they are in the loaders. Later Loads of those keys answer from there, so
// a page's lookups cost one batch per resource however the goroutines that
// load them are scheduled; the loaders' wait window only gathers the keys that
// no one named in advance.
func (l *Loaders) Prefetch(ctx context.Context, p Prefetch) {
	var wg sync.WaitGroup
	for i, ids := range [...][]string{p.LeadCategories, p.Sources, p.Products, p.Partners} {
		if len(ids) > 0 {
			wg.Go(func() { l.prefetch[i](ctx, ids) })
		}
	}
	wg.Wait()
}

// prefetchFunc fetches ids into one loader's cache.
type prefetchFunc func(ctx context.Context, ids []string)

type (
	getFunc[T any]  func(ctx context.Context, id string) (*T, error)
	listFunc[T any] func(ctx context.Context, ids []string) ([]T, error)
)

func newLoader[T any](cfg Config, resource string, get getFunc[T], list listFunc[T],
	idOf func(*T) string,
) (*dataloader.Loader[string, *T], prefetchFunc) {
	var fetch cache.FetchFunc[T]
	if cfg.Strategy == Filter {
		fetch = fetchFiltered(list, idOf)
	} else {
		fetch = fetchEach(get, max(cfg.Concurrency, 1))
	}
	batch := batchFunc(cfg.Cache, resource, fetch)
	if observe, inner := cfg.Observe, batch; observe != nil {
		batch = func(ctx context.Context, keys []string) []*dataloader.Result[*T] {
			ctx, done := observe(ctx, resource, len(keys))
			defer done()
			return inner(ctx, keys)
		}
	}
	thunks := dataloader.NewCache[string, *T]()
	loader := dataloader.NewBatchedLoader(batch,
		dataloader.WithCache[string, *T](thunks),
		dataloader.WithWait[string, *T](cfg.Wait),
		dataloader.WithBatchCapacity[string, *T](upstreamMaxIDs))
	return loader, prefetcher(batch, thunks)
}

// prefetcher fetches the ids a loader has no thunk for yet with its own batch
// function, in batches of at most upstreamMaxIDs, and stores their results as
// the loader's thunks.
func prefetcher[T any](batch dataloader.BatchFunc[string, *T],
	thunks dataloader.Cache[string, *T],
) prefetchFunc {
	return func(ctx context.Context, ids []string) {
		todo := make([]string, 0, len(ids))
		for _, id := range ids {
			if _, ok := thunks.Get(ctx, id); !ok {
				todo = append(todo, id)
			}
		}
		for start := 0; start < len(todo); start += upstreamMaxIDs {
			chunk := todo[start:min(start+upstreamMaxIDs, len(todo))]
			for i, r := range batch(ctx, chunk) {
				thunks.Set(ctx, chunk[i], func() (*T, error) { return r.Data, r.Error })
			}
		}
	}
}

// upstreamMaxIDs is the most ids one id__in list call can answer (the upstream's
// largest page).
const upstreamMaxIDs = 100

// batchFunc answers a batch through the cross-request cache c (nil for none),
// whose misses go to fetch together, and turns an id that no one knows into
// ErrNotFound.
func batchFunc[T any](c *cache.Cache, resource string, fetch cache.FetchFunc[T],
) dataloader.BatchFunc[string, *T] {
	return func(ctx context.Context, keys []string) []*dataloader.Result[*T] {
		found := cache.Load(ctx, c, resource, keys, fetch)
		results := make([]*dataloader.Result[*T], len(keys))
		backing := make([]dataloader.Result[*T], len(keys))
		for i, r := range found {
			switch {
			case r.Err != nil:
				backing[i].Error = r.Err
			case r.Value == nil:
				backing[i].Error = ErrNotFound
			default:
				backing[i].Data = r.Value
			}
			results[i] = &backing[i]
		}
		return results
	}
}

// fetchFiltered fetches a batch with one id__in list call. An id that is not a
// UUID cannot name an upstream record and would make the upstream refuse the
// whole filter, so it is left out and reported as unknown.
func fetchFiltered[T any](list listFunc[T], idOf func(*T) string) cache.FetchFunc[T] {
	return func(ctx context.Context, ids []string) []cache.Result[T] {
		results := make([]cache.Result[T], len(ids))
		valid := make([]string, 0, len(ids))
		for _, id := range ids {
			if _, err := uuid.Parse(id); err == nil {
				valid = append(valid, id)
			}
		}
		if len(valid) == 0 {
			return results
		}
		records, err := list(ctx, valid)
		if err != nil {
			for i := range results {
				results[i].Err = err
			}
			return results
		}

		byID := make(map[string]*T, len(records))
		for i := range records {
			byID[idOf(&records[i])] = &records[i]
		}
		for i, id := range ids {
			results[i].Value = byID[id]
		}
		return results
	}
}

// fetchEach fetches a batch with one GET per id, at most limit at once. The
// loader has already removed repeated ids.
func fetchEach[T any](get getFunc[T], limit int) cache.FetchFunc[T] {
	return func(ctx context.Context, ids []string) []cache.Result[T] {
		results := make([]cache.Result[T], len(ids))
		var g errgroup.Group
		g.SetLimit(limit)
		for i, id := range ids {
			g.Go(func() error {
				v, err := get(ctx, id)
				switch {
				case upstream.IsNotFound(err):
				case err != nil:
					results[i].Err = err
				default:
					results[i].Value = v
				}
				return nil
			})
		}
		_ = g.Wait()
		return results
	}
}

type contextKey struct{}

// WithLoaders returns a context that carries l.
func WithLoaders(ctx context.Context, l *Loaders) context.Context {
	return context.WithValue(ctx, contextKey{}, l)
}

// FromContext returns the loaders of the request ctx belongs to.
func FromContext(ctx context.Context) (*Loaders, bool) {
	l, ok := ctx.Value(contextKey{}).(*Loaders)
	return l, ok
}

// Middleware gives every request its own fresh loaders and its own upstream
// request scope, in which identical GETs in flight are made once.
func Middleware(c *upstream.Client, cfg Config) func(http.Handler) http.Handler {
	return func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			ctx := WithLoaders(upstream.WithRequestScope(r.Context()), New(c, cfg))
			next.ServeHTTP(w, r.WithContext(ctx))
		})
	}
}
