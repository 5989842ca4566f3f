// Package model holds the GraphQL types of the gateway: the hand-written ones the
// resolvers fill from upstream records, the scalars and enums with their wire rules,
// and models_gen.go, which gqlgen generates from schema.graphqls.
package model
