package simulator

import (
	"encoding/base64"
	"errors"
	"net/http"
	"net/url"
	"strconv"
	"strings"
)

// Page sizes, as DRF's pagination settings of the real API.
const (
	defaultPageSize = 20
	maxPageSize     = 100
)

// cursor marks a place in a list: just after the record pos, or, when
// reverse, just before it. Positions are record ids, so a cursor stays valid
// when records are inserted and when the page size changes between calls.
//
// On the wire it is the unpadded URL-safe base64 of a query string such as
// "p=<uuid>" or "p=<uuid>&r=1", the way DRF's CursorPagination encodes its own.
type cursor struct {
	pos     string
	reverse bool
}

var errBadCursor = errors.New("invalid cursor")

func (c cursor) encode() string {
	v := url.Values{"p": {c.pos}}
	if c.reverse {
		v.Set("r", "1")
	}
	return base64.RawURLEncoding.EncodeToString([]byte(v.Encode()))
}

func decodeCursor(s string) (*cursor, error) {
	if s == "" {
		return nil, nil
	}
	raw, err := base64.RawURLEncoding.DecodeString(strings.TrimRight(s, "="))
	if err != nil {
		return nil, errBadCursor
	}
	v, err := url.ParseQuery(string(raw))
	if err != nil || v.Get("p") == "" {
		return nil, errBadCursor
	}
	return &cursor{pos: v.Get("p"), reverse: v.Get("r") == "1"}, nil
}

// pageSize reads page_size as DRF does: bad values fall back to the default,
// big ones are clamped.
func pageSize(q url.Values) int {
	n, err := strconv.Atoi(q.Get("page_size"))
	if err != nil || n <= 0 {
		return defaultPageSize
	}
	return min(n, maxPageSize)
}

// cursorPage is the DRF answer of a cursor-paged list.
type cursorPage struct {
	Next     *string `json:"next"`
	Previous *string `json:"previous"`
	Results  any     `json:"results"`
}

// window picks one page of the records that keep accepts, starting at cur.
// It reports false when cur names no record.
func window[T any](c *collection[T], cur *cursor, size int, keep func(T) bool) (
	items []T, next, prev *cursor, ok bool) {

	switch {
	case cur == nil:
		items, next = forward(c, 0, size, keep)
	case !cur.reverse:
		i, found := c.index[cur.pos]
		if !found {
			return nil, nil, nil, false
		}
		items, next = forward(c, i+1, size, keep)
	default:
		i, found := c.index[cur.pos]
		if !found {
			return nil, nil, nil, false
		}
		items, prev = backward(c, i-1, size, keep)
		if len(items) > 0 {
			next = &cursor{pos: c.id(items[len(items)-1])}
		}
		return items, next, prev, true
	}

	if cur != nil && len(items) > 0 && anyBefore(c, c.index[c.id(items[0])]-1, keep) {
		prev = &cursor{pos: c.id(items[0]), reverse: true}
	}
	return items, next, prev, true
}

// forward collects up to size records from index i on, and a cursor for the
// page after them when there is one.
func forward[T any](c *collection[T], i, size int, keep func(T) bool) ([]T, *cursor) {
	items := make([]T, 0, size)
	for ; i < len(c.items); i++ {
		if !keep(c.items[i]) {
			continue
		}
		if len(items) == size {
			return items, &cursor{pos: c.id(items[len(items)-1])}
		}
		items = append(items, c.items[i])
	}
	return items, nil
}

// backward collects up to size records ending at index i, in list order, and
// a cursor for the page before them when there is one.
func backward[T any](c *collection[T], i, size int, keep func(T) bool) ([]T, *cursor) {
	var rev []T
	var more bool
	for ; i >= 0; i-- {
		if !keep(c.items[i]) {
			continue
		}
		if len(rev) == size {
			more = true
			break
		}
		rev = append(rev, c.items[i])
	}
	items := make([]T, len(rev))
	for k, it := range rev {
		items[len(rev)-1-k] = it
	}
	if more && len(items) > 0 {
		return items, &cursor{pos: c.id(items[0]), reverse: true}
	}
	return items, nil
}

func anyBefore[T any](c *collection[T], i int, keep func(T) bool) bool {
	for ; i >= 0; i-- {
		if keep(c.items[i]) {
			return true
		}
	}
	return false
}

// pageLink is the absolute URL of the same request with cursor c, or nil.
func pageLink(r *http.Request, c *cursor) *string {
	if c == nil {
		return nil
	}
	q := r.URL.Query()
	q.Set("cursor", c.encode())
	link := requestURL(r, q.Encode())
	return &link
}

// idFilter reads id__in. It answers nil when the filter is absent, and a DRF
// field error when an id is not a UUID.
func idFilter(q url.Values) (map[string]bool, map[string][]string) {
	raw, ok := q["id__in"]
	if !ok {
		return nil, nil
	}
	set := map[string]bool{}
	for _, part := range strings.Split(strings.Join(raw, ","), ",") {
		id := strings.ToLower(strings.TrimSpace(part))
		if id == "" {
			continue
		}
		if !isUUID(id) {
			return nil, map[string][]string{"id__in": {"Enter a valid UUID."}}
		}
		set[id] = true
	}
	return set, nil
}

// listPage answers one cursor page of c, honouring cursor, page_size, id__in.
func listPage[T any](w http.ResponseWriter, r *http.Request, mu locker, c *collection[T]) {
	q := r.URL.Query()
	ids, bad := idFilter(q)
	if bad != nil {
		writeJSON(w, r, http.StatusBadRequest, bad)
		return
	}
	cur, err := decodeCursor(q.Get("cursor"))
	if err != nil {
		writeDetail(w, r, http.StatusNotFound, "Invalid cursor")
		return
	}
	keep := func(T) bool { return true }
	if ids != nil {
		keep = func(v T) bool { return ids[c.id(v)] }
	}

	mu.RLock()
	items, next, prev, ok := window(c, cur, pageSize(q), keep)
	mu.RUnlock()
	if !ok {
		writeDetail(w, r, http.StatusNotFound, "Invalid cursor")
		return
	}
	writeJSON(w, r, http.StatusOK, cursorPage{
		Next: pageLink(r, next), Previous: pageLink(r, prev), Results: items,
	})
}

// locker is the read side of the store's lock.
type locker interface {
	RLock()
	RUnlock()
}
