package auth

import (
	"errors"
	"fmt"
	"log/slog"
	"slices"
	"time"
)

// Mode selects what the middleware does with a bearer token.
type Mode string

const (
	// ModeVerify verifies every token before the request goes on. It is the default.
	ModeVerify Mode = "verify"
	// ModeForward passes the token on without verifying it and leaves the decision to
	// the upstream.
	ModeForward Mode = "forward"
)

// Defaults. DefaultAlgorithm is applied by NewVerifier and Middleware when
// Algorithms is empty; DefaultLeeway is the gateway configuration's default,
// since a zero Leeway means none.
const (
	DefaultLeeway    = 30 * time.Second
	DefaultAlgorithm = "RS256"
)

// supportedAlgorithms are the asymmetric algorithms a token may be signed with. HMAC and
// "none" are left out on purpose: a gateway that holds only public keys must never accept
// a token whose "secret" is a public key.
var supportedAlgorithms = []string{
	"RS256", "RS384", "RS512",
	"PS256", "PS384", "PS512",
	"ES256", "ES384", "ES512",
	"EdDSA",
}

// Config holds the authentication settings. The gateway fills it from the JWT_*
// environment variables; the zero value means verify mode with defaults, which still
// needs a key source.
type Config struct {
	// Mode is ModeVerify (default when empty) or ModeForward. From JWT_MODE.
	Mode Mode
	// JWKSURL is the key set endpoint. From JWT_JWKS_URL.
	JWKSURL string
	// PublicKeyFile is a PEM file with an RSA, EC or Ed25519 public key or a certificate.
	// From JWT_PUBLIC_KEY_FILE. Exactly one of JWKSURL and PublicKeyFile is needed in
	// verify mode.
	PublicKeyFile string
	// Issuer, when set, must equal the token's iss claim. From JWT_ISSUER.
	Issuer string
	// Audience, when set, must appear in the token's aud claim. From JWT_AUDIENCE.
	Audience string
	// Leeway is the allowed clock skew for exp, nbf and iat; zero allows none. The
	// gateway's default, from the configuration, is DefaultLeeway.
	// From JWT_LEEWAY.
	Leeway time.Duration
	// Algorithms lists the accepted signing algorithms; [DefaultAlgorithm] when empty.
	// From JWT_ALGORITHMS.
	Algorithms []string
	// TokenCacheTTL is how long a verified token is remembered, so that the same token
	// arriving again is not parsed and its signature not checked again; 0 (the zero
	// value) turns the cache off. The cache holds at most tokenCacheSize tokens and only
	// those that verified. Its entries never outlive the token itself: exp, nbf and iat
	// are checked again, with Leeway, every time a cached token is used. A key removed
	// from the key set keeps the tokens it already verified valid for at most
	// TokenCacheTTL. From JWT_CACHE_TTL.
	TokenCacheTTL time.Duration
	// AllowAnonymousIntrospection lets requests without an Authorization header run
	// operations that select only introspection fields. From
	// JWT_ALLOW_ANONYMOUS_INTROSPECTION; false by default.
	AllowAnonymousIntrospection bool
	// Logger receives what goes wrong with the key set in the background, such as a
	// failed refresh; slog.Default() when nil.
	Logger *slog.Logger

	// startupRetry shortens the first pause between key set retries in tests.
	startupRetry time.Duration
}

// withDefaults returns a copy of c with zero values replaced by defaults.
func (c Config) withDefaults() Config {
	if c.Mode == "" {
		c.Mode = ModeVerify
	}
	if len(c.Algorithms) == 0 {
		c.Algorithms = []string{DefaultAlgorithm}
	}
	if c.Logger == nil {
		c.Logger = slog.Default()
	}
	return c
}

// validate reports the first bad setting of a config that already has its defaults.
func (c Config) validate() error {
	switch c.Mode {
	case ModeForward:
		return nil
	case ModeVerify:
	default:
		return fmt.Errorf("auth: JWT_MODE %q: want %q or %q", c.Mode, ModeVerify, ModeForward)
	}

	switch {
	case c.JWKSURL == "" && c.PublicKeyFile == "":
		return errors.New("auth: verify mode needs JWT_JWKS_URL or JWT_PUBLIC_KEY_FILE")
	case c.JWKSURL != "" && c.PublicKeyFile != "":
		return errors.New("auth: set only one of JWT_JWKS_URL and JWT_PUBLIC_KEY_FILE")
	}
	if c.Leeway < 0 {
		return fmt.Errorf("auth: JWT_LEEWAY %s is negative", c.Leeway)
	}
	if c.TokenCacheTTL < 0 {
		return fmt.Errorf("auth: JWT_CACHE_TTL %s is negative", c.TokenCacheTTL)
	}
	for _, alg := range c.Algorithms {
		if !slices.Contains(supportedAlgorithms, alg) {
			return fmt.Errorf("auth: JWT_ALGORITHMS: %q is not supported (want one of %v)",
				alg, supportedAlgorithms)
		}
	}
	return nil
}
