// Package upstream is a typed client for the Cape Digital commercial REST API.
//
// A Client is built once with New and shared by every request the gateway
// serves. It holds no credentials of its own: each call forwards the bearer
// token found in its context (see WithToken), and that token is only ever sent
// to the origin of the configured base URL. Links returned by the API, such as
// the next and previous page URLs, are reduced to their cursor and never
// followed as given.
//
// Wire types keep what the API sent: optional fields are pointers that stay
// nil when a field is absent or null, enum-like strings stay plain strings
// (an unexpected value is kept, not rejected), numbers never pass through
// float64, and timestamps accept the RFC 3339 variants Django emits.
//
// Every call runs under one deadline (WithTimeout) derived from its context,
// so a caller that goes away ends its upstream requests. Idempotent requests
// are retried with jittered exponential backoff on connection errors and 429,
// 502, 503 and 504 answers, honouring Retry-After when it fits the deadline
// (WithRetries, WithRetryBackoff); requests that change state are sent once.
// A circuit breaker per route family stops calling a route that keeps failing
// (WithBreaker), and WithRequestScope makes identical GETs of one incoming
// request share a single call. WithObserver reports retries and breaker
// state changes.
//
// Failures come back as one of these kinds:
//
//   - *Error for any non-2xx answer, with the DRF detail, field errors and
//     Retry-After when the body and headers carry them;
//   - *BadResponseError for a 2xx answer that cannot be used: a body that is
//     not JSON, truncated, badly compressed, too large or of the wrong shape;
//   - *TimeoutError when the call's deadline passed (it matches
//     context.DeadlineExceeded);
//   - an error wrapping ErrCircuitOpen when the route's breaker refused the
//     call without sending it;
//   - a wrapped transport or context error when no answer arrived.
//
// Error strings never contain the token, a query string or a response body.
package upstream
