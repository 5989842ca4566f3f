package auth

import (
	"encoding/json"
	"errors"
	"net/http"

	"github.com/capedigital/cape-gateway/upstream"
)

// realm names the protection space in the WWW-Authenticate challenge.
const realm = "cape-gateway"

// Middleware guards next according to cfg.Mode.
//
// In verify mode it verifies the bearer token with v and puts the claims (see
// ClaimsFromContext) and the raw token (for the upstream client) into the request
// context. In forward mode it only extracts the token and puts it into the context; v may
// then be nil. In both modes a request without a usable bearer token is refused with a 401
// and never reaches next, except an OPTIONS request, which runs nothing, and anonymous
// introspection when cfg.AllowAnonymousIntrospection allows it.
//
// Middleware panics if cfg asks for verify mode and v is nil.
func Middleware(v *Verifier, cfg Config) func(http.Handler) http.Handler {
	cfg = cfg.withDefaults()
	if cfg.Mode != ModeForward && v == nil {
		panic("auth: Middleware needs a Verifier in verify mode")
	}

	return func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if r.Method == http.MethodOptions {
				// An OPTIONS request runs nothing: it only learns the allowed
				// methods, which browsers ask without credentials.
				next.ServeHTTP(w, r)
				return
			}
			if cfg.AllowAnonymousIntrospection && len(r.Header.Values("Authorization")) == 0 &&
				isAnonymousIntrospection(r) {
				next.ServeHTTP(w, r)
				return
			}

			token, ref := bearerToken(r)
			if ref != nil {
				writeRefusal(w, ref)
				return
			}

			ctx := r.Context()
			if cfg.Mode != ModeForward {
				claims, err := v.verify(ctx, token)
				if err != nil {
					writeRefusal(w, asRefusal(err))
					return
				}
				ctx = WithClaims(ctx, claims)
			}
			ctx = upstream.WithToken(ctx, token)
			next.ServeHTTP(w, r.WithContext(ctx))
		})
	}
}

// asRefusal turns a verification error into a refusal.
func asRefusal(err error) *refusal {
	var ref *refusal
	if errors.As(err, &ref) {
		return ref
	}
	return &refusal{reason: reasonInvalidToken, tokenGiven: true, err: err}
}

// refusalBody is the GraphQL error document sent with a 401.
type refusalBody struct {
	Errors []refusalError `json:"errors"`
}

type refusalError struct {
	Message    string            `json:"message"`
	Extensions map[string]string `json:"extensions"`
}

// writeRefusal answers 401 with an RFC 6750 challenge and a GraphQL error body.
func writeRefusal(w http.ResponseWriter, ref *refusal) {
	challenge := `Bearer realm="` + realm + `"`
	if ref.tokenGiven {
		// Reasons are constants free of quotes and backslashes, so they need no escaping.
		challenge += `, error="invalid_token", error_description="` + ref.reason + `"`
	}

	h := w.Header()
	h.Set("WWW-Authenticate", challenge)
	h.Set("Content-Type", "application/json")
	h.Set("Cache-Control", "no-store")
	w.WriteHeader(http.StatusUnauthorized)

	body := refusalBody{Errors: []refusalError{{
		Message:    ref.reason,
		Extensions: map[string]string{"code": "UNAUTHENTICATED"},
	}}}
	_ = json.NewEncoder(w).Encode(body)
}
