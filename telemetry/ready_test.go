package telemetry

import (
	"context"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

func readyz(t *testing.T, r *Readiness) (int, string) {
	t.Helper()
	rr := httptest.NewRecorder()
	r.ServeHTTP(rr, httptest.NewRequest(http.MethodGet, "/readyz", nil))
	return rr.Code, rr.Body.String()
}

func TestReadinessWaitsForEveryCheckAndEndsWithDrain(t *testing.T) {
	keysLoaded := false
	probes := 0
	r := NewReadiness(nil,
		Check{Name: "jwt-keys", Test: func(context.Context) error {
			if !keysLoaded {
				return errors.New("not loaded")
			}
			return nil
		}},
		Check{Name: "upstream", Test: Once(func(context.Context) error {
			probes++
			return nil
		})})

	if code, body := readyz(t, r); code != 503 || body != "not ready: jwt-keys\n" {
		t.Errorf("before keys: %d %q, want 503 naming jwt-keys", code, body)
	}
	keysLoaded = true
	for range 3 {
		if code, body := readyz(t, r); code != 200 || body != "ready\n" {
			t.Errorf("after keys: %d %q, want 200 ready", code, body)
		}
	}
	if probes != 1 {
		t.Errorf("upstream probes = %d, want 1 (Once stops after a success)", probes)
	}
	r.Drain()
	if code, body := readyz(t, r); code != 503 || body != "not ready: shutdown\n" {
		t.Errorf("after Drain: %d %q, want 503 naming shutdown", code, body)
	}
}

func TestOnceRetriesUntilTheFirstSuccess(t *testing.T) {
	calls := 0
	test := Once(func(context.Context) error {
		calls++
		if calls < 3 {
			return errors.New("down")
		}
		return nil
	})
	var errs int
	for range 5 {
		if test(context.Background()) != nil {
			errs++
		}
	}
	if calls != 3 || errs != 2 {
		t.Errorf("calls = %d, failures = %d; want 3 and 2", calls, errs)
	}
}

func TestHTTPProbeCountsAnyAnswerAsUp(t *testing.T) {
	var gotAuth []string
	up := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		gotAuth = append(gotAuth, r.Header.Get("Authorization"))
		w.WriteHeader(http.StatusUnauthorized)
		io.WriteString(w, `{"detail":"Authentication credentials were not provided."}`)
	}))
	probe := HTTPProbe(up.Client(), up.URL+"/api/v1/leads?page_size=1")
	if err := probe(context.Background()); err != nil {
		t.Errorf("probe of a server answering 401 = %v, want nil", err)
	}
	if len(gotAuth) != 1 || gotAuth[0] != "" {
		t.Errorf("Authorization headers sent = %q, want one empty", gotAuth)
	}

	up.Close()
	err := probe(context.Background())
	if err == nil || !strings.Contains(err.Error(), "connect") {
		t.Errorf("probe of a closed server = %v, want a connection error", err)
	}
}
