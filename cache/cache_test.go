package cache

import (
	"context"
	"errors"
	"slices"
	"sync"
	"testing"
	"time"
)

func TestLoadFetchesOnlyTheMissesAndTogether(t *testing.T) {
	c, f := newMemoryCache(t), newFetcher("a", "b", "c")
	ctx := tokenCtx("token-a")

	steps := []struct {
		ids  []string
		want []string
	}{
		{ids: []string{"a", "b"}, want: []string{"name of a", "name of b"}},
		{ids: []string{"b", "c", "a"}, want: []string{"name of b", "name of c", "name of a"}},
		{ids: []string{"c", "a"}, want: []string{"name of c", "name of a"}},
	}
	for _, s := range steps {
		if got := names(Load(ctx, c, "sources", s.ids, f.fetch)); !slices.Equal(got, s.want) {
			t.Errorf("Load(%q) = %q, want %q", s.ids, got, s.want)
		}
	}
	assertCalls(t, f, []string{"a", "b"}, []string{"c"})
}

func TestLoadNeverKeepsErrorsOrUnknownIDs(t *testing.T) {
	c, f := newMemoryCache(t), newFetcher("a")
	f.failing["b"] = true
	ctx := tokenCtx("token-a")

	want := []string{"name of a", "error: " + errUpstream.Error(), "not found"}
	for range 2 {
		got := names(Load(ctx, c, "sources", []string{"a", "b", "x"}, f.fetch))
		if !slices.Equal(got, want) {
			t.Errorf("Load = %q, want %q", got, want)
		}
	}
	assertCalls(t, f, []string{"a", "b", "x"}, []string{"b", "x"})
}

func TestLoadKeepsResourcesApart(t *testing.T) {
	c, f := newMemoryCache(t), newFetcher("a")
	ctx := tokenCtx("token-a")
	Load(ctx, c, "sources", []string{"a"}, f.fetch)
	Load(ctx, c, "partners", []string{"a"}, f.fetch)
	assertCalls(t, f, []string{"a"}, []string{"a"})
}

func TestLoadFetchesEveryTimeWithoutACacheOrACredential(t *testing.T) {
	tests := []struct {
		name  string
		cache *Cache
		ctx   context.Context
	}{
		{name: "no cache", cache: nil, ctx: tokenCtx("token-a")},
		{name: "no token and no claims", cache: newMemoryCache(t), ctx: context.Background()},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := newFetcher("a")
			for range 2 {
				Load(tt.ctx, tt.cache, "sources", []string{"a"}, f.fetch)
			}
			assertCalls(t, f, []string{"a"}, []string{"a"})
		})
	}
}

func TestCallersOfOnePartitionShareEntriesAndOthersDoNot(t *testing.T) {
	c, f := newMemoryCache(t), newFetcher("a")
	Load(tokenCtx("token-a"), c, "sources", []string{"a"}, f.fetch)
	Load(tokenCtx("token-a"), c, "sources", []string{"a"}, f.fetch)
	Load(tokenCtx("token-b"), c, "sources", []string{"a"}, f.fetch)
	assertCalls(t, f, []string{"a"}, []string{"a"})
	if got := f.tokens; !slices.Equal(got, []string{"token-a", "token-b"}) {
		t.Errorf("tokens of the fetches = %q, want token-a then token-b", got)
	}
}

func TestConcurrentMissesOfOneKeyAreFetchedOnce(t *testing.T) {
	const callers = 8
	c, f := newMemoryCache(t), newFetcher("a", "b")
	f.gate = make(chan struct{})
	var waiting sync.WaitGroup
	waiting.Add(callers)
	c.waitHook = waiting.Done

	results := make([][]string, callers)
	var done sync.WaitGroup
	for i := range callers {
		done.Go(func() {
			results[i] = names(Load(tokenCtx("token-a"), c, "sources", []string{"a", "b"}, f.fetch))
		})
	}
	waiting.Wait() // every caller has joined a flight: none can start another
	close(f.gate)
	done.Wait()

	for i, got := range results {
		if want := []string{"name of a", "name of b"}; !slices.Equal(got, want) {
			t.Errorf("caller %d got %q, want %q", i, got, want)
		}
	}
	assertCalls(t, f, []string{"a", "b"})
}

func TestCancelledLeaderDoesNotFailAWaitingFollower(t *testing.T) {
	c, f := newMemoryCache(t), newFetcher("a")
	f.gate = make(chan struct{})
	waiting := make(chan struct{}, 2)
	c.waitHook = func() { waiting <- struct{}{} }

	leaderCtx, cancelLeader := context.WithCancel(tokenCtx("token-a"))
	leader := make(chan []Result[record], 1)
	go func() { leader <- Load(leaderCtx, c, "sources", []string{"a"}, f.fetch) }()
	<-waiting
	follower := make(chan []Result[record], 1)
	go func() { follower <- Load(tokenCtx("token-a"), c, "sources", []string{"a"}, f.fetch) }()
	<-waiting

	cancelLeader()
	if got := (<-leader)[0].Err; !errors.Is(got, context.Canceled) {
		t.Errorf("leader's error = %v, want context.Canceled", got)
	}
	close(f.gate)
	if got, want := names(<-follower), []string{"name of a"}; !slices.Equal(got, want) {
		t.Errorf("follower got %q, want %q", got, want)
	}

	assertCalls(t, f, []string{"a"})
	if f.ctxErrs[0] != nil || f.tokens[0] != "token-a" {
		t.Errorf("shared fetch ran with ctx error %v and token %q, want none and token-a",
			f.ctxErrs[0], f.tokens[0])
	}
	if got := c.Waiting(); got != 0 {
		t.Errorf("Waiting() = %d after every caller returned, want 0", got)
	}
}

func TestSharedFetchIsBoundedByItsOwnTimeout(t *testing.T) {
	m, err := NewMemory(10, time.Minute)
	if err != nil {
		t.Fatal(err)
	}
	c := New(m, Options{FetchTimeout: 20 * time.Millisecond})
	slow := func(ctx context.Context, ids []string) []Result[record] {
		<-ctx.Done()
		return failAll[record](len(ids), ctx.Err())
	}
	got := Load(tokenCtx("token-a"), c, "sources", []string{"a"}, slow)
	if !errors.Is(got[0].Err, context.DeadlineExceeded) {
		t.Errorf("error = %v, want context.DeadlineExceeded", got[0].Err)
	}
}

func TestFetchThatPanicsFailsItsCallersAndIsNotKept(t *testing.T) {
	c, f := newMemoryCache(t), newFetcher("a")
	f.panics = true
	for range 2 {
		got := Load(tokenCtx("token-a"), c, "sources", []string{"a"}, f.fetch)
		if !errors.Is(got[0].Err, errBadFetch) {
			t.Errorf("error = %v, want errBadFetch", got[0].Err)
		}
	}
	if got := len(f.gotCalls()); got != 2 {
		t.Errorf("fetch calls = %d, want 2", got)
	}
}

func TestFetchOfTheWrongLengthFailsEveryID(t *testing.T) {
	c := newMemoryCache(t)
	short := func(context.Context, []string) []Result[record] { return nil }
	got := Load(tokenCtx("token-a"), c, "sources", []string{"a", "b"}, short)
	for i, r := range got {
		if !errors.Is(r.Err, errBadFetch) {
			t.Errorf("result %d error = %v, want errBadFetch", i, r.Err)
		}
	}
}
