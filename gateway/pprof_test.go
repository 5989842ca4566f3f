package gateway

import (
	"io"
	"log/slog"
	"net"
	"net/http"
	"strings"
	"testing"
)

func TestProfilesAreServedOnlyOnTheirOwnListener(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	stop := ServePprof(ln, slog.New(slog.DiscardHandler))
	defer stop()
	e := newTestEnv(t, nil)

	tests := []struct {
		name       string
		url        string
		wantStatus int
		wantBody   string
	}{
		{
			name:       "the profiling listener serves the goroutine profile",
			url:        "http://" + ln.Addr().String() + "/debug/pprof/goroutine?debug=1",
			wantStatus: http.StatusOK, wantBody: "goroutine profile: total",
		},
		{
			name: "the public routes do not", url: e.url + "/debug/pprof/goroutine?debug=1",
			wantStatus: http.StatusNotFound,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			resp, err := http.Get(tt.url)
			if err != nil {
				t.Fatal(err)
			}
			body, _ := io.ReadAll(resp.Body)
			resp.Body.Close()
			if resp.StatusCode != tt.wantStatus || !strings.Contains(string(body), tt.wantBody) {
				t.Errorf("GET = HTTP %d %.80q, want HTTP %d with %q",
					resp.StatusCode, body, tt.wantStatus, tt.wantBody)
			}
		})
	}
}
