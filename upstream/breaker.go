package upstream

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"sync"
	"time"

	"github.com/sony/gobreaker/v2"
)

// ErrCircuitOpen is the error, wrapped with the method and route, of a call
// refused without reaching the upstream because its route's circuit breaker
// is open after repeated failures, or is letting a single probe through.
var ErrCircuitOpen = errors.New("circuit breaker open")

// Observer hears about the client's retries and circuit breakers, for
// example to count them. A route is a route family with its method, such as
// "GET /api/v1/leads/{id}". Methods must be quick and safe for concurrent
// use; BreakerState runs while its breaker is locked and must not call the
// Client.
type Observer interface {
	// Retry is called before each repeated attempt of a call on route.
	Retry(route string)
	// BreakerState is called when the breaker of route changes to state:
	// "closed", "open" or "half-open".
	BreakerState(route, state string)
}

// WithObserver makes the Client report retries and breaker state changes to o.
func WithObserver(o Observer) Option {
	return func(c *Client) {
		if o != nil {
			c.observer = o
		}
	}
}

// WithBreaker sets the circuit breakers, one per route family with its method
// (all ids of "GET /api/v1/leads/{id}" share one). A breaker opens after
// failures consecutive failed attempts (a 5xx answer, a timeout or a
// connection error; 4xx answers are not failures), refuses calls on its route
// with ErrCircuitOpen for cooldown, then lets one probe through: its success
// closes the breaker, its failure opens it again. The defaults are 5 failures
// and 10 seconds; failures below one turns the breakers off.
func WithBreaker(failures int, cooldown time.Duration) Option {
	return func(c *Client) {
		c.breaker.failures = max(failures, 0)
		if cooldown > 0 {
			c.breaker.cooldown = cooldown
		}
	}
}

type breakerSettings struct {
	failures int
	cooldown time.Duration
}

var defaultBreaker = breakerSettings{failures: 5, cooldown: 10 * time.Second}

// breakers holds the circuit breaker of each route family, made on first use.
type breakers struct {
	settings breakerSettings
	observer Observer
	byName   sync.Map // name to *gobreaker.CircuitBreaker[*response]
}

func (b *breakers) init(s breakerSettings, o Observer) {
	b.settings = s
	b.observer = o
}

// get returns the breaker of name, or nil when breakers are off.
func (b *breakers) get(name string) *gobreaker.CircuitBreaker[*response] {
	if b.settings.failures < 1 {
		return nil
	}
	if cb, ok := b.byName.Load(name); ok {
		return cb.(*gobreaker.CircuitBreaker[*response])
	}

	cb := gobreaker.NewCircuitBreaker[*response](gobreaker.Settings{
		Name:         name,
		MaxRequests:  1,
		Timeout:      b.settings.cooldown,
		ReadyToTrip:  b.readyToTrip,
		IsSuccessful: answered,
		IsExcluded:   excluded,
		OnStateChange: func(name string, _, to gobreaker.State) {
			b.observer.BreakerState(name, to.String())
		},
	})
	actual, _ := b.byName.LoadOrStore(name, cb)
	return actual.(*gobreaker.CircuitBreaker[*response])
}

func (b *breakers) readyToTrip(counts gobreaker.Counts) bool {
	return counts.ConsecutiveFailures >= uint32(b.settings.failures)
}

// answered reports whether err is an answer from a working upstream: a 4xx
// refusal proves the route is up.
func answered(err error) bool {
	var e *Error
	return err == nil || errors.As(err, &e) && e.StatusCode < http.StatusInternalServerError
}

// excluded reports whether err says nothing about the upstream's health: the
// caller went away, the request could not be built, or a 2xx answer was
// unusable.
func excluded(err error) bool {
	var bad *BadResponseError
	var ce *connError
	var e *Error
	switch {
	case err == nil:
		return false
	case errors.Is(err, context.Canceled), errors.As(err, &bad):
		return true
	case errors.Is(err, context.DeadlineExceeded), errors.As(err, &ce), errors.As(err, &e):
		return false
	}
	return true
}

// attempt performs r once through its route's circuit breaker.
func (c *Client) attempt(ctx context.Context, r *request) (*response, error) {
	cb := c.breakers.get(r.family())
	if cb == nil {
		return c.sendOnce(ctx, r)
	}

	resp, err := cb.Execute(func() (*response, error) { return c.sendOnce(ctx, r) })
	if errors.Is(err, gobreaker.ErrOpenState) || errors.Is(err, gobreaker.ErrTooManyRequests) {
		return nil, fmt.Errorf("upstream: %s %s: %w", r.method, r.route, ErrCircuitOpen)
	}
	return resp, err
}

// family names the route family of r with its method, e.g.
// "GET /api/v1/leads/{id}".
func (r *request) family() string { return r.method + " " + r.route }

// nopObserver is the Observer of a Client built without WithObserver.
type nopObserver struct{}

func (nopObserver) Retry(string)                {}
func (nopObserver) BreakerState(string, string) {}
