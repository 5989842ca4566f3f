package cache

import (
	"context"
	"log/slog"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/capedigital/cape-gateway/internal/testlog"

	"github.com/redis/go-redis/v9"

	"github.com/capedigital/cape-gateway/cache/redistest"
)

func newRedis(t *testing.T, url string, opts RedisOptions) *Redis {
	t.Helper()
	r, err := NewRedis(url, opts)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { r.Close() })
	return r
}

func TestRedisSharesEntriesBetweenReplicas(t *testing.T) {
	srv := redistest.Start(t)
	replicaA := New(newRedis(t, srv.URL(), RedisOptions{}).Backend("test:", time.Minute), Options{})
	replicaB := New(newRedis(t, srv.URL(), RedisOptions{}).Backend("test:", time.Minute), Options{})
	f := newFetcher("a", "b")
	ctx := tokenCtx("token-a")

	first := names(Load(ctx, replicaA, "sources", []string{"a", "b"}, f.fetch))
	second := names(Load(ctx, replicaB, "sources", []string{"a", "b"}, f.fetch))
	if want := []string{"name of a", "name of b"}; !slices.Equal(first, want) ||
		!slices.Equal(second, want) {
		t.Errorf("replica A got %q, replica B got %q, want %q for both", first, second, want)
	}
	assertCalls(t, f, []string{"a", "b"})
}

func TestRedisKeepsEntriesAsJSONWithTheirTimeToLive(t *testing.T) {
	srv := redistest.Start(t)
	c := New(newRedis(t, srv.URL(), RedisOptions{}).Backend("test:", time.Minute), Options{})
	ctx := tokenCtx("token-a")
	Load(ctx, c, "sources", []string{"a"}, newFetcher("a").fetch)

	raw := redis.NewClient(&redis.Options{Addr: srv.Addr})
	defer raw.Close()
	partition, _ := Partition(ctx)
	key := "test:sources:" + partition + ":a"
	value, err := raw.Get(ctx, key).Result()
	if err != nil || value != `{"id":"a","name":"name of a"}` {
		t.Errorf("GET %s = %q, %v; want the record as JSON", key, value, err)
	}
	ttl, err := raw.PTTL(ctx, key).Result()
	if err != nil || ttl <= 0 || ttl > time.Minute {
		t.Errorf("PTTL %s = %s, %v; want within (0, 1m]", key, ttl, err)
	}
}

func TestRedisEntryThatDoesNotDecodeIsAMiss(t *testing.T) {
	srv := redistest.Start(t)
	c := New(newRedis(t, srv.URL(), RedisOptions{}).Backend("test:", time.Minute), Options{})
	ctx := tokenCtx("token-a")
	partition, _ := Partition(ctx)
	raw := redis.NewClient(&redis.Options{Addr: srv.Addr})
	defer raw.Close()
	if err := raw.Set(ctx, "test:sources:"+partition+":a", "{not json", 0).Err(); err != nil {
		t.Fatal(err)
	}

	f := newFetcher("a")
	if got := names(Load(ctx, c, "sources", []string{"a"}, f.fetch)); got[0] != "name of a" {
		t.Errorf("Load = %q, want the fetched record", got)
	}
	assertCalls(t, f, []string{"a"})
}

func TestRedisGoingAwayTurnsLookupsIntoMissesWithOneWarning(t *testing.T) {
	srv := redistest.Start(t)
	var logs testlog.Buffer
	r := newRedis(t, srv.URL(), RedisOptions{
		Logger: slog.New(slog.NewTextHandler(&logs, nil)), WarnEvery: time.Hour,
		Pause: time.Nanosecond,
	})
	c := New(r.Backend("test:", time.Minute), Options{})
	f := newFetcher("a")
	ctx := tokenCtx("token-a")
	Load(ctx, c, "sources", []string{"a"}, f.fetch)

	srv.Kill()
	for range 3 {
		if got := names(Load(ctx, c, "sources", []string{"a"}, f.fetch)); got[0] != "name of a" {
			t.Errorf("Load with Redis gone = %q, want the record from the fetch", got)
		}
	}
	if got := len(f.gotCalls()); got != 4 {
		t.Errorf("fetch calls = %d, want 4 (one cold, then one per lookup)", got)
	}
	if got := strings.Count(logs.String(), "redis cache unavailable"); got != 1 {
		t.Errorf("warnings = %d, want 1 per interval; logs:\n%s", got, logs.String())
	}
}

func TestRedisPausesAfterAFailure(t *testing.T) {
	srv := redistest.Start(t)
	r := newRedis(t, srv.URL(), RedisOptions{Pause: time.Hour})
	c := New(r.Backend("test:", time.Minute), Options{})
	ctx := tokenCtx("token-a")

	srv.Kill()
	Load(ctx, c, "sources", []string{"a"}, newFetcher("a").fetch)
	if r.available() {
		t.Error("available() = true right after a failure, want false for the pause")
	}
}

func TestQueryCacheKeepsPersistedQueriesAcrossReplicas(t *testing.T) {
	srv := redistest.Start(t)
	ctx := context.Background()
	a := newRedis(t, srv.URL(), RedisOptions{}).QueryCache("apq:", time.Hour)
	b := newRedis(t, srv.URL(), RedisOptions{}).QueryCache("apq:", time.Hour)

	a.Add(ctx, "hash-1", "{ leads { edges { cursor } } }")
	if got, ok := b.Get(ctx, "hash-1"); !ok || got != "{ leads { edges { cursor } } }" {
		t.Errorf("Get(hash-1) on the other replica = %q, %t; want the query, true", got, ok)
	}
	if got, ok := b.Get(ctx, "hash-2"); ok {
		t.Errorf("Get(hash-2) = %q, true; want a miss", got)
	}

	srv.Kill()
	a.Add(ctx, "hash-3", "{ leads { pageInfo { hasNextPage } } }")
	if got, ok := b.Get(ctx, "hash-1"); ok {
		t.Errorf("Get(hash-1) with Redis gone = %q, true; want a miss", got)
	}
}

func TestNewRedisRefusesAURLItCannotParse(t *testing.T) {
	if _, err := NewRedis("http://localhost:6379", RedisOptions{}); err == nil {
		t.Error("err = nil, want an error")
	}
}
