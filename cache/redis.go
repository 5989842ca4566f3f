package cache

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"sync"
	"sync/atomic"
	"time"

	"github.com/redis/go-redis/v9"
	"github.com/redis/go-redis/v9/maintnotifications"
)

// Timeouts of Redis calls when REDIS_URL does not set them: a cache that
// answers slower than the upstream is worse than none.
const (
	defaultRedisDialTimeout = 500 * time.Millisecond
	defaultRedisIOTimeout   = 200 * time.Millisecond
)

// RedisOptions tune how a Redis connection copes with failures.
type RedisOptions struct {
	// Logger receives a warning when Redis fails, at most once per WarnEvery.
	Logger    *slog.Logger
	WarnEvery time.Duration // default 30s
	// Pause is how long every lookup is a miss after a failure, so that a
	// Redis that hangs does not slow every request down. Default 1s.
	Pause time.Duration
}

// Redis is a connection to a Redis server shared by the reference record
// cache (Backend) and the persisted query cache (QueryCache). A failed call
// counts as a miss, and for a short pause afterwards Redis is not asked at all.
type Redis struct {
	client    *redis.Client
	logger    *slog.Logger
	warnEvery time.Duration
	pause     time.Duration

	skipUntil atomic.Int64 // unix nanoseconds
	lastWarn  atomic.Int64 // unix nanoseconds
}

// NewRedis connects to the Redis server at rawURL (redis://, rediss:// or
// unix://, as go-redis parses it). It does not wait for the server: one that
// is down only makes lookups miss.
func NewRedis(rawURL string, opts RedisOptions) (*Redis, error) {
	ro, err := redis.ParseURL(rawURL)
	if err != nil {
		return nil, fmt.Errorf("cache: REDIS_URL: %w", err)
	}
	if ro.DialTimeout == 0 {
		ro.DialTimeout = defaultRedisDialTimeout
	}
	if ro.ReadTimeout == 0 {
		ro.ReadTimeout = defaultRedisIOTimeout
	}
	if ro.WriteTimeout == 0 {
		ro.WriteTimeout = defaultRedisIOTimeout
	}
	ro.MaxRetries = -1 // a miss is cheaper than a retry
	ro.DialerRetries = 1
	ro.DisableIdentity = true
	ro.MaintNotificationsConfig = &maintnotifications.Config{Mode: maintnotifications.ModeDisabled}

	r := &Redis{
		client: redis.NewClient(ro), logger: opts.Logger,
		warnEvery: opts.WarnEvery, pause: opts.Pause,
	}
	if r.logger == nil {
		r.logger = slog.New(slog.DiscardHandler)
	}
	quietLibrary.Do(func() { redis.SetLogger(libraryLog{r.logger}) })
	if r.warnEvery <= 0 {
		r.warnEvery = 30 * time.Second
	}
	if r.pause <= 0 {
		r.pause = time.Second
	}
	return r, nil
}

// Ping checks that the server answers.
func (r *Redis) Ping(ctx context.Context) error {
	return r.client.Ping(ctx).Err()
}

// Close closes the connections.
func (r *Redis) Close() error { return r.client.Close() }

// Backend returns a Backend that keeps JSON values under prefix+key for ttl.
func (r *Redis) Backend(prefix string, ttl time.Duration) Backend {
	return &redisBackend{r: r, prefix: prefix, ttl: ttl}
}

// available says whether Redis may be asked, that is no failure in the last
// pause.
func (r *Redis) available() bool {
	return time.Now().UnixNano() >= r.skipUntil.Load()
}

// failed records a failure of op: Redis is left alone for a pause and a
// warning is logged unless one was logged recently. A call that failed
// because its caller went away is not Redis's failure.
func (r *Redis) failed(ctx context.Context, op string, err error) {
	if ctx.Err() != nil || errors.Is(err, context.Canceled) {
		return
	}
	now := time.Now().UnixNano()
	r.skipUntil.Store(now + int64(r.pause))
	last := r.lastWarn.Load()
	if now-last >= int64(r.warnEvery) && r.lastWarn.CompareAndSwap(last, now) {
		r.logger.Warn("redis cache unavailable: lookups miss and go to the upstream",
			slog.String("op", op), slog.Any("error", err),
			slog.Duration("next_warning_in", r.warnEvery))
	}
}

// quietLibrary turns go-redis's own log lines, which it writes to stderr for
// every failed dial, into debug lines of the first Redis's logger. go-redis
// has one logger per process; the warnings of Redis.failed say what matters.
var quietLibrary sync.Once

type libraryLog struct{ logger *slog.Logger }

func (l libraryLog) Printf(ctx context.Context, format string, v ...any) {
	l.logger.DebugContext(ctx, "go-redis: "+fmt.Sprintf(format, v...))
}

// redisBackend is a Backend of JSON values in Redis.
type redisBackend struct {
	r      *Redis
	prefix string
	ttl    time.Duration
}

// GetMany reads every key with one MGET. An entry that does not decode is a
// miss.
func (b *redisBackend) GetMany(ctx context.Context, keys []string,
	decode func([]byte) (any, error),
) []any {
	out := make([]any, len(keys))
	if !b.r.available() {
		return out
	}
	full := make([]string, len(keys))
	for i, k := range keys {
		full[i] = b.prefix + k
	}
	raw, err := b.r.client.MGet(ctx, full...).Result()
	if err != nil {
		b.r.failed(ctx, "mget", err)
		return out
	}
	for i, v := range raw {
		s, ok := v.(string)
		if !ok || i >= len(out) {
			continue
		}
		if val, err := decode([]byte(s)); err == nil {
			out[i] = val
		}
	}
	return out
}

// SetMany writes every entry as JSON with its time to live, in one pipeline.
func (b *redisBackend) SetMany(ctx context.Context, keys []string, values []any) {
	if !b.r.available() {
		return
	}
	pipe := b.r.client.Pipeline()
	for i, k := range keys {
		raw, err := json.Marshal(values[i])
		if err != nil {
			continue
		}
		pipe.Set(ctx, b.prefix+k, raw, b.ttl)
	}
	if _, err := pipe.Exec(ctx); err != nil {
		b.r.failed(ctx, "set", err)
	}
}

// QueryCache is a persisted query cache in Redis: it satisfies gqlgen's
// graphql.Cache[string], keeping each query text under prefix plus its hash.
// Failures are misses, so a client falls back to sending the full query.
type QueryCache struct {
	r      *Redis
	prefix string
	ttl    time.Duration
}

// QueryCache returns a persisted query cache that keeps queries for ttl.
func (r *Redis) QueryCache(prefix string, ttl time.Duration) *QueryCache {
	return &QueryCache{r: r, prefix: prefix, ttl: ttl}
}

// Get returns the query kept under key.
func (q *QueryCache) Get(ctx context.Context, key string) (string, bool) {
	if !q.r.available() {
		return "", false
	}
	v, err := q.r.client.Get(ctx, q.prefix+key).Result()
	if errors.Is(err, redis.Nil) {
		return "", false
	}
	if err != nil {
		q.r.failed(ctx, "get", err)
		return "", false
	}
	return v, true
}

// Add keeps value under key.
func (q *QueryCache) Add(ctx context.Context, key, value string) {
	if !q.r.available() {
		return
	}
	if err := q.r.client.Set(ctx, q.prefix+key, value, q.ttl).Err(); err != nil {
		q.r.failed(ctx, "set", err)
	}
}
