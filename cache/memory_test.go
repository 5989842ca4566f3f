package cache

import (
	"context"
	"testing"
	"time"
)

func TestMemoryEntriesExpireAfterTheirTimeToLive(t *testing.T) {
	m, err := NewMemory(10, time.Minute)
	if err != nil {
		t.Fatal(err)
	}
	now := time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)
	m.now = func() time.Time { return now }
	m.SetMany(context.Background(), []string{"k"}, []any{"v"})

	tests := []struct {
		name  string
		after time.Duration
		want  any
	}{
		{name: "alive just before the TTL", after: time.Minute - time.Nanosecond, want: "v"},
		{name: "gone at the TTL", after: time.Minute, want: nil},
	}
	start := now
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			now = start.Add(tt.after)
			if got := m.GetMany(context.Background(), []string{"k"}, nil)[0]; got != tt.want {
				t.Errorf("GetMany = %v, want %v", got, tt.want)
			}
		})
	}
}

func TestMemoryEvictsTheLeastRecentlyUsedEntry(t *testing.T) {
	m, err := NewMemory(2, time.Minute)
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	m.SetMany(ctx, []string{"a", "b"}, []any{1, 2})
	m.GetMany(ctx, []string{"a"}, nil)
	m.SetMany(ctx, []string{"c"}, []any{3})

	got := m.GetMany(ctx, []string{"a", "b", "c"}, nil)
	if got[0] != 1 || got[1] != nil || got[2] != 3 {
		t.Errorf("GetMany(a, b, c) = %v, want [1 <nil> 3]", got)
	}
	if m.Len() != 2 {
		t.Errorf("Len() = %d, want 2", m.Len())
	}
}

func TestNewMemoryRefusesAnEmptyBoundOrNoTimeToLive(t *testing.T) {
	tests := []struct {
		name    string
		entries int
		ttl     time.Duration
	}{
		{name: "no entries", entries: 0, ttl: time.Minute},
		{name: "no time to live", entries: 10, ttl: 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if _, err := NewMemory(tt.entries, tt.ttl); err == nil {
				t.Error("err = nil, want an error")
			}
		})
	}
}
