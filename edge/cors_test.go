package edge

import (
	"net/http"
	"strings"
	"sync/atomic"
	"testing"
)

func TestCORSAnswersPreflightsFromAllowedOrigins(t *testing.T) {
	var reached atomic.Int64
	next := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		reached.Add(1)
		w.WriteHeader(http.StatusUnauthorized)
	})
	ts := serve(t, CORS([]string{"https://app.example.com"})(next))

	tests := []struct {
		name, origin string
		wantAllowed  bool
	}{
		{name: "an allowed origin gets CORS headers", origin: "https://app.example.com",
			wantAllowed: true},
		{name: "another origin gets none", origin: "https://evil.example.com"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			req, _ := http.NewRequest(http.MethodOptions, ts.URL+"/query", nil)
			req.Header.Set("Origin", tt.origin)
			req.Header.Set("Access-Control-Request-Method", "POST")
			// Browsers send these lowercase and sorted.
			req.Header.Set("Access-Control-Request-Headers",
				"apollo-require-preflight,authorization,content-type,x-apollo-operation-name")

			resp, _ := do(t, req)
			if resp.StatusCode != http.StatusNoContent {
				t.Errorf("status = %d, want 204", resp.StatusCode)
			}
			origin := resp.Header.Get("Access-Control-Allow-Origin")
			headers := strings.ToLower(resp.Header.Get("Access-Control-Allow-Headers"))
			if tt.wantAllowed {
				if origin != tt.origin || !strings.Contains(headers, "authorization") ||
					!strings.Contains(headers, "apollo-require-preflight") {
					t.Errorf("allow origin %q, headers %q; want %s and the asked headers",
						origin, headers, tt.origin)
				}
			} else if origin != "" || headers != "" {
				t.Errorf("allow origin %q, headers %q; want none", origin, headers)
			}
		})
	}
	if n := reached.Load(); n != 0 {
		t.Errorf("preflights reached the next handler %d times, want 0", n)
	}
}

func TestCORSOnActualRequests(t *testing.T) {
	ok := http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {})
	tests := []struct {
		name       string
		origins    []string
		origin     string
		wantHeader string
	}{
		{name: "an allowed origin is named", origins: []string{"https://app.example.com"},
			origin: "https://app.example.com", wantHeader: "https://app.example.com"},
		{name: "another origin is not", origins: []string{"https://app.example.com"},
			origin: "https://evil.example.com"},
		{name: "no origins means no CORS at all", origin: "https://app.example.com"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ts := serve(t, CORS(tt.origins)(ok))
			req, _ := http.NewRequest(http.MethodPost, ts.URL, nil)
			req.Header.Set("Origin", tt.origin)

			resp, _ := do(t, req)
			if got := resp.Header.Get("Access-Control-Allow-Origin"); got != tt.wantHeader {
				t.Errorf("Access-Control-Allow-Origin = %q, want %q", got, tt.wantHeader)
			}
		})
	}
}
