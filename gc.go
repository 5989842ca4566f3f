package main

import (
	"runtime"
	"runtime/debug"
	"runtime/metrics"
	"sync"
)

// The garbage collector's settings when the environment sets none. A request
// allocates a lot that dies with it while the live heap stays small.
//
//   - GOGC is set after every collection from what that collection found, so
//     that the heap may grow before the next one as GOGC=400 would let it, but
//     to no less than 48 MB and no more than 64 MB, and always at least as
//     GOGC=100 would. (The runtime grows the heap by GOGC percent of the live
//     heap plus the goroutine stacks and globals it scanned.) A gateway keeps
//     a few megabytes live, so GOGC=400 alone would collect some twenty times a
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

	// The runtime never lets the heap goal fall below 4 MB times GOGC/100, so
	// a GOGC of 1200 already holds the heap to the floor while almost nothing
	// is live, and a higher one would raise that minimum past the floor.
	maxGCPercent = gcHeapFloor / (4 << 20) * 100
)

// tuneGC applies the defaults above for the settings that GOGC and GOMEMLIMIT
// leave unset; the runtime has already applied those that are set. stop ends
// the tuning of GOGC, leaving it where it was last set; once it returns, GOGC
// is no longer changed.
func tuneGC(getenv func(string) string) (stop func()) {
	stop = func() {}
	if getenv("GOGC") == "" {
		debug.SetGCPercent(defaultGCPercent)
		t := &gcTuner{found: []metrics.Sample{
			{Name: "/gc/heap/live:bytes"}, {Name: "/gc/scan/stack:bytes"},
			{Name: "/gc/scan/globals:bytes"},
		}}
		t.arm()
		stop = t.stop
	}
	if getenv("GOMEMLIMIT") == "" {
		debug.SetMemoryLimit(defaultMemoryLimit)
	}
	return stop
}

// gcTuner sets GOGC after each collection from what it found.
type gcTuner struct {
	mu      sync.Mutex
	found   []metrics.Sample
	stopped bool
}

// sentinel is allocated for the collector to find unreachable; it holds a
// pointer so that it gets an allocation of its own.
type sentinel struct{ _ *byte }

// arm tunes once a collection has found a new sentinel unreachable, then
// arms again for the next one.
func (t *gcTuner) arm() {
	runtime.AddCleanup(new(sentinel), func(t *gcTuner) {
		t.mu.Lock()
		defer t.mu.Unlock()
		if t.stopped {
			return
		}
		metrics.Read(t.found)
		debug.SetGCPercent(gcPercent(t.found[0].Value.Uint64(), t.found[1].Value.Uint64(),
			t.found[2].Value.Uint64()))
		t.arm()
	}, t)
}

func (t *gcTuner) stop() {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.stopped = true
}

// gcPercent is the GOGC that lets the heap grow as the comment on gcHeapFloor
// says, after a collection that found live bytes of heap, and scanned stacks
// bytes of goroutine stacks and globals bytes of globals.
func gcPercent(live, stacks, globals uint64) int {
	scanned := live + stacks + globals
	if live == 0 {
		return defaultGCPercent
	}
	goal := max(min(live+4*scanned, gcHeapCeiling), gcHeapFloor, live+scanned)
	return min(int((goal-live)*100/scanned), maxGCPercent)
}
