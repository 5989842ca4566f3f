package telemetry

import (
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/testutil"

	"github.com/capedigital/cape-gateway/upstream"
)

var _ upstream.Observer = (*Metrics)(nil)

func TestBreakerStateMarksOnlyTheCurrentState(t *testing.T) {
	m := NewMetrics()
	m.BreakerState("GET /api/v1/leads/{id}", BreakerOpen)
	m.BreakerState("GET /api/v1/leads/{id}", "bogus")

	for state, want := range map[string]float64{
		BreakerOpen: 1, BreakerClosed: 0, BreakerHalfOpen: 0,
	} {
		g := m.breakerState.WithLabelValues("/api/v1/leads/{id}", "GET", state)
		if got := testutil.ToFloat64(g); got != want {
			t.Errorf("breaker state %q = %v, want %v", state, got, want)
		}
	}
	if n := testutil.CollectAndCount(m.breakerState); n != 3 {
		t.Errorf("breaker series = %d, want 3 (an unknown state adds none)", n)
	}
}

func TestRetriesAreCountedByRouteAndMethod(t *testing.T) {
	m := NewMetrics()
	m.Retry("GET /api/v1/leads")
	m.Retry("GET /api/v1/leads")
	got := testutil.ToFloat64(m.upstreamRetries.WithLabelValues("/api/v1/leads", "GET"))
	if got != 2 {
		t.Errorf("retries = %v, want 2", got)
	}
}

func TestUpstreamRequestWithoutAnswerHasStatusError(t *testing.T) {
	m := NewMetrics()
	m.UpstreamRequest("/api/v1/leads", "GET", 0, time.Millisecond)
	m.UpstreamRequest("/api/v1/leads", "GET", 503, time.Millisecond)
	for status, want := range map[string]float64{"error": 1, "503": 1} {
		c := m.upstreamRequests.WithLabelValues("/api/v1/leads", "GET", status)
		if got := testutil.ToFloat64(c); got != want {
			t.Errorf("requests with status %s = %v, want %v", status, got, want)
		}
	}
}

// testutilValue reads a counter or gauge.
func testutilValue(c prometheus.Collector) float64 { return testutil.ToFloat64(c) }
