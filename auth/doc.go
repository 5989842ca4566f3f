// Package auth checks the caller's bearer JWT at the edge of the gateway and hands the
// verified claims and the raw token to the rest of the request.
//
// In verify mode (the default) every request needs a token signed by a trusted key with an
// allowed algorithm, an expiry, and the configured issuer and audience. Keys come either
// from a JWKS URL, refreshed in the background and, within a rate limit, whenever a token
// names an unknown key id, or from a PEM file holding one public key or certificate. In
// forward mode the token is only extracted and passed on unchanged, for deployments where
// the upstream is the only judge.
//
// A refused request never reaches the next handler: it gets a 401 with a
// WWW-Authenticate challenge and a GraphQL error body with the code UNAUTHENTICATED and a
// short, stable reason that names no secret.
//
// Introspection needs a token like any other query unless
// Config.AllowAnonymousIntrospection is set; then a request with no Authorization header
// at all may pass when its operation selects nothing but __schema, __type and __typename
// at the root, so GraphiQL can load the schema before anyone signs in.
//
// Nothing in this package logs a token. Use Fingerprint when a log line must tell tokens
// apart.
package auth
