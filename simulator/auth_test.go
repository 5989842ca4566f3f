package simulator

import (
	"crypto/rand"
	"crypto/rsa"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/golang-jwt/jwt/v5"
)

func TestTokenEndpoint(t *testing.T) {
	s := newTestSim(t, Options{Leads: 10})
	tests := []struct {
		name      string
		form      url.Values
		status    int
		wantError string
		wantRoles []any
	}{
		{"client credentials grant a sales token", url.Values{
			"grant_type": {"client_credentials"}, "client_id": {"cape-demo"},
			"client_secret": {"cape-demo-secret"}}, 200, "", []any{"sales"}},
		{"password grant gives the demo user sales and admin", url.Values{
			"grant_type": {"password"}, "client_id": {"cape-demo"},
			"username": {"demo"}, "password": {"demo"}}, 200, "", []any{"sales", "admin"}},
		{"a wrong secret is invalid_client", url.Values{
			"grant_type": {"client_credentials"}, "client_id": {"cape-demo"},
			"client_secret": {"nope"}}, 401, "invalid_client", nil},
		{"a wrong password is invalid_grant", url.Values{
			"grant_type": {"password"}, "client_id": {"cape-demo"},
			"username": {"demo"}, "password": {"nope"}}, 401, "invalid_grant", nil},
		{"an unknown grant is unsupported", url.Values{"grant_type": {"implicit"}},
			400, "unsupported_grant_type", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res, err := http.PostForm(s.base+"/realms/capemedia/protocol/openid-connect/token",
				tt.form)
			if err != nil {
				t.Fatal(err)
			}
			defer res.Body.Close()
			var body map[string]any
			decodeBody(t, res, &body)
			if res.StatusCode != tt.status {
				t.Fatalf("status %d, want %d (%v)", res.StatusCode, tt.status, body)
			}
			if tt.wantError != "" {
				if body["error"] != tt.wantError {
					t.Errorf("error = %v, want %s", body["error"], tt.wantError)
				}
				return
			}
			if body["expires_in"] != 300.0 || body["token_type"] != "Bearer" {
				t.Errorf("answer %v lacks expires_in 300 or token_type Bearer", body)
			}
			claims := verifyWithJWKS(t, s, body["access_token"].(string))
			roles := claims["realm_access"].(map[string]any)["roles"].([]any)
			if len(roles) != len(tt.wantRoles) || roles[0] != tt.wantRoles[0] {
				t.Errorf("roles = %v, want %v", roles, tt.wantRoles)
			}
			if claims["iss"] != s.Issuer() || claims["azp"] != "cape-demo" ||
				claims["aud"] != "account" || claims["sub"] == nil {
				t.Errorf("claims %v lack iss, azp, aud or sub", claims)
			}
			a := s.do(t, http.MethodGet, "/commercial/api/v1/leads", body["access_token"].(string),
				nil)
			if a.status != http.StatusOK {
				t.Errorf("the token is refused by the API: %d %s", a.status, a.body)
			}
		})
	}
}

// verifyWithJWKS checks a token against the published key set, as a
// relying party would.
func verifyWithJWKS(t *testing.T, s *testSim, raw string) jwt.MapClaims {
	t.Helper()
	res, err := http.Get(s.JWKSURL())
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	var set struct{ Keys []jwk }
	decodeBody(t, res, &set)
	claims := jwt.MapClaims{}
	_, err = jwt.ParseWithClaims(raw, claims, func(tok *jwt.Token) (any, error) {
		for _, k := range set.Keys {
			if k.Kid == tok.Header["kid"] {
				return jwkPublicKey(t, k), nil
			}
		}
		return nil, jwt.ErrTokenUnverifiable
	}, jwt.WithValidMethods([]string{"RS256"}), jwt.WithIssuer(s.Issuer()))
	if err != nil {
		t.Fatalf("token does not verify against the JWKS: %v", err)
	}
	return claims
}

