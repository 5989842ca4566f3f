package simulator

import (
	"bytes"
	"compress/gzip"
	"context"
	"errors"
	"io"
	"net/http"
	"sync"
	"testing"
	"time"
)

func TestStatsCountRoutesWithIDsFolded(t *testing.T) {
	s := newTestSim(t, Options{Leads: 10})
	l := firstLead(t, s)
	s.get(t, "/commercial/api/v1/leads/"+l.str(t, "id"), new(wireLead))
	s.get(t, "/commercial/api/v1/leads/"+l.str(t, "id")+"/", new(wireLead))
	s.do(t, http.MethodGet, "/commercial/api/v1/sources", "", nil)
	s.do(t, http.MethodGet, "/__sim/stats", "", nil)
	s.do(t, http.MethodGet, "/realms/capemedia/protocol/openid-connect/certs", "", nil)

	var got Stats
	s.do(t, http.MethodGet, "/__sim/stats", "", nil).json(t, &got)
	want := map[string]int64{
		"GET /commercial/api/v1/leads":      1,
		"GET /commercial/api/v1/leads/{id}": 2,
		"GET /commercial/api/v1/sources":    1,
	}
	if got.Total != 4 || len(got.Requests) != len(want) {
		t.Fatalf("stats = %+v, want total 4 and %v", got, want)
	}
	for k, n := range want {
		if got.Requests[k] != n {
			t.Errorf("requests[%q] = %d, want %d", k, got.Requests[k], n)
		}
	}
	demo := s.filterUsers(func(u user) bool { return u.Username == demoUsername })[0]
	if got.Subjects[demo.ID] != 3 || len(got.Subjects) != 1 {
		t.Errorf("subjects = %v, want 3 for the demo user only", got.Subjects)
	}

	if a := s.do(t, http.MethodPost, "/__sim/reset", "", nil); a.status != 204 {
		t.Fatalf("reset: %d", a.status)
	}
	if st := s.Stats(); st.Total != 0 || len(st.Requests) != 0 || len(st.Subjects) != 0 {
		t.Errorf("after reset stats = %+v", st)
	}
}

func addFault(t *testing.T, s *testSim, f map[string]any) {
	t.Helper()
	if a := s.do(t, http.MethodPost, "/__sim/faults", "", f); a.status != http.StatusCreated {
		t.Fatalf("add fault: %d %s", a.status, a.body)
	}
}

func TestFaults(t *testing.T) {
	s := newTestSim(t, Options{Leads: 10})
	const route = "GET /commercial/api/v1/leads"
	addFault(t, s, map[string]any{"route": route, "status": 503, "body": "<h1>down</h1>",
		"contentType": "text/html", "retryAfter": "2", "times": 2})

	for i := range 2 {
		a := s.do(t, http.MethodGet, "/commercial/api/v1/leads", s.token, nil)
		if a.status != 503 || string(a.body) != "<h1>down</h1>" ||
			a.header.Get("Content-Type") != "text/html" || a.header.Get("Retry-After") != "2" {
			t.Fatalf("call %d: got %d %v %s, want the 503 fault", i, a.status, a.header, a.body)
		}
	}
	if a := s.do(t, http.MethodGet, "/commercial/api/v1/leads", s.token, nil); a.status != 200 {
		t.Errorf("third call got %d, want 200 once the fault is used up", a.status)
	}
	if n := s.Stats().Requests[route]; n != 3 {
		t.Errorf("faulted requests counted %d times, want 3", n)
	}
}

func TestFaultUntilCleared(t *testing.T) {
	s := newTestSim(t, Options{Leads: 10})
	addFault(t, s, map[string]any{"route": "GET /commercial/api/v1/leads/{id}",
		"status": 502})
	path := "/commercial/api/v1/leads/" + firstLead(t, s).str(t, "id")
	for range 3 {
		if a := s.do(t, http.MethodGet, path, s.token, nil); a.status != 502 {
			t.Fatalf("got %d, want 502 while the fault is set", a.status)
		}
	}
	s.do(t, http.MethodDelete, "/__sim/faults", "", nil)
	if a := s.do(t, http.MethodGet, path, s.token, nil); a.status != 200 {
		t.Errorf("got %d after DELETE /__sim/faults, want 200", a.status)
	}
}

