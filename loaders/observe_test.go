package loaders

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"

	"github.com/capedigital/cape-gateway/upstream"
)

type observeKey struct{}

func TestObserveWrapsEveryBatchWithItsResourceAndSize(t *testing.T) {
	var (
		mu   sync.Mutex
		seen []string
	)
	up := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		id := r.URL.Path[strings.LastIndexByte(r.URL.Path, '/')+1:]
		w.Header().Set("Content-Type", "application/json")
		_ = json.NewEncoder(w).Encode(map[string]string{"id": id, "name": "n" + id})
	}))
	defer up.Close()
	var underBatch []any
	check := roundTripFunc(func(r *http.Request) (*http.Response, error) {
		mu.Lock()
		underBatch = append(underBatch, r.Context().Value(observeKey{}))
		mu.Unlock()
		return http.DefaultTransport.RoundTrip(r)
	})
	client, err := upstream.New(up.URL, upstream.WithHTTPClient(&http.Client{Transport: check}))
	if err != nil {
		t.Fatal(err)
	}

	cfg := DefaultConfig
	cfg.Observe = func(ctx context.Context, resource string, size int) (context.Context, func()) {
		mu.Lock()
		defer mu.Unlock()
		seen = append(seen, resource)
		if size != 3 {
			t.Errorf("%s batch size = %d, want 3", resource, size)
		}
		ctx = context.WithValue(ctx, observeKey{}, resource)
		return ctx, func() {
			mu.Lock()
			defer mu.Unlock()
			seen = append(seen, "done "+resource)
		}
	}
	l := New(client, cfg)

	ctx := upstream.WithToken(context.Background(), "t")
	sources, errs := l.Sources.LoadMany(ctx, []string{"a", "b", "c"})()
	if len(errs) != 0 || len(sources) != 3 || sources[2].Name != "nc" {
		t.Fatalf("sources = %v, errors %v", sources, errs)
	}
	if want := []string{"sources", "done sources"}; strings.Join(seen, ",") != strings.Join(want, ",") {
		t.Errorf("observed %q, want %q", seen, want)
	}
	for _, v := range underBatch {
		if v != "sources" {
			t.Errorf("upstream call context holds %v, want the context Observe returned", v)
		}
	}
	if len(underBatch) != 3 {
		t.Errorf("upstream calls = %d, want 3", len(underBatch))
	}
}

type roundTripFunc func(*http.Request) (*http.Response, error)

func (f roundTripFunc) RoundTrip(r *http.Request) (*http.Response, error) { return f(r) }
