package upstream

import (
	"context"
	"errors"
	"net/http"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// script answers the n-th request (from 0) with steps[n], and every later one
// with the last step.
func script(steps ...http.HandlerFunc) http.HandlerFunc {
	var n atomic.Int64
	return func(w http.ResponseWriter, r *http.Request) {
		i := int(n.Add(1) - 1)
		steps[min(i, len(steps)-1)](w, r)
	}
}

// respondAfter answers status with a Retry-After header.
func respondAfter(status int, retryAfter string) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Retry-After", retryAfter)
		w.WriteHeader(status)
	}
}

// dropConnection closes the connection without any answer.
func dropConnection(w http.ResponseWriter, r *http.Request) {
	conn, _, err := w.(http.Hijacker).Hijack()
	if err == nil {
		conn.Close()
	}
}

// countingObserver records what an Observer hears.
type countingObserver struct {
	mu      sync.Mutex
	retries map[string]int
	states  []string // "route state"
}

func (o *countingObserver) Retry(route string) {
	o.mu.Lock()
	defer o.mu.Unlock()
	if o.retries == nil {
		o.retries = map[string]int{}
	}
	o.retries[route]++
}

func (o *countingObserver) BreakerState(route, state string) {
	o.mu.Lock()
	defer o.mu.Unlock()
	o.states = append(o.states, route+" "+state)
}

func (o *countingObserver) retriesOf(route string) int {
	o.mu.Lock()
	defer o.mu.Unlock()
	return o.retries[route]
}

func TestGetIsRetriedAfterATransientFailure(t *testing.T) {
	tests := []struct {
		name  string
		first http.HandlerFunc
	}{
		{"503", respond(http.StatusServiceUnavailable, "")},
		{"502", respond(http.StatusBadGateway, "<html>bad gateway</html>")},
		{"504", respond(http.StatusGatewayTimeout, "")},
		{"429 without Retry-After", respond(http.StatusTooManyRequests, `{"detail":"slow"}`)},
		{"dropped connection", dropConnection},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			f := newFake(t, script(tt.first, respond(200, leadJSON)))
			obs := &countingObserver{}
			c := f.client(t, WithRetryBackoff(time.Millisecond), WithObserver(obs))

			lead, err := c.GetLead(tokenCtx(), "l1")
			if err != nil || lead.Name != "Acme" {
				t.Fatalf("got %v, %v, want the lead", lead, err)
			}
			if n := len(f.requests()); n != 2 {
				t.Errorf("got %d requests, want 2", n)
			}
			if n := obs.retriesOf("GET /api/v1/leads/{id}"); n != 1 {
				t.Errorf("observer heard %d retries, want 1", n)
			}
		})
	}
}

func TestGetIsNotRetriedAfterAnAnswerThatWouldNotChange(t *testing.T) {
	tests := []struct {
		name   string
		answer http.HandlerFunc
	}{
		{"400", respond(http.StatusBadRequest, `{"id":["bad"]}`)},
		{"401", respond(http.StatusUnauthorized, `{"detail":"no"}`)},
		{"403", respond(http.StatusForbidden, `{"detail":"no"}`)},
		{"404", respond(http.StatusNotFound, `{"detail":"Not found."}`)},
		{"500", respond(http.StatusInternalServerError, "")},
		{"unreadable 200", respond(http.StatusOK, "<html>")},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			f := newFake(t, tt.answer)
			c := f.client(t, WithRetryBackoff(time.Millisecond))

			if _, err := c.GetLead(tokenCtx(), "l1"); err == nil {
				t.Fatal("got no error, want one")
			}
			if n := len(f.requests()); n != 1 {
				t.Errorf("got %d requests, want 1", n)
			}
		})
	}
}

func TestRetriesAreBounded(t *testing.T) {
	t.Parallel()
	f := newFake(t, respond(http.StatusServiceUnavailable, ""))
	c := f.client(t, WithRetries(3), WithRetryBackoff(time.Millisecond), WithBreaker(0, 0))

	_, err := c.ListLeads(tokenCtx(), ListOptions{})
	var e *Error
	if !errors.As(err, &e) || e.StatusCode != http.StatusServiceUnavailable {
		t.Fatalf("got %v, want *Error 503", err)
	}
	if n := len(f.requests()); n != 4 {
		t.Errorf("got %d requests, want 4 (1 + 3 retries)", n)
	}
}

func TestWritesAreNeverRetried(t *testing.T) {
	tests := []struct {
		name   string
		answer http.HandlerFunc
		call   func(*Client) error
	}{
		{"POST on 503", respond(http.StatusServiceUnavailable, ""), func(c *Client) error {
			_, err := c.CreateLead(tokenCtx(), LeadInput{Name: "x"})
			return err
		}},
		{"POST on 429", respondAfter(http.StatusTooManyRequests, "1"), func(c *Client) error {
			_, err := c.CreateLeadCategory(tokenCtx(), LeadCategoryInput{Name: "x"})
			return err
		}},
		{"POST on a dropped connection", dropConnection, func(c *Client) error {
			_, err := c.RegisterConsumer(tokenCtx(), RegisterConsumerInput{Email: "a@b.c"})
			return err
		}},
		{"PATCH on 502", respond(http.StatusBadGateway, ""), func(c *Client) error {
			_, err := c.UpdateLead(tokenCtx(), "l1", LeadUpdate{Name: Some("x")})
			return err
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			f := newFake(t, script(tt.answer, respond(200, leadJSON)))
			c := f.client(t, WithRetryBackoff(time.Millisecond))

			if err := tt.call(c); err == nil {
				t.Fatal("got no error, want the first failure")
			}
			if n := len(f.requests()); n != 1 {
				t.Errorf("got %d requests, want exactly 1", n)
			}
		})
	}
}

