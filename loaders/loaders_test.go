package loaders

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/capedigital/cape-gateway/upstream"
)

// fakeSources serves /api/v1/sources by id and with an id__in filter, knowing
// only the ids in known, and counts the requests of each kind.
type fakeSources struct {
	known          map[string]bool
	gets, lists    atomic.Int64
	inFlight, peak atomic.Int64
	release        chan struct{}
}

func (f *fakeSources) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	n := f.inFlight.Add(1)
	defer f.inFlight.Add(-1)
	for p := f.peak.Load(); n > p && !f.peak.CompareAndSwap(p, n); p = f.peak.Load() {
	}
	if f.release != nil {
		<-f.release
	}

	w.Header().Set("Content-Type", "application/json")
	if id, ok := strings.CutPrefix(r.URL.Path, "/api/v1/sources/"); ok {
		f.gets.Add(1)
		if !f.known[id] {
			w.WriteHeader(http.StatusNotFound)
			w.Write([]byte(`{"detail": "Not found."}`))
			return
		}
		json.NewEncoder(w).Encode(map[string]string{"id": id, "name": "source " + id})
		return
	}
	f.lists.Add(1)
	var results []map[string]string
	// Answer in reverse order, to show that the loader puts keys back in order.
	ids := strings.Split(r.URL.Query().Get("id__in"), ",")
	for i := len(ids) - 1; i >= 0; i-- {
		if f.known[ids[i]] {
			results = append(results, map[string]string{"id": ids[i], "name": "source " + ids[i]})
		}
	}
	json.NewEncoder(w).Encode(map[string]any{"results": results, "next": nil, "previous": nil})
}

func newFake(t *testing.T, f *fakeSources) *upstream.Client {
	t.Helper()
	srv := httptest.NewServer(f)
	t.Cleanup(srv.Close)
	c, err := upstream.New(srv.URL)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func TestBatchAnswersInKeyOrder(t *testing.T) {
	for _, strategy := range []Strategy{Filter, Each} {
		t.Run(string(strategy), func(t *testing.T) {
			a, b, c := uuidN(1), uuidN(2), uuidN(3)
			f := &fakeSources{known: map[string]bool{a: true, b: true, c: true}}
			l := New(newFake(t, f), Config{Strategy: strategy, Wait: 5 * time.Millisecond, Concurrency: 4})

			keys := []string{c, "missing", a, b, a}
			values, errs := l.Sources.LoadMany(context.Background(), keys)()
			for i, key := range keys {
				if key == "missing" {
					if errs == nil || !errors.Is(errs[i], ErrNotFound) {
						t.Errorf("key %q: err = %v, want ErrNotFound", key, errs)
					}
					continue
				}
				if values[i] == nil || values[i].ID != key {
					t.Errorf("key %q answered %+v", key, values[i])
				}
			}

			switch strategy {
			case Filter:
				if f.lists.Load() != 1 || f.gets.Load() != 0 {
					t.Errorf("lists, gets = %d, %d; want one list call", f.lists.Load(), f.gets.Load())
				}
			case Each:
				if f.gets.Load() != 4 || f.lists.Load() != 0 {
					t.Errorf("gets, lists = %d, %d; want one GET per distinct key", f.gets.Load(), f.lists.Load())
				}
			}
		})
	}
}

func TestEachStaysWithinItsConcurrencyBound(t *testing.T) {
	known := map[string]bool{}
	var keys []string
	for _, k := range strings.Split("a b c d e f g h i j", " ") {
		known[k] = true
		keys = append(keys, k)
	}
	f := &fakeSources{known: known, release: make(chan struct{})}
	l := New(newFake(t, f), Config{Strategy: Each, Wait: time.Millisecond, Concurrency: 3})

	var wg sync.WaitGroup
	wg.Go(func() { l.Sources.LoadMany(context.Background(), keys)() })
	for range keys {
		f.release <- struct{}{}
	}
	wg.Wait()
	if p := f.peak.Load(); p > 3 {
		t.Errorf("peak concurrent GETs = %d, want at most 3", p)
	}
}

func TestLoadersAreBuiltPerRequest(t *testing.T) {
	f := &fakeSources{known: map[string]bool{"a": true}}
	c := newFake(t, f)
	var seen []*Loaders
	h := Middleware(c, DefaultConfig)(http.HandlerFunc(func(_ http.ResponseWriter, r *http.Request) {
		l, ok := FromContext(r.Context())
		if !ok {
			t.Fatal("no loaders in the request context")
		}
		seen = append(seen, l)
	}))
	for range 2 {
		h.ServeHTTP(httptest.NewRecorder(), httptest.NewRequest(http.MethodPost, "/query", nil))
	}
	if len(seen) != 2 || seen[0] == seen[1] {
		t.Errorf("two requests shared loaders: %p, %p", seen[0], seen[1])
	}
}

// uuidN is a fixed, valid UUID numbered n.
func uuidN(n int) string {
	return fmt.Sprintf("00000000-0000-4000-8000-%012d", n)
}

func TestFilterLeavesOutIDsThatCannotBeUpstreamRecords(t *testing.T) {
	a := uuidN(1)
	f := &fakeSources{known: map[string]bool{a: true, "not-a-uuid": true}}
	l := New(newFake(t, f), Config{Strategy: Filter, Wait: time.Millisecond, Concurrency: 4})

	values, errs := l.Sources.LoadMany(context.Background(), []string{a, "not-a-uuid"})()
	if values[0] == nil || values[0].ID != a {
		t.Errorf("valid id answered %+v, want its record", values[0])
	}
	if errs == nil || !errors.Is(errs[1], ErrNotFound) {
		t.Errorf("non-UUID id: errs = %v, want ErrNotFound", errs)
	}
	if f.lists.Load() != 1 {
		t.Errorf("list calls = %d, want 1", f.lists.Load())
	}
}

func TestPrefetchedRecordsCostNoFurtherCalls(t *testing.T) {
	a, b := uuidN(1), uuidN(2)
	f := &fakeSources{known: map[string]bool{a: true, b: true}}
	l := New(newFake(t, f), Config{Strategy: Filter, Wait: time.Millisecond, Concurrency: 4})
	ctx := context.Background()

	l.Prefetch(ctx, Prefetch{Sources: []string{a, b, uuidN(3)}})
	if got := f.lists.Load(); got != 1 {
		t.Fatalf("list calls after the prefetch = %d, want 1", got)
	}

	for _, key := range []string{b, a} {
		if v, err := l.Sources.Load(ctx, key)(); err != nil || v.ID != key {
			t.Errorf("Load(%s) = %+v, %v; want the prefetched record", key, v, err)
		}
	}
	if _, err := l.Sources.Load(ctx, uuidN(3))(); !errors.Is(err, ErrNotFound) {
		t.Errorf("Load of an unknown id: err = %v, want ErrNotFound", err)
	}
	l.Prefetch(ctx, Prefetch{Sources: []string{a}})
	if got := f.lists.Load(); got != 1 {
		t.Errorf("list calls = %d, want still 1: loaded ids are not fetched again", got)
	}
}
