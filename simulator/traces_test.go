package simulator

import (
	"net/http"
	"slices"
	"testing"
)

func TestTraceParentsKeepTheHeadersOfRESTRequestsOnly(t *testing.T) {
	s := newTestSim(t, Options{Leads: 10})
	send := func(path, traceparent string) {
		t.Helper()
		req, err := http.NewRequest(http.MethodGet, s.base+path, nil)
		if err != nil {
			t.Fatal(err)
		}
		req.Header.Set("Authorization", "Bearer "+s.token)
		if traceparent != "" {
			req.Header.Set("traceparent", traceparent)
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
	}
	const (
		first  = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01"
		second = "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01"
	)
	send("/commercial/api/v1/sources", first)
	send("/commercial/api/v1/partners", "")
	send("/realms/capemedia/protocol/openid-connect/certs", second)
	send("/commercial/api/v1/products", second)

	want := []string{first, second}
	if got := s.TraceParents(); !slices.Equal(got, want) {
		t.Errorf("TraceParents() = %q, want %q", got, want)
	}
	var served struct {
		TraceParents []string `json:"traceparents"`
	}
	s.do(t, http.MethodGet, "/__sim/traces", "", nil).json(t, &served)
	if !slices.Equal(served.TraceParents, want) {
		t.Errorf("GET /__sim/traces = %q, want %q", served.TraceParents, want)
	}

	s.Reset()
	if got := s.TraceParents(); len(got) != 0 {
		t.Errorf("after Reset TraceParents() = %q, want none", got)
	}
}

func TestTraceParentsKeepOnlyTheLatest(t *testing.T) {
	var l traceLog
	for i := range maxTraceParents + 3 {
		l.note(string(rune('a' + i%26)))
	}
	got := l.snapshot()
	if len(got) != maxTraceParents {
		t.Fatalf("kept %d headers, want %d", len(got), maxTraceParents)
	}
	if want := string(rune('a' + 3)); got[0] != want {
		t.Errorf("oldest kept = %q, want %q", got[0], want)
	}
}
