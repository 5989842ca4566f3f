package edge

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"mime"
	"net/http"
	"strings"
	"sync"

	"github.com/99designs/gqlgen/graphql"
	"github.com/99designs/gqlgen/graphql/errcode"
	"github.com/vektah/gqlparser/v2/ast"
	"github.com/vektah/gqlparser/v2/gqlerror"
)

// What the POST and GET transports share: running an operation, and writing
// its answer as gqlgen's transports would, without encoding the data again.

// execute runs the operation of params and writes its answer, as gqlgen's
// transports do: an operation refused before it ran gets the status they give
// it, and with queryOnly anything but a query is refused with 406.
func execute(w http.ResponseWriter, r *http.Request, exec graphql.GraphExecutor,
	params *graphql.RawParams, queryOnly bool,
) {
	ctx := r.Context()
	contentType := responseContentType(r.Header.Get("Accept"))
	w.Header().Set("Content-Type", contentType)
	rc, opErr := exec.CreateOperationContext(ctx, params)
	if opErr != nil {
		w.WriteHeader(refusalStatus(contentType, opErr))
		writeResponse(w, exec.DispatchError(graphql.WithOperationContext(ctx, rc), opErr))
		return
	}
	if queryOnly && rc.Doc.Operations.ForName(rc.OperationName).Operation != ast.Query {
		w.WriteHeader(http.StatusNotAcceptable)
		writeResponse(w, &graphql.Response{
			Errors: gqlerror.List{{Message: "GET requests only allow query operations"}},
		})
		return
	}

	responses, ctx := exec.DispatchOperation(ctx, rc)
	writeResponse(w, responses(ctx))
}

// refusalStatus is the status gqlgen's transports give an operation refused
// before it ran: a protocol error is 422 for application/json and 400 for
// application/graphql-response+json; any other is 200.
func refusalStatus(contentType string, errs gqlerror.List) int {
	if errcode.GetErrorKind(errs) != errcode.KindProtocol {
		return http.StatusOK
	}
	if contentType == "application/graphql-response+json" {
		return http.StatusBadRequest
	}
	return http.StatusUnprocessableEntity
}

// responseContentType picks the answer's media type from the Accept header as
// gqlgen's transports do: application/json when the client names it, accepts
// anything, or sends no Accept; application/graphql-response+json otherwise.
func responseContentType(accept string) string {
	const (
		plain   = "application/json"
		graphQL = "application/graphql-response+json"
	)
	if accept == "" {
		return plain
	}
	for part := range strings.SplitSeq(accept, ",") {
		mediaType, _, err := mime.ParseMediaType(strings.TrimSpace(part))
		if err != nil {
			continue
		}
		switch mediaType {
		case "*/*", "application/*", plain:
			return plain
		case graphQL:
			return graphQL
		}
	}
	return graphQL
}

// answerBuffers are reused between answers; a page of leads is some kilobytes.
var answerBuffers = sync.Pool{New: func() any { return new(bytes.Buffer) }}

// maxPooledAnswer keeps an unusually large answer's buffer out of the pool.
const maxPooledAnswer = 1 << 20

// writeResponse writes resp as gqlgen's transports do, with the same keys in
// the same order, but copies resp.Data as it is: the executor wrote it as
// compact JSON already. Incremental answers, which a POST never gets, go
// through encoding/json whole.
func writeResponse(w io.Writer, resp *graphql.Response) {
	if resp == nil {
		// The executor's answer once the request's context has ended.
		io.WriteString(w, "null")
		return
	}
	if resp.Label != "" || resp.Path != nil || resp.HasNext != nil {
		writeEncoded(w, resp)
		return
	}

	buf := answerBuffers.Get().(*bytes.Buffer)
	defer func() {
		if buf.Cap() <= maxPooledAnswer {
			buf.Reset()
			answerBuffers.Put(buf)
		}
	}()

	buf.WriteByte('{')
	if len(resp.Errors) > 0 {
		buf.WriteString(`"errors":`)
		if err := appendJSON(buf, resp.Errors); err != nil {
			writeEncoded(w, resp)
			return
		}
		buf.WriteByte(',')
	}
	buf.WriteString(`"data":`)
	if resp.Data == nil {
		buf.WriteString("null")
	} else {
		buf.Write(resp.Data)
	}
	if len(resp.Extensions) > 0 {
		buf.WriteString(`,"extensions":`)
		if err := appendJSON(buf, resp.Extensions); err != nil {
			writeEncoded(w, resp)
			return
		}
	}
	buf.WriteByte('}')
	w.Write(buf.Bytes())
}

// appendJSON appends v as compact JSON, without the newline an Encoder adds.
func appendJSON(buf *bytes.Buffer, v any) error {
	enc := json.NewEncoder(buf)
	if err := enc.Encode(v); err != nil {
		return err
	}
	if n := buf.Len(); n > 0 && buf.Bytes()[n-1] == '\n' {
		buf.Truncate(n - 1)
	}
	return nil
}

// writeEncoded writes resp through encoding/json, as gqlgen does.
func writeEncoded(w io.Writer, resp *graphql.Response) {
	b, err := json.Marshal(resp)
	if err != nil {
		panic(errors.Join(errors.New("edge: cannot encode a GraphQL answer"), err))
	}
	w.Write(b)
}
