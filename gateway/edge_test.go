package gateway

import (
	"bytes"
	"compress/gzip"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"github.com/capedigital/cape-gateway/internal/testlog"

	"github.com/99designs/gqlgen/graphql"
)

// exchange sends one raw request to the gateway and returns the answer as it
// came over the wire, without decompressing it.
func (e *testEnv) exchange(t *testing.T, method, path string, header http.Header, body string,
) (*http.Response, []byte) {
	t.Helper()
	req, err := http.NewRequest(method, e.url+path, strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	for k, v := range header {
		req.Header[k] = v
	}
	resp, err := http.DefaultTransport.RoundTrip(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	raw, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return resp, raw
}

func TestRequestsRefusedAtTheEdge(t *testing.T) {
	e := newTestEnv(t, nil)
	jsonBody := http.Header{"Content-Type": {"application/json"}}
	tests := []struct {
		name        string
		method      string
		header      http.Header
		body        string
		wantStatus  int
		wantMessage string
	}{
		{
			name: "a PUT is refused with 405", method: http.MethodPut, header: jsonBody,
			body:        `{"query": "{ __typename }"}`,
			wantStatus:  http.StatusMethodNotAllowed,
			wantMessage: "method PUT is not allowed: use GET or POST",
		},
		{
			name:   "a body that is not JSON is refused with 415",
			header: http.Header{"Content-Type": {"application/graphql"}}, body: "{ __typename }",
			wantStatus:  http.StatusUnsupportedMediaType,
			wantMessage: "the request body must be application/json",
		},
		{
			name:       "a body over 1 MiB is refused with 413, even without a token",
			header:     jsonBody,
			body:       `{"query": "{ __typename }", "x": "` + strings.Repeat("x", 1<<20) + `"}`,
			wantStatus: http.StatusRequestEntityTooLarge, wantMessage: "request body exceeds 1048576 bytes",
		},
		{
			name:       "a batch of operations is refused with 400",
			header:     jsonBody,
			body:       `[{"query": "{ __typename }"}, {"query": "{ me { id } }"}]`,
			wantStatus: http.StatusBadRequest,
			wantMessage: "batched operations are not supported: " +
				"send one operation per request",
		},
		{
			name: "a body that is not valid JSON is refused with 400", header: jsonBody, body: `{"query"`,
			wantStatus: http.StatusBadRequest,
			wantMessage: `the request body must be a JSON object such as ` +
				`{"query": "{ me { id } }"}`,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e.sim.Reset()
			method := tt.method
			if method == "" {
				method = http.MethodPost
			}
			resp, body := e.exchange(t, method, "/query", tt.header, tt.body)
			want := `{"errors":[{"message":` + quote(tt.wantMessage) +
				`,"extensions":{"code":"BAD_USER_INPUT"}}]}`
			if resp.StatusCode != tt.wantStatus || string(body) != want {
				t.Errorf("HTTP %d %s, want %d %s", resp.StatusCode, body, tt.wantStatus, want)
			}
			if n := e.upstreamCalls(); n != 0 {
				t.Errorf("upstream calls = %d, want 0", n)
			}
		})
	}
}

// quote returns s as a JSON string.
func quote(s string) string {
	b, _ := json.Marshal(s)
	return string(b)
}

func TestCORSPreflightIsAnsweredWithoutAToken(t *testing.T) {
	e := newTestEnv(t, map[string]string{"CORS_ALLOWED_ORIGINS": "https://app.example.com"})
	tests := []struct {
		name, origin string
		wantAllowed  bool
	}{
		{name: "from the allowed origin", origin: "https://app.example.com", wantAllowed: true},
		{name: "from another origin", origin: "https://other.example.com"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			resp, body := e.exchange(t, http.MethodOptions, "/query", http.Header{
				"Origin":                         {tt.origin},
				"Access-Control-Request-Method":  {"POST"},
				"Access-Control-Request-Headers": {"authorization,content-type"},
			}, "")
			if resp.StatusCode != http.StatusNoContent || len(body) != 0 {
				t.Errorf("HTTP %d %q, want 204 without a body", resp.StatusCode, body)
			}
			got := resp.Header.Get("Access-Control-Allow-Origin")
			if tt.wantAllowed && (got != tt.origin ||
				resp.Header.Get("Access-Control-Allow-Headers") == "") {
				t.Errorf("Access-Control-Allow-Origin = %q, want %q with allowed headers",
					got, tt.origin)
			}
			if !tt.wantAllowed && got != "" {
				t.Errorf("Access-Control-Allow-Origin = %q, want none", got)
			}
		})
	}

	resp, _ := e.exchange(t, http.MethodPost, "/query", http.Header{
		"Origin": {"https://app.example.com"}, "Content-Type": {"application/json"},
		"Authorization": {"Bearer " + e.token},
	}, `{"query": "{ __typename }"}`)
	if got := resp.Header.Get("Access-Control-Allow-Origin"); resp.StatusCode != http.StatusOK ||
		got != "https://app.example.com" {
		t.Errorf("actual request: HTTP %d, allow origin %q; want 200 and the origin",
			resp.StatusCode, got)
	}
}

