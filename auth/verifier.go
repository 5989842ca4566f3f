package auth

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"time"

	"github.com/golang-jwt/jwt/v5"
)

// Claims are the verified facts about the caller that the rest of the gateway may use.
type Claims struct {
	// Subject is the token's sub claim, the caller's user id.
	Subject string
	// Roles are the realm roles from Keycloak's realm_access.roles claim.
	Roles []string
	// ExpiresAt is the token's exp claim.
	ExpiresAt time.Time
	// Issuer is the token's iss claim.
	Issuer string
}

// tokenClaims is the wire shape of the claims the gateway reads.
type tokenClaims struct {
	jwt.RegisteredClaims
	RealmAccess struct {
		Roles []string `json:"roles"`
	} `json:"realm_access"`
}

// Verifier checks tokens against the configured keys and claims. It is safe for
// concurrent use.
type Verifier struct {
	mode       Mode
	algorithms []string
	parser     *jwt.Parser
	// times repeats the parser's exp, nbf and iat checks for cached tokens.
	times  *jwt.Validator
	tokens *tokenCache // verified tokens; nil when Config.TokenCacheTTL is 0
	// now is the clock of both the parser and the cache.
	now    func() time.Time
	pemKey any       // set in PEM file mode
	jwks   *jwksKeys // set in JWKS mode
}

// NewVerifier validates cfg and loads its keys. In forward mode it returns a Verifier that
// is always ready and verifies nothing.
//
// With a PEM file, a missing or unusable file is an error. With a JWKS URL, NewVerifier
// makes the first download itself, waiting at most a few seconds, but a key server that
// is down or answers badly is not an error: the gateway starts anyway, Ready reports
// false, and the key set is fetched again with a growing pause (and whenever a token
// names an unknown key) until it loads. Only a malformed URL fails. ctx bounds the
// background refreshes; cancel it when the gateway shuts down.
func NewVerifier(ctx context.Context, cfg Config) (*Verifier, error) {
	cfg = cfg.withDefaults()
	if err := cfg.validate(); err != nil {
		return nil, err
	}
	v := &Verifier{mode: cfg.Mode, algorithms: slices.Clone(cfg.Algorithms), now: time.Now}
	if cfg.Mode == ModeForward {
		return v, nil
	}

	v.parser = newParser(cfg, v.clock)
	v.times = jwt.NewValidator(timeOptions(cfg, v.clock)...)
	if cfg.TokenCacheTTL > 0 {
		v.tokens = newTokenCache(cfg.TokenCacheTTL)
	}
	var err error
	if cfg.PublicKeyFile != "" {
		v.pemKey, err = loadPublicKey(cfg.PublicKeyFile)
	} else {
		v.jwks, err = newJWKSKeys(ctx, cfg.JWKSURL, cfg.startupRetry, cfg.Logger)
	}
	if err != nil {
		return nil, err
	}
	return v, nil
}

// newParser pins the algorithms and claim checks of cfg, reading the time from clock.
func newParser(cfg Config, clock func() time.Time) *jwt.Parser {
	opts := append(timeOptions(cfg, clock), jwt.WithValidMethods(cfg.Algorithms))
	if cfg.Issuer != "" {
		opts = append(opts, jwt.WithIssuer(cfg.Issuer))
	}
	if cfg.Audience != "" {
		opts = append(opts, jwt.WithAudience(cfg.Audience))
	}
	return jwt.NewParser(opts...)
}

// timeOptions are the checks of the exp, nbf and iat claims, shared by the parser and
// the re-check of cached tokens so that both refuse a token alike.
func timeOptions(cfg Config, clock func() time.Time) []jwt.ParserOption {
	return []jwt.ParserOption{
		jwt.WithExpirationRequired(),
		jwt.WithIssuedAt(),
		jwt.WithLeeway(cfg.Leeway),
		jwt.WithTimeFunc(clock),
	}
}

// clock returns the current time of v's clock.
func (v *Verifier) clock() time.Time { return v.now() }

// Ready reports whether the Verifier can verify tokens: true once a JWKS key set has
// loaded, and always true for a PEM key or in forward mode.
func (v *Verifier) Ready() bool {
	if v.jwks == nil {
		return true
	}
	return v.jwks.ready(context.Background())
}

