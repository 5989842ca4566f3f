package simulator

import (
	"net/http"
	"slices"
	"sync"
)

// maxTraceParents is how many traceparent headers the simulator remembers.
const maxTraceParents = 256

// traceLog keeps the W3C traceparent headers of the latest REST requests
// that carried one, so tests can check that trace context reached the API.
type traceLog struct {
	mu   sync.Mutex
	list []string
}

func (t *traceLog) note(traceparent string) {
	if traceparent == "" {
		return
	}
	t.mu.Lock()
	defer t.mu.Unlock()
	if len(t.list) == maxTraceParents {
		t.list = slices.Delete(t.list, 0, 1)
	}
	t.list = append(t.list, traceparent)
}

func (t *traceLog) snapshot() []string {
	t.mu.Lock()
	defer t.mu.Unlock()
	return slices.Clone(t.list)
}

func (t *traceLog) reset() {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.list = nil
}

// TraceParents returns the traceparent headers of the latest REST requests
// (at most 256) that sent one, oldest first. Reset clears them. The same
// list is served at GET /__sim/traces as {"traceparents": [...]}.
func (s *Simulator) TraceParents() []string { return s.traces.snapshot() }

func (s *Simulator) serveTraces(w http.ResponseWriter, r *http.Request) {
	list := s.TraceParents()
	if list == nil {
		list = []string{}
	}
	writeJSON(w, r, http.StatusOK, map[string][]string{"traceparents": list})
}
