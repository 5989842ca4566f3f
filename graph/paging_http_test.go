package graph

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/99designs/gqlgen/graphql/handler"
	"github.com/99designs/gqlgen/graphql/handler/transport"

	"github.com/capedigital/cape-gateway/loaders"
	"github.com/capedigital/cape-gateway/upstream"
)

// leadList is an upstream lead list with DRF-style cursors: a cursor is
// "o<offset>", and any other cursor is answered 404 "Invalid cursor". Leads
// can be appended while a test runs.
type leadList struct {
	mu    sync.Mutex
	leads []map[string]any
	calls int
}

func (l *leadList) add(n int) {
	l.mu.Lock()
	defer l.mu.Unlock()
	for range n {
		i := len(l.leads)
		l.leads = append(l.leads, map[string]any{
			"id":   fmt.Sprintf("00000000-0000-4000-8000-%012d", i),
			"name": fmt.Sprintf("Lead %d", i), "products": []string{},
		})
	}
}

func (l *leadList) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.calls++
	w.Header().Set("Content-Type", "application/json")

	offset := 0
	if c := r.URL.Query().Get("cursor"); c != "" {
		n, err := strconv.Atoi(strings.TrimPrefix(c, "o"))
		if !strings.HasPrefix(c, "o") || err != nil || n < 0 || n > len(l.leads) {
			w.WriteHeader(http.StatusNotFound)
			w.Write([]byte(`{"detail": "Invalid cursor"}`))
			return
		}
		offset = n
	}
	size, _ := strconv.Atoi(r.URL.Query().Get("page_size"))
	if size < 1 || size > MaxPageSize {
		size = DefaultPageSize
	}

	end := min(offset+size, len(l.leads))
	body := map[string]any{"results": l.leads[offset:end], "next": nil, "previous": nil}
	if end < len(l.leads) {
		body["next"] = fmt.Sprintf("http://upstream.test/api/v1/leads?cursor=o%d", end)
	}
	json.NewEncoder(w).Encode(body)
}

// serveSchema serves the schema over the upstream h, as the gateway does but
// without authentication.
func serveSchema(t *testing.T, h http.Handler) *httptest.Server {
	t.Helper()
	up := httptest.NewServer(h)
	t.Cleanup(up.Close)
	client, err := upstream.New(up.URL)
	if err != nil {
		t.Fatal(err)
	}

	srv := handler.New(NewExecutableSchema(Config{Resolvers: &Resolver{Client: client}}))
	srv.AddTransport(transport.POST{})
	p := ErrorPresenter{}
	srv.SetErrorPresenter(p.Present)
	srv.SetRecoverFunc(p.Recover)
	gw := httptest.NewServer(loaders.Middleware(client, loaders.DefaultConfig)(srv))
	t.Cleanup(gw.Close)
	return gw
}

// leadsPage is the answer to pageQuery.
type leadsPage struct {
	Data struct {
		Leads struct {
			Nodes    []struct{ ID, Name string }
			PageInfo struct {
				HasNextPage bool
				EndCursor   *string
			}
		}
	}
	Errors []struct {
		Message    string
		Extensions map[string]any
	}
}

const pageQuery = `query($first: Int, $after: String) { leads(first: $first, after: $after) {
	nodes { id name } pageInfo { hasNextPage endCursor } } }`

// postQuery posts query with variables and decodes the answer into v. The
// answer must be valid JSON.
func postQuery(t *testing.T, gw *httptest.Server, query string, vars map[string]any, v any) {
	t.Helper()
	raw, err := json.Marshal(map[string]any{"query": query, "variables": vars})
	if err != nil {
		t.Fatal(err)
	}
	resp, err := http.Post(gw.URL, "application/json", bytes.NewReader(raw))
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var body bytes.Buffer
	body.ReadFrom(resp.Body)
	if !json.Valid(body.Bytes()) {
		t.Fatalf("HTTP %d answer is not JSON: %q", resp.StatusCode, body.String())
	}
	if err := json.Unmarshal(body.Bytes(), v); err != nil {
		t.Fatalf("decode %s: %v", body.String(), err)
	}
}

