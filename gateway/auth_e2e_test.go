package gateway

import (
	"bytes"
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"encoding/base64"
	"encoding/json"
	"encoding/pem"
	"fmt"
	"math/big"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/golang-jwt/jwt/v5"
)

// oneLeadQuery costs exactly one upstream request when the token is acceptedAtEdge.
const oneLeadQuery = `{ leads(first: 1) { nodes { id } } }`

// authReply is the gateway's answer to one attempt with an Authorization header.
type authReply struct {
	gqlResponse
	challenge string // WWW-Authenticate
	body      string
}

// attempt posts query with the Authorization header set to authorization, or
// without the header when authorization is empty.
func (e *testEnv) attempt(t *testing.T, authorization, query string) authReply {
	t.Helper()
	got, err := e.tryAttempt(authorization, query)
	if err != nil {
		t.Fatal(err)
	}
	return got
}

// tryAttempt is attempt for goroutines other than the test's own.
func (e *testEnv) tryAttempt(authorization, query string) (authReply, error) {
	raw, err := json.Marshal(map[string]any{"query": query})
	if err != nil {
		return authReply{}, err
	}
	req, err := http.NewRequest(http.MethodPost, e.url+"/query", bytes.NewReader(raw))
	if err != nil {
		return authReply{}, err
	}
	req.Header.Set("Content-Type", "application/json")
	if authorization != "" {
		req.Header.Set("Authorization", authorization)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return authReply{}, err
	}
	defer resp.Body.Close()

	var body bytes.Buffer
	if _, err := body.ReadFrom(resp.Body); err != nil {
		return authReply{}, err
	}
	out := authReply{challenge: resp.Header.Get("WWW-Authenticate"), body: body.String()}
	if err := json.Unmarshal(body.Bytes(), &out.gqlResponse); err != nil {
		return authReply{}, fmt.Errorf("decode response (HTTP %d): %v: %s",
			resp.StatusCode, err, body.String())
	}
	out.Status = resp.StatusCode
	return out, nil
}

// simToken has the simulator sign claims through POST /__sim/token; next signs
// with the key the simulator has not published yet.
func (e *testEnv) simToken(t *testing.T, claims map[string]any, next bool) string {
	t.Helper()
	url := e.sim.URL() + "/__sim/token"
	if next {
		url += "?key=next"
	}
	var out struct {
		AccessToken string `json:"access_token"`
	}
	e.simPost(t, url, claims, http.StatusOK, &out)
	if out.AccessToken == "" {
		t.Fatal("POST /__sim/token answered no access_token")
	}
	return out.AccessToken
}

// rotateKeys publishes the simulator's next key.
func (e *testEnv) rotateKeys(t *testing.T) {
	t.Helper()
	e.simPost(t, e.sim.URL()+"/__sim/keys/rotate", nil, http.StatusNoContent, nil)
}

func (e *testEnv) simPost(t *testing.T, url string, body any, status int, v any) {
	t.Helper()
	raw, err := json.Marshal(body)
	if err != nil {
		t.Fatal(err)
	}
	resp, err := http.Post(url, "application/json", bytes.NewReader(raw))
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != status {
		t.Fatalf("POST %s: HTTP %d, want %d", url, resp.StatusCode, status)
	}
	if v != nil {
		if err := json.NewDecoder(resp.Body).Decode(v); err != nil {
			t.Fatalf("POST %s: %v", url, err)
		}
	}
}

// publishedKey fetches the simulator's key set and returns its first RSA key as
// a PEM public key, with its kid.
func (e *testEnv) publishedKey(t *testing.T) (pemKey []byte, kid string) {
	t.Helper()
	resp, err := http.Get(e.sim.JWKSURL())
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var set struct {
		Keys []struct{ Kid, N, E string }
	}
	if err := json.NewDecoder(resp.Body).Decode(&set); err != nil || len(set.Keys) == 0 {
		t.Fatalf("key set: %v, %d keys", err, len(set.Keys))
	}

	k := set.Keys[0]
	n, errN := base64.RawURLEncoding.DecodeString(k.N)
	exp, errE := base64.RawURLEncoding.DecodeString(k.E)
	if errN != nil || errE != nil {
		t.Fatalf("key %s: n %v, e %v", k.Kid, errN, errE)
	}
	pub := &rsa.PublicKey{N: new(big.Int).SetBytes(n), E: int(new(big.Int).SetBytes(exp).Int64())}
	der, err := x509.MarshalPKIXPublicKey(pub)
	if err != nil {
		t.Fatal(err)
	}
	return pem.EncodeToMemory(&pem.Block{Type: "PUBLIC KEY", Bytes: der}), k.Kid
}

