package upstream

import "context"

// tokenKey is the context key under which the caller's bearer token travels.
type tokenKey struct{}

// WithToken returns a copy of ctx carrying the raw bearer token (a JWT,
// without the "Bearer " prefix) that requests made with it forward upstream.
func WithToken(ctx context.Context, token string) context.Context {
	return context.WithValue(ctx, tokenKey{}, token)
}

// TokenFromContext returns the bearer token stored by WithToken. It reports
// false when ctx carries no token or an empty one.
func TokenFromContext(ctx context.Context) (string, bool) {
	token, ok := ctx.Value(tokenKey{}).(string)
	return token, ok && token != ""
}
