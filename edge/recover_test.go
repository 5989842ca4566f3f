package edge

import (
	"errors"
	"io"
	"log/slog"
	"net/http"
	"strings"
	"testing"

	"github.com/capedigital/cape-gateway/internal/testlog"
)

func TestRecoverAnswers500AndKeepsServing(t *testing.T) {
	var logs testlog.Buffer
	logger := slog.New(slog.NewJSONHandler(&logs, nil))
	ts := serve(t, Recover(logger)(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/panic" {
			panic("boom")
		}
		io.WriteString(w, "ok")
	})))

	req, _ := http.NewRequest(http.MethodGet, ts.URL+"/panic", nil)
	resp, body := do(t, req)
	if resp.StatusCode != http.StatusInternalServerError {
		t.Errorf("status = %d, want 500", resp.StatusCode)
	}
	if code, message := errorCode(t, body); code != "INTERNAL_SERVER_ERROR" ||
		message != "internal server error" {
		t.Errorf("error = %s %q, want INTERNAL_SERVER_ERROR", code, message)
	}
	if strings.Contains(string(body), "boom") {
		t.Errorf("body %s reveals the panic", body)
	}

	lines := strings.Split(strings.TrimSpace(logs.String()), "\n")
	if len(lines) != 1 || !strings.Contains(lines[0], `"panic":"boom"`) ||
		!strings.Contains(lines[0], "recover_test.go") {
		t.Errorf("log = %q, want one line with the panic and its stack", lines)
	}

	req, _ = http.NewRequest(http.MethodGet, ts.URL+"/next", nil)
	if resp, body := do(t, req); resp.StatusCode != http.StatusOK || string(body) != "ok" {
		t.Errorf("next request: HTTP %d %q, want 200 ok", resp.StatusCode, body)
	}
}

func TestRecoverAbortsAnAnswerAlreadyStarted(t *testing.T) {
	var logs testlog.Buffer
	logger := slog.New(slog.NewJSONHandler(&logs, nil))
	ts := serve(t, Recover(logger)(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.WriteHeader(http.StatusOK)
		w.(http.Flusher).Flush()
		panic("late")
	})))

	req, _ := http.NewRequest(http.MethodGet, ts.URL, nil)
	resp, err := http.DefaultTransport.RoundTrip(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	if _, err := io.ReadAll(resp.Body); err == nil {
		t.Errorf("reading the body succeeded, want the connection cut")
	}
	if n := strings.Count(logs.String(), `"panic":"late"`); n != 1 {
		t.Errorf("panic logged %d times, want 1", n)
	}
}

func TestRecoverLetsErrAbortHandlerThrough(t *testing.T) {
	var logs testlog.Buffer
	logger := slog.New(slog.NewJSONHandler(&logs, nil))
	var got any
	h := Recover(logger)(http.HandlerFunc(func(http.ResponseWriter, *http.Request) {
		panic(http.ErrAbortHandler)
	}))
	func() {
		defer func() { got = recover() }()
		h.ServeHTTP(nil, &http.Request{Method: http.MethodGet, URL: nil})
	}()
	if err, _ := got.(error); !errors.Is(err, http.ErrAbortHandler) {
		t.Errorf("recovered %v, want http.ErrAbortHandler", got)
	}
	if logs.String() != "" {
		t.Errorf("log = %q, want nothing", logs.String())
	}
}
