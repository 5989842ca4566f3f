// Package limitstest builds the documents that tests of the request limits
// send: alias floods, deep type references and the standard introspection
// query.
package limitstest

import (
	_ "embed"
	"fmt"
	"strings"
)

// IntrospectionQuery is graphql-js's getIntrospectionQuery() with its default
// options, as GraphiQL and most tools send it.
//
//go:embed introspection.graphql
var IntrospectionQuery string

// Aliased returns a query selecting field n times under aliases a0, a1, ...
func Aliased(n int, field string) string {
	var b strings.Builder
	b.WriteString("{")
	for i := range n {
		fmt.Fprintf(&b, " a%d: %s", i, field)
	}
	b.WriteString(" }")
	return b.String()
}

// NestedTypeRef returns __type(name: "Lead") with ofType nested depth times.
func NestedTypeRef(depth int) string {
	return `{ __type(name: "Lead") { ` + strings.Repeat("ofType { ", depth) + "name" +
		strings.Repeat(" }", depth) + " } }"
}
