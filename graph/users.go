package graph

import (
	"context"
	"fmt"
	"strconv"
	"strings"

	"github.com/capedigital/cape-gateway/graph/model"
	"github.com/capedigital/cape-gateway/upstream"
)

// The users endpoint pages by number, so a users cursor names the upstream page
// size and page number ("size:page") where other connections name an upstream
// cursor.

func userPagePosition(size, number int) string {
	return strconv.Itoa(size) + ":" + strconv.Itoa(number)
}

func parseUserPagePosition(s string) (size, number int, err error) {
	sizeText, numberText, ok := strings.Cut(s, ":")
	size, err1 := strconv.Atoi(sizeText)
	number, err2 := strconv.Atoi(numberText)
	if !ok || err1 != nil || err2 != nil || size < 1 || size > MaxPageSize || number < 1 {
		return 0, 0, invalidInput("after", "is not a cursor this API issued")
	}
	return size, number, nil
}

// userFilters are the users query's pass-through filters.
type userFilters struct {
	search, status, ordering *string
}

// fetchUsers answers the users connection with one upstream call.
func fetchUsers(ctx context.Context, c *upstream.Client, first *int, after *string, f userFilters,
) (*model.UserConnection, error) {
	r, err := newRequest(first, after)
	if err != nil {
		return nil, err
	}
	size, number := r.size, 1
	if r.from.upstream != "" {
		if size, number, err = parseUserPagePosition(r.from.upstream); err != nil {
			return nil, err
		}
	}
	list := func(number int) (*upstream.UserPage, error) {
		up, err := c.ListUsers(ctx, upstream.UserListOptions{
			Page: number, PageSize: size,
			Search: deref(f.search), Status: deref(f.status), Ordering: deref(f.ordering),
		})
		if number > 1 && upstream.IsNotFound(err) {
			// DRF's answer to a page number past the end.
			return nil, errBadCursor()
		}
		if err != nil {
			return nil, fmt.Errorf("list users: %w", err)
		}
		return up, nil
	}

	up, err := list(number)
	if err != nil {
		return nil, err
	}
	if r.from.skip > 0 && r.from.skip >= len(up.Results) && up.NextPage > 0 {
		// The cursor ends a page that more users have followed since.
		r.from = position{upstream: userPagePosition(size, up.NextPage)}
		if up, err = list(up.NextPage); err != nil {
			return nil, err
		}
	}

	var next, previous string
	if up.NextPage > 0 {
		next = userPagePosition(size, up.NextPage)
	}
	if up.PreviousPage > 0 {
		previous = userPagePosition(size, up.PreviousPage)
	}
	edges, nodes, info := connection(r, up.Results, next, previous, userFromUpstream,
		func(c string, n *model.User) *model.UserEdge { return &model.UserEdge{Cursor: c, Node: n} })
	return &model.UserConnection{Edges: edges, Nodes: nodes, PageInfo: info,
		TotalCount: int(up.Count)}, nil
}

func deref(s *string) string {
	if s == nil {
		return ""
	}
	return *s
}
