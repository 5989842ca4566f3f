package graph

import (
	"context"
	"encoding/base64"
	"strconv"
	"strings"

	"github.com/capedigital/cape-gateway/graph/model"
	"github.com/capedigital/cape-gateway/upstream"
)

// Page sizes of the Relay connections. MaxPageSize is the upstream's own cap.
const (
	DefaultPageSize = 20
	MaxPageSize     = 100
)

// cursorPrefix versions the opaque cursor format handed to clients.
const cursorPrefix = "c1:"

// position is where a connection page starts: an upstream page (named by its
// upstream cursor, "" for the first page) and how many of its records to skip.
type position struct {
	upstream string
	skip     int
}

// encode returns the opaque client cursor for p.
func (p position) encode() string {
	// A page has a cursor per record: build each in one stack buffer and
	// allocate only the resulting string.
	var raw, out [128]byte
	b := append(raw[:0], cursorPrefix...)
	b = strconv.AppendInt(b, int64(p.skip), 10)
	b = append(b, ':')
	b = append(b, p.upstream...)
	return string(base64.RawURLEncoding.AppendEncode(out[:0], b))
}

// decodeCursor reads a cursor made by position.encode. A nil or empty after
// starts at the beginning.
func decodeCursor(after *string) (position, error) {
	if after == nil || *after == "" {
		return position{}, nil
	}
	raw, err := base64.RawURLEncoding.DecodeString(*after)
	if err != nil || !strings.HasPrefix(string(raw), cursorPrefix) {
		return position{}, errBadCursor()
	}
	skipText, upstream, ok := strings.Cut(string(raw[len(cursorPrefix):]), ":")
	skip, err := strconv.Atoi(skipText)
	// The cursor after the last record of a full page skips the whole page.
	if !ok || err != nil || skip < 0 || skip > MaxPageSize {
		return position{}, errBadCursor()
	}
	return position{upstream: upstream, skip: skip}, nil
}

// errBadCursor is the error for an after cursor that this API did not issue or
// the upstream no longer knows.
func errBadCursor() error {
	return invalidInput("after", "is not a cursor this API issued")
}

// pageSize applies the connection rules to first: 20 when absent, at most 100,
// and an error below 1.
func pageSize(first *int) (int, error) {
	if first == nil {
		return DefaultPageSize, nil
	}
	if *first < 1 {
		return 0, invalidInput("first", "must be at least 1")
	}
	return min(*first, MaxPageSize), nil
}

// request is a connection request translated for the upstream: fetch the page at
// from, asking for size records, then keep first of them after from.skip.
type request struct {
	from  position
	first int
	size  int
}

// newRequest validates a connection's arguments before any upstream call.
func newRequest(first *int, after *string) (request, error) {
	n, err := pageSize(first)
	if err != nil {
		return request{}, err
	}
	from, err := decodeCursor(after)
	if err != nil {
		return request{}, err
	}
	return request{from: from, first: n, size: min(from.skip+n, MaxPageSize)}, nil
}

// window is the slice of one upstream page that a connection answers with.
type window struct {
	start, end int
	cursors    []string
	info       *model.PageInfo
}

// cut chooses the records of an upstream page of n results to answer with, and
// their cursors. next and previous are the upstream's cursors around that page.
func (r request) cut(n int, next, previous string) window {
	start := min(r.from.skip, n)
	end := min(start+r.first, n)
	w := window{start: start, end: end, cursors: make([]string, 0, end-start)}
	for i := start; i < end; i++ {
		w.cursors = append(w.cursors, r.cursorAfter(i, n, next))
	}

	w.info = &model.PageInfo{
		HasNextPage:     end < n || next != "",
		HasPreviousPage: start > 0 || previous != "",
	}
	if len(w.cursors) > 0 {
		w.info.StartCursor = &w.cursors[0]
		w.info.EndCursor = &w.cursors[len(w.cursors)-1]
	}
	return w
}

// cursorAfter is the cursor of record i of an upstream page of n: the position
// right after it. After the page's last record that is the upstream's next page.
func (r request) cursorAfter(i, n int, next string) string {
	if i == n-1 && next != "" {
		return position{upstream: next}.encode()
	}
	return position{upstream: r.from.upstream, skip: i + 1}.encode()
}

// connection builds the edges and nodes of a connection page from upstream
// records, mapping each with conv.
func connection[U, M any, E any](
	r request, results []U, next, previous string,
	conv func(*U) *M, edge func(cursor string, node *M) E,
) ([]E, []*M, *model.PageInfo) {
	w := r.cut(len(results), next, previous)
	edges := make([]E, 0, w.end-w.start)
	nodes := make([]*M, 0, w.end-w.start)
	for i := w.start; i < w.end; i++ {
		node := conv(&results[i])
		nodes = append(nodes, node)
		edges = append(edges, edge(w.cursors[i-w.start], node))
	}
	return edges, nodes, w.info
}

// listFunc is an upstream list call with cursor paging.
type listFunc[U any] func(context.Context, upstream.ListOptions) (*upstream.Page[U], error)

// page is one connection page, before it is wrapped in its schema type.
type page[E, M any] struct {
	edges []E
	nodes []*M
	info  *model.PageInfo
}

// fetchPage validates first and after, then makes the one upstream call that
// answers a connection page.
func fetchPage[U, M, E any](ctx context.Context, first *int, after *string, list listFunc[U],
	conv func(*U) *M, edge func(string, *M) E,
) (page[E, M], error) {
	r, err := newRequest(first, after)
	if err != nil {
		return page[E, M]{}, err
	}
	up, err := listFrom(ctx, list, r)
	if err != nil {
		return page[E, M]{}, err
	}
	if r.from.skip > 0 && r.from.skip >= len(up.Results) && up.NextCursor != "" {
		// The cursor ends an upstream page that more records have followed
		// since: they start on the next upstream page.
		r = request{from: position{upstream: up.NextCursor}, first: r.first, size: r.first}
		if up, err = listFrom(ctx, list, r); err != nil {
			return page[E, M]{}, err
		}
	}
	edges, nodes, info := connection(r, up.Results, up.NextCursor, up.PreviousCursor, conv, edge)
	return page[E, M]{edges: edges, nodes: nodes, info: info}, nil
}

// listFrom makes the upstream call for r. DRF answers a cursor it cannot read
// with 404, which for a client's cursor means a cursor this API did not issue.
func listFrom[U any](ctx context.Context, list listFunc[U], r request) (*upstream.Page[U], error) {
	up, err := list(ctx, upstream.ListOptions{Cursor: r.from.upstream, PageSize: r.size})
	if r.from.upstream != "" && upstream.IsNotFound(err) {
		return nil, errBadCursor()
	}
	return up, err
}