func TestRetryAfterThatFitsTheDeadlineIsHonoured(t *testing.T) {
	t.Parallel()
	f := newFake(t, script(respondAfter(http.StatusTooManyRequests, "1"), respond(200, leadJSON)))
	c := f.client(t, WithTimeout(5*time.Second), WithRetryBackoff(time.Millisecond))

	start := time.Now()
	lead, err := c.GetLead(tokenCtx(), "l1")
	elapsed := time.Since(start)
	if err != nil || lead.ID != "l1" {
		t.Fatalf("got %v, %v, want the lead", lead, err)
	}
	if n := len(f.requests()); n != 2 {
		t.Errorf("got %d requests, want 2", n)
	}
	if elapsed < time.Second {
		t.Errorf("answered after %s, want at least the 1s Retry-After", elapsed)
	}
}

func TestRetryAfterBeyondTheDeadlineFailsFast(t *testing.T) {
	t.Parallel()
	f := newFake(t, respondAfter(http.StatusTooManyRequests, "3600"))
	c := f.client(t, WithTimeout(5*time.Second))

	start := time.Now()
	_, err := c.GetLead(tokenCtx(), "l1")
	elapsed := time.Since(start)
	var e *Error
	if !errors.As(err, &e) || e.StatusCode != 429 || e.RetryAfter != time.Hour {
		t.Fatalf("got %v, want *Error 429 with RetryAfter 1h", err)
	}
	if n := len(f.requests()); n != 1 {
		t.Errorf("got %d requests, want 1", n)
	}
	if elapsed > time.Second {
		t.Errorf("answered after %s, want at once", elapsed)
	}
}

func TestStalledUpstreamTimesOutWithinTheDeadline(t *testing.T) {
	t.Parallel()
	ended := make(chan error, 1)
	f := newFake(t, func(w http.ResponseWriter, r *http.Request) {
		<-r.Context().Done()
		ended <- r.Context().Err()
	})
	const timeout = 200 * time.Millisecond
	c := f.client(t, WithTimeout(timeout))

	start := time.Now()
	_, err := c.GetLead(tokenCtx(), "l1")
	elapsed := time.Since(start)

	var te *TimeoutError
	if !errors.As(err, &te) || !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("got %v, want a *TimeoutError matching context.DeadlineExceeded", err)
	}
	if elapsed < timeout || elapsed > timeout+150*time.Millisecond {
		t.Errorf("answered after %s, want between %s and %s", elapsed, timeout,
			timeout+150*time.Millisecond)
	}
	if n := len(f.requests()); n != 1 {
		t.Errorf("got %d requests, want 1 (a timeout leaves no time to retry)", n)
	}
	select {
	case <-ended:
	case <-time.After(time.Second):
		t.Error("the upstream request was still running a second after the timeout")
	}
	assertClean(t, err)
}

func TestDeadlineCoversEveryRetry(t *testing.T) {
	t.Parallel()
	f := newFake(t, respond(http.StatusServiceUnavailable, ""))
	const timeout = 300 * time.Millisecond
	c := f.client(t, WithTimeout(timeout), WithRetries(10),
		WithRetryBackoff(100*time.Millisecond), WithBreaker(0, 0))

	start := time.Now()
	_, err := c.GetLead(tokenCtx(), "l1")
	elapsed := time.Since(start)

	var e *Error
	if !errors.As(err, &e) || e.StatusCode != http.StatusServiceUnavailable {
		t.Fatalf("got %v, want the last answer, *Error 503", err)
	}
	if elapsed > timeout+50*time.Millisecond {
		t.Errorf("answered after %s, want within the %s deadline", elapsed, timeout)
	}
	if n := len(f.requests()); n < 2 || n > 4 {
		t.Errorf("got %d requests, want 2 to 4 within the deadline", n)
	}
}

func TestCallerThatGoesAwayEndsTheUpstreamRequest(t *testing.T) {
	t.Parallel()
	started := make(chan struct{})
	ended := make(chan error, 1)
	f := newFake(t, func(w http.ResponseWriter, r *http.Request) {
		close(started)
		<-r.Context().Done()
		ended <- r.Context().Err()
	})
	c := f.client(t, WithTimeout(time.Minute))

	ctx, cancel := context.WithCancel(tokenCtx())
	errc := make(chan error, 1)
	go func() {
		_, err := c.GetLead(ctx, "l1")
		errc <- err
	}()
	<-started
	cancel()

	if err := <-errc; !errors.Is(err, context.Canceled) {
		t.Errorf("got %v, want context.Canceled", err)
	}
	select {
	case err := <-ended:
		if !errors.Is(err, context.Canceled) {
			t.Errorf("upstream request ended with %v, want context.Canceled", err)
		}
	case <-time.After(time.Second):
		t.Error("the upstream request was still running a second after the caller left")
	}
	if n := len(f.requests()); n != 1 {
		t.Errorf("got %d requests, want 1", n)
	}
}
