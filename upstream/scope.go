package upstream

import (
	"context"

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

// share runs fn once for all callers asking for key at the same time, in the
// first caller's goroutine: no goroutine is started and handed the call. The
// others wait for its answer. They are parts of the same incoming request, so
// the request's end also ends the call that they wait for, and the call's own
// deadline bounds the wait.
func (s *scope) share(key string, fn func() (*response, error)) (*response, error) {
	v, err, _ := s.flights.Do(key, func() (any, error) { return fn() })
	if err != nil {
		return nil, err
	}
	return v.(*response), nil
}

// flightKey identifies r with the caller's token: two calls share an answer
// only when they would send the same request.
func (c *Client) flightKey(ctx context.Context, r *request) string {
	token, _ := TokenFromContext(ctx)
	return r.method + " " + r.path + "?" + r.query + "\x00" + token
}
