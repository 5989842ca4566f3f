package upstream

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"time"

	"github.com/cenkalti/backoff/v5"
)

const (
	defaultRetries    = 2
	defaultBackoff    = 100 * time.Millisecond
	maxBackoffFactor  = 16 // the wait between attempts stops growing at 16 times the first
	backoffJitter     = 0.5
	backoffMultiplier = 2
)

// WithTimeout sets the deadline of one call: the time from the call's start to
// its answer, every retry and every wait between attempts included. A call
// past it fails with a *TimeoutError. The deadline runs under the caller's
// context, so a caller that goes away ends its calls at once. Values below one
// keep the default of 30 seconds.
func WithTimeout(d time.Duration) Option {
	return func(c *Client) {
		if d > 0 {
			c.timeout = d
		}
	}
}

// WithRetries sets how many times an idempotent request (GET, HEAD) is tried
// again after a connection error or a 429, 502, 503 or 504 answer, default 2.
// Zero turns retries off. Requests that change state are never retried.
func WithRetries(n int) Option {
	return func(c *Client) { c.retries = max(n, 0) }
}

// WithRetryBackoff sets the first wait between attempts, default 100ms. Each
// further wait doubles, up to 16 times the first, and every wait is jittered
// by up to half its length either way. A Retry-After header replaces the
// wait when it fits the call's deadline. Values below one keep the default.
func WithRetryBackoff(d time.Duration) Option {
	return func(c *Client) {
		if d > 0 {
			c.backoff = d
		}
	}
}

// TimeoutError is a call that did not complete within the deadline set by
// WithTimeout, or within an earlier deadline of the caller's context.
type TimeoutError struct {
	Method string
	Route  string
	After  time.Duration // the client's deadline for one call
}

// Error describes the late call without the token or query.
func (e *TimeoutError) Error() string {
	return fmt.Sprintf("upstream: %s %s: no answer within %s", e.Method, e.Route, e.After)
}

// Timeout reports true, as net.Error does for timeouts.
func (e *TimeoutError) Timeout() bool { return true }

// Unwrap returns context.DeadlineExceeded, so errors.Is matches it.
func (e *TimeoutError) Unwrap() error { return context.DeadlineExceeded }

// errCallDeadline is the cause of a call's context ending at its deadline.
var errCallDeadline = errors.New("upstream: call deadline")

// call performs r under one deadline that covers every attempt and every wait
// between attempts, retrying what retryDelay allows.
func (c *Client) call(ctx context.Context, r *request) (*response, error) {
	ctx, cancel := context.WithTimeoutCause(ctx, c.timeout, errCallDeadline)
	defer cancel()

	waits := c.newBackOff()
	for attempt := 0; ; attempt++ {
		resp, err := c.attempt(ctx, r)
		if err == nil {
			return resp, nil
		}
		err = c.deadlineError(ctx, r, err)

		delay, ok := c.retryDelay(ctx, r, attempt, err, waits)
		if !ok {
			return nil, err
		}
		c.observer.Retry(r.family())
		if !sleep(ctx, delay) {
			return nil, c.deadlineError(ctx, r, fmt.Errorf("upstream: %s %s: %w",
				r.method, r.route, ctx.Err()))
		}
	}
}

func (c *Client) newBackOff() *backoff.ExponentialBackOff {
	b := &backoff.ExponentialBackOff{
		InitialInterval:     c.backoff,
		RandomizationFactor: backoffJitter,
		Multiplier:          backoffMultiplier,
		MaxInterval:         c.backoff * maxBackoffFactor,
	}
	b.Reset()
	return b
}

// deadlineError turns a failure caused by the end of ctx's deadline into a
// *TimeoutError. An answer the upstream did send is kept as it is.
func (c *Client) deadlineError(ctx context.Context, r *request, err error) error {
	var answer *Error
	if errors.As(err, &answer) || !errors.Is(ctx.Err(), context.DeadlineExceeded) {
		return err
	}
	return &TimeoutError{Method: r.method, Route: r.route, After: c.timeout}
}

// retryDelay says whether the call of r may try again after err and how long
// to wait first. A wait that would not end before the deadline means no
// retry: the call fails at once with err, so a 429 whose Retry-After is too
// long answers the rate limit rather than a timeout.
func (c *Client) retryDelay(ctx context.Context, r *request, attempt int, err error,
	waits *backoff.ExponentialBackOff,
) (time.Duration, bool) {
	if !r.idempotent() || attempt >= c.retries || !retryable(err) {
		return 0, false
	}

	delay := waits.NextBackOff()
	var e *Error
	if errors.As(err, &e) && e.RetryAfter > 0 {
		delay = e.RetryAfter
	}
	if deadline, ok := ctx.Deadline(); ok && delay >= time.Until(deadline) {
		return 0, false
	}
	return delay, true
}

// retryable reports whether err is worth another attempt of an idempotent
// request: a connection failure, or an answer saying the upstream is busy or
// briefly unavailable.
func retryable(err error) bool {
	var e *Error
	if errors.As(err, &e) {
		switch e.StatusCode {
		case http.StatusTooManyRequests, http.StatusBadGateway,
			http.StatusServiceUnavailable, http.StatusGatewayTimeout:
			return true
		}
		return false
	}
	var ce *connError
	return errors.As(err, &ce)
}

// sleep waits d unless ctx ends first; it reports whether the wait completed.
func sleep(ctx context.Context, d time.Duration) bool {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return true
	case <-ctx.Done():
		return false
	}
}
