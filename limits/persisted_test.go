package limits

import (
	"crypto/sha256"
	"encoding/hex"
	"net/http"
	"strings"
	"testing"

	"github.com/capedigital/cape-gateway/limits/limitstest"

	"github.com/99designs/gqlgen/graphql"
	"github.com/99designs/gqlgen/graphql/handler/lru"

	"github.com/capedigital/cape-gateway/graph"
)

func hashOf(query string) string {
	sum := sha256.Sum256([]byte(query))
	return hex.EncodeToString(sum[:])
}

// persisted returns a request body carrying query (omitted when empty) and the
// persistedQuery extension with hash.
func persisted(query, hash string, version int) map[string]any {
	body := map[string]any{"extensions": map[string]any{
		"persistedQuery": map[string]any{"version": version, "sha256Hash": hash},
	}}
	if query != "" {
		body["query"] = query
	}
	return body
}

func TestPersistedQueryIsStoredAndRunByItsHash(t *testing.T) {
	ts := newServer(t, testLimits, lru.New[string](10))
	query := "{ __typename }"

	miss := post(t, ts.URL, persisted("", hashOf(query), 1))
	if miss.status != http.StatusOK || miss.code() != graph.CodePersistedQueryNotFound {
		t.Fatalf("hash before the query: HTTP %d %+v, want 200 with %s", miss.status, miss.Errors,
			graph.CodePersistedQueryNotFound)
	}

	full := post(t, ts.URL, persisted(query, hashOf(query), 1))
	if full.status != http.StatusOK || len(full.Errors) != 0 {
		t.Fatalf("query with its hash: HTTP %d %+v, want 200", full.status, full.Errors)
	}

	hit := post(t, ts.URL, persisted("", hashOf(query), 1))
	if hit.status != http.StatusOK || len(hit.Errors) != 0 {
		t.Fatalf("hash after the query: HTTP %d %+v, want 200", hit.status, hit.Errors)
	}
	if got, want := string(hit.Data), `{"__typename":"Query"}`; got != want {
		t.Errorf("data = %s, want %s", got, want)
	}
}

func TestPersistedQueryRefusals(t *testing.T) {
	tooDeep := limitstest.NestedTypeRef(20)
	tests := []struct {
		name        string
		body        map[string]any
		wantStatus  int
		wantCode    string
		wantMessage string
	}{
		{
			name:        "a hash that does not match its query is refused",
			body:        persisted("{ __typename }", hashOf("{ me { id } }"), 1),
			wantStatus:  http.StatusBadRequest,
			wantCode:    graph.CodeBadUserInput,
			wantMessage: "provided APQ hash does not match query",
		},
		{
			name:        "an unknown protocol version is refused",
			body:        persisted("{ __typename }", hashOf("{ __typename }"), 2),
			wantStatus:  http.StatusBadRequest,
			wantCode:    graph.CodeBadUserInput,
			wantMessage: "unsupported APQ version",
		},
		{
			name: "a hash that is not a string is refused",
			body: map[string]any{"extensions": map[string]any{
				"persistedQuery": map[string]any{"version": 1, "sha256Hash": 5}}},
			wantStatus:  http.StatusBadRequest,
			wantCode:    graph.CodeBadUserInput,
			wantMessage: "persistedQuery.sha256Hash must be a string",
		},
		{
			name: "an extension without a hash is refused",
			body: map[string]any{"extensions": map[string]any{
				"persistedQuery": map[string]any{"version": 1}}},
			wantStatus:  http.StatusBadRequest,
			wantCode:    graph.CodeBadUserInput,
			wantMessage: "persistedQuery.sha256Hash must be a string",
		},
		{
			name: "a version that is not a number is refused",
			body: map[string]any{"extensions": map[string]any{
				"persistedQuery": map[string]any{"version": "1", "sha256Hash": hashOf("{ a }")}}},
			wantStatus:  http.StatusBadRequest,
			wantCode:    graph.CodeBadUserInput,
			wantMessage: "persistedQuery.version must be a number",
		},
		{
			name:        "a persisted query over the limits is refused",
			body:        persisted(tooDeep, hashOf(tooDeep), 1),
			wantStatus:  http.StatusBadRequest,
			wantCode:    graph.CodeQueryTooDeep,
			wantMessage: "the operation nests fields more than 15 levels deep",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cache := graphql.MapCache[string]{}
			ts := newServer(t, testLimits, cache)

			got := post(t, ts.URL, tt.body)
			if got.status != tt.wantStatus || got.code() != tt.wantCode {
				t.Fatalf("HTTP %d %+v, want %d with %s", got.status, got.Errors, tt.wantStatus,
					tt.wantCode)
			}
			if got.Errors[0].Message != tt.wantMessage {
				t.Errorf("message = %q, want %q", got.Errors[0].Message, tt.wantMessage)
			}
			if n := len(cache); n != 0 {
				t.Errorf("cache holds %d queries, want 0", n)
			}
		})
	}
}

func TestPersistedQueryByHashMeetsTheLimitsOfTheServerRunningIt(t *testing.T) {
	cache := lru.New[string](10)
	roomy := testLimits
	roomy.MaxDepth = 100
	query := limitstest.NestedTypeRef(20)
	stored := post(t, newServer(t, roomy, cache).URL, persisted(query, hashOf(query), 1))
	if len(stored.Errors) != 0 {
		t.Fatalf("storing under roomy limits: %+v", stored.Errors)
	}

	got := post(t, newServer(t, testLimits, cache).URL, persisted("", hashOf(query), 1))
	if got.status != http.StatusBadRequest || got.code() != graph.CodeQueryTooDeep {
		t.Errorf("HTTP %d %+v, want 400 with %s", got.status, got.Errors, graph.CodeQueryTooDeep)
	}
}

func TestPersistedQueryTooLongToStoreStillRuns(t *testing.T) {
	cache := graphql.MapCache[string]{}
	ts := newServer(t, testLimits, cache)
	query := "{ __typename }\n#" + strings.Repeat("x", MaxPersistedQueryBytes)

	got := post(t, ts.URL, persisted(query, hashOf(query), 1))
	if got.status != http.StatusOK || len(got.Errors) != 0 {
		t.Fatalf("HTTP %d %+v, want 200", got.status, got.Errors)
	}
	if n := len(cache); n != 0 {
		t.Errorf("cache holds %d queries, want 0", n)
	}
}
