package main

import (
	"fmt"
	"io"
	"os"
	"runtime"
	"strconv"
	"strings"
	"text/tabwriter"
	"time"
)

// report is one run of the benchmark.
type report struct {
	Date        string   `json:"date"`
	CPUs        int      `json:"cpus"`
	Concurrency int      `json:"concurrency"`
	Duration    string   `json:"duration"`
	Latency     string   `json:"simulator_latency"`
	Batch       string   `json:"batch"`
	Rate        float64  `json:"paced_rate"`
	Results     []result `json:"results"`

	// The gateway's goroutines while idle before the first scenario and after
	// the last, once the benchmark's connections are closed.
	GoroutinesBefore goroutines `json:"goroutines_before"`
	GoroutinesAfter  goroutines `json:"goroutines_after"`
}

func (r report) print(w io.Writer) {
	fmt.Fprintf(w, "loadbench %s: %d CPUs, %d clients, %s per scenario, upstream latency %s, batch %s\n\n",
		r.Date, r.CPUs, r.Concurrency, r.Duration, r.Latency, r.Batch)
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, "scenario\treq/s\tp50 ms\tp95 ms\tp99 ms\tupstream/req\tCPU s/1k req\tpeak RSS MB\t")
	for _, x := range r.Results {
		cpu, rss := "-", "-"
		if x.GatewayPeakRSSMB > 0 {
			cpu = strconv.FormatFloat(x.GatewayCPUPer1000, 'f', 3, 64)
			rss = strconv.FormatFloat(x.GatewayPeakRSSMB, 'f', 1, 64)
		}
		fmt.Fprintf(tw, "%s\t%.0f\t%.2f\t%.2f\t%.2f\t%.2f\t%s\t%s\t\n",
			x.Name, x.RPS, x.P50ms, x.P95ms, x.P99ms, x.UpstreamPerRequest, cpu, rss)
	}
	tw.Flush()

	if r.Rate > 0 {
		fmt.Fprintf(w, "\nat a fixed %g req/s (open loop; latency from when each request was due):\n\n", r.Rate)
		tw = tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
		fmt.Fprintln(tw, "scenario\trequests\tp50 ms\tp95 ms\tp99 ms\tupstream/req\t")
		for _, x := range r.Results {
			if p := x.Paced; p != nil {
				fmt.Fprintf(tw, "%s\t%d\t%.2f\t%.2f\t%.2f\t%.2f\t\n",
					x.Name, p.Requests, p.P50ms, p.P95ms, p.P99ms, p.UpstreamPerRequest)
			}
		}
		tw.Flush()
	}

	b, a := r.GoroutinesBefore, r.GoroutinesAfter
	verdict := "no growth"
	if a.Other() > b.Other() {
		verdict = fmt.Sprintf("GROWTH of %d", a.Other()-b.Other())
	}
	fmt.Fprintf(w, "\ngateway goroutines: %d before, %d after (%d of them the upstream keep-alive "+
		"pool, closed after its idle timeout); others %d -> %d: %s\n",
		b.Total, a.Total, a.UpstreamPool, b.Other(), a.Other(), verdict)
}

func numCPU() int { return runtime.NumCPU() }

// processCPU is the user plus system CPU time a process has used, from
// /proc/PID/stat (Linux); zero where that cannot be read.
func processCPU(pid int) time.Duration {
	raw, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		return 0
	}
	// Fields after the command name, which is in parentheses and may hold spaces.
	s := string(raw)
	fields := strings.Fields(s[strings.LastIndexByte(s, ')')+1:])
	if len(fields) < 13 {
		return 0
	}
	utime, _ := strconv.ParseInt(fields[11], 10, 64)
	stime, _ := strconv.ParseInt(fields[12], 10, 64)
	const clockTicks = 100 // USER_HZ on Linux
	return time.Duration(utime+stime) * time.Second / clockTicks
}

// peakRSS is a process's peak resident set (VmHWM) in bytes.
func peakRSS(pid int) int64 {
	raw, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		return 0
	}
	for _, line := range strings.Split(string(raw), "\n") {
		if rest, ok := strings.CutPrefix(line, "VmHWM:"); ok {
			kb, _ := strconv.ParseInt(strings.TrimSuffix(strings.TrimSpace(rest), " kB"), 10, 64)
			return kb << 10
		}
	}
	return 0
}

// resetPeakRSS starts a new peak for the process; Linux resets VmHWM when 5 is
// written to clear_refs.
func resetPeakRSS(pid int) {
	_ = os.WriteFile(fmt.Sprintf("/proc/%d/clear_refs", pid), []byte("5"), 0)
}
