package gateway

import (
	"context"
	"fmt"
	"log/slog"
	"time"

	"github.com/99designs/gqlgen/graphql"

	"github.com/capedigital/cape-gateway/cache"
)

// Redis key prefixes of the two caches, and how long a persisted query stays.
const (
	referenceKeyPrefix     = "cape:ref:"
	persistedQueryPrefix   = "cape:apq:"
	persistedQueryLifetime = 24 * time.Hour
)

// startCaches connects to Redis when REDIS_URL is set and builds the
// cross-request cache of reference records unless CACHE_TTL is 0. A Redis
// that does not answer is only a warning: lookups miss until it does.
func (gw *Gateway) startCaches(ctx context.Context) error {
	if gw.cfg.RedisURL != "" {
		r, err := cache.NewRedis(gw.cfg.RedisURL, cache.RedisOptions{Logger: gw.logger})
		if err != nil {
			return err
		}
		gw.redis = r
		pctx, cancel := context.WithTimeout(ctx, time.Second)
		defer cancel()
		if err := r.Ping(pctx); err != nil {
			gw.logger.Warn("redis does not answer: caches miss until it does",
				slog.Any("error", err))
		}
	}
	if gw.cfg.CacheTTL <= 0 {
		return nil
	}

	var backend cache.Backend
	if gw.redis != nil {
		backend = gw.redis.Backend(referenceKeyPrefix, gw.cfg.CacheTTL)
	} else {
		mem, err := cache.NewMemory(gw.cfg.CacheMaxEntries, gw.cfg.CacheTTL)
		if err != nil {
			return fmt.Errorf("CACHE_MAX_ENTRIES: %w", err)
		}
		backend = mem
	}
	// A shared fetch may make several upstream calls, each within the timeout.
	gw.references = cache.New(backend, cache.Options{FetchTimeout: 2 * gw.cfg.UpstreamTimeout})
	return nil
}

// redisQueryCache is the persisted query cache in Redis, or nil without
// REDIS_URL.
func (gw *Gateway) redisQueryCache() graphql.Cache[string] {
	if gw.redis == nil {
		return nil
	}
	return gw.redis.QueryCache(persistedQueryPrefix, persistedQueryLifetime)
}
