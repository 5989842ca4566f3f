package auth

import (
	"context"
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"encoding/base64"
	"encoding/pem"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/MicahParks/jwkset"
	"github.com/MicahParks/keyfunc/v3"
	"github.com/golang-jwt/jwt/v5"
)

// testClock is a clock that moves only when told to.
type testClock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *testClock) now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *testClock) set(t time.Time) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = t
}

// countingKeys wraps a key set and counts its key lookups. Every parse looks up a key
// exactly once, so the count is the number of full verifications.
type countingKeys struct {
	inner   keyfunc.Keyfunc
	lookups atomic.Int64
}

func (k *countingKeys) Keyfunc(token *jwt.Token) (any, error) {
	return k.KeyfuncCtx(context.Background())(token)
}

func (k *countingKeys) KeyfuncCtx(ctx context.Context) jwt.Keyfunc {
	inner := k.inner.KeyfuncCtx(ctx)
	return func(token *jwt.Token) (any, error) {
		k.lookups.Add(1)
		return inner(token)
	}
}

func (k *countingKeys) Storage() jwkset.Storage { return k.inner.Storage() }

func (k *countingKeys) VerificationKeySet(ctx context.Context) (jwt.VerificationKeySet, error) {
	return k.inner.VerificationKeySet(ctx)
}

// cacheSetup is a JWKS publishing key under kid "k1" and a clock, shared by the
// verifiers it makes.
type cacheSetup struct {
	server *jwksServer
	key    *rsa.PrivateKey
	clock  *testClock
	start  time.Time // the clock's first reading, a whole second
}

func newCacheSetup(t *testing.T) *cacheSetup {
	t.Helper()
	start := time.Unix(time.Now().Unix(), 0)
	s := &cacheSetup{server: newJWKSServer(t), key: rsaKey(t), clock: &testClock{t: start},
		start: start}
	s.server.add("k1", s.key)
	return s
}

// verifier returns a verifier with the given cache TTL on the setup's clock, and the
// counter of its key lookups.
func (s *cacheSetup) verifier(t *testing.T, ttl time.Duration) (*Verifier, *countingKeys) {
	t.Helper()
	cfg := Config{JWKSURL: s.server.URL, Issuer: testIssuer, Audience: testAudience,
		Leeway: DefaultLeeway, TokenCacheTTL: ttl}
	v, err := NewVerifier(t.Context(), cfg)
	if err != nil {
		t.Fatalf("NewVerifier: %v", err)
	}
	v.now = s.clock.now
	keys := &countingKeys{inner: v.jwks.kf}
	v.jwks.kf = keys
	return v, keys
}

// claimsAt returns valid claims issued at the setup's start and expiring 5 minutes later.
func (s *cacheSetup) claimsAt() jwt.MapClaims {
	return with(validClaims(), "iat", s.start.Unix(), "exp", s.start.Add(5*time.Minute).Unix())
}

// token signs claims with the published key.
func (s *cacheSetup) token(t *testing.T, claims jwt.MapClaims) string {
	t.Helper()
	return sign(t, jwt.SigningMethodRS256, s.key, "k1", claims)
}

// wantVerified checks that v accepts token as user-1 and that v has made lookups key
// lookups so far.
func wantVerified(t *testing.T, v *Verifier, keys *countingKeys, token string, lookups int64) {
	t.Helper()
	c, err := v.Verify(token)
	if err != nil {
		t.Fatalf("Verify: %v", err)
	}
	if c.Subject != "user-1" || !slices.Equal(c.Roles, []string{"sales", "admin"}) {
		t.Errorf("claims = %+v, want subject user-1 with roles [sales admin]", c)
	}
	if got := keys.lookups.Load(); got != lookups {
		t.Errorf("key lookups = %d, want %d", got, lookups)
	}
}

