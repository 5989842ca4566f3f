package main

import (
	"context"
	"net/http"
	"net/http/httptest"
	"sync/atomic"
	"testing"
	"time"
)

// At a fixed rate a slow answer also delays the requests that were due while
// it was awaited, and their latency counts that wait: it is measured from when
// each request was due, not from when it was sent.
func TestPacedLatencyCountsFromWhenARequestWasDue(t *testing.T) {
	const stall = 150 * time.Millisecond
	var served atomic.Int64
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if served.Add(1) == 1 {
			time.Sleep(stall)
		}
		w.Write([]byte(`{}`))
	}))
	defer srv.Close()

	e := &environment{client: srv.Client()}
	s := scenario{name: "test", direct: true, request: func(ctx context.Context, _, _ int) (*http.Request, error) {
		return http.NewRequestWithContext(ctx, http.MethodGet, srv.URL, nil)
	}}
	// One client, a request due every 10 ms for 400 ms: 40 requests.
	latencies, err := e.drivePaced(context.Background(), s, 1, 100, 400*time.Millisecond)
	if err != nil {
		t.Fatal(err)
	}
	if len(latencies) != 40 {
		t.Fatalf("%d requests, want 40", len(latencies))
	}
	if latencies[0] < stall {
		t.Errorf("the slow request took %s, want at least %s", latencies[0], stall)
	}
	// The second request was due 10 ms after the first, so it waited for
	// the rest of the stall before it could be sent.
	if want := stall - 10*time.Millisecond; latencies[1] < want {
		t.Errorf("the request due during the stall took %s, want at least %s", latencies[1], want)
	}
}
