package upstream

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
)

func TestAllFollowsCursorsToTheEnd(t *testing.T) {
	t.Parallel()
	f := newFake(t, func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Query().Get("cursor") {
		case "":
			io.WriteString(w, `{"results":[{"id":"a"},{"id":"b"}],
				"next":"http://h/x?cursor=c2","previous":null}`)
		case "c2":
			io.WriteString(w, `{"results":[{"id":"c"}],"next":null,"previous":"http://h/x"}`)
		}
	})

	var got []string
	for lead, err := range All(tokenCtx(), ListOptions{PageSize: 2}, f.client(t).ListLeads) {
		if err != nil {
			t.Fatalf("got error %v, want none", err)
		}
		got = append(got, lead.ID)
	}
	if want := "a,b,c"; strings.Join(got, ",") != want {
		t.Errorf("got %v, want %s", got, want)
	}
	if n := len(f.requests()); n != 2 {
		t.Errorf("got %d requests, want 2", n)
	}
}

func TestAllStopsOnARepeatingCursor(t *testing.T) {
	t.Parallel()
	var calls atomic.Int64
	f := newFake(t, func(w http.ResponseWriter, r *http.Request) {
		n := calls.Add(1)
		if n > 10 {
			t.Errorf("walk did not stop after %d calls", n)
			w.WriteHeader(500)
			return
		}
		// The second page points back at the first cursor again, forever.
		next := map[string]string{"": "one", "one": "two", "two": "one"}[r.URL.Query().Get("cursor")]
		fmt.Fprintf(w, `{"results":[{"id":"%d"}],"next":"http://h/?cursor=%s"}`, n, next)
	})

	var got []string
	for lead, err := range All(tokenCtx(), ListOptions{}, f.client(t).ListSources) {
		if err != nil {
			t.Fatalf("got error %v, want none", err)
		}
		got = append(got, lead.ID)
	}
	if want := "1,2,3"; strings.Join(got, ",") != want {
		t.Errorf("got %v, want %s", got, want)
	}
}

func TestAllYieldsTheErrorAndStops(t *testing.T) {
	t.Parallel()
	f := newFake(t, respond(http.StatusServiceUnavailable, ""))

	var errs []error
	for _, err := range All(tokenCtx(), ListOptions{}, f.client(t, WithRetries(0)).ListPartners) {
		errs = append(errs, err)
	}
	var e *Error
	if len(errs) != 1 || !errors.As(errs[0], &e) || e.StatusCode != 503 {
		t.Errorf("got %v, want one *Error 503", errs)
	}
}

func TestNextLinkOnAnotherHostIsNeverFollowed(t *testing.T) {
	t.Parallel()
	var otherHits atomic.Int64
	other := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		otherHits.Add(1)
	}))
	t.Cleanup(other.Close)

	f := newFake(t, func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Query().Get("cursor") == "" {
			fmt.Fprintf(w, `{"results":[{"id":"a"}],"next":"%s/commercial/api/v1/leads?cursor=p2"}`,
				other.URL)
			return
		}
		io.WriteString(w, `{"results":[{"id":"b"}],"next":null}`)
	})
	c := f.client(t)

	var got []string
	for lead, err := range All(tokenCtx(), ListOptions{}, c.ListLeads) {
		if err != nil {
			t.Fatalf("got error %v, want none", err)
		}
		got = append(got, lead.ID)
	}
	if want := "a,b"; strings.Join(got, ",") != want {
		t.Errorf("got %v, want %s", got, want)
	}
	if n := otherHits.Load(); n != 0 {
		t.Errorf("other host got %d requests, want 0", n)
	}
	reqs := f.requests()
	if len(reqs) != 2 || reqs[1].Query != "cursor=p2" || reqs[1].Auth != "Bearer "+testToken {
		t.Errorf("got requests %+v, want the second on the configured origin with cursor=p2", reqs)
	}
}

func TestListByIDChunksAndSkipsEmptyInput(t *testing.T) {
	ids := make([]string, 250)
	for i := range ids {
		ids[i] = "id" + strconv.Itoa(i)
	}
	tests := []struct {
		name      string
		ids       []string
		wantSizes []string
	}{
		{"no ids makes no call", nil, nil},
		{"only unusable ids makes no call", []string{"", "a,b"}, nil},
		{"250 ids make three calls", ids, []string{"100", "100", "50"}},
		{"100 ids make one call", ids[:100], []string{"100"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			f := newFake(t, func(w http.ResponseWriter, r *http.Request) {
				var results []string
				for _, id := range strings.Split(r.URL.Query().Get("id__in"), ",") {
					results = append(results, `{"id":"`+id+`"}`)
				}
				fmt.Fprintf(w, `{"results":[%s],"next":null}`, strings.Join(results, ","))
			})

			got, err := f.client(t).ListProductsByID(tokenCtx(), tt.ids)
			if err != nil {
				t.Fatalf("got error %v, want none", err)
			}
			if got == nil {
				t.Errorf("got nil slice, want non-nil")
			}

			var sizes []string
			total := 0
			for _, req := range f.requests() {
				size := strings.TrimPrefix(req.Query[strings.LastIndex(req.Query, "&"):], "&page_size=")
				sizes = append(sizes, size)
				n, _ := strconv.Atoi(size)
				total += n
			}
			if strings.Join(sizes, ",") != strings.Join(tt.wantSizes, ",") {
				t.Errorf("got page sizes %v, want %v", sizes, tt.wantSizes)
			}
			if len(got) != total {
				t.Errorf("got %d products, want %d", len(got), total)
			}
		})
	}
}