// wantRefused checks that v refuses token for reason and that v has made lookups key
// lookups so far. It returns the error.
func wantRefused(t *testing.T, v *Verifier, keys *countingKeys, token, reason string,
	lookups int64) error {
	t.Helper()
	_, err := v.Verify(token)
	if err == nil {
		t.Fatalf("Verify accepted the token, want %q", reason)
	}
	if got := asRefusal(err).reason; got != reason {
		t.Errorf("reason = %q, want %q (error %v)", got, reason, err)
	}
	if got := keys.lookups.Load(); got != lookups {
		t.Errorf("key lookups = %d, want %d", got, lookups)
	}
	return err
}

func TestVerifierCachesAVerifiedToken(t *testing.T) {
	s := newCacheSetup(t)
	token := s.token(t, s.claimsAt())

	cached, cachedKeys := s.verifier(t, time.Minute)
	wantVerified(t, cached, cachedKeys, token, 1)
	wantVerified(t, cached, cachedKeys, token, 1)
	wantVerified(t, cached, cachedKeys, token, 1)

	uncached, uncachedKeys := s.verifier(t, 0)
	if uncached.tokens != nil {
		t.Fatal("a TTL of 0 made a token cache")
	}
	wantVerified(t, uncached, uncachedKeys, token, 1)
	wantVerified(t, uncached, uncachedKeys, token, 2)
}

func TestCachedTokenSkipsTheSignatureCheck(t *testing.T) {
	key, stranger := rsaKey(t), rsaKey(t)
	path := filepath.Join(t.TempDir(), "key.pem")
	if err := os.WriteFile(path, publicPEM(t, key), 0o600); err != nil {
		t.Fatal(err)
	}
	token := sign(t, jwt.SigningMethodRS256, key, "", validClaims())

	for _, tt := range []struct {
		name       string
		ttl        time.Duration
		wantReason string // of the second Verify; empty for success
	}{
		{name: "cached", ttl: time.Minute},
		{name: "uncached", ttl: 0, wantReason: reasonSignature},
	} {
		t.Run(tt.name, func(t *testing.T) {
			v, err := NewVerifier(t.Context(), Config{PublicKeyFile: path, TokenCacheTTL: tt.ttl})
			if err != nil {
				t.Fatalf("NewVerifier: %v", err)
			}
			if _, err := v.Verify(token); err != nil {
				t.Fatalf("first Verify: %v", err)
			}

			// With the wrong key, only a token that is not verified again can pass.
			v.pemKey = &stranger.PublicKey
			c, err := v.Verify(token)
			if tt.wantReason == "" {
				if err != nil || c.Subject != "user-1" {
					t.Errorf("second Verify = %+v, %v; want subject user-1 from the cache", c, err)
				}
				return
			}
			if err == nil || asRefusal(err).reason != tt.wantReason {
				t.Errorf("second Verify error = %v, want reason %q", err, tt.wantReason)
			}
		})
	}
}

func TestCachedTokenIsRefusedOnceExpired(t *testing.T) {
	s := newCacheSetup(t)
	token := s.token(t, s.claimsAt())
	expired := s.start.Add(5*time.Minute + DefaultLeeway)

	// The TTL outlives the token, so only its exp can end it.
	cached, cachedKeys := s.verifier(t, time.Hour)
	uncached, uncachedKeys := s.verifier(t, 0)
	wantVerified(t, cached, cachedKeys, token, 1)

	s.clock.set(expired.Add(-time.Nanosecond))
	wantVerified(t, cached, cachedKeys, token, 1)
	wantVerified(t, uncached, uncachedKeys, token, 1)

	s.clock.set(expired)
	wantRefusedAlike(t, token, reasonExpired,
		refusalCheck{cached, cachedKeys, 1}, refusalCheck{uncached, uncachedKeys, 2})
}

// refusalCheck is a verifier and the key lookups it must have made after a refusal.
type refusalCheck struct {
	v       *Verifier
	keys    *countingKeys
	lookups int64
}

