package upstream

import (
	"context"
	"net/http"
	"sync"
	"testing"
	"time"
)

// slowLead answers a lead after hold, long enough for concurrent callers to
// join a call in flight.
func slowLead(hold time.Duration) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		select {
		case <-time.After(hold):
		case <-r.Context().Done():
			return
		}
		respond(200, leadJSON)(w, r)
	}
}

// getConcurrently runs GetLead from n goroutines with the contexts ctxOf gives.
func getConcurrently(t *testing.T, c *Client, n int, ctxOf func(i int) context.Context) {
	t.Helper()
	var wg sync.WaitGroup
	errs := make([]error, n)
	for i := range n {
		wg.Go(func() { _, errs[i] = c.GetLead(ctxOf(i), "l1") })
	}
	wg.Wait()
	for i, err := range errs {
		if err != nil {
			t.Errorf("caller %d: got %v, want the lead", i, err)
		}
	}
}

func TestIdenticalGetsInOneScopeAreMadeOnce(t *testing.T) {
	t.Parallel()
	f := newFake(t, slowLead(200*time.Millisecond))
	c := f.client(t)
	ctx := WithRequestScope(tokenCtx())

	getConcurrently(t, c, 5, func(int) context.Context { return ctx })
	if n := len(f.requests()); n != 1 {
		t.Errorf("got %d requests, want 1", n)
	}
}

func TestGetsAreNotSharedAcrossScopesOrTokens(t *testing.T) {
	tests := []struct {
		name  string
		ctxOf func(scoped context.Context) func(i int) context.Context
	}{
		{"without a scope", func(context.Context) func(int) context.Context {
			return func(int) context.Context { return tokenCtx() }
		}},
		{"one scope per caller", func(context.Context) func(int) context.Context {
			return func(int) context.Context { return WithRequestScope(tokenCtx()) }
		}},
		{"different tokens in one scope", func(scoped context.Context) func(int) context.Context {
			return func(i int) context.Context {
				return WithToken(scoped, testToken+string(rune('a'+i)))
			}
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			f := newFake(t, slowLead(100*time.Millisecond))
			c := f.client(t)

			getConcurrently(t, c, 3, tt.ctxOf(WithRequestScope(context.Background())))
			if n := len(f.requests()); n != 3 {
				t.Errorf("got %d requests, want 3", n)
			}
		})
	}
}

func TestWritesInOneScopeAreNeverShared(t *testing.T) {
	t.Parallel()
	f := newFake(t, respond(201, leadJSON))
	c := f.client(t)
	ctx := WithRequestScope(tokenCtx())

	var wg sync.WaitGroup
	for range 3 {
		wg.Go(func() {
			if _, err := c.CreateLead(ctx, LeadInput{Name: "x"}); err != nil {
				t.Errorf("got %v, want the lead", err)
			}
		})
	}
	wg.Wait()
	if n := len(f.requests()); n != 3 {
		t.Errorf("got %d requests, want 3", n)
	}
}

// The call runs in its first caller's goroutine under that caller's context, so
// the caller's deadline ends it.
func TestACallersDeadlineEndsTheCallItShares(t *testing.T) {
	t.Parallel()
	f := newFake(t, slowLead(time.Minute))
	c := f.client(t)
	scoped := WithRequestScope(tokenCtx())

	ctx, cancel := context.WithTimeout(scoped, 50*time.Millisecond)
	defer cancel()
	start := time.Now()
	if _, err := c.GetLead(ctx, "l1"); err == nil {
		t.Fatal("got no error, want the caller's deadline")
	}
	if elapsed := time.Since(start); elapsed > time.Second {
		t.Errorf("answered after %s, want soon after the caller's 50ms deadline", elapsed)
	}
}
