package simulator

import (
	"bytes"
	"crypto/rsa"
	"encoding/base64"
	"encoding/json"
	"io"
	"math/big"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"
)

// testSim is a simulator behind an httptest server.
type testSim struct {
	*Simulator
	base  string // origin, like http://127.0.0.1:PORT
	token string // demo token
}

func newTestSim(t *testing.T, opts Options) *testSim {
	t.Helper()
	sim, err := New(opts)
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	srv := httptest.NewServer(sim.Handler())
	t.Cleanup(srv.Close)
	sim.SetURL(srv.URL)
	tok, err := sim.DemoToken(time.Hour)
	if err != nil {
		t.Fatalf("DemoToken: %v", err)
	}
	return &testSim{Simulator: sim, base: srv.URL, token: tok}
}

// answer is a decoded HTTP answer.
type answer struct {
	status int
	header http.Header
	body   []byte
}

func (a answer) json(t *testing.T, v any) {
	t.Helper()
	if err := json.Unmarshal(a.body, v); err != nil {
		t.Fatalf("decode %q: %v", a.body, err)
	}
}

// do sends a request with the given bearer token ("" for none) and JSON body.
func (s *testSim) do(t *testing.T, method, path, token string, body any) answer {
	t.Helper()
	var rd io.Reader
	switch b := body.(type) {
	case nil:
	case string:
		rd = strings.NewReader(b)
	default:
		raw, err := json.Marshal(b)
		if err != nil {
			t.Fatal(err)
		}
		rd = bytes.NewReader(raw)
	}
	url := path
	if strings.HasPrefix(path, "/") {
		url = s.base + path
	}
	req, err := http.NewRequest(method, url, rd)
	if err != nil {
		t.Fatal(err)
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	if rd != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatalf("%s %s: %v", method, path, err)
	}
	defer res.Body.Close()
	raw, err := io.ReadAll(res.Body)
	if err != nil {
		t.Fatalf("read %s %s: %v", method, path, err)
	}
	return answer{status: res.StatusCode, header: res.Header, body: raw}
}

// get is do for a GET with the demo token that must answer 200.
func (s *testSim) get(t *testing.T, path string, v any) {
	t.Helper()
	a := s.do(t, http.MethodGet, path, s.token, nil)
	if a.status != http.StatusOK {
		t.Fatalf("GET %s: status %d, body %s", path, a.status, a.body)
	}
	a.json(t, v)
}

// wireLead decodes a lead keeping absence visible.
type wireLead map[string]json.RawMessage

func (l wireLead) str(t *testing.T, key string) string {
	t.Helper()
	var s string
	if err := json.Unmarshal(l[key], &s); err != nil {
		t.Fatalf("%s = %s: %v", key, l[key], err)
	}
	return s
}

type leadPage struct {
	Next     *string    `json:"next"`
	Previous *string    `json:"previous"`
	Results  []wireLead `json:"results"`
}

// fieldErrs decodes a DRF error body.
func fieldErrs(t *testing.T, a answer) map[string][]string {
	t.Helper()
	var m map[string][]string
	a.json(t, &m)
	return m
}

func decodeBody(t *testing.T, res *http.Response, v any) {
	t.Helper()
	raw, err := io.ReadAll(res.Body)
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(raw, v); err != nil {
		t.Fatalf("decode %q: %v", raw, err)
	}
}

// jwkPublicKey turns a published JWK back into an RSA key.
func jwkPublicKey(t *testing.T, k jwk) *rsa.PublicKey {
	t.Helper()
	n, err := base64.RawURLEncoding.DecodeString(k.N)
	if err != nil {
		t.Fatal(err)
	}
	e, err := base64.RawURLEncoding.DecodeString(k.E)
	if err != nil {
		t.Fatal(err)
	}
	return &rsa.PublicKey{N: new(big.Int).SetBytes(n), E: int(new(big.Int).SetBytes(e).Int64())}
}