func TestFaultGzipBody(t *testing.T) {
	s := newTestSim(t, Options{Leads: 10})
	addFault(t, s, map[string]any{"route": "GET /commercial/api/v1/products",
		"status": 200, "body": `{"results":[]}`, "gzip": true, "times": 1})

	// A raw transport so that nothing decompresses behind our back.
	req, _ := http.NewRequest(http.MethodGet, s.base+"/commercial/api/v1/products", nil)
	req.Header.Set("Authorization", "Bearer "+s.token)
	req.Header.Set("Accept-Encoding", "gzip")
	res, err := http.DefaultTransport.RoundTrip(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	raw, _ := io.ReadAll(res.Body)
	if res.Header.Get("Content-Encoding") != "gzip" {
		t.Fatalf("Content-Encoding = %q, want gzip", res.Header.Get("Content-Encoding"))
	}
	zr, err := gzip.NewReader(bytes.NewReader(raw))
	if err != nil {
		t.Fatal(err)
	}
	plain, _ := io.ReadAll(zr)
	if string(plain) != `{"results":[]}` {
		t.Errorf("body = %q", plain)
	}
}

func TestFaultDelay(t *testing.T) {
	s := newTestSim(t, Options{Leads: 10})
	addFault(t, s, map[string]any{"route": "GET /commercial/api/v1/sources",
		"delay": "150ms", "times": 1})
	start := time.Now()
	a := s.do(t, http.MethodGet, "/commercial/api/v1/sources", s.token, nil)
	if a.status != 200 || time.Since(start) < 150*time.Millisecond {
		t.Errorf("got %d after %v, want a normal answer after at least 150ms", a.status,
			time.Since(start))
	}

	t.Run("the delay ends when the client gives up", func(t *testing.T) {
		addFault(t, s, map[string]any{"route": "GET /commercial/api/v1/sources",
			"delay": "1h", "times": 1})
		ctx, cancel := context.WithTimeout(context.Background(), 100*time.Millisecond)
		defer cancel()
		req, _ := http.NewRequestWithContext(ctx, http.MethodGet,
			s.base+"/commercial/api/v1/sources", nil)
		_, err := http.DefaultClient.Do(req)
		if !errors.Is(err, context.DeadlineExceeded) {
			t.Errorf("err = %v, want the client's deadline", err)
		}
	})
}

func TestBadFaultIsRefused(t *testing.T) {
	s := newTestSim(t, Options{Leads: 10})
	for _, f := range []string{`{"route":"leads"}`, `{"route":"GET /x","delay":"soon"}`,
		`{"route":"GET /x","status":1000}`, `nope`} {
		if a := s.do(t, http.MethodPost, "/__sim/faults", "", f); a.status != 400 {
			t.Errorf("fault %s: got %d, want 400", f, a.status)
		}
	}
}

func TestAnswersAreGzippedOnRequest(t *testing.T) {
	s := newTestSim(t, Options{Leads: 10})
	req, _ := http.NewRequest(http.MethodGet, s.base+"/commercial/api/v1/leads", nil)
	req.Header.Set("Authorization", "Bearer "+s.token)
	req.Header.Set("Accept-Encoding", "gzip")
	res, err := http.DefaultTransport.RoundTrip(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	if res.Header.Get("Content-Encoding") != "gzip" {
		t.Errorf("Content-Encoding = %q, want gzip", res.Header.Get("Content-Encoding"))
	}
}

func TestLatencyIsAdded(t *testing.T) {
	s := newTestSim(t, Options{Leads: 10, Latency: 100 * time.Millisecond})
	start := time.Now()
	s.get(t, "/commercial/api/v1/partners", new(leadPage))
	if d := time.Since(start); d < 100*time.Millisecond {
		t.Errorf("answer took %v, want at least the 100ms latency", d)
	}
}

// TestConcurrentUse is for the race detector: reads, writes and controls at once.
func TestConcurrentUse(t *testing.T) {
	s := newTestSim(t, Options{Leads: 200})
	path := "/commercial/api/v1/leads/" + firstLead(t, s).str(t, "id")
	var wg sync.WaitGroup
	for i := range 16 {
		wg.Go(func() {
			switch i % 4 {
			case 0:
				s.do(t, http.MethodPatch, path, s.token, map[string]any{"gender": "male"})
			case 1:
				s.do(t, http.MethodPost, "/commercial/api/v1/leads", s.token,
					map[string]any{"name": "Race Traders"})
			case 2:
				s.do(t, http.MethodPost, "/__sim/keys/rotate", "", nil)
			default:
				s.do(t, http.MethodGet, "/commercial/api/v1/leads?page_size=100", s.token, nil)
				s.Stats()
			}
		})
	}
	wg.Wait()
	if st := s.Stats(); st.Total < 13 {
		t.Errorf("total = %d, want at least 13", st.Total)
	}
}