// Verify checks token (without the "Bearer " prefix) and returns its claims. The error
// of a refused token names the short reason the middleware sends to the client. A
// refresh caused by an unknown kid is bounded by a few seconds; the middleware also ties
// it to the request's context.
func (v *Verifier) Verify(token string) (*Claims, error) {
	return v.verify(context.Background(), token)
}

// verify is Verify with a context that bounds a key set refresh caused by an unknown kid.
//
// A token found in the cache skips parsing and the signature check, but its exp, nbf
// and iat are checked again, so that it is refused exactly as the parser would refuse
// it. Callers always get claims of their own.
func (v *Verifier) verify(ctx context.Context, token string) (*Claims, error) {
	if v.mode == ModeForward {
		return nil, &refusal{reason: reasonNotVerifying}
	}
	if len(token) > maxTokenBytes {
		return nil, &refusal{reason: reasonMalformedToken, tokenGiven: true}
	}
	if v.tokens == nil {
		c, _, err := v.parse(ctx, token)
		return c, err
	}

	key, now := keyOf(token), v.now()
	if e, ok := v.tokens.get(key, now); ok {
		if err := v.times.Validate(&e.times); err != nil {
			// Wrapped as the parser wraps a failed claim check.
			err = fmt.Errorf("%w: %w", jwt.ErrTokenInvalidClaims, err)
			return nil, &refusal{reason: v.reasonFor(nil, err), tokenGiven: true, err: err}
		}
		c := e.claims.clone()
		return &c, nil
	}

	c, tc, err := v.parse(ctx, token)
	if err != nil {
		return nil, err
	}
	v.tokens.add(key, c, tc, now)
	return c, nil
}

// parse parses and verifies token, returning its claims and the wire claims they came
// from.
func (v *Verifier) parse(ctx context.Context, token string) (*Claims, *tokenClaims, error) {
	var tc tokenClaims
	parsed, err := v.parser.ParseWithClaims(token, &tc, v.keyfunc(ctx))
	if err != nil {
		return nil, nil, &refusal{reason: v.reasonFor(parsed, err), tokenGiven: true, err: err}
	}

	c := &Claims{
		Subject: tc.Subject,
		Roles:   tc.RealmAccess.Roles,
		Issuer:  tc.Issuer,
	}
	if tc.ExpiresAt != nil {
		c.ExpiresAt = tc.ExpiresAt.Time
	}
	return c, &tc, nil
}

// keyfunc returns the key lookup for one parse.
func (v *Verifier) keyfunc(ctx context.Context) jwt.Keyfunc {
	if v.jwks != nil {
		return v.jwks.kf.KeyfuncCtx(ctx)
	}
	return func(*jwt.Token) (any, error) { return v.pemKey, nil }
}

// reasonFor maps a parse failure onto a client-facing reason. The algorithm is checked
// before the other causes because golang-jwt reports a refused algorithm as a bad
// signature.
func (v *Verifier) reasonFor(parsed *jwt.Token, err error) string {
	if errors.Is(err, jwt.ErrTokenMalformed) {
		return reasonMalformedToken
	}
	if parsed != nil {
		alg, _ := parsed.Header["alg"].(string)
		if !slices.Contains(v.algorithms, alg) {
			return reasonAlgorithm
		}
	}

	switch {
	case isUnknownKey(err):
		return reasonUnknownKey
	case errors.Is(err, jwt.ErrTokenUnverifiable):
		return reasonUnverifiable
	case errors.Is(err, jwt.ErrTokenSignatureInvalid):
		return reasonSignature
	case errors.Is(err, jwt.ErrTokenRequiredClaimMissing):
		return reasonClaimMissing
	case errors.Is(err, jwt.ErrTokenExpired):
		return reasonExpired
	case errors.Is(err, jwt.ErrTokenNotValidYet), errors.Is(err, jwt.ErrTokenUsedBeforeIssued):
		return reasonNotYetValid
	case errors.Is(err, jwt.ErrTokenInvalidIssuer):
		return reasonIssuer
	case errors.Is(err, jwt.ErrTokenInvalidAudience):
		return reasonAudience
	default:
		return reasonInvalidToken
	}
}
