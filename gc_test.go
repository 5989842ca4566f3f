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

func readMetric(name string) uint64 {
	s := []metrics.Sample{{Name: name}}
	metrics.Read(s)
	return s[0].Value.Uint64()
}

func gcPercentNow() int { return int(readMetric("/gc/gogc:percent")) }

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
			if tt.tuned && (got <= 100 || got > maxGCPercent) {
				t.Errorf("GC percent = %d, want 101 to %d", got, maxGCPercent)
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
	if goal := readMetric("/gc/heap/goal:bytes"); goal < 46<<20 || goal > 50<<20 {
		t.Errorf("heap goal = %.1f MB, want the 48 MB floor", float64(goal)/(1<<20))
	}

	// With 16 MB live, five times over would pass the 64 MB ceiling.
	ballast := make([]byte, 16<<20)
	waitGCPercent(t, "below 400 with 16 MB live", func(p int) bool { return p < 400 })
	if goal := readMetric("/gc/heap/goal:bytes"); goal < 62<<20 || goal > 66<<20 {
		t.Errorf("heap goal = %.1f MB, want the 64 MB ceiling", float64(goal)/(1<<20))
	}
	runtime.KeepAlive(ballast)

	// With 40 MB and more live, the heap may only double.
	ballast = make([]byte, 40<<20)
	waitGCPercent(t, "100 with 40 MB and more live", func(p int) bool { return p == 100 })
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
		name                  string
		live, stacks, globals uint64
		want                  int
	}{
		{"no collection yet", 0, 0, 0, 400},
		{"grows to the 48 MB floor", 4 * mb, 0, 0, 1100},
		{"stacks and globals count in the growth", 4 * mb, 3 * mb, 1 * mb, 550},
		{"almost nothing live", 100 << 10, 0, 0, 1200},
		{"as GOGC=400 inside the band", 12 * mb, 0, 0, 400},
		{"held to the 64 MB ceiling", 24 * mb, 0, 0, 166},
		{"the ceiling counts stacks too", 20 * mb, 4 * mb, 0, 183},
		{"as GOGC=100 past the ceiling", 40 * mb, 0, 0, 100},
		{"twice over a large live heap", 200 * mb, 2 * mb, 0, 100},
	}
	for _, tt := range tests {
		if got := gcPercent(tt.live, tt.stacks, tt.globals); got != tt.want {
			t.Errorf("%s: gcPercent(%d, %d, %d MB) = %d, want %d", tt.name,
				tt.live/mb, tt.stacks/mb, tt.globals/mb, got, tt.want)
		}
	}
}
