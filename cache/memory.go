package cache

import (
	"context"
	"fmt"
	"time"

	lru "github.com/hashicorp/golang-lru/v2"
)

// Memory is a Backend in process memory: at most a fixed number of entries,
// the least recently used evicted first, each kept for a fixed time. It keeps
// values as they are, so callers must treat what they get as read-only.
type Memory struct {
	entries *lru.Cache[string, memoryEntry]
	ttl     time.Duration
	now     func() time.Time
}

type memoryEntry struct {
	value   any
	expires time.Time
}

// NewMemory returns a memory backend of at most maxEntries entries, each kept
// for ttl.
func NewMemory(maxEntries int, ttl time.Duration) (*Memory, error) {
	if ttl <= 0 {
		return nil, fmt.Errorf("cache: time to live %s is not positive", ttl)
	}
	entries, err := lru.New[string, memoryEntry](maxEntries)
	if err != nil {
		return nil, fmt.Errorf("cache: %w", err)
	}
	return &Memory{entries: entries, ttl: ttl, now: time.Now}, nil
}

// GetMany returns the live value of each key, nil for a miss.
func (m *Memory) GetMany(_ context.Context, keys []string, _ func([]byte) (any, error)) []any {
	out := make([]any, len(keys))
	now := m.now()
	for i, k := range keys {
		// An expired entry stays until it is replaced or evicted: removing it
		// here could race with a fresh SetMany of the same key.
		if e, ok := m.entries.Get(k); ok && now.Before(e.expires) {
			out[i] = e.value
		}
	}
	return out
}

// SetMany keeps values[i] under keys[i] for the backend's time to live.
func (m *Memory) SetMany(_ context.Context, keys []string, values []any) {
	expires := m.now().Add(m.ttl)
	for i, k := range keys {
		m.entries.Add(k, memoryEntry{value: values[i], expires: expires})
	}
}

// Len is how many entries the backend holds, expired ones included until they
// are replaced or evicted.
func (m *Memory) Len() int { return m.entries.Len() }
