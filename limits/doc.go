// Package limits refuses GraphQL operations that would cost the gateway or the
// upstream too much, before any resolver runs.
//
// Guard is a gqlgen handler extension that measures the chosen operation after
// parsing and validation: how deep its fields nest, how many aliases and root
// fields it has, how many selections it makes once fragments are expanded, and
// what it costs. Complexity gives the cost functions: a connection costs its
// page size times what is selected inside it, so an alias flood of big pages is
// refused. PersistedQueries adds automatic persisted queries whose cache only
// ever holds operations that passed every check.
//
// Every refusal is a *gqlerror.Error with a stable extensions.code, registered
// with gqlgen as a protocol error so that the HTTP transports answer it with a
// 4xx status rather than 200.
package limits
