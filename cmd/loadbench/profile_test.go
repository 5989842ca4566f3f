package main

import (
	"strings"
	"testing"
)

func TestParseGoroutinesSeparatesTheUpstreamPool(t *testing.T) {
	const profile = `goroutine profile: total 9
3 @ 0x1 0x2
#	0x1	net/http.(*persistConn).readLoop+0x1	/go/src/net/http/transport.go:2205

3 @ 0x3 0x4
#	0x3	internal/poll.runtime_pollWait+0x1	/go/src/runtime/netpoll.go:351
#	0x4	net/http.(*persistConn).writeLoop+0x1	/go/src/net/http/transport.go:2600

3 @ 0x5
#	0x5	net/http.(*conn).serve+0x1	/go/src/net/http/server.go:2000
`
	got, err := parseGoroutines(strings.NewReader(profile))
	if err != nil {
		t.Fatal(err)
	}
	if got.Total != 9 || got.UpstreamPool != 6 || got.Other() != 3 {
		t.Errorf("got total %d, pool %d, other %d; want 9, 6, 3",
			got.Total, got.UpstreamPool, got.Other())
	}
}

func TestProfilePathNamesTheScenarioWhenSeveralAreProfiled(t *testing.T) {
	tests := []struct {
		several bool
		want    string
	}{
		{several: false, want: "out/cpu.pprof"},
		{several: true, want: "out/cpu-gateway-list-20.pprof"},
	}
	for _, tt := range tests {
		if got := profilePath("out/cpu.pprof", "gateway-list-20", tt.several); got != tt.want {
			t.Errorf("profilePath(several=%t) = %q, want %q", tt.several, got, tt.want)
		}
	}
}
