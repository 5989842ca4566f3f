package simulator

import (
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha256"
	"encoding/base64"
	"fmt"
	"math/big"
	"sync"

	"github.com/golang-jwt/jwt/v5"
)

// rsaBits is the size of the signing keys, Keycloak's default.
const rsaBits = 2048

// signingKey is one RSA key and its key id.
type signingKey struct {
	kid  string
	priv *rsa.PrivateKey
}

// keyring holds the signing key, the keys in the published set and the next
// key, which signs only on request until a rotation publishes it.
type keyring struct {
	mu        sync.RWMutex
	current   signingKey
	next      signingKey
	published []signingKey // current first, then the one it replaced
}

func newKeyring() (*keyring, error) {
	cur, err := newSigningKey()
	if err != nil {
		return nil, err
	}
	next, err := newSigningKey()
	if err != nil {
		return nil, err
	}
	return &keyring{current: cur, next: next, published: []signingKey{cur}}, nil
}

func newSigningKey() (signingKey, error) {
	priv, err := rsa.GenerateKey(rand.Reader, rsaBits)
	if err != nil {
		return signingKey{}, fmt.Errorf("generate rsa key: %w", err)
	}
	sum := sha256.Sum256(priv.N.Bytes())
	return signingKey{kid: base64.RawURLEncoding.EncodeToString(sum[:12]), priv: priv}, nil
}

// sign signs claims with RS256 and the key's kid in the header.
func (k *keyring) sign(claims jwt.Claims, useNext bool) (string, error) {
	k.mu.RLock()
	key := k.current
	if useNext {
		key = k.next
	}
	k.mu.RUnlock()

	tok := jwt.NewWithClaims(jwt.SigningMethodRS256, claims)
	tok.Header["kid"] = key.kid
	return tok.SignedString(key.priv)
}

// rotate publishes the next key as the signing key, keeps the replaced key in
// the set so tokens it signed stay valid, and makes a new next key.
func (k *keyring) rotate() error {
	fresh, err := newSigningKey()
	if err != nil {
		return err
	}
	k.mu.Lock()
	defer k.mu.Unlock()
	k.published = []signingKey{k.next, k.current}
	k.current, k.next = k.next, fresh
	return nil
}

// lookup finds a published public key by kid.
func (k *keyring) lookup(kid string) (*rsa.PublicKey, bool) {
	k.mu.RLock()
	defer k.mu.RUnlock()
	for _, key := range k.published {
		if key.kid == kid {
			return &key.priv.PublicKey, true
		}
	}
	return nil, false
}

// jwk is one entry of a JSON Web Key Set.
type jwk struct {
	Kid string `json:"kid"`
	Kty string `json:"kty"`
	Alg string `json:"alg"`
	Use string `json:"use"`
	N   string `json:"n"`
	E   string `json:"e"`
}

// jwks is the published key set.
func (k *keyring) jwks() map[string][]jwk {
	k.mu.RLock()
	defer k.mu.RUnlock()
	keys := make([]jwk, 0, len(k.published))
	for _, key := range k.published {
		pub := key.priv.PublicKey
		keys = append(keys, jwk{
			Kid: key.kid, Kty: "RSA", Alg: "RS256", Use: "sig",
			N: base64.RawURLEncoding.EncodeToString(pub.N.Bytes()),
			E: base64.RawURLEncoding.EncodeToString(big.NewInt(int64(pub.E)).Bytes()),
		})
	}
	return map[string][]jwk{"keys": keys}
}
