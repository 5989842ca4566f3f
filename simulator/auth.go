package simulator

import (
	"context"
	"errors"
	"net/http"
	"slices"
	"strings"
	"time"

	"github.com/golang-jwt/jwt/v5"
)

// The realm and the one client the simulated Keycloak knows.
const (
	realmPath    = "/realms/capemedia"
	clientID     = "cape-demo"
	clientSecret = "cape-demo-secret"
	demoPassword = "demo"
	tokenTTL     = 300 * time.Second
)

type claimsKey struct{}

func withClaims(ctx context.Context, c jwt.MapClaims) context.Context {
	return context.WithValue(ctx, claimsKey{}, c)
}

// claimsFrom is the verified claims of the request; empty when there are none.
func claimsFrom(ctx context.Context) jwt.MapClaims {
	c, _ := ctx.Value(claimsKey{}).(jwt.MapClaims)
	return c
}

// authenticate checks the bearer token as the REST API does. It answers the
// claims, or the DRF detail message of the refusal.
func (s *Simulator) authenticate(r *http.Request) (jwt.MapClaims, string) {
	scheme, raw, ok := strings.Cut(r.Header.Get("Authorization"), " ")
	raw = strings.TrimSpace(raw)
	if !ok || !strings.EqualFold(scheme, "Bearer") || raw == "" {
		return nil, msgNoCredential
	}

	parser := jwt.NewParser(jwt.WithValidMethods([]string{"RS256"}),
		jwt.WithExpirationRequired())
	claims := jwt.MapClaims{}
	_, err := parser.ParseWithClaims(raw, claims, func(t *jwt.Token) (any, error) {
		kid, _ := t.Header["kid"].(string)
		if pub, ok := s.keys.lookup(kid); ok {
			return pub, nil
		}
		return nil, errors.New("unknown kid")
	})
	if err != nil {
		return nil, msgBadToken
	}
	iss, _ := claims["iss"].(string)
	if iss == "" || (iss != s.Issuer() && iss != origin(r)+realmPath) {
		return nil, msgBadToken
	}
	return claims, ""
}

// requireRole refuses with DRF's 403 unless the token has the realm role.
func requireRole(w http.ResponseWriter, r *http.Request, role string) bool {
	access, _ := claimsFrom(r.Context())["realm_access"].(map[string]any)
	roles, _ := access["roles"].([]any)
	if slices.Contains(roles, any(role)) {
		return true
	}
	writeDetail(w, r, http.StatusForbidden, msgForbidden)
	return false
}

// tokenEndpoint is Keycloak's token endpoint for the client_credentials and
// password grants.
func (s *Simulator) tokenEndpoint(w http.ResponseWriter, r *http.Request) {
	if err := r.ParseForm(); err != nil {
		oauthError(w, r, http.StatusBadRequest, "invalid_request", "Invalid form body")
		return
	}
	id, secret, basic := r.BasicAuth()
	if !basic {
		id, secret = r.PostForm.Get("client_id"), r.PostForm.Get("client_secret")
	}

	var claims jwt.MapClaims
	switch grant := r.PostForm.Get("grant_type"); grant {
	case "client_credentials":
		if id != clientID || secret != clientSecret {
			oauthError(w, r, http.StatusUnauthorized, "invalid_client",
				"Invalid client or Invalid client credentials")
			return
		}
		claims = s.userClaims(origin(r)+realmPath, serviceUsername, []string{"sales"}, tokenTTL)
	case "password":
		if (id != "" && id != clientID) || (secret != "" && secret != clientSecret) {
			oauthError(w, r, http.StatusUnauthorized, "invalid_client",
				"Invalid client or Invalid client credentials")
			return
		}
		form := r.PostForm
		if form.Get("username") != demoUsername || form.Get("password") != demoPassword {
			oauthError(w, r, http.StatusUnauthorized, "invalid_grant", "Invalid user credentials")
			return
		}
		claims = s.userClaims(origin(r)+realmPath, demoUsername, demoRoles(), tokenTTL)
	case "":
		oauthError(w, r, http.StatusBadRequest, "invalid_request",
			"Missing form parameter: grant_type")
		return
	default:
		oauthError(w, r, http.StatusBadRequest, "unsupported_grant_type",
			"Unsupported grant_type")
		return
	}

	tok, err := s.keys.sign(claims, false)
	if err != nil {
		oauthError(w, r, http.StatusInternalServerError, "server_error", err.Error())
		return
	}
	w.Header().Set("Cache-Control", "no-store")
	writeJSON(w, r, http.StatusOK, map[string]any{
		"access_token": tok, "expires_in": int(tokenTTL.Seconds()), "refresh_expires_in": 0,
		"token_type": "Bearer", "not-before-policy": 0, "scope": "profile email",
	})
}

func demoRoles() []string { return []string{"sales", "admin"} }

func oauthError(w http.ResponseWriter, r *http.Request, status int, code, desc string) {
	writeJSON(w, r, status, map[string]string{"error": code, "error_description": desc})
}

// userClaims are the claims Keycloak puts in an access token for a user.
func (s *Simulator) userClaims(issuer, username string, roles []string,
	ttl time.Duration) jwt.MapClaims {

	found := s.filterUsers(func(u user) bool { return u.Username == username })
	now := time.Now()
	c := jwt.MapClaims{
		"exp": now.Add(ttl).Unix(), "iat": now.Unix(), "jti": randomUUID(),
		"iss": issuer, "aud": "account", "typ": "Bearer", "azp": clientID,
		"preferred_username": username, "scope": "profile email",
		"realm_access": map[string]any{"roles": roles},
	}
	if len(found) > 0 {
		u := found[0]
		c["sub"] = u.ID
		c["email"] = u.Email
		if u.FirstName != "" {
			c["given_name"], c["family_name"] = u.FirstName, u.LastName
			c["name"] = u.FirstName + " " + u.LastName
		}
	}
	return c
}

func (s *Simulator) certs(w http.ResponseWriter, r *http.Request) {
	writeJSON(w, r, http.StatusOK, s.keys.jwks())
}

func (s *Simulator) openIDConfiguration(w http.ResponseWriter, r *http.Request) {
	iss := origin(r) + realmPath
	writeJSON(w, r, http.StatusOK, map[string]any{
		"issuer":                                iss,
		"token_endpoint":                        iss + "/protocol/openid-connect/token",
		"jwks_uri":                              iss + "/protocol/openid-connect/certs",
		"grant_types_supported":                 []string{"client_credentials", "password"},
		"id_token_signing_alg_values_supported": []string{"RS256"},
		"token_endpoint_auth_methods_supported": []string{"client_secret_basic",
			"client_secret_post"},
	})
}
