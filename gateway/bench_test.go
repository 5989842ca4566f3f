package gateway

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"testing"
)

// BenchmarkQueries runs whole GraphQL requests over real HTTP against the
// simulator and reports the upstream calls each one cost.
func BenchmarkQueries(b *testing.B) {
	benchmarks := []struct {
		name  string
		query string
		vars  map[string]string
	}{
		{name: "list-20", query: `{ leads(first: 20) { edges { cursor node { id name
			contactPerson status leadType gender createdAt } } pageInfo { hasNextPage endCursor } } }`},
		{name: "related-50-each", query: relatedQuery, vars: map[string]string{"CAPE_BATCH": "each"}},
		{name: "related-50-filter", query: relatedQuery, vars: map[string]string{"CAPE_BATCH": "filter"}},
	}
	for _, bm := range benchmarks {
		b.Run(bm.name, func(b *testing.B) {
			e := newTestEnv(b, bm.vars)
			body, err := json.Marshal(map[string]string{"query": bm.query})
			if err != nil {
				b.Fatal(err)
			}
			client := &http.Client{}
			e.sim.Reset()
			b.ReportAllocs()
			b.ResetTimer()
			for b.Loop() {
				req, _ := http.NewRequest(http.MethodPost, e.url+"/query", bytes.NewReader(body))
				req.Header.Set("Content-Type", "application/json")
				req.Header.Set("Authorization", "Bearer "+e.token)
				resp, err := client.Do(req)
				if err != nil {
					b.Fatal(err)
				}
				raw, _ := io.ReadAll(resp.Body)
				resp.Body.Close()
				if resp.StatusCode != http.StatusOK || bytes.Contains(raw, []byte(`"errors"`)) {
					b.Fatalf("HTTP %d: %.300s", resp.StatusCode, raw)
				}
			}
			b.StopTimer()
			b.ReportMetric(float64(e.upstreamCalls())/float64(b.N), "upstream/op")
		})
	}
}
