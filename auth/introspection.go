package auth

import (
	"bytes"
	"encoding/json"
	"io"
	"mime"
	"net/http"

	"github.com/vektah/gqlparser/v2/ast"
	"github.com/vektah/gqlparser/v2/parser"
)

const (
	// maxIntrospectionBody caps the body read to decide on anonymous introspection;
	// GraphiQL's introspection query is a few KiB.
	maxIntrospectionBody = 64 << 10
	// maxIntrospectionTokens caps the lexer tokens parsed for the same decision.
	maxIntrospectionTokens = 5000
	// maxFragmentDepth bounds fragment spreads followed from the root.
	maxFragmentDepth = 16
)

// introspectionFields are the root fields that reveal only the schema.
var introspectionFields = map[string]bool{"__schema": true, "__type": true, "__typename": true}

// IsIntrospectionOnly reports whether the operation of query that a GraphQL server would
// run for operationName is a query whose root selects only __schema, __type and
// __typename, directly or through fragments. A query that does not parse, names an
// operation that is absent or ambiguous, or selects any other root field is not.
func IsIntrospectionOnly(query, operationName string) bool {
	doc, err := parser.ParseQueryWithTokenLimit(&ast.Source{Input: query}, maxIntrospectionTokens)
	if err != nil {
		return false
	}

	op := selectOperation(doc.Operations, operationName)
	if op == nil || op.Operation != ast.Query {
		return false
	}
	return onlyIntrospection(doc, op.SelectionSet, map[string]bool{}, 0)
}

// selectOperation picks the operation named name, or the only one when name is empty. It
// returns nil when there is no single match.
func selectOperation(ops ast.OperationList, name string) *ast.OperationDefinition {
	if name == "" {
		if len(ops) != 1 {
			return nil
		}
		return ops[0]
	}

	var found *ast.OperationDefinition
	for _, op := range ops {
		if op.Name == name {
			if found != nil {
				return nil
			}
			found = op
		}
	}
	return found
}

// onlyIntrospection walks a root selection set, following fragments; visiting tracks the
// fragments on the current path so a cycle ends the walk with false.
func onlyIntrospection(doc *ast.QueryDocument, set ast.SelectionSet, visiting map[string]bool,
	depth int) bool {
	if len(set) == 0 || depth > maxFragmentDepth {
		return false
	}

	for _, sel := range set {
		switch s := sel.(type) {
		case *ast.Field:
			if !introspectionFields[s.Name] {
				return false
			}
		case *ast.InlineFragment:
			if !onlyIntrospection(doc, s.SelectionSet, visiting, depth+1) {
				return false
			}
		case *ast.FragmentSpread:
			frag := doc.Fragments.ForName(s.Name)
			if frag == nil || visiting[s.Name] {
				return false
			}
			visiting[s.Name] = true
			ok := onlyIntrospection(doc, frag.SelectionSet, visiting, depth+1)
			delete(visiting, s.Name)
			if !ok {
				return false
			}
		default:
			return false
		}
	}
	return true
}

// isAnonymousIntrospection reports whether r is a GraphQL request, GET with ?query= or
// POST with a JSON body, for an introspection-only operation. A POST body is put back for
// the next handler.
func isAnonymousIntrospection(r *http.Request) bool {
	switch r.Method {
	case http.MethodGet:
		q := r.URL.Query()
		return IsIntrospectionOnly(q.Get("query"), q.Get("operationName"))
	case http.MethodPost:
		return isIntrospectionPost(r)
	default:
		return false
	}
}

// isIntrospectionPost reads at most maxIntrospectionBody bytes of a JSON body and
// restores them.
func isIntrospectionPost(r *http.Request) bool {
	mediaType, _, err := mime.ParseMediaType(r.Header.Get("Content-Type"))
	if err != nil || mediaType != "application/json" || r.Body == nil {
		return false
	}

	body, err := io.ReadAll(io.LimitReader(r.Body, maxIntrospectionBody+1))
	r.Body = io.NopCloser(bytes.NewReader(body))
	if err != nil || len(body) > maxIntrospectionBody {
		return false
	}

	var params struct {
		Query         string `json:"query"`
		OperationName string `json:"operationName"`
	}
	if err := json.Unmarshal(body, &params); err != nil {
		return false
	}
	return IsIntrospectionOnly(params.Query, params.OperationName)
}
