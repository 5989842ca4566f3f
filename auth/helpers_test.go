package auth

import (
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"encoding/base64"
	"encoding/json"
	"encoding/pem"
	"math/big"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"
	"time"

	"github.com/golang-jwt/jwt/v5"

	"github.com/capedigital/cape-gateway/upstream"
)

const (
	testIssuer   = "https://keycloak.test/realms/capemedia"
	testAudience = "cape-api"
)

// rsaKey generates a fresh 2048-bit RSA key.
func rsaKey(t *testing.T) *rsa.PrivateKey {
	t.Helper()
	key, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		t.Fatalf("generate RSA key: %v", err)
	}
	return key
}

// sign signs claims with key using method and puts kid into the header when not empty.
func sign(t *testing.T, method jwt.SigningMethod, key any, kid string,
	claims jwt.MapClaims) string {
	t.Helper()
	tok := jwt.NewWithClaims(method, claims)
	if kid != "" {
		tok.Header["kid"] = kid
	}
	s, err := tok.SignedString(key)
	if err != nil {
		t.Fatalf("sign token: %v", err)
	}
	return s
}

// validClaims returns claims that pass every check of testConfig.
func validClaims() jwt.MapClaims {
	now := time.Now()
	return jwt.MapClaims{
		"sub":          "user-1",
		"iss":          testIssuer,
		"aud":          []string{testAudience, "account"},
		"iat":          now.Unix(),
		"exp":          now.Add(5 * time.Minute).Unix(),
		"realm_access": map[string]any{"roles": []string{"sales", "admin"}},
	}
}

// with returns a copy of c with the given claims set, or removed when the value is nil.
func with(c jwt.MapClaims, kv ...any) jwt.MapClaims {
	out := jwt.MapClaims{}
	for k, v := range c {
		out[k] = v
	}
	for i := 0; i < len(kv); i += 2 {
		if kv[i+1] == nil {
			delete(out, kv[i].(string))
			continue
		}
		out[kv[i].(string)] = kv[i+1]
	}
	return out
}

// publicPEM encodes the PKIX form of key's public half.
func publicPEM(t *testing.T, key *rsa.PrivateKey) []byte {
	t.Helper()
	der, err := x509.MarshalPKIXPublicKey(&key.PublicKey)
	if err != nil {
		t.Fatalf("marshal public key: %v", err)
	}
	return pem.EncodeToMemory(&pem.Block{Type: "PUBLIC KEY", Bytes: der})
}

// jwksServer serves a JWKS whose keys the test can change, and counts its requests.
type jwksServer struct {
	*httptest.Server

	mu       sync.Mutex
	keys     []map[string]string
	failing  bool
	requests int
	served   chan struct{} // receives after every successful answer, if not full
}

func newJWKSServer(t *testing.T) *jwksServer {
	t.Helper()
	s := &jwksServer{served: make(chan struct{}, 100)}
	s.Server = httptest.NewServer(http.HandlerFunc(s.serve))
	t.Cleanup(s.Close)
	return s
}

func (s *jwksServer) serve(w http.ResponseWriter, _ *http.Request) {
	s.mu.Lock()
	s.requests++
	failing := s.failing
	body, _ := json.Marshal(map[string]any{"keys": s.keys})
	s.mu.Unlock()

	if failing {
		http.Error(w, "down", http.StatusServiceUnavailable)
		return
	}
	w.Header().Set("Content-Type", "application/json")
	_, _ = w.Write(body)
	select {
	case s.served <- struct{}{}:
	default:
	}
}

// add publishes the public half of key under kid.
func (s *jwksServer) add(kid string, key *rsa.PrivateKey) {
	e := big.NewInt(int64(key.PublicKey.E)).Bytes()
	s.mu.Lock()
	defer s.mu.Unlock()
	s.keys = append(s.keys, map[string]string{
		"kty": "RSA",
		"kid": kid,
		"use": "sig",
		"alg": "RS256",
		"n":   base64.RawURLEncoding.EncodeToString(key.PublicKey.N.Bytes()),
		"e":   base64.RawURLEncoding.EncodeToString(e),
	})
}

func (s *jwksServer) setFailing(failing bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.failing = failing
}

func (s *jwksServer) requestCount() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.requests
}

// result is what a request through the middleware produced.
type result struct {
	status     int
	challenge  string
	body       refusalBody
	nextCalled bool
	claims     *Claims
	token      string
	tokenSet   bool
}

// serve sends one request with the given Authorization values through Middleware(v, cfg).
func serve(t *testing.T, v *Verifier, cfg Config, req *http.Request) result {
	t.Helper()
	var res result
	next := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		res.nextCalled = true
		res.claims, _ = ClaimsFromContext(r.Context())
		res.token, res.tokenSet = upstream.TokenFromContext(r.Context())
		w.WriteHeader(http.StatusOK)
	})

	rec := httptest.NewRecorder()
	Middleware(v, cfg)(next).ServeHTTP(rec, req)
	res.status = rec.Code
	res.challenge = rec.Header().Get("WWW-Authenticate")
	if rec.Code == http.StatusUnauthorized {
		if ct := rec.Header().Get("Content-Type"); ct != "application/json" {
			t.Errorf("Content-Type = %q, want application/json", ct)
		}
		if err := json.Unmarshal(rec.Body.Bytes(), &res.body); err != nil {
			t.Fatalf("decode refusal body %q: %v", rec.Body.String(), err)
		}
	}
	return res
}

// requestWith builds a GET request carrying the given Authorization header values.
func requestWith(auth ...string) *http.Request {
	req := httptest.NewRequest(http.MethodGet, "/query", nil)
	for _, a := range auth {
		req.Header.Add("Authorization", a)
	}
	return req
}

// wantRefusal checks that res is a 401 with reason; tokenGiven selects the challenge form.
func wantRefusal(t *testing.T, res result, reason string, tokenGiven bool) {
	t.Helper()
	if res.status != http.StatusUnauthorized {
		t.Fatalf("status = %d, want 401", res.status)
	}
	if res.nextCalled {
		t.Errorf("next handler was called on a refusal")
	}
	challenge := `Bearer realm="cape-gateway"`
	if tokenGiven {
		challenge += `, error="invalid_token", error_description="` + reason + `"`
	}
	if res.challenge != challenge {
		t.Errorf("WWW-Authenticate = %q, want %q", res.challenge, challenge)
	}
	if len(res.body.Errors) != 1 {
		t.Fatalf("errors = %+v, want exactly one", res.body.Errors)
	}
	e := res.body.Errors[0]
	if e.Message != reason || e.Extensions["code"] != "UNAUTHENTICATED" {
		t.Errorf("error = %+v, want message %q with code UNAUTHENTICATED", e, reason)
	}
}
