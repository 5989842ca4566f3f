package gateway

import (
	"bytes"
	"compress/gzip"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"sort"
	"strings"
	"testing"
)

// mobileLeadsQuery is what a phone's list screen asks for: three fields a row
// shows and the cursor of the next page, no relations.
const mobileLeadsQuery = `query MobileLeads($first: Int) {
  leads(first: $first) { edges { node { id name status } } pageInfo { endCursor } }
}`

// leaf marks a field whose value is a scalar or null in a want shape.
var leaf = struct{}{}

// mobileLeadsShape is the answer to mobileLeadsQuery: every key, and no other.
var mobileLeadsShape = map[string]any{
	"data": map[string]any{
		"leads": map[string]any{
			"edges": []any{map[string]any{
				"node": map[string]any{"id": leaf, "name": leaf, "status": leaf},
			}},
			"pageInfo": map[string]any{"endCursor": leaf},
		},
	},
}

// mobileAnswer is one HTTP answer as the app receives it.
type mobileAnswer struct {
	status          int
	contentEncoding string
	vary            string
	wireBytes       int
	body            []byte // decompressed
}

// mobileGet sends GET /query with params, the way a mobile GraphQL client with
// persisted queries does, asking for gzip.
func (e *testEnv) mobileGet(t *testing.T, params url.Values) mobileAnswer {
	t.Helper()
	return e.mobileDo(t, http.MethodGet, "/query?"+params.Encode(), http.Header{}, "")
}

// mobilePost sends a POST with the full query, as the app does once to
// register a hash the gateway does not know.
func (e *testEnv) mobilePost(t *testing.T, body map[string]any) mobileAnswer {
	t.Helper()
	raw, err := json.Marshal(body)
	if err != nil {
		t.Fatal(err)
	}
	return e.mobileDo(t, http.MethodPost, "/query",
		http.Header{"Content-Type": {"application/json"}}, string(raw))
}

// mobileDo sends the request with the demo token, asking for gzip, and keeps
// the answer both as it came over the wire and decompressed.
func (e *testEnv) mobileDo(t *testing.T, method, path string, header http.Header, body string,
) mobileAnswer {
	t.Helper()
	header.Set("Authorization", "Bearer "+e.token)
	header.Set("Accept-Encoding", "gzip")
	resp, wire := e.exchange(t, method, path, header, body)

	a := mobileAnswer{
		status:          resp.StatusCode,
		contentEncoding: resp.Header.Get("Content-Encoding"),
		vary:            strings.Join(resp.Header.Values("Vary"), ","),
		wireBytes:       len(wire),
		body:            wire,
	}
	if a.contentEncoding == "gzip" {
		zr, err := gzip.NewReader(bytes.NewReader(wire))
		if err != nil {
			t.Fatalf("gzip: %v", err)
		}
		if a.body, err = io.ReadAll(zr); err != nil {
			t.Fatalf("gzip: %v", err)
		}
	}
	return a
}

func (a mobileAnswer) decode(t *testing.T) gqlResponse {
	t.Helper()
	out := gqlResponse{Status: a.status}
	if err := json.Unmarshal(a.body, &out); err != nil {
		t.Fatalf("decode %q: %v", a.body, err)
	}
	return out
}

func persistedQueryParams(hash string, vars map[string]any) url.Values {
	ext, _ := json.Marshal(map[string]any{
		"persistedQuery": map[string]any{"version": 1, "sha256Hash": hash},
	})
	rawVars, _ := json.Marshal(vars)
	return url.Values{
		"operationName": {"MobileLeads"},
		"variables":     {string(rawVars)},
		"extensions":    {string(ext)},
	}
}

