package auth

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
)

// claimsKey is the context key for verified claims.
type claimsKey struct{}

// WithClaims returns a copy of ctx carrying c.
func WithClaims(ctx context.Context, c *Claims) context.Context {
	return context.WithValue(ctx, claimsKey{}, c)
}

// ClaimsFromContext returns the verified claims of the request, if any. There are none in
// forward mode and for anonymous introspection.
func ClaimsFromContext(ctx context.Context) (*Claims, bool) {
	c, ok := ctx.Value(claimsKey{}).(*Claims)
	return c, ok && c != nil
}

// Fingerprint returns a short, stable, non-reversible name for token, for log lines that
// must tell tokens apart: the hex form of the first 8 bytes of its SHA-256.
func Fingerprint(token string) string {
	sum := sha256.Sum256([]byte(token))
	return hex.EncodeToString(sum[:8])
}
