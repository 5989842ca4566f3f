package limits

import (
	"fmt"

	"github.com/99designs/gqlgen/graphql/errcode"
	"github.com/vektah/gqlparser/v2/gqlerror"

	"github.com/capedigital/cape-gateway/graph"
)

// The codes of refused operations are protocol errors: gqlgen's transports
// answer them with a 4xx status because nothing was executed.
func init() {
	errcode.RegisterErrorType(graph.CodeQueryTooComplex, errcode.KindProtocol)
	errcode.RegisterErrorType(graph.CodeQueryTooDeep, errcode.KindProtocol)
	errcode.RegisterErrorType(graph.CodeBadUserInput, errcode.KindProtocol)
}

// refusal returns a GraphQL error with code and a formatted message.
func refusal(code, format string, args ...any) *gqlerror.Error {
	return &gqlerror.Error{
		Message:    fmt.Sprintf(format, args...),
		Extensions: map[string]any{"code": code},
	}
}
