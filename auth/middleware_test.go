package auth

import (
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/base64"
	"encoding/pem"
	"math/big"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/golang-jwt/jwt/v5"
)

// jwksSetup is a verifier backed by a test JWKS that publishes key under kid "k1".
type jwksSetup struct {
	server *jwksServer
	key    *rsa.PrivateKey
	cfg    Config
	v      *Verifier
}

func newJWKSSetup(t *testing.T) *jwksSetup {
	t.Helper()
	s := &jwksSetup{server: newJWKSServer(t), key: rsaKey(t)}
	s.server.add("k1", s.key)
	s.cfg = Config{JWKSURL: s.server.URL, Issuer: testIssuer, Audience: testAudience,
		Leeway: DefaultLeeway}

	v, err := NewVerifier(t.Context(), s.cfg)
	if err != nil {
		t.Fatalf("NewVerifier: %v", err)
	}
	if !v.Ready() {
		t.Fatal("Ready() = false after the key set loaded")
	}
	s.v = v
	return s
}

func TestMiddlewareVerifyMode(t *testing.T) {
	s := newJWKSSetup(t)
	stranger := rsaKey(t)
	valid := sign(t, jwt.SigningMethodRS256, s.key, "k1", validClaims())
	now := time.Now()

	noneToken := sign(t, jwt.SigningMethodNone, jwt.UnsafeAllowNoneSignatureType, "k1",
		validClaims())
	hmacToken := sign(t, jwt.SigningMethodHS256, publicPEM(t, s.key), "k1", validClaims())
	parts := strings.Split(valid, ".")
	rs512Header := jwtSegment(t, `{"alg":"RS512","kid":"k1","typ":"JWT"}`)
	rs512OverRS256 := rs512Header + "." + parts[1] + "." + parts[2]

	tests := []struct {
		name       string
		auth       []string // Authorization header values; none when empty
		wantReason string   // "" means accepted
		tokenGiven bool
	}{
		{name: "valid token is accepted", auth: []string{"Bearer " + valid}},
		{name: "lower-case scheme with extra spaces is accepted",
			auth: []string{"  bearer   " + valid + "  "}},
		{name: "expired within the leeway is accepted", auth: []string{"Bearer " +
			sign(t, jwt.SigningMethodRS256, s.key, "k1",
				with(validClaims(), "exp", now.Add(-10*time.Second).Unix()))}},
		{name: "nbf in the future within the leeway is accepted", auth: []string{"Bearer " +
			sign(t, jwt.SigningMethodRS256, s.key, "k1",
				with(validClaims(), "nbf", now.Add(10*time.Second).Unix()))}},
		{name: "missing header is refused", wantReason: reasonMissing},
		{name: "token without exp is refused", tokenGiven: true, wantReason: reasonClaimMissing,
			auth: []string{"Bearer " + sign(t, jwt.SigningMethodRS256, s.key, "k1",
				with(validClaims(), "exp", nil))}},
		{name: "expired beyond the leeway is refused", tokenGiven: true, wantReason: reasonExpired,
			auth: []string{"Bearer " + sign(t, jwt.SigningMethodRS256, s.key, "k1",
				with(validClaims(), "exp", now.Add(-2*time.Minute).Unix()))}},
		{name: "nbf beyond the leeway is refused", tokenGiven: true,
			wantReason: reasonNotYetValid,
			auth: []string{"Bearer " + sign(t, jwt.SigningMethodRS256, s.key, "k1",
				with(validClaims(), "nbf", now.Add(2*time.Minute).Unix()))}},
		{name: "iat beyond the leeway is refused", tokenGiven: true,
			wantReason: reasonNotYetValid,
			auth: []string{"Bearer " + sign(t, jwt.SigningMethodRS256, s.key, "k1",
				with(validClaims(), "iat", now.Add(2*time.Minute).Unix()))}},
		{name: "wrong issuer is refused", tokenGiven: true, wantReason: reasonIssuer,
			auth: []string{"Bearer " + sign(t, jwt.SigningMethodRS256, s.key, "k1",
				with(validClaims(), "iss", "https://evil.test/realms/capemedia"))}},
		{name: "missing issuer is refused", tokenGiven: true, wantReason: reasonClaimMissing,
			auth: []string{"Bearer " + sign(t, jwt.SigningMethodRS256, s.key, "k1",
				with(validClaims(), "iss", nil))}},
		{name: "wrong audience is refused", tokenGiven: true, wantReason: reasonAudience,
			auth: []string{"Bearer " + sign(t, jwt.SigningMethodRS256, s.key, "k1",
				with(validClaims(), "aud", "other-api"))}},
		{name: "alg none is refused", tokenGiven: true, wantReason: reasonAlgorithm,
			auth: []string{"Bearer " + noneToken}},
		{name: "HS256 keyed with the public key PEM is refused", tokenGiven: true,
			wantReason: reasonAlgorithm, auth: []string{"Bearer " + hmacToken}},
		{name: "RS512 header over an RS256 signature is refused", tokenGiven: true,
			wantReason: reasonAlgorithm, auth: []string{"Bearer " + rs512OverRS256}},
		{name: "unknown alg is refused", tokenGiven: true, wantReason: reasonAlgorithm,
			auth: []string{"Bearer " + jwtSegment(t, `{"alg":"XS999","kid":"k1"}`) + "." +
				parts[1] + "." + parts[2]}},
		{name: "stranger key under a known kid is refused", tokenGiven: true,
			wantReason: reasonSignature, auth: []string{"Bearer " +
				sign(t, jwt.SigningMethodRS256, stranger, "k1", validClaims())}},
		{name: "tampered payload is refused", tokenGiven: true, wantReason: reasonSignature,
			auth: []string{"Bearer " + parts[0] + "." +
				jwtSegment(t, `{"sub":"admin","exp":9999999999}`) + "." + parts[2]}},
		{name: "malformed base64 is refused", tokenGiven: true, wantReason: reasonMalformedToken,
			auth: []string{"Bearer " + parts[0] + ".%%%not-base64%%%." + parts[2]}},
		{name: "malformed base64 header is refused", tokenGiven: true,
			wantReason: reasonMalformedToken, auth: []string{"Bearer %%%." + parts[1] + "." +
				parts[2]}},
		{name: "two segments are refused", tokenGiven: true, wantReason: reasonMalformedToken,
			auth: []string{"Bearer " + parts[0] + "." + parts[1]}},
		{name: "a 20 KB header is refused", tokenGiven: true, wantReason: reasonMalformed,
			auth: []string{"Bearer " + strings.Repeat("a", 20<<10)}},
		{name: "a token just over 8 KiB is refused", tokenGiven: true, wantReason: reasonMalformed,
			auth: []string{"Bearer " + strings.Repeat("a", maxTokenBytes+1)}},
		{name: "token without scheme is refused", tokenGiven: true, wantReason: reasonMalformed,
			auth: []string{valid}},
		{name: "Basic scheme is refused", wantReason: reasonScheme,
			auth: []string{"Basic ZGVtbzpkZW1v"}},
		{name: "extra words are refused", tokenGiven: true, wantReason: reasonMalformed,
			auth: []string{"Bearer a b"}},
		{name: "empty token is refused", wantReason: reasonMissing, auth: []string{"Bearer   "}},
		{name: "empty header is refused", wantReason: reasonMissing, auth: []string{""}},
		{name: "two Authorization headers are refused", tokenGiven: true,
			wantReason: reasonMalformed, auth: []string{"Bearer " + valid, "Bearer " + valid}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res := serve(t, s.v, s.cfg, requestWith(tt.auth...))
			if tt.wantReason != "" {
				wantRefusal(t, res, tt.wantReason, tt.tokenGiven)
				return
			}
			if res.status != http.StatusOK || !res.nextCalled {
				t.Fatalf("status = %d, next called = %v; want 200 and called (body %+v)",
					res.status, res.nextCalled, res.body)
			}
			want := strings.TrimSpace(strings.Fields(tt.auth[0])[1])
			if !res.tokenSet || res.token != want {
				t.Errorf("upstream token = %q (set %v), want the raw token", res.token, res.tokenSet)
			}
		})
	}
}

