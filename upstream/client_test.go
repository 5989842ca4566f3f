package upstream

import (
	"context"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"
)

func TestNewRejectsBadBaseURLs(t *testing.T) {
	tests := []struct {
		name    string
		baseURL string
		opts    []Option
	}{
		{"no scheme", "api.example.com/commercial", nil},
		{"ftp scheme", "ftp://api.example.com", nil},
		{"no host", "http:///commercial", nil},
		{"credentials", "https://user:pw@api.example.com", nil},
		{"query", "https://api.example.com/commercial?x=1", nil},
		{"fragment", "https://api.example.com/commercial#top", nil},
		{"relative route", "https://api.example.com", []Option{WithRoutes(Routes{Leads: "leads"})}},
		{"route with a host", "https://api.example.com",
			[]Option{WithRoutes(Routes{Leads: "//evil.example/x"})}},
		{"route with a query", "https://api.example.com",
			[]Option{WithRoutes(Routes{Leads: "/leads?x=1"})}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, err := New(tt.baseURL, tt.opts...)
			if err == nil || c != nil {
				t.Errorf("got %v, %v, want an error", c, err)
			}
		})
	}
}

func TestNoTokenSendsNoAuthorization(t *testing.T) {
	t.Parallel()
	f := newFake(t, respond(200, `{"id":"u1"}`))
	c := f.client(t)

	for _, ctx := range []context.Context{context.Background(), WithToken(context.Background(), "")} {
		if _, err := c.GetUserInfo(ctx); err != nil {
			t.Fatalf("got error %v, want none", err)
		}
	}
	for _, req := range f.requests() {
		if req.Auth != "" {
			t.Errorf("got Authorization %q, want none", req.Auth)
		}
		if req.UserAgent != defaultUserAgent {
			t.Errorf("got User-Agent %q, want %q", req.UserAgent, defaultUserAgent)
		}
	}
}

func TestTokenThatIsNotAHeaderValueIsRefused(t *testing.T) {
	t.Parallel()
	f := newFake(t, respond(200, `{"id":"u1"}`))
	bad := testToken + "\r\nX-Evil: 1"

	_, err := f.client(t).GetUserInfo(WithToken(context.Background(), bad))
	if err == nil {
		t.Fatal("got no error, want one")
	}
	if strings.Contains(err.Error(), testToken) {
		t.Errorf("error %q contains the token", err)
	}
	if n := len(f.requests()); n != 0 {
		t.Errorf("got %d requests, want 0", n)
	}
}

func TestInvalidIDsMakeNoCall(t *testing.T) {
	t.Parallel()
	f := newFake(t, respond(200, leadJSON))
	c := f.client(t)

	for _, id := range []string{"", ".", ".."} {
		lead, err := c.GetLead(tokenCtx(), id)
		if lead != nil || !errors.Is(err, ErrInvalidID) || !IsNotFound(err) {
			t.Errorf("GetLead(%q) = %v, %v, want ErrInvalidID", id, lead, err)
		}
		if _, err := c.UpdateLead(tokenCtx(), id, LeadUpdate{}); !errors.Is(err, ErrInvalidID) {
			t.Errorf("UpdateLead(%q) = %v, want ErrInvalidID", id, err)
		}
	}
	if n := len(f.requests()); n != 0 {
		t.Errorf("got %d requests, want 0", n)
	}
}

func TestRouteOverrides(t *testing.T) {
	t.Parallel()
	f := newFake(t, respond(200, `{"id":"s1","name":"Web"}`))
	c := f.client(t, WithRoutes(Routes{Sources: "/v2/origins/", Partners: ""}))

	if _, err := c.GetSource(tokenCtx(), "s1"); err != nil {
		t.Fatalf("GetSource: %v", err)
	}
	if _, err := c.GetPartner(tokenCtx(), "p1"); err != nil {
		t.Fatalf("GetPartner: %v", err)
	}
	reqs := f.requests()
	want := []string{"/commercial/v2/origins/s1/", "/commercial/api/v1/partners/p1"}
	for i, req := range reqs {
		if req.Path != want[i] {
			t.Errorf("request %d: got path %q, want %q", i, req.Path, want[i])
		}
	}
}