// wantRefusedAlike checks that a cached and an uncached verifier both refuse token for
// reason, with the same error.
func wantRefusedAlike(t *testing.T, token, reason string, cached, uncached refusalCheck) {
	t.Helper()
	cachedErr := wantRefused(t, cached.v, cached.keys, token, reason, cached.lookups)
	uncachedErr := wantRefused(t, uncached.v, uncached.keys, token, reason, uncached.lookups)
	if cachedErr.Error() != uncachedErr.Error() {
		t.Errorf("cached refusal %q differs from uncached refusal %q", cachedErr, uncachedErr)
	}
}

func TestCachedTokenIsRefusedBeforeItsNotBefore(t *testing.T) {
	s := newCacheSetup(t)
	// Valid at the start only thanks to the leeway.
	nbf := s.start.Add(20 * time.Second)
	token := s.token(t, with(s.claimsAt(), "nbf", nbf.Unix()))
	earliest := nbf.Add(-DefaultLeeway)

	cached, cachedKeys := s.verifier(t, time.Hour)
	uncached, uncachedKeys := s.verifier(t, 0)
	wantVerified(t, cached, cachedKeys, token, 1)

	// A clock stepping back must not let a cached token through.
	s.clock.set(earliest)
	wantVerified(t, cached, cachedKeys, token, 1)

	s.clock.set(earliest.Add(-time.Nanosecond))
	wantRefusedAlike(t, token, reasonNotYetValid,
		refusalCheck{cached, cachedKeys, 1}, refusalCheck{uncached, uncachedKeys, 1})
}

func TestTamperedPayloadMissesTheCache(t *testing.T) {
	s := newCacheSetup(t)
	token := s.token(t, s.claimsAt())
	v, keys := s.verifier(t, time.Minute)
	wantVerified(t, v, keys, token, 1)

	// Change one byte of the payload, "user-1" to "user-2", and keep the signature.
	parts := strings.Split(token, ".")
	payload, err := base64.RawURLEncoding.DecodeString(parts[1])
	if err != nil {
		t.Fatal(err)
	}
	i := strings.Index(string(payload), `"user-1"`)
	if i < 0 {
		t.Fatalf("payload %s has no subject user-1", payload)
	}
	payload[i+len(`"user-`)] = '2'
	forged := parts[0] + "." + base64.RawURLEncoding.EncodeToString(payload) + "." + parts[2]

	wantRefused(t, v, keys, forged, reasonSignature, 2)
	wantRefused(t, v, keys, forged, reasonSignature, 3)
	wantVerified(t, v, keys, token, 3)
}

func TestRefusedTokensAreNotCached(t *testing.T) {
	s := newCacheSetup(t)
	v, keys := s.verifier(t, time.Minute)
	strangerToken := sign(t, jwt.SigningMethodRS256, rsaKey(t), "k1", s.claimsAt())
	expiredToken := s.token(t, with(s.claimsAt(), "exp", s.start.Add(-time.Minute).Unix()))

	wantRefused(t, v, keys, strangerToken, reasonSignature, 1)
	wantRefused(t, v, keys, strangerToken, reasonSignature, 2)
	wantRefused(t, v, keys, expiredToken, reasonExpired, 3)
	wantRefused(t, v, keys, expiredToken, reasonExpired, 4)
	if n := v.tokens.entries.Len(); n != 0 {
		t.Errorf("cache holds %d tokens after refusals only, want 0", n)
	}
}

func TestCachedTokenIsVerifiedAgainAfterTheTTL(t *testing.T) {
	s := newCacheSetup(t)
	token := s.token(t, s.claimsAt())
	v, keys := s.verifier(t, time.Minute)

	steps := []struct {
		at      time.Duration // after the start
		lookups int64
	}{
		{0, 1},
		{time.Minute - time.Nanosecond, 1},
		{time.Minute, 2}, // the TTL has passed: verified again and cached anew
		{time.Minute + time.Second, 2},
		{2*time.Minute - time.Nanosecond, 2},
		{2 * time.Minute, 3},
	}
	for _, step := range steps {
		s.clock.set(s.start.Add(step.at))
		wantVerified(t, v, keys, token, step.lookups)
	}
}