// claimsFor returns claims the simulator accepts: its issuer, an hour of life,
// and the given subject and roles.
func (e *testEnv) claimsFor(sub string, roles ...string) map[string]any {
	now := time.Now()
	return map[string]any{
		"iss": e.sim.Issuer(), "sub": sub, "aud": "account",
		"iat": now.Unix(), "exp": now.Add(time.Hour).Unix(),
		"realm_access": map[string]any{"roles": roles},
	}
}

// withClaims returns a copy of claims with kv set, or removed where the value is nil.
func withClaims(claims map[string]any, kv ...any) map[string]any {
	out := make(map[string]any, len(claims))
	for k, v := range claims {
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

// lastWord is the token part of an Authorization value.
func lastWord(s string) string {
	words := strings.Fields(s)
	if len(words) == 0 {
		return ""
	}
	return words[len(words)-1]
}

// signRS256 signs claims with a key the simulator does not know.
func signRS256(t *testing.T, key *rsa.PrivateKey, kid string, claims map[string]any) string {
	t.Helper()
	tok := jwt.NewWithClaims(jwt.SigningMethodRS256, jwt.MapClaims(claims))
	tok.Header["kid"] = kid
	s, err := tok.SignedString(key)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// withHeader replaces the header of a signed token, keeping its payload and
// signature.
func withHeader(t *testing.T, token string, header map[string]any) string {
	t.Helper()
	raw, err := json.Marshal(header)
	if err != nil {
		t.Fatal(err)
	}
	parts := strings.Split(token, ".")
	parts[0] = base64.RawURLEncoding.EncodeToString(raw)
	return strings.Join(parts, ".")
}

// kidOf reads the kid from a token's header.
func kidOf(t *testing.T, token string) string {
	t.Helper()
	tok, _, err := jwt.NewParser().ParseUnverified(token, jwt.MapClaims{})
	if err != nil {
		t.Fatal(err)
	}
	kid, _ := tok.Header["kid"].(string)
	return kid
}

// hmacWithPublicKey is the key confusion attack: an HS256 token whose secret is
// the issuer's public key in PEM form.
func hmacWithPublicKey(t *testing.T, pemKey []byte, kid string, claims map[string]any) string {
	t.Helper()
	tok := jwt.NewWithClaims(jwt.SigningMethodHS256, jwt.MapClaims(claims))
	tok.Header["kid"] = kid
	s, err := tok.SignedString(pemKey)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// unsignedToken is an alg "none" token.
func unsignedToken(t *testing.T, claims map[string]any) string {
	t.Helper()
	tok := jwt.NewWithClaims(jwt.SigningMethodNone, jwt.MapClaims(claims))
	s, err := tok.SignedString(jwt.UnsafeAllowNoneSignatureType)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// authOutcome is what one Authorization header must come to.
type authOutcome struct {
	status   int
	code     string // extensions.code of the first error; "" for none
	reason   string // message of a refusal
	upstream int64  // REST requests the simulator served
	// invalidToken is whether the challenge carries error="invalid_token".
	invalidToken bool
}

var acceptedAtEdge = authOutcome{status: http.StatusOK, upstream: 1}

// refusedAtEdge is a 401 at the edge, before any upstream request.
func refusedAtEdge(reason string, tokenGiven bool) authOutcome {
	return authOutcome{status: http.StatusUnauthorized, code: "UNAUTHENTICATED", reason: reason,
		invalidToken: tokenGiven}
}

// check compares a reply with want, sent with token (which must not be echoed).
func (want authOutcome) check(t *testing.T, e *testEnv, got authReply, token string) {
	t.Helper()
	if got.Status != want.status {
		t.Errorf("HTTP status = %d, want %d (body %s)", got.Status, want.status, got.body)
	}
	code := ""
	if len(got.Errors) > 0 {
		code = got.Errors[0].code()
	}
	if code != want.code {
		t.Errorf("error code = %q, want %q (errors %+v)", code, want.code, got.Errors)
	}
	if want.reason != "" && (len(got.Errors) != 1 || got.Errors[0].Message != want.reason) {
		t.Errorf("errors = %+v, want one with message %q", got.Errors, want.reason)
	}
	if n := e.upstreamCalls(); n != want.upstream {
		t.Errorf("upstream requests = %d, want %d (%v)", n, want.upstream, e.sim.Stats().Requests)
	}
	if want.status == http.StatusUnauthorized {
		if !strings.HasPrefix(got.challenge, "Bearer ") {
			t.Errorf("WWW-Authenticate = %q, want a Bearer challenge", got.challenge)
		}
		if has := strings.Contains(got.challenge, `error="invalid_token"`); has != want.invalidToken {
			t.Errorf("WWW-Authenticate = %q, error=\"invalid_token\" present %v, want %v",
				got.challenge, has, want.invalidToken)
		}
	}
	if len(token) > 16 && strings.Contains(got.body, token) {
		t.Errorf("the answer echoes the token")
	}
}

func TestTokensAreCheckedAtTheEdge(t *testing.T) {
	e := newTestEnv(t, nil)
	stranger, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		t.Fatal(err)
	}
	pemKey, simKID := e.publishedKey(t)
	now := time.Now()
	valid := e.claimsFor("caller-1", "sales", "admin")
	goodToken := e.simToken(t, valid, false)
	rs512 := withHeader(t, goodToken, map[string]any{"alg": "RS512", "typ": "JWT", "kid": simKID})

	tests := []struct {
		name          string
		authorization func() string
		want          authOutcome
	}{
		{
			name:          "a token the simulator signed is accepted",
			authorization: func() string { return "Bearer " + goodToken },
			want:          acceptedAtEdge,
		},
		{
			name: "a token without exp is refused",
			authorization: func() string {
				return "Bearer " + e.simToken(t, withClaims(valid, "exp", nil), false)
			},
			want: refusedAtEdge("token missing required claim", true),
		},
		{
			name: "a token expired beyond the leeway is refused",
			authorization: func() string {
				return "Bearer " + e.simToken(t, withClaims(valid, "exp", now.Add(-2*time.Minute).Unix(),
					"iat", now.Add(-10*time.Minute).Unix()), false)
			},
			want: refusedAtEdge("token expired", true),
		},
		{
			// The simulator, like DRF, allows no skew: it answers 401, which the
			// gateway reports at the field.
			name: "a token expired within the leeway passes the edge and the upstream decides",
			authorization: func() string {
				return "Bearer " + e.simToken(t, withClaims(valid, "exp", now.Add(-10*time.Second).Unix(),
					"iat", now.Add(-10*time.Minute).Unix()), false)
			},
			want: authOutcome{status: http.StatusOK, code: "UNAUTHENTICATED", upstream: 1},
		},
		{
			name: "a token valid only beyond the leeway from now is refused",
			authorization: func() string {
				return "Bearer " + e.simToken(t, withClaims(valid, "nbf", now.Add(2*time.Minute).Unix()),
					false)
			},
			want: refusedAtEdge("token not yet valid", true),
		},
		{
			name: "a token valid within the leeway from now passes the edge and the upstream decides",
			authorization: func() string {
				return "Bearer " + e.simToken(t, withClaims(valid, "nbf", now.Add(10*time.Second).Unix()),
					false)
			},
			want: authOutcome{status: http.StatusOK, code: "UNAUTHENTICATED", upstream: 1},
		},
		{
			name: "a token from another issuer is refused",
			authorization: func() string {
				return "Bearer " + e.simToken(t,
					withClaims(valid, "iss", "https://keycloak.example/realms/other"), false)
			},
			want: refusedAtEdge("invalid token issuer", true),
		},
		{
			name:          "an alg none token is refused",
			authorization: func() string { return "Bearer " + unsignedToken(t, valid) },
			want:          refusedAtEdge("unexpected signing algorithm", true),
		},
		{
			name: "an HS256 token signed with the published RSA key is refused",
			authorization: func() string {
				return "Bearer " + hmacWithPublicKey(t, pemKey, simKID, valid)
			},
			want: refusedAtEdge("unexpected signing algorithm", true),
		},
		{
			name:          "an RS512 header on an RS256 signature is refused",
			authorization: func() string { return "Bearer " + rs512 },
			want:          refusedAtEdge("unexpected signing algorithm", true),
		},
		{
			name: "a stranger's key under the simulator's kid is refused",
			authorization: func() string {
				return "Bearer " + signRS256(t, stranger, simKID, valid)
			},
			want: refusedAtEdge("invalid token signature", true),
		},
		{
			name: "a stranger's key under its own kid is refused",
			authorization: func() string {
				return "Bearer " + signRS256(t, stranger, "stranger-key", valid)
			},
			want: refusedAtEdge("unknown signing key", true),
		},
		{
			name:          "malformed base64 is refused",
			authorization: func() string { return "Bearer eyJhbGciOiJSUzI1NiJ9.e30*.c2ln!" },
			want:          refusedAtEdge("malformed token", true),
		},
		{
			name: "a 20 KB header is refused",
			authorization: func() string {
				return "Bearer " + goodToken + "." + strings.Repeat("A", 20<<10)
			},
			want: refusedAtEdge("malformed authorization header", true),
		},
		{
			name:          "the scheme is matched without regard to case",
			authorization: func() string { return "bearer " + goodToken },
			want:          acceptedAtEdge,
		},
		{
			name:          "spaces around the scheme and token are ignored",
			authorization: func() string { return "  BEARER   " + goodToken + "  " },
			want:          acceptedAtEdge,
		},
		{
			name:          "a token without a scheme is refused",
			authorization: func() string { return goodToken },
			want:          refusedAtEdge("malformed authorization header", true),
		},
		{
			name:          "Basic credentials are refused",
			authorization: func() string { return "Basic ZGVtbzpkZW1v" },
			want:          refusedAtEdge("unsupported authorization scheme", false),
		},
		{
			name:          "a scheme without a token is refused",
			authorization: func() string { return "Bearer" },
			want:          refusedAtEdge("missing bearer token", false),
		},
		{
			name:          "extra words after the token are refused",
			authorization: func() string { return "Bearer " + goodToken + " extra" },
			want:          refusedAtEdge("malformed authorization header", true),
		},
		{
			name:          "a request without a token is refused",
			authorization: func() string { return "" },
			want:          refusedAtEdge("missing bearer token", false),
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			authorization := tt.authorization()
			e.sim.Reset()
			got := e.attempt(t, authorization, oneLeadQuery)
			tt.want.check(t, e, got, lastWord(authorization))
		})
	}
}

func TestAudienceIsCheckedWhenConfigured(t *testing.T) {
	e := newTestEnv(t, map[string]string{"JWT_AUDIENCE": "cape-gateway"})
	valid := e.claimsFor("caller-1", "sales")

	tests := []struct {
		name string
		aud  any
		want authOutcome
	}{
		{name: "the configured audience is accepted", aud: "cape-gateway", want: acceptedAtEdge},
		{name: "the configured audience among others is accepted",
			aud: []string{"account", "cape-gateway"}, want: acceptedAtEdge},
		{name: "another audience is refused", aud: "account",
			want: refusedAtEdge("invalid token audience", true)},
		{name: "no audience is refused", aud: nil,
			want: refusedAtEdge("token missing required claim", true)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			token := e.simToken(t, withClaims(valid, "aud", tt.aud), false)
			e.sim.Reset()
			tt.want.check(t, e, e.attempt(t, "Bearer "+token, oneLeadQuery), token)
		})
	}
}

func TestAKeyUnknownUntilTheKeySetRotatesIsThenAccepted(t *testing.T) {
	e := newTestEnv(t, nil)
	token := e.simToken(t, e.claimsFor("caller-1", "sales"), true)

	e.sim.Reset()
	refusedAtEdge("unknown signing key", true).check(t, e,
		e.attempt(t, "Bearer "+token, oneLeadQuery), token)

	e.rotateKeys(t)
	e.sim.Reset()
	acceptedAtEdge.check(t, e, e.attempt(t, "Bearer "+token, oneLeadQuery), token)

	old := e.simToken(t, e.claimsFor("caller-2", "sales"), false)
	if kidOf(t, old) != kidOf(t, token) {
		t.Fatalf("after the rotation the simulator signs with kid %s, want %s",
			kidOf(t, old), kidOf(t, token))
	}
}

func TestTokensSignedBeforeARotationStayValid(t *testing.T) {
	e := newTestEnv(t, nil)
	before := e.simToken(t, e.claimsFor("caller-1", "sales"), false)
	e.rotateKeys(t)

	e.sim.Reset()
	acceptedAtEdge.check(t, e, e.attempt(t, "Bearer "+before, oneLeadQuery), before)
}

func TestAnUpstreamForbiddenIsForbiddenAtThatField(t *testing.T) {
	e := newTestEnv(t, nil)
	sales := e.simToken(t, e.claimsFor("caller-1", "sales"), false)

	tests := []struct {
		name, query string
		path        string
	}{
		{name: "users", query: `{ users(first: 2) { nodes { id } } }`, path: "users"},
		{name: "usersByRole", query: `{ usersByRole(role: "admin") { id } }`, path: "usersByRole"},
	}
	for _, tt := range tests {
		t.Run(tt.name+" without the admin role is FORBIDDEN", func(t *testing.T) {
			e.sim.Reset()
			got := e.attempt(t, "Bearer "+sales, tt.query)
			authOutcome{status: http.StatusOK, code: "FORBIDDEN", upstream: 1}.check(t, e, got, sales)
			if len(got.Errors) != 1 || fmt.Sprint(got.Errors[0].Path) != "["+tt.path+"]" {
				t.Errorf("errors = %+v, want one at path %s", got.Errors, tt.path)
			}
		})
		t.Run(tt.name+" with the admin role answers", func(t *testing.T) {
			e.sim.Reset()
			got := e.attempt(t, "Bearer "+e.token, tt.query)
			acceptedAtEdge.check(t, e, got, e.token)
		})
	}

	t.Run("the rest of the answer is intact", func(t *testing.T) {
		e.sim.Reset()
		got := e.attempt(t, "Bearer "+sales, `{ users(first: 2) { nodes { id } } leads(first: 1) {
			nodes { id } } }`)
		var data struct {
			Users *struct{}
			Leads struct{ Nodes []struct{ ID string } }
		}
		if err := json.Unmarshal(got.Data, &data); err != nil {
			t.Fatal(err)
		}
		if len(got.Errors) != 1 || got.Errors[0].code() != "FORBIDDEN" || data.Users != nil ||
			len(data.Leads.Nodes) != 1 {
			t.Errorf("data = %s, errors = %+v; want users null with FORBIDDEN and one lead",
				got.Data, got.Errors)
		}
	})
}

func TestForwardModeLeavesTheTokenToTheUpstream(t *testing.T) {
	e := newTestEnv(t, map[string]string{"JWT_MODE": "forward"})
	stranger, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		t.Fatal(err)
	}
	bad := signRS256(t, stranger, "stranger-key", e.claimsFor("caller-1", "sales"))

	e.sim.Reset()
	authOutcome{status: http.StatusOK, code: "UNAUTHENTICATED", upstream: 1}.check(t, e,
		e.attempt(t, "Bearer "+bad, oneLeadQuery), bad)

	e.sim.Reset()
	acceptedAtEdge.check(t, e, e.attempt(t, "Bearer "+e.token, oneLeadQuery), e.token)

	e.sim.Reset()
	refusedAtEdge("missing bearer token", false).check(t, e, e.attempt(t, "", oneLeadQuery), "")
}

// simUser is a user of the simulator's seeded data.
type simUser struct {
	ID       string `json:"id"`
	Username string `json:"username"`
}

func TestConcurrentCallersEachGetAnAnswerMadeWithTheirOwnToken(t *testing.T) {
	e := newTestEnv(t, nil)
	var users struct{ Results []simUser }
	e.rest(t, "/auth/users?page_size=4&ordering=username", &users)
	if len(users.Results) < 4 {
		t.Fatalf("the simulator has %d users, want 4", len(users.Results))
	}
	var page wirePage
	e.rest(t, "/leads?page_size=1", &page)
	leadID := page.Results[0].ID

	callers := users.Results
	tokens := make([]string, len(callers))
	for i, u := range callers {
		tokens[i] = e.simToken(t, withClaims(e.claimsFor(u.ID, "sales"),
			"preferred_username", u.Username), false)
	}

	const rounds = 10
	query := fmt.Sprintf(`{ lead(id: %q) { id category { name } products { name } }
		me { id username } }`, leadID)
	e.sim.Reset()
	for range rounds {
		replies := make([]authReply, len(callers))
		errs := make([]error, len(callers))
		start := make(chan struct{})
		var wg sync.WaitGroup
		for i := range callers {
			wg.Go(func() {
				<-start
				replies[i], errs[i] = e.tryAttempt("Bearer "+tokens[i], query)
			})
		}
		close(start)
		wg.Wait()

		for i, u := range callers {
			if errs[i] != nil {
				t.Fatal(errs[i])
			}
			var got struct {
				Lead struct{ ID string }
				Me   simUser
			}
			replies[i].decode(t, &got)
			if got.Me != u || got.Lead.ID != leadID {
				t.Fatalf("caller %s got me = %+v, lead %s; want itself and lead %s",
					u.Username, got.Me, got.Lead.ID, leadID)
			}
		}
	}

	// Per caller and round the lead and user-info are fetched with the caller's
	// token; the related records too, unless a cache partitioned by caller
	// already holds them. Every upstream request carries one caller's subject.
	most := int64(2 + len(relatedIDs(page.Results[0])))
	stats := e.sim.Stats()
	var sum int64
	for _, u := range callers {
		got := stats.Subjects[u.ID]
		sum += got
		if got < rounds*2 || got > rounds*most {
			t.Errorf("upstream requests with %s's token = %d, want %d to %d",
				u.Username, got, rounds*2, rounds*most)
		}
	}
	if stats.Total != sum {
		t.Errorf("upstream requests = %d, with the callers' subjects %d (%v)",
			stats.Total, sum, stats.Subjects)
	}
}

// relatedIDs lists the distinct category and product ids of a lead.
func relatedIDs(l wireLead) map[string]bool {
	ids := map[string]bool{}
	if l.LeadCategory != nil {
		ids["category "+*l.LeadCategory] = true
	}
	for _, p := range l.Products {
		ids["product "+p] = true
	}
	return ids
}

func TestIntrospectionNeedsATokenUnlessAllowed(t *testing.T) {
	const schemaQuery = `{ __schema { queryType { name } } }`
	tests := []struct {
		name  string
		allow string
		query string
		want  authOutcome
	}{
		{name: "by default introspection needs a token", allow: "false", query: schemaQuery,
			want: refusedAtEdge("missing bearer token", false)},
		{name: "allowed, introspection alone needs none", allow: "true", query: schemaQuery,
			want: authOutcome{status: http.StatusOK}},
		{name: "allowed, introspection with a data field still needs a token", allow: "true",
			query: `{ __typename leads(first: 1) { nodes { id } } }`,
			want:  refusedAtEdge("missing bearer token", false)},
		{name: "allowed, a data field behind a fragment still needs a token", allow: "true",
			query: `{ ...F } fragment F on Query { leads(first: 1) { nodes { id } } }`,
			want:  refusedAtEdge("missing bearer token", false)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := newTestEnv(t, map[string]string{"JWT_ALLOW_ANONYMOUS_INTROSPECTION": tt.allow})
			e.sim.Reset()
			tt.want.check(t, e, e.attempt(t, "", tt.query), "")
		})
	}
}
