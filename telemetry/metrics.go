package telemetry

import (
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"
)

// Caps on distinct label values; later newcomers are counted as LabelOther.
const (
	maxOperations = 100
	maxRoutes     = 100
)

// Breaker states, as BreakerState expects them.
const (
	BreakerClosed   = "closed"
	BreakerHalfOpen = "half-open"
	BreakerOpen     = "open"
)

var breakerStates = []string{BreakerClosed, BreakerHalfOpen, BreakerOpen}

// latencyBuckets span a cached sub-millisecond answer to a call near the
// upstream deadline.
var latencyBuckets = []float64{
	.0005, .001, .0025, .005, .01, .025, .05, .1, .25, .5, 1, 2.5, 5, 10, 30,
}

// Metrics are the gateway's Prometheus collectors, on a registry of their own
// (never the global one). It is safe for concurrent use.
type Metrics struct {
	registry *prometheus.Registry

	requests        *prometheus.CounterVec
	requestDuration *prometheus.HistogramVec
	inFlight        prometheus.Gauge

	upstreamRequests *prometheus.CounterVec
	upstreamDuration *prometheus.HistogramVec
	upstreamRetries  *prometheus.CounterVec
	breakerState     *prometheus.GaugeVec

	batchSize *prometheus.HistogramVec

	operations *boundedLabel
	routes     *boundedLabel
}

// NewMetrics registers the gateway's collectors, plus the Go runtime and
// process collectors, on a fresh registry.
func NewMetrics() *Metrics {
	m := &Metrics{
		registry:   prometheus.NewRegistry(),
		operations: newBoundedLabel(maxOperations),
		routes:     newBoundedLabel(maxRoutes),
	}
	m.requests = prometheus.NewCounterVec(prometheus.CounterOpts{
		Name: "cape_graphql_requests_total",
		Help: "GraphQL requests by operation name and outcome (ok or the first error code).",
	}, []string{"operation", "outcome"})
	m.requestDuration = prometheus.NewHistogramVec(prometheus.HistogramOpts{
		Name:    "cape_graphql_request_duration_seconds",
		Help:    "Time to answer a GraphQL request, by operation name.",
		Buckets: latencyBuckets,
	}, []string{"operation"})
	m.inFlight = prometheus.NewGauge(prometheus.GaugeOpts{
		Name: "cape_graphql_requests_in_flight",
		Help: "GraphQL requests being served now.",
	})
	m.upstreamRequests = prometheus.NewCounterVec(prometheus.CounterOpts{
		Name: "cape_upstream_requests_total",
		Help: "Upstream HTTP calls by route family, method and status (error: no answer).",
	}, []string{"route", "method", "status"})
	m.upstreamDuration = prometheus.NewHistogramVec(prometheus.HistogramOpts{
		Name:    "cape_upstream_request_duration_seconds",
		Help:    "Time to the upstream's response headers, by route family and method.",
		Buckets: latencyBuckets,
	}, []string{"route", "method"})
	m.upstreamRetries = prometheus.NewCounterVec(prometheus.CounterOpts{
		Name: "cape_upstream_retries_total",
		Help: "Upstream calls made again after a failure, by route family and method.",
	}, []string{"route", "method"})
	m.breakerState = prometheus.NewGaugeVec(prometheus.GaugeOpts{
		Name: "cape_upstream_breaker_state",
		Help: "1 for the current circuit-breaker state of a route family, 0 for the others.",
	}, []string{"route", "method", "state"})
	m.batchSize = prometheus.NewHistogramVec(prometheus.HistogramOpts{
		Name:    "cape_dataloader_batch_size",
		Help:    "Keys per dataloader batch, by resource.",
		Buckets: []float64{1, 2, 5, 10, 20, 50, 100},
	}, []string{"resource"})

	m.registry.MustRegister(
		m.requests, m.requestDuration, m.inFlight,
		m.upstreamRequests, m.upstreamDuration, m.upstreamRetries, m.breakerState,
		m.batchSize,
		collectors.NewGoCollector(),
		collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}),
	)
	return m
}

// Registry is the registry the collectors are on, for tests and for adding
// more collectors.
func (m *Metrics) Registry() *prometheus.Registry { return m.registry }

// Handler serves the metrics in the Prometheus text format.
func (m *Metrics) Handler() http.Handler {
	return promhttp.HandlerFor(m.registry, promhttp.HandlerOpts{})
}

// OperationLabel is the label value for an operation name taken from a parsed
// document: "" gives LabelUnnamed, and names past the cap give LabelOther.
func (m *Metrics) OperationLabel(name string) string {
	if name == "" {
		return LabelUnnamed
	}
	return m.operations.value(name)
}

// routeLabel bounds the route families, which are already folded.
func (m *Metrics) routeLabel(route string) string { return m.routes.value(route) }

// GraphQLRequest records one answered GraphQL request. operation must come
// from OperationLabel.
func (m *Metrics) GraphQLRequest(operation, outcome string, d time.Duration) {
	m.requests.WithLabelValues(operation, outcome).Inc()
	m.requestDuration.WithLabelValues(operation).Observe(d.Seconds())
}

// StatusCancelled is the status of an upstream call that ended because its
// caller's request did, typically a client that went away: not an upstream
// failure.
const StatusCancelled = -1

// UpstreamRequest records one upstream call; status 0 means no answer came,
// StatusCancelled that the caller stopped waiting for it.
func (m *Metrics) UpstreamRequest(route, method string, status int, d time.Duration) {
	route = m.routeLabel(route)
	code := "error"
	switch {
	case status == StatusCancelled:
		code = "cancelled"
	case status > 0:
		code = strconv.Itoa(status)
	}
	m.upstreamRequests.WithLabelValues(route, method, code).Inc()
	m.upstreamDuration.WithLabelValues(route, method).Observe(d.Seconds())
}

// Retry counts one repeated attempt of an upstream call on route, a route
// family with its method such as "GET /api/v1/leads/{id}". It makes Metrics
// an upstream.Observer.
func (m *Metrics) Retry(route string) {
	method, family := splitRoute(route)
	m.upstreamRetries.WithLabelValues(m.routeLabel(family), method).Inc()
}

// BreakerState records that the circuit breaker of route (as for Retry) is
// now in state: BreakerClosed, BreakerHalfOpen or BreakerOpen; other values
// are ignored. It makes Metrics an upstream.Observer.
func (m *Metrics) BreakerState(route, state string) {
	if !slices.Contains(breakerStates, state) {
		return
	}
	method, family := splitRoute(route)
	family = m.routeLabel(family)
	for _, s := range breakerStates {
		v := 0.0
		if s == state {
			v = 1
		}
		m.breakerState.WithLabelValues(family, method, s).Set(v)
	}
}

// splitRoute splits "GET /api/v1/leads/{id}" into its method and family.
func splitRoute(route string) (method, family string) {
	if m, f, ok := strings.Cut(route, " "); ok {
		return m, f
	}
	return "", route
}

// Batch records the size of one dataloader batch of resource.
func (m *Metrics) Batch(resource string, size int) {
	m.batchSize.WithLabelValues(resource).Observe(float64(size))
}
