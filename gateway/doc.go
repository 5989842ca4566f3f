// Package gateway wires the Cape gateway together: the upstream client (or the
// built-in simulator), token verification, per-request loaders, the reference
// cache, telemetry, request limits and the HTTP routes (GraphQL, GraphiQL,
// health, readiness and metrics). The command in the repository root loads the
// configuration, serves a Gateway's Handler and shuts it down.
//
// The end-to-end tests of the gateway live here too: they start the simulator
// and a Gateway on real loopback listeners and speak HTTP to them.
package gateway
