package limits

import (
	"bytes"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/99designs/gqlgen/graphql"
	"github.com/99designs/gqlgen/graphql/handler"
	"github.com/99designs/gqlgen/graphql/handler/extension"
	"github.com/99designs/gqlgen/graphql/handler/transport"

	"github.com/capedigital/cape-gateway/graph"
)

// testLimits are the gateway's default limits.
var testLimits = Limits{
	MaxDepth: 15, MaxAliases: 30, MaxRootFields: 20, MaxCost: 10_000, Introspection: true,
}

// newServer serves the gateway's schema with l and, when cache is not nil,
// persisted queries. Resolvers have no upstream client: tests only run
// operations that are refused or need none.
func newServer(t *testing.T, l Limits, cache graphql.Cache[string]) *httptest.Server {
	t.Helper()
	srv := handler.New(graph.NewExecutableSchema(graph.Config{
		Resolvers: &graph.Resolver{}, Complexity: Complexity(),
	}))
	srv.AddTransport(transport.POST{})
	presenter := graph.ErrorPresenter{}
	srv.SetErrorPresenter(presenter.Present)
	srv.SetRecoverFunc(presenter.Recover)
	if l.Introspection {
		srv.Use(extension.Introspection{})
	}
	srv.Use(NewGuard(l))
	if cache != nil {
		srv.Use(NewPersistedQueries(cache))
	}
	ts := httptest.NewServer(srv)
	t.Cleanup(ts.Close)
	return ts
}

// response is a decoded GraphQL answer with its HTTP status.
type response struct {
	status int
	Data   json.RawMessage `json:"data"`
	Errors []struct {
		Message    string         `json:"message"`
		Extensions map[string]any `json:"extensions"`
	} `json:"errors"`
}

// code returns the first error's code, or "" without errors.
func (r response) code() string {
	if len(r.Errors) == 0 {
		return ""
	}
	code, _ := r.Errors[0].Extensions["code"].(string)
	return code
}

// post sends body as JSON, asking for application/graphql-response+json so
// that gqlgen answers protocol errors with 400.
func post(t *testing.T, url string, body map[string]any) response {
	t.Helper()
	raw, err := json.Marshal(body)
	if err != nil {
		t.Fatal(err)
	}
	req, err := http.NewRequest(http.MethodPost, url, bytes.NewReader(raw))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Accept", "application/graphql-response+json")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	out := response{status: resp.StatusCode}
	if err := json.NewDecoder(resp.Body).Decode(&out); err != nil {
		t.Fatalf("decode (HTTP %d): %v", resp.StatusCode, err)
	}
	return out
}
