package upstream

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"
)

const testToken = "eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJkZW1vIn0.c2lnbmF0dXJl"

// seenRequest is what a fake upstream observed of one request.
type seenRequest struct {
	Method      string
	Path        string // escaped path
	Query       string // raw query
	Auth        string
	Body        string
	ContentType string
	UserAgent   string
	Accept      string
	AcceptEnc   string
}

// fake is a tiny upstream that records requests and answers with handler.
type fake struct {
	srv *httptest.Server

	mu   sync.Mutex
	reqs []seenRequest
}

func newFake(t *testing.T, handler http.HandlerFunc) *fake {
	t.Helper()
	f := &fake{}
	f.srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		f.mu.Lock()
		f.reqs = append(f.reqs, seenRequest{
			Method:      r.Method,
			Path:        r.URL.EscapedPath(),
			Query:       r.URL.RawQuery,
			Auth:        r.Header.Get("Authorization"),
			Body:        string(body),
			ContentType: r.Header.Get("Content-Type"),
			UserAgent:   r.Header.Get("User-Agent"),
			Accept:      r.Header.Get("Accept"),
			AcceptEnc:   r.Header.Get("Accept-Encoding"),
		})
		f.mu.Unlock()
		handler(w, r)
	}))
	t.Cleanup(f.srv.Close)
	return f
}

func (f *fake) requests() []seenRequest {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]seenRequest(nil), f.reqs...)
}

// client returns a Client aimed at the fake under the /commercial prefix.
func (f *fake) client(t *testing.T, opts ...Option) *Client {
	t.Helper()
	c, err := New(f.srv.URL+"/commercial", opts...)
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	return c
}

// respond answers every request with status and a JSON body.
func respond(status int, body string) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(status)
		io.WriteString(w, body)
	}
}

func tokenCtx() context.Context {
	return WithToken(context.Background(), testToken)
}

func ptr[T any](v T) *T { return &v }
