package auth

import (
	"crypto/sha256"
	"slices"
	"time"

	"github.com/golang-jwt/jwt/v5"
	lru "github.com/hashicorp/golang-lru/v2"
)

// tokenCacheSize bounds the verified-token cache. An entry takes a few hundred bytes, so
// a full cache holds a few megabytes; with more distinct live tokens than this, the least
// recently used ones are simply verified again.
const tokenCacheSize = 10_000

// tokenKey is the cache key of a token: the SHA-256 of the whole token, so that a token
// differing in any byte, such as a forged payload under a copied signature, misses.
type tokenKey = [sha256.Size]byte

// tokenCache remembers the claims of tokens that verified, so that a token seen again
// is neither decoded nor its signature checked again. Failures are never added.
//
// Entries expire on the Verifier's clock rather than through golang-lru's expirable
// package, whose cleanup goroutine cannot be stopped and whose clock cannot be set. An
// expired entry stays until it is replaced or evicted: removing it on a lookup could
// race with a fresh add of the same token.
type tokenCache struct {
	ttl     time.Duration
	entries *lru.Cache[tokenKey, *cachedToken]
}

// cachedToken is one verified token. It is never changed after it is added.
type cachedToken struct {
	// claims are never handed out; callers get copies.
	claims Claims
	// times holds only the token's exp, nbf and iat claims, checked again on every use.
	times jwt.RegisteredClaims
	// until is when the entry expires: the time of verification plus the cache's ttl.
	until time.Time
}

// newTokenCache returns a cache whose entries live for ttl, which must be positive.
func newTokenCache(ttl time.Duration) *tokenCache {
	entries, err := lru.New[tokenKey, *cachedToken](tokenCacheSize)
	if err != nil {
		panic(err) // lru.New fails only for a size below 1
	}
	return &tokenCache{ttl: ttl, entries: entries}
}

// keyOf returns the cache key of token.
func keyOf(token string) tokenKey {
	return sha256.Sum256([]byte(token))
}

// get returns the entry of key if it was added less than the ttl before now. The caller
// must still check the entry's times.
func (c *tokenCache) get(key tokenKey, now time.Time) (*cachedToken, bool) {
	e, ok := c.entries.Get(key)
	if !ok || !now.Before(e.until) {
		return nil, false
	}
	return e, true
}

// add remembers claims and the time claims of tc, verified at now, under key. It keeps
// its own copy of claims.
func (c *tokenCache) add(key tokenKey, claims *Claims, tc *tokenClaims, now time.Time) {
	c.entries.Add(key, &cachedToken{
		claims: claims.clone(),
		times: jwt.RegisteredClaims{
			ExpiresAt: tc.ExpiresAt,
			NotBefore: tc.NotBefore,
			IssuedAt:  tc.IssuedAt,
		},
		until: now.Add(c.ttl),
	})
}

// clone returns a copy of c that shares nothing mutable with it.
func (c *Claims) clone() Claims {
	out := *c
	out.Roles = slices.Clone(c.Roles)
	return out
}
