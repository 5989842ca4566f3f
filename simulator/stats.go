package simulator

import (
	"maps"
	"sync"
)

// Stats counts the REST requests the simulator served. Requests is keyed by
// method and route with ids folded, like "GET /commercial/api/v1/leads/{id}";
// Subjects is keyed by the sub claim of the requests' valid tokens. Total is
// the sum of Requests. Requests under /__sim and /realms are not counted.
type Stats struct {
	Total    int64            `json:"total"`
	Requests map[string]int64 `json:"requests"`
	Subjects map[string]int64 `json:"subjects"`
}

// counter is the concurrency-safe tally behind Stats.
type counter struct {
	mu       sync.Mutex
	total    int64
	requests map[string]int64
	subjects map[string]int64
}

func newCounter() *counter {
	return &counter{requests: map[string]int64{}, subjects: map[string]int64{}}
}

// count records one request on route, and its token's subject when known.
func (c *counter) count(route, subject string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.total++
	c.requests[route]++
	if subject != "" {
		c.subjects[subject]++
	}
}

func (c *counter) snapshot() Stats {
	c.mu.Lock()
	defer c.mu.Unlock()
	return Stats{
		Total:    c.total,
		Requests: maps.Clone(c.requests),
		Subjects: maps.Clone(c.subjects),
	}
}

func (c *counter) reset() {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.total = 0
	clear(c.requests)
	clear(c.subjects)
}
