package auth

import (
	"errors"

	"github.com/MicahParks/jwkset"
)

// Reasons sent to clients. They are stable, short and never carry token content.
const (
	reasonMissing        = "missing bearer token"
	reasonScheme         = "unsupported authorization scheme"
	reasonMalformed      = "malformed authorization header"
	reasonMalformedToken = "malformed token"
	reasonExpired        = "token expired"
	reasonNotYetValid    = "token not yet valid"
	reasonSignature      = "invalid token signature"
	reasonAlgorithm      = "unexpected signing algorithm"
	reasonIssuer         = "invalid token issuer"
	reasonAudience       = "invalid token audience"
	reasonClaimMissing   = "token missing required claim"
	reasonUnknownKey     = "unknown signing key"
	reasonUnverifiable   = "token cannot be verified"
	reasonInvalidToken   = "invalid token"
	reasonNotVerifying   = "token verification is off in forward mode"
)

// refusal is the error for a request or token that is turned away.
type refusal struct {
	reason string
	// tokenGiven is true when the caller offered something as a bearer token; the
	// challenge then carries error="invalid_token".
	tokenGiven bool
	err        error
}

func (r *refusal) Error() string {
	if r.err == nil {
		return "auth: " + r.reason
	}
	return "auth: " + r.reason + ": " + r.err.Error()
}

func (r *refusal) Unwrap() error { return r.err }

// isUnknownKey reports whether err says the token's kid is not in the key set.
func isUnknownKey(err error) bool {
	return errors.Is(err, jwkset.ErrKeyNotFound)
}
