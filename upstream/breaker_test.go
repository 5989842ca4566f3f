package upstream

import (
	"errors"
	"net/http"
	"slices"
	"testing"
	"time"
)

func TestBreakerOpensAfterConsecutiveFailuresAndStopsCalling(t *testing.T) {
	tests := []struct {
		name   string
		answer http.HandlerFunc
	}{
		{"503", respond(http.StatusServiceUnavailable, "")},
		{"500", respond(http.StatusInternalServerError, "")},
		{"dropped connection", dropConnection},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			f := newFake(t, tt.answer)
			obs := &countingObserver{}
			c := f.client(t, WithRetries(0), WithBreaker(3, time.Hour), WithObserver(obs))

			for i := range 3 {
				if _, err := c.GetLead(tokenCtx(), "l1"); errors.Is(err, ErrCircuitOpen) {
					t.Fatalf("call %d: got %v, want the upstream's failure", i+1, err)
				}
			}
			for i := range 5 {
				_, err := c.GetLead(tokenCtx(), "l2")
				if !errors.Is(err, ErrCircuitOpen) {
					t.Fatalf("call %d after opening: got %v, want ErrCircuitOpen", i+1, err)
				}
			}
			if n := len(f.requests()); n != 3 {
				t.Errorf("got %d requests, want 3: none once open", n)
			}
			want := []string{"GET /api/v1/leads/{id} open"}
			if !slices.Equal(obs.states, want) {
				t.Errorf("observer heard %v, want %v", obs.states, want)
			}
		})
	}
}

func TestBreakerIsPerRouteFamily(t *testing.T) {
	t.Parallel()
	f := newFake(t, func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/commercial/api/v1/leads/l1" {
			w.WriteHeader(http.StatusServiceUnavailable)
			return
		}
		respond(200, `{"id":"s1","name":"Radio"}`)(w, r)
	})
	c := f.client(t, WithRetries(0), WithBreaker(1, time.Hour))

	if _, err := c.GetLead(tokenCtx(), "l1"); errors.Is(err, ErrCircuitOpen) {
		t.Fatalf("got %v, want the 503", err)
	}
	if _, err := c.GetLead(tokenCtx(), "l1"); !errors.Is(err, ErrCircuitOpen) {
		t.Fatalf("leads: got %v, want ErrCircuitOpen", err)
	}
	if s, err := c.GetSource(tokenCtx(), "s1"); err != nil || s.ID != "s1" {
		t.Errorf("sources: got %v, %v, want the source: another route stays closed", s, err)
	}
}

func TestRefusalsDoNotOpenTheBreaker(t *testing.T) {
	tests := []struct {
		name   string
		answer http.HandlerFunc
	}{
		{"404", respond(http.StatusNotFound, `{"detail":"Not found."}`)},
		{"403", respond(http.StatusForbidden, `{"detail":"no"}`)},
		{"429", respondAfter(http.StatusTooManyRequests, "3600")},
		{"unreadable 200", respond(http.StatusOK, "<html>")},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			f := newFake(t, tt.answer)
			c := f.client(t, WithRetries(0), WithBreaker(2, time.Hour))

			for i := range 6 {
				if _, err := c.GetLead(tokenCtx(), "l1"); errors.Is(err, ErrCircuitOpen) {
					t.Fatalf("call %d: got ErrCircuitOpen, want the upstream's answer", i+1)
				}
			}
			if n := len(f.requests()); n != 6 {
				t.Errorf("got %d requests, want 6", n)
			}
		})
	}
}

func TestOpenBreakerStopsRetriesAtOnce(t *testing.T) {
	t.Parallel()
	f := newFake(t, respond(http.StatusServiceUnavailable, ""))
	c := f.client(t, WithRetries(5), WithRetryBackoff(time.Millisecond), WithBreaker(2, time.Hour))

	_, err := c.ListLeads(tokenCtx(), ListOptions{})
	if !errors.Is(err, ErrCircuitOpen) {
		t.Fatalf("got %v, want ErrCircuitOpen once the breaker opened mid-call", err)
	}
	if n := len(f.requests()); n != 2 {
		t.Errorf("got %d requests, want 2", n)
	}
}

func TestProbeAfterTheCooldownClosesTheBreaker(t *testing.T) {
	t.Parallel()
	f := newFake(t, script(respond(http.StatusServiceUnavailable, ""), respond(200, leadJSON)))
	obs := &countingObserver{}
	const cooldown = 100 * time.Millisecond
	c := f.client(t, WithRetries(0), WithBreaker(1, cooldown), WithObserver(obs))

	opened := time.Now()
	if _, err := c.GetLead(tokenCtx(), "l1"); errors.Is(err, ErrCircuitOpen) {
		t.Fatalf("got %v, want the 503", err)
	}

	// The breaker refuses until its cooldown ends, then lets the probe through.
	deadline := opened.Add(cooldown + 2*time.Second)
	for {
		lead, err := c.GetLead(tokenCtx(), "l1")
		if err == nil && lead.ID == "l1" {
			break
		}
		if !errors.Is(err, ErrCircuitOpen) {
			t.Fatalf("got %v, want ErrCircuitOpen or the lead", err)
		}
		if time.Now().After(deadline) {
			t.Fatal("the breaker never let a probe through")
		}
		time.Sleep(10 * time.Millisecond)
	}
	if since := time.Since(opened); since < cooldown {
		t.Errorf("probe after %s, want after the %s cooldown", since, cooldown)
	}
	if n := len(f.requests()); n != 2 {
		t.Errorf("got %d requests, want 2: the failure and the probe", n)
	}
	want := []string{
		"GET /api/v1/leads/{id} open", "GET /api/v1/leads/{id} half-open",
		"GET /api/v1/leads/{id} closed",
	}
	if !slices.Equal(obs.states, want) {
		t.Errorf("observer heard %v, want %v", obs.states, want)
	}
}

func TestSuccessResetsTheFailureCount(t *testing.T) {
	t.Parallel()
	fail := respond(http.StatusServiceUnavailable, "")
	ok := respond(200, leadJSON)
	f := newFake(t, script(fail, fail, ok, fail, fail, ok))
	c := f.client(t, WithRetries(0), WithBreaker(3, time.Hour))

	for i := range 6 {
		if _, err := c.GetLead(tokenCtx(), "l1"); errors.Is(err, ErrCircuitOpen) {
			t.Fatalf("call %d: got ErrCircuitOpen, want no more than 2 failures in a row", i+1)
		}
	}
	if n := len(f.requests()); n != 6 {
		t.Errorf("got %d requests, want 6", n)
	}
}