func TestCallersCannotChangeCachedClaims(t *testing.T) {
	s := newCacheSetup(t)
	token := s.token(t, s.claimsAt())
	v, keys := s.verifier(t, time.Minute)

	first, err := v.Verify(token)
	if err != nil {
		t.Fatalf("Verify: %v", err)
	}
	first.Subject = "intruder"
	first.Roles[0] = "root"
	second, err := v.Verify(token)
	if err != nil {
		t.Fatalf("Verify: %v", err)
	}
	second.Roles[1] = "root"
	third, err := v.Verify(token)
	if err != nil {
		t.Fatalf("Verify: %v", err)
	}
	if second == third {
		t.Error("two cache hits returned the same *Claims")
	}
	if third.Subject != "user-1" || !slices.Equal(third.Roles, []string{"sales", "admin"}) {
		t.Errorf("claims after callers changed theirs = %+v, want user-1 [sales admin]", third)
	}
	if got := keys.lookups.Load(); got != 1 {
		t.Errorf("key lookups = %d, want 1", got)
	}
}

func TestTokenCacheIsBounded(t *testing.T) {
	c := newTokenCache(time.Minute)
	now := time.Now()
	for i := range tokenCacheSize + 1 {
		c.add(keyOf(strconv.Itoa(i)), &Claims{}, &tokenClaims{}, now)
	}
	if n := c.entries.Len(); n != tokenCacheSize {
		t.Errorf("cache holds %d tokens, want %d", n, tokenCacheSize)
	}
	if _, ok := c.get(keyOf("0"), now); ok {
		t.Error("the least recently used token is still cached")
	}
	if _, ok := c.get(keyOf(strconv.Itoa(tokenCacheSize)), now); !ok {
		t.Error("the last token added is not cached")
	}
}

// BenchmarkVerify compares verifying the same RS256 token with and without the cache.
func BenchmarkVerify(b *testing.B) {
	key, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		b.Fatal(err)
	}
	der, err := x509.MarshalPKIXPublicKey(&key.PublicKey)
	if err != nil {
		b.Fatal(err)
	}
	path := filepath.Join(b.TempDir(), "key.pem")
	data := pem.EncodeToMemory(&pem.Block{Type: "PUBLIC KEY", Bytes: der})
	if err := os.WriteFile(path, data, 0o600); err != nil {
		b.Fatal(err)
	}

	// Roughly the claims of a Keycloak access token.
	claims := with(validClaims(),
		"exp", time.Now().Add(time.Hour).Unix(),
		"jti", "0b6c1f6e-5b8a-4f8e-9a51-3c2d7e4f9a10",
		"typ", "Bearer",
		"azp", "cape-web",
		"sid", "5f1b1d2e-8c3a-4a6f-b2d9-7e0c4a1f3b22",
		"scope", "openid profile email",
		"email_verified", true,
		"preferred_username", "jane.doe",
		"email", "jane.doe@example.com",
		"resource_access", map[string]any{"account": map[string]any{
			"roles": []string{"manage-account", "view-profile"}}},
	)
	token, err := jwt.NewWithClaims(jwt.SigningMethodRS256, claims).SignedString(key)
	if err != nil {
		b.Fatal(err)
	}

	for _, bc := range []struct {
		name string
		ttl  time.Duration
	}{
		{"uncached", 0},
		{"cached", time.Minute},
	} {
		v, err := NewVerifier(b.Context(), Config{PublicKeyFile: path, Issuer: testIssuer,
			Audience: testAudience, TokenCacheTTL: bc.ttl})
		if err != nil {
			b.Fatal(err)
		}
		if _, err := v.Verify(token); err != nil {
			b.Fatal(err)
		}
		b.Run(bc.name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if _, err := v.Verify(token); err != nil {
					b.Fatal(err)
				}
			}
		})
		b.Run(bc.name+"-parallel", func(b *testing.B) {
			b.ReportAllocs()
			b.RunParallel(func(pb *testing.PB) {
				for pb.Next() {
					if _, err := v.Verify(token); err != nil {
						b.Error(err)
						return
					}
				}
			})
		})
	}
}
