package auth

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/golang-jwt/jwt/v5"
)

func TestNewVerifierRejectsBadConfig(t *testing.T) {
	dir := t.TempDir()
	privatePath := filepath.Join(dir, "private.pem")
	privatePEM := "-----BEGIN PRIVATE KEY-----\nAA==\n-----END PRIVATE KEY-----\n"
	err := os.WriteFile(privatePath, []byte(privatePEM), 0o600)
	if err != nil {
		t.Fatal(err)
	}

	tests := []struct {
		name    string
		cfg     Config
		wantErr string
	}{
		{"no key source", Config{}, "JWT_JWKS_URL or JWT_PUBLIC_KEY_FILE"},
		{"both key sources", Config{JWKSURL: "http://x.test", PublicKeyFile: "k.pem"},
			"only one of JWT_JWKS_URL and JWT_PUBLIC_KEY_FILE"},
		{"unknown mode", Config{Mode: "trust-me"}, "JWT_MODE"},
		{"HMAC algorithm", Config{PublicKeyFile: "k.pem", Algorithms: []string{"HS256"}},
			"JWT_ALGORITHMS"},
		{"none algorithm", Config{PublicKeyFile: "k.pem", Algorithms: []string{"none"}},
			"JWT_ALGORITHMS"},
		{"negative leeway", Config{PublicKeyFile: "k.pem", Leeway: -time.Second}, "JWT_LEEWAY"},
		{"negative token cache TTL", Config{PublicKeyFile: "k.pem", TokenCacheTTL: -time.Second},
			"JWT_CACHE_TTL"},
		{"missing PEM file", Config{PublicKeyFile: filepath.Join(dir, "absent.pem")},
			"JWT_PUBLIC_KEY_FILE"},
		{"private key in PEM file", Config{PublicKeyFile: privatePath}, "private key"},
		{"malformed JWKS URL", Config{JWKSURL: "::not a url"}, "JWT_JWKS_URL"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := NewVerifier(t.Context(), tt.cfg)
			if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
				t.Errorf("NewVerifier error = %v, want one naming %q", err, tt.wantErr)
			}
		})
	}
}

func TestVerifierStartsWhileKeyServerIsDown(t *testing.T) {
	server := newJWKSServer(t)
	key := rsaKey(t)
	server.add("k1", key)
	server.setFailing(true)

	// A long startup pause keeps the background retry out of the way.
	cfg := Config{JWKSURL: server.URL, startupRetry: time.Hour}
	v, err := NewVerifier(t.Context(), cfg)
	if err != nil {
		t.Fatalf("NewVerifier with the key server down: %v", err)
	}
	if v.Ready() {
		t.Fatal("Ready() = true before any key set loaded")
	}

	server.setFailing(false)
	claims, err := v.Verify(sign(t, jwt.SigningMethodRS256, key, "k1", validClaims()))
	if err != nil {
		t.Fatalf("Verify after the key server recovered: %v", err)
	}
	if claims.Subject != "user-1" {
		t.Errorf("subject = %q, want user-1", claims.Subject)
	}
	if !v.Ready() {
		t.Error("Ready() = false after a refresh loaded the key set")
	}
}

func TestVerifierRetriesUntilKeySetLoads(t *testing.T) {
	server := newJWKSServer(t)
	server.add("k1", rsaKey(t))
	server.setFailing(true)

	cfg := Config{JWKSURL: server.URL, startupRetry: time.Millisecond}
	v, err := NewVerifier(t.Context(), cfg)
	if err != nil {
		t.Fatalf("NewVerifier: %v", err)
	}
	server.setFailing(false)

	// The retry loop gives no signal of its own; wait for the key server to answer, then
	// poll briefly for the store to take the keys.
	select {
	case <-server.served:
	case <-time.After(5 * time.Second):
		t.Fatal("no successful key set fetch within 5s")
	}
	ctx, cancel := context.WithTimeout(t.Context(), 5*time.Second)
	defer cancel()
	for !v.Ready() {
		select {
		case <-ctx.Done():
			t.Fatal("Ready() still false 5s after the key set was served")
		case <-time.After(time.Millisecond):
		}
	}
}

func TestVerifyInForwardModeRefuses(t *testing.T) {
	v, err := NewVerifier(t.Context(), Config{Mode: ModeForward})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := v.Verify("anything"); err == nil {
		t.Error("Verify in forward mode succeeded, want an error")
	}
}

func TestRefusalErrorsNameNoToken(t *testing.T) {
	s := newJWKSSetup(t)
	token := sign(t, jwt.SigningMethodRS256, s.key, "k1",
		with(validClaims(), "exp", time.Now().Add(-time.Hour).Unix()))

	_, err := s.v.Verify(token)
	if err == nil {
		t.Fatal("Verify accepted an expired token")
	}
	if !strings.Contains(err.Error(), reasonExpired) {
		t.Errorf("error %q does not name the reason %q", err, reasonExpired)
	}
	for _, part := range strings.Split(token, ".") {
		if strings.Contains(err.Error(), part) {
			t.Errorf("error %q contains part of the token", err)
		}
	}
}

func TestFingerprint(t *testing.T) {
	a, b := Fingerprint("token-a"), Fingerprint("token-b")
	if len(a) != 16 || a == b || a != Fingerprint("token-a") {
		t.Errorf("Fingerprint = %q and %q, want stable, distinct, 16 hex characters", a, b)
	}
	if strings.Contains(a, "token") {
		t.Errorf("Fingerprint %q contains the token", a)
	}
}

func TestClaimsFromContext(t *testing.T) {
	if _, ok := ClaimsFromContext(t.Context()); ok {
		t.Error("ClaimsFromContext found claims in an empty context")
	}
	want := &Claims{Subject: "user-1"}
	got, ok := ClaimsFromContext(WithClaims(t.Context(), want))
	if !ok || got != want {
		t.Errorf("ClaimsFromContext = %v, %v; want the stored claims", got, ok)
	}
	if _, ok := ClaimsFromContext(WithClaims(t.Context(), nil)); ok {
		t.Error("ClaimsFromContext reported nil claims as present")
	}
}

// A leeway of zero allows no clock skew at all; it is not replaced by the default.
func TestZeroLeewayAllowsNoSkew(t *testing.T) {
	key := rsaKey(t)
	path := filepath.Join(t.TempDir(), "key.pem")
	if err := os.WriteFile(path, publicPEM(t, key), 0o600); err != nil {
		t.Fatal(err)
	}
	now := time.Now()
	token := sign(t, jwt.SigningMethodRS256, key, "", with(validClaims(),
		"iat", now.Add(-time.Minute).Unix(), "exp", now.Add(-5*time.Second).Unix()))

	for _, tt := range []struct {
		leeway     time.Duration
		wantReason string // empty for accepted
	}{
		{leeway: 0, wantReason: reasonExpired},
		{leeway: DefaultLeeway},
	} {
		t.Run(tt.leeway.String(), func(t *testing.T) {
			v, err := NewVerifier(t.Context(), Config{PublicKeyFile: path, Leeway: tt.leeway})
			if err != nil {
				t.Fatal(err)
			}
			_, err = v.Verify(token)
			switch {
			case tt.wantReason == "" && err != nil:
				t.Errorf("Verify: %v, want the token accepted", err)
			case tt.wantReason != "" && (err == nil || asRefusal(err).reason != tt.wantReason):
				t.Errorf("Verify: %v, want refused as %q", err, tt.wantReason)
			}
		})
	}
}
