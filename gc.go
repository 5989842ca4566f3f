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
//   - GOGC is set after every collection from the live heap it found, so that
//     the heap may grow to five times the live data before the next one, but
//     to no less than 48 MB and no more than 64 MB, and always to at least
//     twice the live data (GOGC from 100 to 2000). A gateway keeps a few
//     megabytes live, so a fixed GOGC would collect some twenty times a
//     second under load; the floor halves that and takes about 5% off the CPU
//     per request. The ceiling holds the heap of a gateway whose requests keep
//     more live data at once (25 MB with 32 cold related-records queries) to
//     64 MB instead of five times that, with no measurable CPU cost; the
//     goroutine stacks and buffers of those requests come on top.
//   - The soft limit makes the collector work harder once the heap nears a
//     gigabyte, so that a large live heap does not grow twice over; below the
//     live heap it would make the collector run without pause, so it is set
//     well above what the gateway needs. In a smaller container set
//     GOMEMLIMIT to most of its memory.
const (
	gcHeapFloor        = 48 << 20
	gcHeapCeiling      = 64 << 20
	defaultGCPercent   = 400 // before the first collection
	defaultMemoryLimit = 1 << 30
)

// tuneGC applies the defaults above for the settings that GOGC and GOMEMLIMIT
// leave unset; the runtime has already applied those that are set. stop ends
// the tuning of GOGC, leaving it where it was last set.
func tuneGC(getenv func(string) string) (stop func()) {
	stop = func() {}
	if getenv("GOGC") == "" {
		debug.SetGCPercent(defaultGCPercent)
		t := &gcTuner{live: []metrics.Sample{{Name: "/gc/heap/live:bytes"}}}
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
	live    []metrics.Sample // only touched by one cleanup at a time
	stopped atomic.Bool
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
		debug.SetGCPercent(gcPercent(t.live[0].Value.Uint64()))
		t.arm()
	}, t)
}

// gcPercent is the GOGC that lets a heap with live bytes grow as the comment
// on gcHeapFloor says.
func gcPercent(live uint64) int {
	if live == 0 {
		return defaultGCPercent
	}
	goal := max(min(5*live, gcHeapCeiling), gcHeapFloor, 2*live)
	return min(int((goal-live)*100/live), 2000)
}