func TestErrorRouteFoldsTheIDOfATrailingSlashRoute(t *testing.T) {
	t.Parallel()
	f := newFake(t, respond(404, `{"detail":"Not found."}`))
	c := f.client(t, WithRoutes(Routes{Leads: "/leads/"}))

	_, err := c.GetLead(tokenCtx(), "abc")
	var e *Error
	if !errors.As(err, &e) || e.Route != "/leads/{id}/" {
		t.Errorf("got %v, want route /leads/{id}/", err)
	}
}

func TestRedirects(t *testing.T) {
	t.Parallel()
	var otherHits atomic.Int64
	other := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		otherHits.Add(1)
	}))
	t.Cleanup(other.Close)

	f := newFake(t, func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/commercial/api/v1/sources/s1":
			http.Redirect(w, r, "/commercial/api/v1/sources/s1/", http.StatusMovedPermanently)
		case "/commercial/api/v1/sources/s1/":
			io.WriteString(w, `{"id":"s1","name":"Web"}`)
		default:
			http.Redirect(w, r, other.URL+"/steal", http.StatusFound)
		}
	})
	c := f.client(t)

	if got, err := c.GetSource(tokenCtx(), "s1"); err != nil || got.ID != "s1" {
		t.Errorf("same-origin redirect: got %v, %v, want source s1", got, err)
	}
	_, err := c.GetPartner(tokenCtx(), "p1")
	var e *Error
	if !errors.As(err, &e) || e.StatusCode != http.StatusFound {
		t.Errorf("cross-origin redirect: got %v, want *Error 302", err)
	}
	if n := otherHits.Load(); n != 0 {
		t.Errorf("other host got %d requests, want 0", n)
	}
	for _, req := range f.requests() {
		if req.Auth != "Bearer "+testToken {
			t.Errorf("got Authorization %q on %s, want the token", req.Auth, req.Path)
		}
	}
}

func TestTransportErrorsHideTheQuery(t *testing.T) {
	t.Parallel()
	srv := httptest.NewServer(http.NotFoundHandler())
	base := srv.URL
	srv.Close()
	c, err := New(base)
	if err != nil {
		t.Fatal(err)
	}

	_, err = c.ListLeads(tokenCtx(), ListOptions{Cursor: "secret-cursor"})
	if err == nil {
		t.Fatal("got no error, want a connection error")
	}
	assertClean(t, err)
	if want := "upstream: GET /api/v1/leads: "; !strings.HasPrefix(err.Error(), want) {
		t.Errorf("got %q, want prefix %q", err, want)
	}
}

func TestDeadlineIsReportedAsSuch(t *testing.T) {
	t.Parallel()
	release := make(chan struct{})
	f := newFake(t, func(w http.ResponseWriter, r *http.Request) {
		select {
		case <-release:
		case <-r.Context().Done():
		}
	})
	t.Cleanup(func() { close(release) })

	ctx, cancel := context.WithTimeout(tokenCtx(), 50*time.Millisecond)
	defer cancel()
	_, err := f.client(t).GetLead(ctx, "l1")
	if !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("got %v, want context.DeadlineExceeded", err)
	}
	assertClean(t, err)
}

func TestTokenFromContext(t *testing.T) {
	tests := []struct {
		name   string
		ctx    context.Context
		want   string
		wantOK bool
	}{
		{"absent", context.Background(), "", false},
		{"empty", WithToken(context.Background(), ""), "", false},
		{"set", WithToken(context.Background(), "abc"), "abc", true},
	}
	for _, tt := range tests {
		got, ok := TokenFromContext(tt.ctx)
		if got != tt.want || ok != tt.wantOK {
			t.Errorf("%s: got %q, %v, want %q, %v", tt.name, got, ok, tt.want, tt.wantOK)
		}
	}
}
