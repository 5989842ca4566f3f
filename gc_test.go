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
		tuned     bool // GOGC between minGCPercent and maxGCPercent; else 100
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
			if tt.tuned && (got < minGCPercent || got > maxGCPercent) {
				t.Errorf("GC percent = %d, want %d to %d", got, minGCPercent, maxGCPercent)
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
	// several times more than five times over.
	waitGCPercent(t, "above the minimum with a small live heap", func(p int) bool {
		return p > minGCPercent && p <= maxGCPercent
	})

	// Past a fifth of the floor, the heap may grow five times the live data.
	ballast := make([]byte, gcHeapFloor/2)
	waitGCPercent(t, "the minimum with a large live heap", func(p int) bool { return p == minGCPercent })
	runtime.KeepAlive(ballast)
	ballast = nil

	waitGCPercent(t, "above the minimum once the heap is small again", func(p int) bool {
		return p > minGCPercent
	})

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

func TestGCPercentLetsTheHeapReachTheFloor(t *testing.T) {
	const mb = 1 << 20
	tests := []struct {
		live uint64
		want int
	}{
		{0, 400},        // no collection yet
		{4 * mb, 1500},  // 4 MB and 1500% more make 64 MB
		{1 * mb, 2000},  // capped
		{13 * mb, 400},  // 392% is below the minimum
		{64 * mb, 400},  // at the floor
		{200 * mb, 400}, // past it
	}
	for _, tt := range tests {
		if got := gcPercent(tt.live, 64*mb, 400, 2000); got != tt.want {
			t.Errorf("gcPercent(%d MB) = %d, want %d", tt.live/mb, got, tt.want)
		}
	}
}