func TestTheEndCursorOfAFullLastPageIsAccepted(t *testing.T) {
	list := &leadList{}
	list.add(MaxPageSize)
	gw := serveSchema(t, list)

	var last leadsPage
	postQuery(t, gw, pageQuery, map[string]any{"first": MaxPageSize}, &last)
	if len(last.Errors) > 0 || len(last.Data.Leads.Nodes) != MaxPageSize ||
		last.Data.Leads.PageInfo.HasNextPage || last.Data.Leads.PageInfo.EndCursor == nil {
		t.Fatalf("first page = %d leads, pageInfo %+v, errors %+v; want %d leads and no next page",
			len(last.Data.Leads.Nodes), last.Data.Leads.PageInfo, last.Errors, MaxPageSize)
	}
	end := *last.Data.Leads.PageInfo.EndCursor

	t.Run("with nothing after it the page is empty", func(t *testing.T) {
		var got leadsPage
		postQuery(t, gw, pageQuery, map[string]any{"first": 10, "after": end}, &got)
		if len(got.Errors) > 0 || len(got.Data.Leads.Nodes) != 0 || got.Data.Leads.PageInfo.HasNextPage {
			t.Errorf("after the end: %d leads, pageInfo %+v, errors %+v; want an empty last page",
				len(got.Data.Leads.Nodes), got.Data.Leads.PageInfo, got.Errors)
		}
	})

	t.Run("leads added later are found from it", func(t *testing.T) {
		list.add(3)
		var got leadsPage
		postQuery(t, gw, pageQuery, map[string]any{"first": 10, "after": end}, &got)
		if len(got.Errors) > 0 || len(got.Data.Leads.Nodes) != 3 ||
			got.Data.Leads.Nodes[0].Name != "Lead 100" || got.Data.Leads.PageInfo.HasNextPage {
			t.Errorf("after the end: leads %+v, pageInfo %+v, errors %+v; want leads 100 to 102",
				got.Data.Leads.Nodes, got.Data.Leads.PageInfo, got.Errors)
		}
	})
}

func TestACursorTheUpstreamDoesNotKnowIsBadUserInput(t *testing.T) {
	list := &leadList{}
	list.add(5)
	gw := serveSchema(t, list)

	tampered := position{upstream: "not-a-cursor"}.encode()
	var got leadsPage
	postQuery(t, gw, pageQuery, map[string]any{"first": 2, "after": tampered}, &got)
	if len(got.Errors) != 1 {
		t.Fatalf("errors = %+v, want one", got.Errors)
	}
	e := got.Errors[0]
	if e.Extensions["code"] != CodeBadUserInput || fmt.Sprint(e.Extensions["fields"]) != "[after]" {
		t.Errorf("extensions = %v, want code BAD_USER_INPUT naming after", e.Extensions)
	}
	if want := "after is not a cursor this API issued"; e.Message != want {
		t.Errorf("message = %q, want %q", e.Message, want)
	}
}

func TestInputErrorMessagesCarryNoPositionOrPath(t *testing.T) {
	list := &leadList{}
	gw := serveSchema(t, list)

	var got leadsPage
	postQuery(t, gw, pageQuery, map[string]any{"first": 0}, &got)
	if len(got.Errors) != 1 || got.Errors[0].Message != "first must be at least 1" {
		t.Errorf("errors = %+v, want one with message %q", got.Errors, "first must be at least 1")
	}
	if list.calls != 0 {
		t.Errorf("upstream calls = %d, want 0", list.calls)
	}
}

func TestUpstreamIDsWithControlCharactersKeepTheAnswerValidJSON(t *testing.T) {
	gw := serveSchema(t, http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		w.Write([]byte(`{"next": null, "previous": null, "results": [{"id": "a\u0001b\"c",
			"name": "x", "lead_category": "d\u0000", "products": ["e\u001f"]}]}`))
	}))

	var got struct {
		Data struct {
			Leads struct {
				Nodes []struct {
					ID, CategoryID string
					ProductIDs     []string
				}
			}
		}
	}
	postQuery(t, gw, `{ leads { nodes { id categoryId productIds } } }`, nil, &got)
	nodes := got.Data.Leads.Nodes
	if len(nodes) != 1 || nodes[0].ID != "a\x01b\"c" || nodes[0].CategoryID != "d\x00" ||
		len(nodes[0].ProductIDs) != 1 || nodes[0].ProductIDs[0] != "e\x1f" {
		t.Errorf("nodes = %+v, want the upstream's ids unchanged", nodes)
	}
}

