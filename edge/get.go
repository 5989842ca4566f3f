package edge

import (
	"net/http"
	"net/url"

	"github.com/99designs/gqlgen/graphql"
	"github.com/99designs/gqlgen/graphql/handler/transport"
)

// GET is the GraphQL-over-HTTP GET transport, as persisted queries from
// mobile clients use it. Like POST it runs an operation as gqlgen's
// transport.GET does, refusing anything but a query with 406, and writes the
// answer without encoding/json reading the data again. A URL whose query
// string, variables or extensions cannot be read is handed to transport.GET,
// so that those refusals stay gqlgen's own.
type GET struct {
	fallback transport.GET
}

var _ graphql.Transport = GET{}

// Supports implements graphql.Transport.
func (g GET) Supports(r *http.Request) bool { return g.fallback.Supports(r) }

// Do implements graphql.Transport.
func (g GET) Do(w http.ResponseWriter, r *http.Request, exec graphql.GraphExecutor) {
	start := graphql.Now()
	query, err := url.ParseQuery(r.URL.RawQuery)
	if err != nil {
		g.fallback.Do(w, r, exec)
		return
	}
	params := graphql.RawParams{
		Query:         query.Get("query"),
		OperationName: query.Get("operationName"),
		Headers:       r.Header,
	}
	if !decodeParam(query.Get("variables"), &params.Variables) ||
		!decodeParam(query.Get("extensions"), &params.Extensions) {
		g.fallback.Do(w, r, exec)
		return
	}
	params.ReadTime = graphql.TraceTiming{Start: start, End: graphql.Now()}
	execute(w, r, exec, &params, true)
}

// decodeParam decodes a JSON object from a URL parameter into v, numbers as
// json.Number; an absent parameter leaves v alone.
func decodeParam(raw string, v *map[string]any) bool {
	return raw == "" || decodeNumbers([]byte(raw), v) == nil
}
