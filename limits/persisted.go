package limits

import (
	"context"
	"encoding/json"
	"errors"

	"github.com/99designs/gqlgen/graphql"
	"github.com/99designs/gqlgen/graphql/handler/extension"
	"github.com/vektah/gqlparser/v2/gqlerror"

	"github.com/capedigital/cape-gateway/graph"
)

// MaxPersistedQueryBytes is the longest query PersistedQueries stores. A longer
// one still runs; its hash is simply not remembered, so the cache holds at most
// its size times this many bytes.
const MaxPersistedQueryBytes = 64 << 10

// PersistedQueries is gqlgen's automatic persisted queries (Apollo's protocol)
// with two changes. A query is stored only once the operation has passed
// parsing, validation and every extension added before this one, so a Guard
// added first keeps refused operations out of the cache. And every refusal
// carries a code: PERSISTED_QUERY_NOT_FOUND for a hash the cache does not
// know, BAD_USER_INPUT for a hash that does not match its query or a malformed
// persistedQuery extension.
type PersistedQueries struct {
	apq   extension.AutomaticPersistedQuery
	cache graphql.Cache[string]
}

var _ interface {
	graphql.HandlerExtension
	graphql.OperationParameterMutator
	graphql.OperationContextMutator
} = (*PersistedQueries)(nil)

// NewPersistedQueries returns the extension over cache, which is shared by all
// callers: any graphql.Cache[string], such as gqlgen's lru.
func NewPersistedQueries(cache graphql.Cache[string]) *PersistedQueries {
	return &PersistedQueries{
		apq:   extension.AutomaticPersistedQuery{Cache: deferredCache{cache}},
		cache: cache,
	}
}

// ExtensionName implements graphql.HandlerExtension.
func (p *PersistedQueries) ExtensionName() string { return "PersistedQueries" }

// Validate implements graphql.HandlerExtension.
func (p *PersistedQueries) Validate(es graphql.ExecutableSchema) error {
	if p.cache == nil {
		return errors.New("limits: persisted queries need a cache")
	}
	return p.apq.Validate(es)
}

// MutateOperationParameters implements graphql.OperationParameterMutator: it
// replaces a known hash with its query and checks a hash sent with its query.
func (p *PersistedQueries) MutateOperationParameters(ctx context.Context,
	params *graphql.RawParams,
) *gqlerror.Error {
	if err := checkPersistedQueryShape(params.Extensions); err != nil {
		return err
	}
	err := p.apq.MutateOperationParameters(ctx, params)
	if err != nil && err.Extensions["code"] == nil {
		err.Extensions = map[string]any{"code": graph.CodeBadUserInput}
	}
	return err
}

// checkPersistedQueryShape refuses a persistedQuery extension whose hash is
// missing or not a string, which gqlgen's extension would read as no hash at
// all and answer PERSISTED_QUERY_NOT_FOUND, or whose version is not a number.
func checkPersistedQueryShape(extensions map[string]any) *gqlerror.Error {
	pq, ok := extensions["persistedQuery"].(map[string]any)
	if !ok {
		return nil // absent, or refused by gqlgen's extension as malformed
	}
	if _, isString := pq["sha256Hash"].(string); !isString {
		return badPersistedQuery("persistedQuery.sha256Hash must be a string")
	}
	if v, ok := pq["version"]; ok {
		switch v.(type) {
		case json.Number, float64, int, int64:
		default:
			return badPersistedQuery("persistedQuery.version must be a number")
		}
	}
	return nil
}

func badPersistedQuery(msg string) *gqlerror.Error {
	return &gqlerror.Error{Message: msg, Extensions: map[string]any{"code": graph.CodeBadUserInput}}
}

// MutateOperationContext implements graphql.OperationContextMutator: the
// operation passed every earlier check, so its query is stored now.
func (p *PersistedQueries) MutateOperationContext(ctx context.Context,
	oc *graphql.OperationContext,
) *gqlerror.Error {
	pending, ok := oc.Stats.GetExtension(pendingKey).(*pendingQuery)
	if ok && pending.hash != "" && len(pending.query) <= MaxPersistedQueryBytes {
		p.cache.Add(ctx, pending.hash, pending.query)
	}
	return nil
}

// pendingKey names the operation's stats entry holding a query to store.
const pendingKey = "PersistedQueries.pending"

// pendingQuery is a verified hash and query waiting for the operation to pass
// its checks.
type pendingQuery struct {
	hash, query string
}

// deferredCache reads from the shared cache but keeps what gqlgen's extension
// adds in the operation's stats, for MutateOperationContext to store later.
type deferredCache struct {
	graphql.Cache[string]
}

// Add implements graphql.Cache.
func (c deferredCache) Add(ctx context.Context, hash, query string) {
	if graphql.HasOperationContext(ctx) {
		oc := graphql.GetOperationContext(ctx)
		oc.Stats.SetExtension(pendingKey, &pendingQuery{hash: hash, query: query})
	}
}