func TestListByIDFailsWholeOnAnyChunkError(t *testing.T) {
	t.Parallel()
	var calls atomic.Int64
	f := newFake(t, func(w http.ResponseWriter, r *http.Request) {
		if calls.Add(1) == 2 {
			w.WriteHeader(http.StatusBadGateway)
			return
		}
		io.WriteString(w, `{"results":[{"id":"x"}]}`)
	})
	ids := make([]string, 150)
	for i := range ids {
		ids[i] = strconv.Itoa(i)
	}

	got, err := f.client(t, WithRetries(0)).ListLeadsByID(tokenCtx(), ids)
	if got != nil || err == nil {
		t.Errorf("got %v, %v, want nil and an error", got, err)
	}
}

func TestListUsersByRoleFollowsPages(t *testing.T) {
	tests := []struct {
		name      string
		pages     map[string]string // keyed by raw query
		want      string
		wantCalls int
		wantErr   bool
	}{
		{
			name: "page numbers",
			pages: map[string]string{
				"role=admin": `{"count":3,"results":[{"id":"u1"},{"id":"u2"}],
					"next":"http://z/?page=2&role=admin"}`,
				"page=2&role=admin": `{"count":3,"results":[{"id":"u3"}],"next":null}`,
			},
			want: "u1,u2,u3", wantCalls: 2,
		},
		{
			name: "cursors that repeat",
			pages: map[string]string{
				"role=admin":           `{"results":[{"id":"u1"}],"next":"http://z/?cursor=c1"}`,
				"cursor=c1&role=admin": `{"results":[{"id":"u2"}],"next":"http://z/?cursor=c1"}`,
			},
			want: "u1,u2", wantCalls: 2,
		},
		{
			name:      "a next link without paging",
			pages:     map[string]string{"role=admin": `{"results":[],"next":"http://z/?role=admin"}`},
			wantCalls: 1, wantErr: true,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			f := newFake(t, func(w http.ResponseWriter, r *http.Request) {
				io.WriteString(w, tt.pages[r.URL.RawQuery])
			})

			users, err := f.client(t).ListUsersByRole(tokenCtx(), "admin")
			if gotErr := err != nil; gotErr != tt.wantErr {
				t.Fatalf("got error %v, want error %v", err, tt.wantErr)
			}
			var ids []string
			for _, u := range users {
				ids = append(ids, u.ID)
			}
			if got := strings.Join(ids, ","); got != tt.want {
				t.Errorf("got %s, want %s", got, tt.want)
			}
			if n := len(f.requests()); n != tt.wantCalls {
				t.Errorf("got %d calls, want %d", n, tt.wantCalls)
			}
		})
	}
}

func TestListUsersByRoleIsBounded(t *testing.T) {
	t.Parallel()
	f := newFake(t, func(w http.ResponseWriter, r *http.Request) {
		page, _ := strconv.Atoi(r.URL.Query().Get("page"))
		fmt.Fprintf(w, `{"results":[{"id":"u"}],"next":"http://z/?page=%d"}`, page+2)
	})

	users, err := f.client(t).ListUsersByRole(context.Background(), "sales")
	var bad *BadResponseError
	if users != nil || !errors.As(err, &bad) {
		t.Fatalf("got %d users, %v, want a bad response", len(users), err)
	}
	if n := len(f.requests()); n != maxRolePages {
		t.Errorf("got %d calls, want %d", n, maxRolePages)
	}
}

func TestListByIDFollowsAShorterUpstreamPage(t *testing.T) {
	t.Parallel()
	f := newFake(t, func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Query().Get("cursor") == "" {
			io.WriteString(w, `{"results":[{"id":"a"},{"id":"b"}],"next":"http://z/?cursor=k2"}`)
			return
		}
		io.WriteString(w, `{"results":[{"id":"c"}],"next":null}`)
	})

	got, err := f.client(t).ListSourcesByID(tokenCtx(), []string{"a", "b", "c"})
	if err != nil || len(got) != 3 {
		t.Fatalf("got %v, %v, want three sources", got, err)
	}
	reqs := f.requests()
	if want := "id__in=a,b,c&page_size=3&cursor=k2"; len(reqs) != 2 || reqs[1].Query != want {
		t.Errorf("got requests %+v, want a second with query %s", reqs, want)
	}
}

func TestOnlyGetIsIdempotent(t *testing.T) {
	for method, want := range map[string]bool{"GET": true, "POST": false, "PATCH": false} {
		if got := (&request{method: method}).idempotent(); got != want {
			t.Errorf("%s: got idempotent %v, want %v", method, got, want)
		}
	}
}
