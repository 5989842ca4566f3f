package loaders

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"time"

	"github.com/graph-gophers/dataloader/v7"
	"golang.org/x/sync/errgroup"

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
}

// DefaultConfig is the configuration the gateway starts with.
var DefaultConfig = Config{Strategy: Each, Wait: time.Millisecond, Concurrency: 16}

// Loaders holds one loader per related resource, for one request.
type Loaders struct {
	LeadCategories *dataloader.Loader[string, *upstream.LeadCategory]
	Sources        *dataloader.Loader[string, *upstream.Source]
	Products       *dataloader.Loader[string, *upstream.Product]
	Partners       *dataloader.Loader[string, *upstream.Partner]
}

// New builds the loaders of one request.
func New(c *upstream.Client, cfg Config) *Loaders {
	return &Loaders{
		LeadCategories: newLoader(cfg, c.GetLeadCategory, c.ListLeadCategoriesByID,
			func(v *upstream.LeadCategory) string { return v.ID }),
		Sources: newLoader(cfg, c.GetSource, c.ListSourcesByID,
			func(v *upstream.Source) string { return v.ID }),
		Products: newLoader(cfg, c.GetProduct, c.ListProductsByID,
			func(v *upstream.Product) string { return v.ID }),
		Partners: newLoader(cfg, c.GetPartner, c.ListPartnersByID,
			func(v *upstream.Partner) string { return v.ID }),
	}
}

type (
	getFunc[T any]  func(ctx context.Context, id string) (*T, error)
	listFunc[T any] func(ctx context.Context, ids []string) ([]T, error)
)

func newLoader[T any](cfg Config, get getFunc[T], list listFunc[T], idOf func(*T) string,
) *dataloader.Loader[string, *T] {
	var batch dataloader.BatchFunc[string, *T]
	if cfg.Strategy == Filter {
		batch = filterBatch(list, idOf)
	} else {
		batch = eachBatch(get, max(cfg.Concurrency, 1))
	}
	return dataloader.NewBatchedLoader(batch,
		dataloader.WithWait[string, *T](cfg.Wait),
		dataloader.WithBatchCapacity[string, *T](upstreamMaxIDs))
}

// upstreamMaxIDs is the most ids one id__in list call can answer (the upstream's
// largest page).
const upstreamMaxIDs = 100

// filterBatch answers a batch with one id__in list call.
func filterBatch[T any](list listFunc[T], idOf func(*T) string) dataloader.BatchFunc[string, *T] {
	return func(ctx context.Context, keys []string) []*dataloader.Result[*T] {
		records, err := list(ctx, keys)
		results := make([]*dataloader.Result[*T], len(keys))
		if err != nil {
			for i := range results {
				results[i] = &dataloader.Result[*T]{Error: err}
			}
			return results
		}

		byID := make(map[string]*T, len(records))
		for i := range records {
			byID[idOf(&records[i])] = &records[i]
		}
		for i, key := range keys {
			if v, ok := byID[key]; ok {
				results[i] = &dataloader.Result[*T]{Data: v}
			} else {
				results[i] = &dataloader.Result[*T]{Error: ErrNotFound}
			}
		}
		return results
	}
}

// eachBatch answers a batch with one GET per key, at most limit at once. The
// loader has already removed repeated keys.
func eachBatch[T any](get getFunc[T], limit int) dataloader.BatchFunc[string, *T] {
	return func(ctx context.Context, keys []string) []*dataloader.Result[*T] {
		results := make([]*dataloader.Result[*T], len(keys))
		var g errgroup.Group
		g.SetLimit(limit)
		for i, key := range keys {
			g.Go(func() error {
				v, err := get(ctx, key)
				switch {
				case upstream.IsNotFound(err):
					results[i] = &dataloader.Result[*T]{Error: ErrNotFound}
				case err != nil:
					results[i] = &dataloader.Result[*T]{Error: err}
				default:
					results[i] = &dataloader.Result[*T]{Data: v}
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

// Middleware gives every request its own fresh loaders.
func Middleware(c *upstream.Client, cfg Config) func(http.Handler) http.Handler {
	return func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			ctx := WithLoaders(r.Context(), New(c, cfg))
			next.ServeHTTP(w, r.WithContext(ctx))
		})
	}
}