func TestMiddlewarePutsClaimsInContext(t *testing.T) {
	s := newJWKSSetup(t)
	exp := time.Now().Add(5 * time.Minute).Truncate(time.Second)
	token := sign(t, jwt.SigningMethodRS256, s.key, "k1", with(validClaims(), "exp", exp.Unix()))

	res := serve(t, s.v, s.cfg, requestWith("Bearer "+token))
	if !res.nextCalled || res.claims == nil {
		t.Fatalf("next called = %v, claims = %v; want both", res.nextCalled, res.claims)
	}
	c := res.claims
	if c.Subject != "user-1" || c.Issuer != testIssuer || !c.ExpiresAt.Equal(exp) {
		t.Errorf("claims = %+v, want subject user-1, issuer %s, expiry %s", c, testIssuer, exp)
	}
	if !slices.Equal(c.Roles, []string{"sales", "admin"}) {
		t.Errorf("roles = %v, want [sales admin]", c.Roles)
	}
	if res.token != token {
		t.Errorf("upstream token differs from the one sent")
	}
}

func TestMiddlewareRefreshesOnUnknownKID(t *testing.T) {
	s := newJWKSSetup(t)
	rotated := rsaKey(t)
	token := sign(t, jwt.SigningMethodRS256, rotated, "k2", validClaims())

	res := serve(t, s.v, s.cfg, requestWith("Bearer "+token))
	wantRefusal(t, res, reasonUnknownKey, true)
	if got := s.server.requestCount(); got != 2 {
		t.Errorf("JWKS requests after an unknown kid = %d, want 2 (start and refresh)", got)
	}

	s.server.add("k2", rotated)
	res = serve(t, s.v, s.cfg, requestWith("Bearer "+token))
	if res.status != http.StatusOK || !res.nextCalled {
		t.Fatalf("after rotation: status = %d, next called = %v; want 200 and called",
			res.status, res.nextCalled)
	}
	if got := s.server.requestCount(); got != 3 {
		t.Errorf("JWKS requests after rotation = %d, want 3", got)
	}
}