// An OPTIONS request needs no token, also without CORS: it runs nothing and
// learns the allowed methods.
func TestOptionsIsAnsweredWithoutAToken(t *testing.T) {
	e := newTestEnv(t, nil)
	e.sim.Reset()
	resp, _ := e.exchange(t, http.MethodOptions, "/query", nil, "")
	if resp.StatusCode != http.StatusOK || resp.Header.Get("Allow") != "OPTIONS, GET, POST" {
		t.Errorf("HTTP %d, Allow %q; want 200 and OPTIONS, GET, POST",
			resp.StatusCode, resp.Header.Get("Allow"))
	}
	if n := e.upstreamCalls(); n != 0 {
		t.Errorf("upstream requests = %d, want 0", n)
	}
}

func TestNoCORSHeadersWithoutAllowedOrigins(t *testing.T) {
	e := newTestEnv(t, nil)
	resp, _ := e.exchange(t, http.MethodPost, "/query", http.Header{
		"Origin": {"https://app.example.com"}, "Content-Type": {"application/json"},
		"Authorization": {"Bearer " + e.token},
	}, `{"query": "{ __typename }"}`)
	if got := resp.Header.Get("Access-Control-Allow-Origin"); got != "" {
		t.Errorf("Access-Control-Allow-Origin = %q, want none", got)
	}
}

func TestAnswersAreGzippedWhenTheClientAcceptsIt(t *testing.T) {
	e := newTestEnv(t, nil)
	body := `{"query": "{ leads(first: 20) { nodes { id name contactEmail } } }"}`
	header := http.Header{
		"Content-Type": {"application/json"}, "Authorization": {"Bearer " + e.token},
	}
	_, plain := e.exchange(t, http.MethodPost, "/query", header, body)

	header.Set("Accept-Encoding", "gzip")
	resp, zipped := e.exchange(t, http.MethodPost, "/query", header, body)
	if got := resp.Header.Get("Content-Encoding"); got != "gzip" {
		t.Fatalf("Content-Encoding = %q, want gzip", got)
	}
	zr, err := gzip.NewReader(bytes.NewReader(zipped))
	if err != nil {
		t.Fatal(err)
	}
	unzipped, err := io.ReadAll(zr)
	if err != nil {
		t.Fatal(err)
	}
	if string(unzipped) != string(plain) || len(zipped) >= len(plain) {
		t.Errorf("gzip answer: %d bytes decoding to %d; plain answer %d bytes; want equal JSON",
			len(zipped), len(unzipped), len(plain))
	}
}

