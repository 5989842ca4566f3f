package cache

import (
	"context"
	"errors"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/capedigital/cape-gateway/upstream"
)

// record is the cached type of these tests.
type record struct {
	ID   string `json:"id"`
	Name string `json:"name"`
}

var errUpstream = errors.New("upstream: 503")

// fetcher is a fake upstream: it knows some ids, fails others, and records
// every call. With a gate, each call waits for the gate to close first.
type fetcher struct {
	known   map[string]bool
	failing map[string]bool
	gate    chan struct{}
	panics  bool

	mu      sync.Mutex
	calls   [][]string
	tokens  []string
	ctxErrs []error
}

func newFetcher(known ...string) *fetcher {
	f := &fetcher{known: map[string]bool{}, failing: map[string]bool{}}
	for _, id := range known {
		f.known[id] = true
	}
	return f
}

func (f *fetcher) fetch(ctx context.Context, ids []string) []Result[record] {
	if f.gate != nil {
		<-f.gate
	}
	token, _ := upstream.TokenFromContext(ctx)
	f.mu.Lock()
	f.calls = append(f.calls, slices.Clone(ids))
	f.tokens = append(f.tokens, token)
	f.ctxErrs = append(f.ctxErrs, ctx.Err())
	f.mu.Unlock()
	if f.panics {
		panic("fetch broke")
	}

	out := make([]Result[record], len(ids))
	for i, id := range ids {
		switch {
		case f.failing[id]:
			out[i].Err = errUpstream
		case f.known[id]:
			out[i].Value = &record{ID: id, Name: "name of " + id}
		}
	}
	return out
}

func (f *fetcher) gotCalls() [][]string {
	f.mu.Lock()
	defer f.mu.Unlock()
	return slices.Clone(f.calls)
}

// tokenCtx is a request context of a caller in forward mode.
func tokenCtx(token string) context.Context {
	return upstream.WithToken(context.Background(), token)
}

func newMemoryCache(t *testing.T) *Cache {
	t.Helper()
	m, err := NewMemory(100, time.Minute)
	if err != nil {
		t.Fatal(err)
	}
	return New(m, Options{})
}

// names lists what a Load found: the record's name, "not found" or the error.
func names(results []Result[record]) []string {
	out := make([]string, len(results))
	for i, r := range results {
		switch {
		case r.Err != nil:
			out[i] = "error: " + r.Err.Error()
		case r.Value == nil:
			out[i] = "not found"
		default:
			out[i] = r.Value.Name
		}
	}
	return out
}

func assertCalls(t *testing.T, f *fetcher, want ...[]string) {
	t.Helper()
	got := f.gotCalls()
	if !slices.EqualFunc(got, want, slices.Equal) {
		t.Errorf("fetch calls = %q, want %q", got, want)
	}
}
