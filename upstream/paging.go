package upstream

import (
	"context"
	"iter"
	"net/url"
	"slices"
	"strconv"
	"strings"
)

// maxIDsPerCall bounds the ids sent in one id__in filter; it matches the
// upstream's largest page size.
const maxIDsPerCall = 100

// ListOptions selects a page of a cursor-paged list.
type ListOptions struct {
	Cursor   string // from Page.NextCursor or Page.PreviousCursor; "" for the first page
	PageSize int    // 0 keeps the upstream default
}

func (o ListOptions) query() string {
	q := url.Values{}
	if o.Cursor != "" {
		q.Set("cursor", o.Cursor)
	}
	if o.PageSize > 0 {
		q.Set("page_size", strconv.Itoa(o.PageSize))
	}
	return q.Encode()
}

// Page is one page of a cursor-paged list. The cursors are the cursor query
// values of the upstream's next and previous links, "" when there is none.
type Page[T any] struct {
	Results        []T
	NextCursor     string
	PreviousCursor string
}

// pageBody is the wire shape of a cursor-paged list.
type pageBody[T any] struct {
	Results  *[]T    `json:"results"`
	Next     *string `json:"next"`
	Previous *string `json:"previous"`
}

// listPage fetches one page of the collection at route.
func listPage[T any](ctx context.Context, c *Client, route string,
	opts ListOptions) (*Page[T], error) {
	return getPage[T](ctx, c, newGet(route, route, opts.query()))
}

func getPage[T any](ctx context.Context, c *Client, r *request) (*Page[T], error) {
	var body pageBody[T]
	var page Page[T]
	check := func() string {
		if body.Results == nil {
			return "list without results"
		}

		var ok bool
		page.Results = *body.Results
		if page.NextCursor, ok = linkParam(body.Next, "cursor"); !ok {
			return "next link without a cursor"
		}
		// A previous link to the first page may carry no cursor at all.
		page.PreviousCursor, _ = linkParam(body.Previous, "cursor")
		return ""
	}

	if err := c.do(ctx, r, &body, check); err != nil {
		return nil, err
	}
	return &page, nil
}

// linkParam returns the value of param in link. Only that value is kept: the
// link itself, whatever its host, is never requested. It reports false when
// link is set but carries no usable value.
func linkParam(link *string, param string) (string, bool) {
	if link == nil || *link == "" {
		return "", true
	}

	u, err := url.Parse(*link)
	if err != nil {
		return "", false
	}
	v := u.Query().Get(param)
	return v, v != ""
}

// All returns every item of a cursor-paged list, fetching pages with list
// from opts onwards. It stops after the last page, on the first error (which
// it yields), or when a cursor comes back that it has already used, so a
// misbehaving upstream cannot make it loop.
//
//	for lead, err := range upstream.All(ctx, upstream.ListOptions{}, c.ListLeads) { ... }
func All[T any](ctx context.Context, opts ListOptions,
	list func(context.Context, ListOptions) (*Page[T], error)) iter.Seq2[T, error] {
	return func(yield func(T, error) bool) {
		seen := map[string]bool{opts.Cursor: true}
		for {
			page, err := list(ctx, opts)
			if err != nil {
				var zero T
				yield(zero, err)
				return
			}

			for _, item := range page.Results {
				if !yield(item, nil) {
					return
				}
			}

			next := page.NextCursor
			if next == "" || seen[next] {
				return
			}
			seen[next] = true
			opts.Cursor = next
		}
	}
}

// listByID fetches the records of the collection at route with the given
// ids through the id__in filter, in chunks of maxIDsPerCall. It returns what
// the upstream answers, in its order; unknown ids are simply missing.
// Duplicate ids, and ids that cannot be sent in the list (empty, or holding
// a comma), are dropped.
func listByID[T any](ctx context.Context, c *Client, route string, ids []string) ([]T, error) {
	ids = filterIDs(ids)
	out := make([]T, 0, len(ids))

	for chunk := range slices.Chunk(ids, maxIDsPerCall) {
		escaped := make([]string, len(chunk))
		for i, id := range chunk {
			escaped[i] = url.QueryEscape(id)
		}
		query := "id__in=" + strings.Join(escaped, ",") + "&page_size=" + strconv.Itoa(len(chunk))

		var err error
		if out, err = appendChunk(ctx, c, route, query, out); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// appendChunk appends the records matching one id__in query to out. One page
// normally holds them all; should the upstream page smaller than asked, the
// remaining pages are followed until the cursor ends or repeats.
func appendChunk[T any](ctx context.Context, c *Client, route, query string, out []T) ([]T, error) {
	seen := map[string]bool{}
	next := query
	for {
		page, err := getPage[T](ctx, c, newGet(route, route, next))
		if err != nil {
			return nil, err
		}
		out = append(out, page.Results...)

		if page.NextCursor == "" || seen[page.NextCursor] {
			return out, nil
		}
		seen[page.NextCursor] = true
		next = query + "&cursor=" + url.QueryEscape(page.NextCursor)
	}
}

func filterIDs(ids []string) []string {
	seen := make(map[string]bool, len(ids))
	out := make([]string, 0, len(ids))
	for _, id := range ids {
		if id == "" || strings.Contains(id, ",") || seen[id] {
			continue
		}
		seen[id] = true
		out = append(out, id)
	}
	return out
}

// getByID fetches the record id of the collection at route. It fails with a
// *BadResponseError when the answer has no id.
func getByID[T any](ctx context.Context, c *Client, route, id string,
	idOf func(*T) string) (*T, error) {
	path, family, err := itemPath(route, id)
	if err != nil {
		return nil, err
	}

	var v T
	if err := c.do(ctx, newGet(family, path, ""), &v, requireID(&v, idOf)); err != nil {
		return nil, err
	}
	return &v, nil
}

// requireID returns a check that v, once decoded, has an id.
func requireID[T any](v *T, idOf func(*T) string) func() string {
	return func() string {
		if idOf(v) == "" {
			return "object without an id"
		}
		return ""
	}
}