func TestAPanicInAResolverFailsOnlyThatField(t *testing.T) {
	var logs testlog.Buffer
	e := newTestEnv(t, nil, withLogsTo(&logs))
	exec := e.gw.graphQLHandler()
	exec.AroundFields(func(ctx context.Context, next graphql.Resolver) (any, error) {
		if graphql.GetFieldContext(ctx).Field.Name == "contactPerson" {
			panic("resolver exploded")
		}
		return next(ctx)
	})
	srv := httptest.NewServer(e.gw.handler(exec))
	t.Cleanup(srv.Close)
	e.url = srv.URL

	got := e.query(t, "{ leads(first: 2) { nodes { name contactPerson } } }", nil)
	var data struct {
		Leads struct{ Nodes []struct{ Name string } }
	}
	if err := json.Unmarshal(got.Data, &data); err != nil {
		t.Fatal(err)
	}
	if got.Status != http.StatusOK || len(data.Leads.Nodes) != 2 || data.Leads.Nodes[1].Name == "" {
		t.Errorf("HTTP %d, data %s; want 200 with both names", got.Status, got.Data)
	}
	if len(got.Errors) != 2 || got.Errors[0].code() != "INTERNAL_SERVER_ERROR" ||
		got.Errors[0].Message != "internal server error" {
		t.Errorf("errors = %+v, want two INTERNAL_SERVER_ERROR", got.Errors)
	}
	if n := strings.Count(logs.String(), `"msg":"panic while resolving"`); n != 2 ||
		!strings.Contains(logs.String(), "edge_test.go") {
		t.Errorf("logged %d panics, want 2 with their stacks", n)
	}
	for _, line := range strings.Split(logs.String(), "\n") {
		if strings.Contains(line, "panic while resolving") && !strings.Contains(line, `"request_id":`) {
			t.Errorf("panic line without its request id: %.200s", line)
		}
	}

	if next := e.query(t, "{ leads(first: 1) { nodes { name } } }", nil); len(next.Errors) != 0 {
		t.Errorf("next request: %+v, want no error", next.Errors)
	}
}

func TestAPanicOutsideGraphQLAnswers500AndTheGatewayKeepsServing(t *testing.T) {
	var logs testlog.Buffer
	e := newTestEnv(t, nil, withLogsTo(&logs))
	exec := e.gw.graphQLHandler()
	srv := httptest.NewServer(e.gw.handler(http.HandlerFunc(
		func(w http.ResponseWriter, r *http.Request) {
			if r.Header.Get("X-Explode") != "" {
				panic("handler exploded")
			}
			exec.ServeHTTP(w, r)
		})))
	t.Cleanup(srv.Close)
	e.url = srv.URL

	resp, body := e.exchange(t, http.MethodPost, "/query", http.Header{
		"Content-Type": {"application/json"}, "Authorization": {"Bearer " + e.token},
		"X-Explode": {"1"},
	}, `{"query": "{ __typename }"}`)
	want := `{"errors":[{"message":"internal server error",` +
		`"extensions":{"code":"INTERNAL_SERVER_ERROR"}}]}`
	if resp.StatusCode != http.StatusInternalServerError || string(body) != want {
		t.Errorf("HTTP %d %s, want 500 %s", resp.StatusCode, body, want)
	}
	if n := strings.Count(logs.String(), "handler exploded"); n != 1 ||
		!strings.Contains(logs.String(), "edge_test.go") {
		t.Errorf("panic logged %d times, want once with its stack", n)
	}

	if next := e.query(t, "{ __typename }", nil); next.Status != http.StatusOK {
		t.Errorf("next request: HTTP %d, want 200", next.Status)
	}
}