func TestMobileClientUsesPersistedQueriesOverGETWithGzip(t *testing.T) {
	e := newTestEnv(t, nil)
	sum := sha256.Sum256([]byte(mobileLeadsQuery))
	hash := hex.EncodeToString(sum[:])
	vars := map[string]any{"first": 25}
	byHash := persistedQueryParams(hash, vars)

	t.Run("an unknown hash asks for the query and costs no upstream call", func(t *testing.T) {
		e.sim.Reset()
		got := e.mobileGet(t, byHash).decode(t)
		if len(got.Errors) != 1 || got.Errors[0].code() != "PERSISTED_QUERY_NOT_FOUND" {
			t.Fatalf("errors = %+v, want one PERSISTED_QUERY_NOT_FOUND", got.Errors)
		}
		if calls := e.upstreamCalls(); calls != 0 {
			t.Errorf("upstream calls = %d, want 0", calls)
		}
	})

	t.Run("the app registers the query once over POST with its hash", func(t *testing.T) {
		got := e.mobilePost(t, map[string]any{
			"query": mobileLeadsQuery, "variables": vars,
			"extensions": map[string]any{
				"persistedQuery": map[string]any{"version": 1, "sha256Hash": hash},
			},
		}).decode(t)
		if got.Status != http.StatusOK || len(got.Errors) > 0 {
			t.Fatalf("HTTP %d, errors %+v; want 200 without errors", got.Status, got.Errors)
		}
	})

	t.Run("GET by hash answers gzipped with only the selected fields", func(t *testing.T) {
		e.sim.Reset()
		u := e.url + "/query?" + byHash.Encode()
		if byHash.Has("query") || strings.Contains(u, "edges") || len(u) > 400 {
			t.Fatalf("GET URL carries more than the hash (%d bytes): %s", len(u), u)
		}
		a := e.mobileGet(t, byHash)

		if a.status != http.StatusOK {
			t.Fatalf("HTTP %d: %s", a.status, a.body)
		}
		if a.contentEncoding != "gzip" || !strings.Contains(a.vary, "Accept-Encoding") {
			t.Errorf("Content-Encoding = %q, Vary = %q; want gzip and Accept-Encoding",
				a.contentEncoding, a.vary)
		}
		if a.wireBytes >= len(a.body) {
			t.Errorf("%d bytes on the wire for %d of JSON; want fewer", a.wireBytes, len(a.body))
		}
		t.Logf("%d leads: %d bytes of JSON, %d gzipped", 25, len(a.body), a.wireBytes)

		var doc any
		if err := json.Unmarshal(a.body, &doc); err != nil {
			t.Fatal(err)
		}
		assertOnlyFields(t, "", doc, mobileLeadsShape)
		if edges := countEdges(doc); edges != 25 {
			t.Errorf("edges = %d, want 25", edges)
		}
		assertUpstreamRequests(t, e, map[string]int64{"GET /commercial/api/v1/leads": 1})
	})

	t.Run("a relation the query selects does cost upstream calls", func(t *testing.T) {
		e.sim.Reset()
		withCategory := strings.Replace(mobileLeadsQuery, "status", "status category { name }", 1)
		got := e.query(t, withCategory, vars)
		if len(got.Errors) > 0 {
			t.Fatalf("errors: %+v", got.Errors)
		}
		if calls := e.upstreamCalls(); calls < 2 {
			t.Errorf("upstream calls = %d, want the leads page plus category lookups", calls)
		}
	})
}

// assertOnlyFields checks that got has exactly the keys of want at every level:
// a map in want is an object with those keys, a one-element slice a list whose
// every item has that shape, and leaf a scalar or null.
func assertOnlyFields(t *testing.T, path string, got, want any) {
	t.Helper()
	switch w := want.(type) {
	case map[string]any:
		obj, ok := got.(map[string]any)
		if !ok {
			t.Errorf("%s = %T, want an object", path, got)
			return
		}
		if g, w := sortedKeys(obj), sortedKeys(w); strings.Join(g, ",") != strings.Join(w, ",") {
			t.Errorf("%s keys = %v, want exactly %v", path, g, w)
		}
		for k, wv := range w {
			if gv, ok := obj[k]; ok {
				assertOnlyFields(t, path+"."+k, gv, wv)
			}
		}
	case []any:
		list, ok := got.([]any)
		if !ok {
			t.Errorf("%s = %T, want a list", path, got)
			return
		}
		for i, item := range list {
			assertOnlyFields(t, fmt.Sprintf("%s[%d]", path, i), item, w[0])
		}
	default:
		switch got.(type) {
		case map[string]any, []any:
			t.Errorf("%s = %T, want a scalar", path, got)
		}
	}
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

func countEdges(doc any) int {
	data, _ := doc.(map[string]any)["data"].(map[string]any)
	leads, _ := data["leads"].(map[string]any)
	edges, _ := leads["edges"].([]any)
	return len(edges)
}

// assertUpstreamRequests checks the simulator's REST requests since its last
// reset, by route.
func assertUpstreamRequests(t *testing.T, e *testEnv, want map[string]int64) {
	t.Helper()
	got := e.sim.Stats().Requests
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("upstream requests = %v, want %v", got, want)
	}
}
