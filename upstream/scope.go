package upstream

import (
	"context"
	"fmt"

	"golang.org/x/sync/singleflight"
)

// scopeKey is the context key of a request scope.
type scopeKey struct{}

// scope lets identical GETs of one incoming request share a single call.
type scope struct {
	flights singleflight.Group
}

// WithRequestScope returns a copy of ctx in which identical GET calls (same
// URL and token) that are in flight at the same time are made once, every
// caller receiving the one answer. Call it once per incoming request: calls
// made with different scopes, or with none, never share anything.
func WithRequestScope(ctx context.Context) context.Context {
	if _, ok := scopeFromContext(ctx); ok {
		return ctx
	}
	return context.WithValue(ctx, scopeKey{}, &scope{})
}

func scopeFromContext(ctx context.Context) (*scope, bool) {
	s, ok := ctx.Value(scopeKey{}).(*scope)
	return s, ok
}

// share runs fn once for all callers asking for key at the same time. A
// caller whose context ends stops waiting; the call goes on for the others.
func (s *scope) share(ctx context.Context, r *request, key string,
	fn func() (*response, error),
) (*response, error) {
	ch := s.flights.DoChan(key, func() (any, error) { return fn() })
	select {
	case res := <-ch:
		if res.Err != nil {
			return nil, res.Err
		}
		return res.Val.(*response), nil
	case <-ctx.Done():
		return nil, fmt.Errorf("upstream: %s %s: %w", r.method, r.route, ctx.Err())
	}
}

// flightKey identifies r with the caller's token: two calls share an answer
// only when they would send the same request.
func (c *Client) flightKey(ctx context.Context, r *request) string {
	token, _ := TokenFromContext(ctx)
	return r.method + " " + r.path + "?" + r.query + "\x00" + token
}
