package main

import (
	"runtime"
	"runtime/debug"
	"runtime/metrics"
	"sync/atomic"
)

// The garbage collector's settings when the environment sets none. A request
// allocates a lot that dies with it while the live heap stays small.
//
//   - GOGC is set after every collection so that the heap may grow to about
//     gcHeapFloor before the next one, but never below minGCPercent (the heap
//     grows to five times the live data) nor above maxGCPercent. A gateway
//     keeps a few megabytes live, so a fixed GOGC would collect some twenty
//     times a second under load; letting the heap reach 48 MB halves that and
//     takes about 5% off the CPU per request. Once the live heap passes a
//     fifth of the floor (10 MB), GOGC stays at 400. A higher floor saves
//     little more, while the stacks of a request's goroutines come on top.
//   - The soft limit makes the collector work harder once the heap nears a
//     gigabyte, so that a large live heap does not grow five times over; below
//     the live heap it would make the collector run without pause, so it is
//     set well above what the gateway needs. In a smaller container set
//     GOMEMLIMIT to most of its memory.
const (
	minGCPercent       = 400
	maxGCPercent       = 2000
	gcHeapFloor        = 48 << 20
	defaultMemoryLimit = 1 << 30
)

// tuneGC applies the defaults above for the settings that GOGC and GOMEMLIMIT
// leave unset; the runtime has already applied those that are set. stop ends
// the tuning of GOGC, leaving it where it was last set.
func tuneGC(getenv func(string) string) (stop func()) {
	stop = func() {}
	if getenv("GOGC") == "" {
		debug.SetGCPercent(minGCPercent)
		t := &gcTuner{floor: gcHeapFloor, min: minGCPercent, max: maxGCPercent,
			live: []metrics.Sample{{Name: "/gc/heap/live:bytes"}}}
		t.arm()
		stop = func() { t.stopped.Store(true) }
	}
	if getenv("GOMEMLIMIT") == "" {
		debug.SetMemoryLimit(defaultMemoryLimit)
	}
	return stop
}

// gcTuner sets GOGC after each collection from the live heap it found.
type gcTuner struct {
	floor    uint64
	min, max int
	live     []metrics.Sample // only touched by one cleanup at a time
	stopped  atomic.Bool
}

// sentinel is allocated for the collector to find unreachable; it holds a
// pointer so that it gets an allocation of its own.
type sentinel struct{ _ *byte }

// arm tunes once a collection has found a new sentinel unreachable, then
// arms again for the next one.
func (t *gcTuner) arm() {
	runtime.AddCleanup(new(sentinel), func(t *gcTuner) {
		if t.stopped.Load() {
			return
		}
		metrics.Read(t.live)
		debug.SetGCPercent(gcPercent(t.live[0].Value.Uint64(), t.floor, t.min, t.max))
		t.arm()
	}, t)
}

// gcPercent is the GOGC that lets a heap with live bytes grow to floor before
// the next collection, within [lo, hi].
func gcPercent(live, floor uint64, lo, hi int) int {
	if live == 0 || live >= floor {
		return lo
	}
	return min(max(int((floor-live)*100/live), lo), hi)
}