func TestRESTRefusesBadTokens(t *testing.T) {
	s := newTestSim(t, Options{Leads: 10})
	stranger, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		t.Fatal(err)
	}
	good := func() jwt.MapClaims {
		return jwt.MapClaims{"sub": "x", "iss": s.Issuer(),
			"exp": time.Now().Add(time.Minute).Unix()}
	}
	strangerTok := jwt.NewWithClaims(jwt.SigningMethodRS256, good())
	strangerTok.Header["kid"] = "stranger"
	signedByStranger, err := strangerTok.SignedString(stranger)
	if err != nil {
		t.Fatal(err)
	}
	withClaims := func(edit func(jwt.MapClaims)) string {
		c := good()
		edit(c)
		tok, err := s.Token(c)
		if err != nil {
			t.Fatal(err)
		}
		return tok
	}

	tests := []struct {
		name   string
		header string
		detail string
	}{
		{"no header", "", msgNoCredential},
		{"basic scheme", "Basic ZGVtbzpkZW1v", msgNoCredential},
		{"garbage", "Bearer not.a.jwt", msgBadToken},
		{"a stranger's key", "Bearer " + signedByStranger, msgBadToken},
		{"expired", "Bearer " + withClaims(func(c jwt.MapClaims) {
			c["exp"] = time.Now().Add(-time.Minute).Unix()
		}), msgBadToken},
		{"no exp", "Bearer " + withClaims(func(c jwt.MapClaims) { delete(c, "exp") }),
			msgBadToken},
		{"another issuer", "Bearer " + withClaims(func(c jwt.MapClaims) {
			c["iss"] = "https://evil.example/realms/capemedia"
		}), msgBadToken},
		{"a key not published yet", "Bearer " + signNext(t, s, good()), msgBadToken},
	}
	for _, tt := range tests {
		t.Run(tt.name+" is 401", func(t *testing.T) {
			req, _ := http.NewRequest(http.MethodGet, s.base+"/commercial/api/v1/leads", nil)
			if tt.header != "" {
				req.Header.Set("Authorization", tt.header)
			}
			res, err := http.DefaultClient.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			defer res.Body.Close()
			var body map[string]string
			decodeBody(t, res, &body)
			if res.StatusCode != http.StatusUnauthorized || body["detail"] != tt.detail {
				t.Errorf("got %d %v, want 401 %q", res.StatusCode, body, tt.detail)
			}
		})
	}
}

// signNext signs claims with the unpublished next key through /__sim/token.
func signNext(t *testing.T, s *testSim, claims jwt.MapClaims) string {
	t.Helper()
	a := s.do(t, http.MethodPost, "/__sim/token?key=next", "", map[string]any(claims))
	var body map[string]string
	a.json(t, &body)
	return body["access_token"]
}

func TestRotateKeysPublishesTheNextKey(t *testing.T) {
	s := newTestSim(t, Options{Leads: 10})
	claims := jwt.MapClaims{"sub": "rotor", "iss": s.Issuer(),
		"exp": time.Now().Add(time.Minute).Unix()}
	next := signNext(t, s, claims)
	old, err := s.Token(claims)
	if err != nil {
		t.Fatal(err)
	}
	if a := s.do(t, http.MethodGet, "/commercial/api/v1/leads", next, nil); a.status != 401 {
		t.Fatalf("before rotation the next key's token got %d, want 401", a.status)
	}

	if a := s.do(t, http.MethodPost, "/__sim/keys/rotate", "", nil); a.status != 204 {
		t.Fatalf("rotate: %d %s", a.status, a.body)
	}
	for name, tok := range map[string]string{"next key": next, "replaced key": old} {
		if a := s.do(t, http.MethodGet, "/commercial/api/v1/leads", tok, nil); a.status != 200 {
			t.Errorf("after rotation the %s's token got %d, want 200", name, a.status)
		}
	}
	fresh, err := s.DemoToken(time.Minute)
	if err != nil {
		t.Fatal(err)
	}
	if h := strings.Split(fresh, ".")[0]; h == strings.Split(old, ".")[0] {
		t.Errorf("new tokens still carry the old kid")
	}
}

func TestOpenIDConfiguration(t *testing.T) {
	s := newTestSim(t, Options{Leads: 10})
	var cfg map[string]any
	res, err := http.Get(s.Issuer() + "/.well-known/openid-configuration")
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	decodeBody(t, res, &cfg)
	if cfg["issuer"] != s.Issuer() || cfg["jwks_uri"] != s.JWKSURL() ||
		cfg["token_endpoint"] != s.Issuer()+"/protocol/openid-connect/token" {
		t.Errorf("configuration %v does not match the simulator", cfg)
	}
}
