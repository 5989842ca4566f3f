package simulator

import (
	"context"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"
)

// fault makes requests on one route misbehave. Route is a stats key such as
// "GET /commercial/api/v1/leads/{id}", or "*" for every route. Status 0 only
// delays and then answers normally. Times 0 means until the faults are
// cleared.
type fault struct {
	Route       string `json:"route"`
	Status      int    `json:"status"`
	Body        string `json:"body"`
	ContentType string `json:"contentType"`
	Delay       string `json:"delay"`
	RetryAfter  string `json:"retryAfter"`
	Gzip        bool   `json:"gzip"`
	Times       int    `json:"times"`

	delay time.Duration
	used  int
}

// check validates f and parses its delay.
func (f *fault) check() error {
	if f.Route != "*" {
		method, path, ok := strings.Cut(f.Route, " ")
		if !ok || method == "" || !strings.HasPrefix(path, "/") {
			return fmt.Errorf("route %q is not like \"GET /commercial/api/v1/leads\"", f.Route)
		}
	}
	if f.Status != 0 && (f.Status < 100 || f.Status > 599) {
		return fmt.Errorf("status %d is not an HTTP status", f.Status)
	}
	if f.Times < 0 {
		return fmt.Errorf("times %d is negative", f.Times)
	}
	if f.Delay != "" {
		d, err := time.ParseDuration(f.Delay)
		if err != nil || d < 0 {
			return fmt.Errorf("delay %q is not a duration like \"2s\"", f.Delay)
		}
		f.delay = d
	}
	return nil
}

// faultSet is the list of active faults, first added first matched.
type faultSet struct {
	mu   sync.Mutex
	list []*fault
}

func (fs *faultSet) add(f fault) {
	fs.mu.Lock()
	defer fs.mu.Unlock()
	fs.list = append(fs.list, &f)
}

func (fs *faultSet) clear() {
	fs.mu.Lock()
	defer fs.mu.Unlock()
	fs.list = nil
}

func (fs *faultSet) snapshot() []fault {
	fs.mu.Lock()
	defer fs.mu.Unlock()
	out := make([]fault, 0, len(fs.list))
	for _, f := range fs.list {
		out = append(out, *f)
	}
	return out
}

// take uses up one turn of the first fault matching route.
func (fs *faultSet) take(route string) (fault, bool) {
	fs.mu.Lock()
	defer fs.mu.Unlock()
	for i, f := range fs.list {
		if f.Route != route && f.Route != "*" {
			continue
		}
		f.used++
		if f.Times > 0 && f.used >= f.Times {
			fs.list = append(fs.list[:i:i], fs.list[i+1:]...)
		}
		return *f, true
	}
	return fault{}, false
}

// applyFault plays the fault matching route, if any. It reports whether the
// request is finished: answered by the fault, or abandoned by the client.
func (s *Simulator) applyFault(w http.ResponseWriter, r *http.Request, route string) bool {
	f, ok := s.faults.take(route)
	if !ok {
		return false
	}
	if !sleep(r.Context(), f.delay) {
		return true
	}
	if f.Status == 0 {
		return false
	}

	h := w.Header()
	ct := f.ContentType
	if ct == "" && f.Body != "" {
		ct = "application/json"
	}
	if ct != "" {
		h.Set("Content-Type", ct)
	}
	if f.RetryAfter != "" {
		h.Set("Retry-After", f.RetryAfter)
	}
	body := []byte(f.Body)
	if f.Gzip {
		body = gzipBytes(body)
		h.Set("Content-Encoding", "gzip")
	}
	h.Set("Content-Length", strconv.Itoa(len(body)))
	w.WriteHeader(f.Status)
	_, _ = w.Write(body)
	return true
}

// sleep waits d unless ctx ends first; it reports whether the wait completed.
func sleep(ctx context.Context, d time.Duration) bool {
	if d <= 0 {
		return ctx.Err() == nil
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return true
	case <-ctx.Done():
		return false
	}
}