// userList is an upstream user list with DRF's page-number paging; a page past
// the end is answered 404 "Invalid page.". Users can be appended.
type userList struct {
	mu    sync.Mutex
	users []map[string]any
}

func (l *userList) add(n int) {
	l.mu.Lock()
	defer l.mu.Unlock()
	for range n {
		i := len(l.users)
		l.users = append(l.users, map[string]any{
			"id": strconv.Itoa(i), "username": fmt.Sprintf("user%03d", i),
		})
	}
}

func (l *userList) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	l.mu.Lock()
	defer l.mu.Unlock()
	w.Header().Set("Content-Type", "application/json")
	number, _ := strconv.Atoi(r.URL.Query().Get("page"))
	size, _ := strconv.Atoi(r.URL.Query().Get("page_size"))
	number, size = max(number, 1), max(size, 1)
	start := (number - 1) * size
	if start > 0 && start >= len(l.users) {
		w.WriteHeader(http.StatusNotFound)
		w.Write([]byte(`{"detail": "Invalid page."}`))
		return
	}

	end := min(start+size, len(l.users))
	body := map[string]any{"count": len(l.users), "results": l.users[start:end],
		"next": nil, "previous": nil}
	if end < len(l.users) {
		body["next"] = fmt.Sprintf("http://upstream.test/api/v1/auth/users?page=%d&page_size=%d",
			number+1, size)
	}
	json.NewEncoder(w).Encode(body)
}

// usersPage is the answer to usersQuery.
type usersPage struct {
	Data struct {
		Users struct {
			Nodes    []struct{ Username string }
			PageInfo struct {
				HasNextPage bool
				EndCursor   *string
			}
		}
	}
	Errors []struct {
		Message    string
		Extensions map[string]any
	}
}

const usersQuery = `query($first: Int, $after: String) { users(first: $first, after: $after) {
	nodes { username } pageInfo { hasNextPage endCursor } } }`

func TestUserCursors(t *testing.T) {
	list := &userList{}
	list.add(4)
	gw := serveSchema(t, list)

	var first usersPage
	postQuery(t, gw, usersQuery, map[string]any{"first": 2}, &first)
	var second usersPage
	postQuery(t, gw, usersQuery, map[string]any{"first": 2,
		"after": *first.Data.Users.PageInfo.EndCursor}, &second)
	if len(second.Errors) > 0 || len(second.Data.Users.Nodes) != 2 ||
		second.Data.Users.PageInfo.HasNextPage {
		t.Fatalf("second page = %+v, errors %+v; want the last two users", second.Data.Users,
			second.Errors)
	}
	end := *second.Data.Users.PageInfo.EndCursor

	t.Run("users added after the end of a full page are found from it", func(t *testing.T) {
		list.add(1)
		var got usersPage
		postQuery(t, gw, usersQuery, map[string]any{"first": 2, "after": end}, &got)
		if len(got.Errors) > 0 || len(got.Data.Users.Nodes) != 1 ||
			got.Data.Users.Nodes[0].Username != "user004" {
			t.Errorf("after the end: %+v, errors %+v; want user004", got.Data.Users, got.Errors)
		}
	})

	t.Run("a page past the end is BAD_USER_INPUT", func(t *testing.T) {
		var got usersPage
		postQuery(t, gw, usersQuery, map[string]any{"first": 2,
			"after": position{upstream: userPagePosition(2, 99)}.encode()}, &got)
		if len(got.Errors) != 1 || got.Errors[0].Extensions["code"] != CodeBadUserInput ||
			got.Errors[0].Message != "after is not a cursor this API issued" {
			t.Errorf("errors = %+v, want one BAD_USER_INPUT naming after", got.Errors)
		}
	})
}
