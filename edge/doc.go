// Package edge holds the gateway's plain net/http middleware, what runs before
// a request reaches authentication or GraphQL: panic recovery, CORS, response
// compression, request body checks and the status of refused operations.
//
// Every refusal here is a GraphQL-shaped JSON body,
// {"errors":[{"message":...,"extensions":{"code":...}}]}, with one of the
// gateway's stable codes, so a client reads it like any other GraphQL error.
package edge
