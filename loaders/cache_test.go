package loaders

import (
	"context"
	"testing"
	"time"

	"github.com/capedigital/cape-gateway/cache"
	"github.com/capedigital/cape-gateway/upstream"
)

func TestCachedBatchSendsOnlyItsMissesAndStillAsOneBatch(t *testing.T) {
	tests := []struct {
		strategy  Strategy
		wantGets  int64
		wantLists int64
	}{
		{strategy: Filter, wantLists: 2},
		{strategy: Each, wantGets: 3},
	}
	for _, tt := range tests {
		t.Run(string(tt.strategy), func(t *testing.T) {
			a, b, c := uuidN(1), uuidN(2), uuidN(3)
			f := &fakeSources{known: map[string]bool{a: true, b: true, c: true}}
			client := newFake(t, f)
			mem, err := cache.NewMemory(100, time.Minute)
			if err != nil {
				t.Fatal(err)
			}
			cfg := Config{Strategy: tt.strategy, Wait: time.Millisecond, Concurrency: 4,
				Cache: cache.New(mem, cache.Options{})}
			ctx := upstream.WithToken(context.Background(), "token-a")

			// Two requests, each with its own loaders, share the cache.
			first, errs := New(client, cfg).Sources.LoadMany(ctx, []string{a, b})()
			if errs != nil || len(first) != 2 {
				t.Fatalf("first request: %v, %v", first, errs)
			}
			second, errs := New(client, cfg).Sources.LoadMany(ctx, []string{b, c, a})()
			if errs != nil || second[0].ID != b || second[1].ID != c || second[2].ID != a {
				t.Fatalf("second request: %+v, %v; want b, c, a", second, errs)
			}
			if got := f.lists.Load(); got != tt.wantLists {
				t.Errorf("id__in calls = %d, want %d", got, tt.wantLists)
			}
			if got := f.gets.Load(); got != tt.wantGets {
				t.Errorf("GETs = %d, want %d", got, tt.wantGets)
			}
		})
	}
}
