// Package graph is the GraphQL side of the gateway: the executor gqlgen generates
// from schema.graphqls, thin resolvers over the upstream client and the request's
// loaders, the mapping between upstream and GraphQL types, and the error presenter.
package graph

import (
	"context"
	"fmt"

	"github.com/capedigital/cape-gateway/loaders"
	"github.com/capedigital/cape-gateway/upstream"
)

// Resolver holds what every resolver needs. It keeps nothing of a request.
type Resolver struct {
	Client *upstream.Client
}

// requestLoaders returns the loaders of the request ctx belongs to.
func requestLoaders(ctx context.Context) (*loaders.Loaders, error) {
	l, ok := loaders.FromContext(ctx)
	if !ok {
		return nil, fmt.Errorf("no loaders in the request context")
	}
	return l, nil
}
