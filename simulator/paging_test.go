package simulator

import (
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"
)

func TestLeadPagingWalksEveryLeadOnce(t *testing.T) {
	s := newTestSim(t, Options{Leads: 537})
	seen := map[string]bool{}
	next := "/commercial/api/v1/leads?page_size=50"
	pages := 0
	for next != "" {
		var p leadPage
		s.get(t, next, &p)
		pages++
		for _, l := range p.Results {
			id := l.str(t, "id")
			if seen[id] {
				t.Fatalf("lead %s served twice", id)
			}
			seen[id] = true
		}
		if pages > 1 && p.Previous == nil {
			t.Errorf("page %d: previous is null", pages)
		}
		next = ""
		if p.Next != nil {
			if !strings.HasPrefix(*p.Next, s.base+"/commercial/api/v1/leads?") {
				t.Fatalf("next = %q, want an absolute URL on %s", *p.Next, s.base)
			}
			next = *p.Next
		}
	}
	if len(seen) != 537 || pages != 11 {
		t.Errorf("got %d leads in %d pages, want 537 in 11", len(seen), pages)
	}
}

func TestLeadPagingBackAndForth(t *testing.T) {
	s := newTestSim(t, Options{Leads: 100})
	var first, second, back leadPage
	s.get(t, "/commercial/api/v1/leads", &first)
	if first.Previous != nil || len(first.Results) != defaultPageSize {
		t.Fatalf("first page: previous %v, %d results", first.Previous, len(first.Results))
	}

	// The page size may change between calls: the cursor is a position.
	s.get(t, *first.Next+"&page_size=7", &second)
	if len(second.Results) != 7 {
		t.Fatalf("second page has %d results, want 7", len(second.Results))
	}
	if got, want := second.Results[0].str(t, "id"), idAt(t, s, 20); got != want {
		t.Errorf("second page starts at %s, want the 21st lead %s", got, want)
	}

	s.get(t, *second.Previous, &back)
	if len(back.Results) != 7 || back.Results[6].str(t, "id") != first.Results[19].str(t, "id") {
		t.Errorf("previous of the second page does not end at the first page's last lead")
	}
}

func idAt(t *testing.T, s *testSim, i int) string {
	t.Helper()
	var p leadPage
	s.get(t, "/commercial/api/v1/leads?page_size=100", &p)
	return p.Results[i].str(t, "id")
}

func TestPageSize(t *testing.T) {
	s := newTestSim(t, Options{Leads: 300})
	tests := []struct {
		query string
		want  int
	}{
		{"", 20},
		{"?page_size=5", 5},
		{"?page_size=100", 100},
		{"?page_size=1000", 100},
		{"?page_size=0", 20},
		{"?page_size=-3", 20},
		{"?page_size=abc", 20},
	}
	for _, tt := range tests {
		t.Run(fmt.Sprintf("query %q gives %d", tt.query, tt.want), func(t *testing.T) {
			var p leadPage
			s.get(t, "/commercial/api/v1/leads"+tt.query, &p)
			if len(p.Results) != tt.want {
				t.Errorf("got %d results, want %d", len(p.Results), tt.want)
			}
		})
	}
}

func TestIDFilterOnEveryList(t *testing.T) {
	s := newTestSim(t, Options{Leads: 50})
	lists := []string{"leads", "lead-categories", "sources", "products", "partners"}
	for _, list := range lists {
		t.Run(list+" keeps only the listed ids", func(t *testing.T) {
			var all leadPage
			s.get(t, "/commercial/api/v1/"+list+"?page_size=100", &all)
			ids := []string{all.Results[3].str(t, "id"), all.Results[1].str(t, "id"),
				"00000000-0000-4000-8000-000000000000"}
			var got leadPage
			s.get(t, "/commercial/api/v1/"+list+"?id__in="+strings.Join(ids, ","), &got)
			if len(got.Results) != 2 || got.Next != nil {
				t.Fatalf("got %d results (next %v), want 2", len(got.Results), got.Next)
			}
			// List order is kept, not the order of the filter.
			if got.Results[0].str(t, "id") != ids[1] || got.Results[1].str(t, "id") != ids[0] {
				t.Errorf("results not in list order")
			}
		})
	}

	t.Run("a malformed id is a field error", func(t *testing.T) {
		a := s.do(t, http.MethodGet, "/commercial/api/v1/leads?id__in=nope", s.token, nil)
		if a.status != http.StatusBadRequest || fieldErrs(t, a)["id__in"] == nil {
			t.Errorf("got %d %s, want 400 with an id__in error", a.status, a.body)
		}
	})
}

func TestIDFilterPagesKeepTheFilter(t *testing.T) {
	s := newTestSim(t, Options{Leads: 80})
	var all leadPage
	s.get(t, "/commercial/api/v1/leads?page_size=100", &all)
	var ids []string
	for i := 0; i < 80; i += 3 {
		ids = append(ids, all.Results[i].str(t, "id"))
	}
	var p leadPage
	s.get(t, "/commercial/api/v1/leads?page_size=10&id__in="+strings.Join(ids, ","), &p)
	u, err := url.Parse(*p.Next)
	if err != nil {
		t.Fatal(err)
	}
	if u.Query().Get("id__in") == "" || u.Query().Get("page_size") != "10" {
		t.Errorf("next %q lost the query", *p.Next)
	}
	var p2 leadPage
	s.get(t, *p.Next, &p2)
	if p2.Results[0].str(t, "id") != ids[10] {
		t.Errorf("second filtered page starts at %s, want %s", p2.Results[0].str(t, "id"), ids[10])
	}
}

func TestBadCursorIsNotFound(t *testing.T) {
	s := newTestSim(t, Options{Leads: 10})
	for _, c := range []string{"!!!", cursor{pos: "gone"}.encode()} {
		a := s.do(t, http.MethodGet, "/commercial/api/v1/leads?cursor="+c, s.token, nil)
		if a.status != http.StatusNotFound || string(a.body) != `{"detail":"Invalid cursor"}` {
			t.Errorf("cursor %q: got %d %s, want 404 Invalid cursor", c, a.status, a.body)
		}
	}
}