func TestMiddlewareForwardMode(t *testing.T) {
	cfg := Config{Mode: ModeForward}
	v, err := NewVerifier(t.Context(), cfg)
	if err != nil {
		t.Fatalf("NewVerifier: %v", err)
	}
	if !v.Ready() {
		t.Error("Ready() = false in forward mode")
	}

	for _, mw := range []*Verifier{v, nil} {
		res := serve(t, mw, cfg, requestWith("Bearer not.a-verified.token"))
		if res.status != http.StatusOK || !res.nextCalled {
			t.Fatalf("status = %d, next called = %v; want 200 and called", res.status, res.nextCalled)
		}
		if res.token != "not.a-verified.token" {
			t.Errorf("upstream token = %q, want the token as sent", res.token)
		}
		if res.claims != nil {
			t.Errorf("claims = %+v, want none in forward mode", res.claims)
		}

		wantRefusal(t, serve(t, mw, cfg, requestWith()), reasonMissing, false)
		wantRefusal(t, serve(t, mw, cfg, requestWith("Bearer a b")), reasonMalformed, true)
	}
}

func TestMiddlewareRefusesHugeHeaderOverHTTP(t *testing.T) {
	s := newJWKSSetup(t)
	called := false
	srv := httptest.NewServer(Middleware(s.v, s.cfg)(http.HandlerFunc(
		func(http.ResponseWriter, *http.Request) { called = true })))
	defer srv.Close()

	req, err := http.NewRequestWithContext(t.Context(), http.MethodPost, srv.URL, nil)
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Authorization", "Bearer "+strings.Repeat("x", 20_000))
	resp, err := srv.Client().Do(req)
	if err != nil {
		t.Fatalf("request: %v", err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusUnauthorized || called {
		t.Errorf("status = %d, next called = %v; want 401 and not called", resp.StatusCode, called)
	}
}

func TestPEMFileMode(t *testing.T) {
	key := rsaKey(t)
	dir := t.TempDir()
	files := map[string][]byte{
		"pkix.pem": publicPEM(t, key),
		"pkcs1.pem": pem.EncodeToMemory(&pem.Block{Type: "RSA PUBLIC KEY",
			Bytes: x509.MarshalPKCS1PublicKey(&key.PublicKey)}),
		"cert.pem": certificatePEM(t, key),
	}
	valid := sign(t, jwt.SigningMethodRS256, key, "", validClaims())
	parts := strings.Split(valid, ".")
	rs512OverRS256 := jwtSegment(t, `{"alg":"RS512","typ":"JWT"}`) + "." + parts[1] + "." +
		parts[2]

	for name, data := range files {
		t.Run(name+" verifies tokens", func(t *testing.T) {
			path := filepath.Join(dir, name)
			if err := os.WriteFile(path, data, 0o600); err != nil {
				t.Fatal(err)
			}
			cfg := Config{PublicKeyFile: path, Issuer: testIssuer,
				Algorithms: []string{"RS256", "RS512"}}
			v, err := NewVerifier(t.Context(), cfg)
			if err != nil {
				t.Fatalf("NewVerifier: %v", err)
			}
			if !v.Ready() {
				t.Error("Ready() = false with a PEM key")
			}

			res := serve(t, v, cfg, requestWith("Bearer "+valid))
			if res.status != http.StatusOK || res.claims == nil || res.claims.Subject != "user-1" {
				t.Fatalf("status = %d, claims = %+v; want 200 with subject user-1",
					res.status, res.claims)
			}
			res = serve(t, v, cfg, requestWith("Bearer "+rs512OverRS256))
			wantRefusal(t, res, reasonSignature, true)
		})
	}
}

// jwtSegment base64url-encodes a JSON segment.
func jwtSegment(t *testing.T, s string) string {
	t.Helper()
	return base64.RawURLEncoding.EncodeToString([]byte(s))
}

// certificatePEM makes a self-signed certificate for key.
func certificatePEM(t *testing.T, key *rsa.PrivateKey) []byte {
	t.Helper()
	tmpl := &x509.Certificate{
		SerialNumber: big.NewInt(1),
		Subject:      pkix.Name{CommonName: "keycloak.test"},
		NotBefore:    time.Now().Add(-time.Hour),
		NotAfter:     time.Now().Add(time.Hour),
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatalf("create certificate: %v", err)
	}
	return pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der})
}
