package edge

import (
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"github.com/99designs/gqlgen/graphql/handler/transport"
)

// GET answers as gqlgen's GET transport does: the same status, content type
// and bytes but for <, > and & in the data, for an operation that runs, one refused before it ran, a
// mutation, and parameters that cannot be read; and it prepares the operation
// once.
func TestGETAnswersAsGqlgensGET(t *testing.T) {
	tests := []struct {
		name, rawQuery string
		wantStatus     int
	}{
		{"a query", "query=" + url.QueryEscape("{a}"), http.StatusOK},
		{"a query with variables and an operation name",
			"query=" + url.QueryEscape("query Q($n: Int) { a }") + "&operationName=Q&variables=" +
				url.QueryEscape(`{"n": 1}`), http.StatusOK},
		{"a refused operation", "query=" + url.QueryEscape("{ refused }"), http.StatusUnprocessableEntity},
		{"a mutation", "query=" + url.QueryEscape("mutation { a }"), http.StatusNotAcceptable},
		{"variables that are not JSON", "query=" + url.QueryEscape("{a}") + "&variables=%7Bnope",
			http.StatusBadRequest},
		{"extensions that are not JSON", "query=" + url.QueryEscape("{a}") + "&extensions=%5B1%5D",
			http.StatusBadRequest},
		{"a query string that is not one", "query=%zz", http.StatusBadRequest},
	}
	for _, tt := range tests {
		for _, accept := range []string{"", "application/graphql-response+json"} {
			t.Run(tt.name+" "+accept, func(t *testing.T) {
				r := httptest.NewRequest(http.MethodGet, "/query?"+tt.rawQuery, nil)
				if accept != "" {
					r.Header.Set("Accept", accept)
				}
				got, prepared := answer(GET{}, r)
				want, wantPrepared := answer(transport.GET{}, r.Clone(r.Context()))
				// gqlgen's writer escapes <, > and & in the data; GET leaves
				// them as the executor wrote them.
				wantBody := strings.NewReplacer(`\u003c`, "<", `\u003e`, ">", `\u0026`, "&").
					Replace(want.Body.String())
				if got.Code != want.Code || got.Body.String() != wantBody ||
					got.Header().Get("Content-Type") != want.Header().Get("Content-Type") {
					t.Errorf("got %d %q %s\nwant %d %q %s", got.Code, got.Header().Get("Content-Type"),
						got.Body, want.Code, want.Header().Get("Content-Type"), wantBody)
				}
				if accept == "" && got.Code != tt.wantStatus {
					t.Errorf("status %d, want %d", got.Code, tt.wantStatus)
				}
				if prepared != wantPrepared {
					t.Errorf("operation prepared %d times, gqlgen prepares it %d times",
						prepared, wantPrepared)
				}
			})
		}
	}
}
