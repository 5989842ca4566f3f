package simulator

import (
	"cmp"
	"math"
	"net/http"
	"slices"
	"strconv"
	"strings"
)

// userOrderings are the fields ?ordering= accepts; others are ignored, as
// DRF's OrderingFilter does.
var userOrderings = map[string]func(u user) *string{
	"username":    func(u user) *string { return &u.Username },
	"email":       func(u user) *string { return &u.Email },
	"first_name":  func(u user) *string { return &u.FirstName },
	"last_name":   func(u user) *string { return &u.LastName },
	"status":      func(u user) *string { return &u.Status },
	"date_joined": func(u user) *string { return &u.DateJoined },
	"last_login":  func(u user) *string { return u.LastLogin },
}

// numberPage is DRF's PageNumberPagination answer.
type numberPage struct {
	Count    int     `json:"count"`
	Next     *string `json:"next"`
	Previous *string `json:"previous"`
	Results  []user  `json:"results"`
}

// listUsers serves page, page_size, ordering, search and status.
func (s *Simulator) listUsers(w http.ResponseWriter, r *http.Request) {
	if !requireRole(w, r, "admin") {
		return
	}
	q := r.URL.Query()
	search := strings.ToLower(strings.TrimSpace(q.Get("search")))
	status := q.Get("status")
	users := s.filterUsers(func(u user) bool {
		return (status == "" || u.Status == status) && matchesSearch(u, search)
	})
	sortUsers(users, q.Get("ordering"))
	writeNumberPage(w, r, users)
}

// listUsersByRole serves ?role=, paged like the user list.
func (s *Simulator) listUsersByRole(w http.ResponseWriter, r *http.Request) {
	if !requireRole(w, r, "admin") {
		return
	}
	role := strings.TrimSpace(r.URL.Query().Get("role"))
	if role == "" {
		writeJSON(w, r, http.StatusBadRequest, fieldErrors{"role": {msgRequired}})
		return
	}
	users := s.filterUsers(func(u user) bool { return slices.Contains(u.roles, role) })
	sortUsers(users, "")
	writeNumberPage(w, r, users)
}

// userInfo answers the user whose id is the token's sub, or whose username
// is its preferred_username.
func (s *Simulator) userInfo(w http.ResponseWriter, r *http.Request) {
	claims := claimsFrom(r.Context())
	sub, _ := claims["sub"].(string)
	name, _ := claims["preferred_username"].(string)
	found := s.filterUsers(func(u user) bool {
		return (sub != "" && u.ID == sub) || (name != "" && u.Username == name)
	})
	if len(found) == 0 {
		notFound(w, r)
		return
	}
	writeJSON(w, r, http.StatusOK, found[0])
}

func (s *Simulator) filterUsers(keep func(user) bool) []user {
	d := s.data
	d.mu.RLock()
	defer d.mu.RUnlock()
	var out []user
	for _, u := range d.users.items {
		if keep(u) {
			out = append(out, u)
		}
	}
	return out
}

func matchesSearch(u user, term string) bool {
	if term == "" {
		return true
	}
	for _, v := range []string{u.Username, u.Email, u.FirstName, u.LastName} {
		if strings.Contains(strings.ToLower(v), term) {
			return true
		}
	}
	return false
}

// sortUsers orders by the comma-separated fields in ordering ("-" for
// descending), then by username. Nulls sort last ascending, as in Postgres.
func sortUsers(users []user, ordering string) {
	slices.SortStableFunc(users, func(a, b user) int {
		for _, term := range strings.Split(ordering, ",") {
			term = strings.TrimSpace(term)
			desc := strings.HasPrefix(term, "-")
			get, ok := userOrderings[strings.TrimPrefix(term, "-")]
			if !ok {
				continue
			}
			c := cmp.Compare(nullLast(get(a)), nullLast(get(b)))
			if desc {
				c = -c
			}
			if c != 0 {
				return c
			}
		}
		return cmp.Compare(a.Username, b.Username)
	})
}

func nullLast(p *string) string {
	if p == nil {
		return "\uffff"
	}
	return *p
}

// writeNumberPage answers one page of users with DRF's page-number paging.
func writeNumberPage(w http.ResponseWriter, r *http.Request, users []user) {
	q := r.URL.Query()
	size := pageSize(q)
	pages := max(1, int(math.Ceil(float64(len(users))/float64(size))))
	page := 1
	if p := q.Get("page"); p == "last" {
		page = pages
	} else if p != "" {
		n, err := strconv.Atoi(p)
		if err != nil || n < 1 || n > pages {
			writeDetail(w, r, http.StatusNotFound, "Invalid page.")
			return
		}
		page = n
	}

	out := numberPage{Count: len(users), Results: []user{}}
	out.Results = append(out.Results, users[(page-1)*size:min(page*size, len(users))]...)
	if page < pages {
		q.Set("page", strconv.Itoa(page+1))
		out.Next = ptr(requestURL(r, q.Encode()))
	}
	if page > 1 {
		q.Set("page", strconv.Itoa(page-1))
		if page == 2 {
			q.Del("page")
		}
		out.Previous = ptr(requestURL(r, q.Encode()))
	}
	writeJSON(w, r, http.StatusOK, out)
}
