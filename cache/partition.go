package cache

import (
	"context"
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"hash"
	"slices"

	"github.com/capedigital/cape-gateway/auth"
	"github.com/capedigital/cape-gateway/upstream"
)

// Partition names the credential that a request's cache entries belong to.
// With verified claims it is a hash of the issuer, the subject and the sorted
// roles, so that a caller's refreshed token finds its earlier entries; without
// claims (forward mode) it is a hash of the raw token. A request with neither
// has no partition and must not use the cache.
func Partition(ctx context.Context) (string, bool) {
	h := sha256.New()
	if c, ok := auth.ClaimsFromContext(ctx); ok && c.Subject != "" {
		roles := slices.Clone(c.Roles)
		slices.Sort(roles)
		writeField(h, "claims")
		writeField(h, c.Issuer)
		writeField(h, c.Subject)
		for _, r := range roles {
			writeField(h, r)
		}
	} else if token, ok := upstream.TokenFromContext(ctx); ok && token != "" {
		writeField(h, "token")
		writeField(h, token)
	} else {
		return "", false
	}
	var sum [sha256.Size]byte
	return hex.EncodeToString(h.Sum(sum[:0])[:16]), true
}

// writeField writes s with its length in front, so that no two different lists
// of fields hash the same bytes.
func writeField(h hash.Hash, s string) {
	var n [binary.MaxVarintLen64]byte
	h.Write(n[:binary.PutUvarint(n[:], uint64(len(s)))])
	h.Write([]byte(s))
}
