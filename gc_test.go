package main

import (
	"math"
	"runtime"
	"runtime/debug"
	"runtime/metrics"
	"testing"
	"time"
)

// saveGC restores the collector's settings when the test ends.
func saveGC(t *testing.T) {
	percent := debug.SetGCPercent(100)
	limit := debug.SetMemoryLimit(math.MaxInt64)
	t.Cleanup(func() {
		debug.SetGCPercent(percent)
		debug.SetMemoryLimit(limit)
	})
}

func gcPercentNow() int {
	s := []metrics.Sample{{Name: "/gc/gogc:percent"}}
	metrics.Read(s)
	return int(s[0].Value.Uint64())
}

func TestTuneGCSetsOnlyWhatTheEnvironmentLeavesUnset(t *testing.T) {
	saveGC(t)
	tests := []struct {
		name      string
		env       map[string]string
		tuned     bool // GOGC set by the gateway; else the environment's 100
		wantLimit int64
	}{
		{"neither set", nil, true, defaultMemoryLimit},
		{"GOGC set", map[string]string{"GOGC": "50"}, false, defaultMemoryLimit},
		{"GOMEMLIMIT set", map[string]string{"GOMEMLIMIT": "1GiB"}, true, math.MaxInt64},
		{"both set", map[string]string{"GOGC": "off", "GOMEMLIMIT": "1GiB"}, false, math.MaxInt64},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			// What the runtime would have applied from the environment is
			// left as the test found it: 100 and no limit.
			debug.SetGCPercent(100)
			debug.SetMemoryLimit(math.MaxInt64)

			stop := tuneGC(func(k string) string { return tt.env[k] })
			defer stop()

			got := debug.SetGCPercent(100)
			if tt.tuned && (got <= 100 || got > 2000) {
				t.Errorf("GC percent = %d, want 101 to 2000", got)
			}
			if !tt.tuned && got != 100 {
				t.Errorf("GC percent = %d, want the environment's (100 here)", got)
			}
			if got := debug.SetMemoryLimit(math.MaxInt64); got != tt.wantLimit {
				t.Errorf("memory limit = %d, want %d", got, tt.wantLimit)
			}
		})
	}
}

// waitGCPercent collects until GOGC satisfies ok, or fails the test.
func waitGCPercent(t *testing.T, what string, ok func(int) bool) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for !ok(gcPercentNow()) {
		if time.Now().After(deadline) {
			t.Fatalf("GC percent = %d, want %s", gcPercentNow(), what)
		}
		runtime.GC()
		time.Sleep(10 * time.Millisecond)
	}
}

func TestGCTunerFollowsTheLiveHeap(t *testing.T) {
	saveGC(t)
	stop := tuneGC(func(string) string { return "" })
	defer stop()

	// The test's own live heap is a few megabytes: the floor lets it grow
	// more than five times over.
	waitGCPercent(t, "above 400 with a small live heap", func(p int) bool { return p > 400 })

	// Past a fifth of the ceiling, the heap may grow to the ceiling only.
	ballast := make([]byte, 40<<20)
	waitGCPercent(t, "from 100 to 140 with 40 MB and more live", func(p int) bool {
		return p >= 100 && p <= 140
	})
	runtime.KeepAlive(ballast)
	ballast = nil

	waitGCPercent(t, "above 400 once the heap is small again", func(p int) bool { return p > 400 })

	// Once stopped, GOGC stays where it is set.
	stop()
	debug.SetGCPercent(100)
	for range 3 {
		runtime.GC()
		time.Sleep(10 * time.Millisecond)
	}
	if p := gcPercentNow(); p != 100 {
		t.Errorf("GC percent after stop = %d, want 100", p)
	}
}

func TestGCPercentKeepsTheHeapWithinItsBand(t *testing.T) {
	const mb = 1 << 20
	tests := []struct {
		live uint64
		want int
	}{
		{0, 400},        // no collection yet
		{4 * mb, 1100},  // 4 MB grow to the 48 MB floor
		{1 * mb, 2000},  // capped
		{12 * mb, 400},  // five times over is 60 MB
		{24 * mb, 166},  // five times over would pass the 64 MB ceiling
		{40 * mb, 100},  // twice over is more than the ceiling
		{200 * mb, 100}, // twice over
	}
	for _, tt := range tests {
		if got := gcPercent(tt.live); got != tt.want {
			t.Errorf("gcPercent(%d MB) = %d, want %d", tt.live/mb, got, tt.want)
		}
	}
}