func TestTransportRefusalsCarryACodeAndNoEcho(t *testing.T) {
	e := newTestEnv(t, nil)
	tests := []struct {
		name   string
		do     func() (*http.Response, error)
		status int
	}{
		{
			name: "a mutation over GET",
			do: func() (*http.Response, error) {
				return e.get(url.Values{"query": {`mutation { createLeadCategory(input: {name: "x", description: "y"}) { id } }`}})
			},
			status: http.StatusNotAcceptable,
		},
		{
			name: "variables over GET that are not JSON",
			do: func() (*http.Response, error) {
				return e.get(url.Values{"query": {`{ leads { nodes { id } } }`}, "variables": {"{nope"}})
			},
			status: http.StatusBadRequest,
		},
		{
			name: "a POST body whose query is not a string",
			do: func() (*http.Response, error) {
				req, _ := http.NewRequest(http.MethodPost, e.url+"/query",
					strings.NewReader(`{"query": 5, "secret": "do-not-echo"}`))
				req.Header.Set("Content-Type", "application/json")
				req.Header.Set("Authorization", "Bearer "+e.token)
				return http.DefaultClient.Do(req)
			},
			status: http.StatusBadRequest,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e.sim.Reset()
			resp, err := tt.do()
			if err != nil {
				t.Fatal(err)
			}
			defer resp.Body.Close()
			raw, _ := io.ReadAll(resp.Body)
			var body struct {
				Errors []gqlError `json:"errors"`
			}
			if err := json.Unmarshal(raw, &body); err != nil {
				t.Fatalf("body %q is not JSON: %v", raw, err)
			}
			if resp.StatusCode != tt.status {
				t.Errorf("status = %d, want %d", resp.StatusCode, tt.status)
			}
			if len(body.Errors) != 1 || body.Errors[0].code() != "BAD_USER_INPUT" {
				t.Errorf("errors = %+v, want one BAD_USER_INPUT", body.Errors)
			}
			if strings.Contains(string(raw), "do-not-echo") {
				t.Errorf("the refusal echoes the request: %s", raw)
			}
			if n := e.upstreamCalls(); n != 0 {
				t.Errorf("upstream requests = %d, want 0", n)
			}
		})
	}
}

// get sends a GraphQL GET with the demo token.
func (e *testEnv) get(q url.Values) (*http.Response, error) {
	req, err := http.NewRequest(http.MethodGet, e.url+"/query?"+q.Encode(), nil)
	if err != nil {
		return nil, err
	}
	req.Header.Set("Authorization", "Bearer "+e.token)
	return http.DefaultClient.Do(req)
}

// A refusal quoting a huge name from the request, in its message or in its
// path, is cut short, keeps its code and the media type the client asked for,
// and does not echo the request back.
func TestALargeRefusalIsCutShortWithItsCode(t *testing.T) {
	e := newTestEnv(t, nil)
	name := "nope" + strings.Repeat("C", 100_000)
	tests := []struct {
		name     string
		body     map[string]any
		wantCode string
	}{
		{"a huge field name", map[string]any{"query": "{ " + name + " }"},
			"GRAPHQL_VALIDATION_FAILED"},
		{"a huge input field name in the variables", map[string]any{
			"query":     `mutation($i: CreateLeadInput!) { createLead(input: $i) { id } }`,
			"variables": map[string]any{"i": map[string]any{"name": "x", name: 1}},
		}, "GRAPHQL_VALIDATION_FAILED"},
	}
	for _, tt := range tests {
		for _, accept := range []string{"", "application/graphql-response+json"} {
			t.Run(tt.name+" "+accept, func(t *testing.T) {
				body, _ := json.Marshal(tt.body)
				header := http.Header{"Content-Type": {"application/json"},
					"Authorization": {"Bearer " + e.token}}
				if accept != "" {
					header.Set("Accept", accept)
				}
				resp, raw := e.exchange(t, http.MethodPost, "/query", header, string(body))
				var got struct {
					Errors []gqlError `json:"errors"`
				}
				if err := json.Unmarshal(raw, &got); err != nil {
					t.Fatalf("body is not JSON: %v", err)
				}
				wantType := "application/json"
				if accept != "" {
					wantType = accept
				}
				if resp.StatusCode != http.StatusBadRequest || resp.Header.Get("Content-Type") != wantType {
					t.Errorf("status %d, Content-Type %q; want 400 %s",
						resp.StatusCode, resp.Header.Get("Content-Type"), wantType)
				}
				if len(got.Errors) != 1 || got.Errors[0].code() != tt.wantCode {
					t.Errorf("errors = %.300v, want one %s", got.Errors, tt.wantCode)
				}
				if len(raw) > 2000 || strings.Contains(string(raw), strings.Repeat("C", 1000)) {
					t.Errorf("the refusal is %d bytes and echoes the name", len(raw))
				}
			})
		}
	}
}
