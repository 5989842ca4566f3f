package edge

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"

	"github.com/99designs/gqlgen/graphql"
	"github.com/99designs/gqlgen/graphql/handler/transport"
)

// POST is the GraphQL-over-HTTP POST transport. It runs an operation as
// gqlgen's transport.POST does, with the same status codes and content types,
// but writes the answer without encoding/json reading the data again that the
// executor has just written, which cost about 5% of the gateway's CPU on a
// page of leads. So the data goes out as the executor wrote it: the
// characters <, > and & stay as they are instead of being escaped as \u003c,
// \u003e and \u0026, which JSON does not require. A body that cannot be read
// or is not a JSON object is handed to transport.POST with the bytes it sent,
// so that those refusals stay gqlgen's own.
type POST struct {
	fallback transport.POST
}

var _ graphql.Transport = POST{}

// Supports implements graphql.Transport.
func (p POST) Supports(r *http.Request) bool { return p.fallback.Supports(r) }

// Do implements graphql.Transport.
func (p POST) Do(w http.ResponseWriter, r *http.Request, exec graphql.GraphExecutor) {
	start := graphql.Now()
	body, readErr := io.ReadAll(r.Body)
	if readErr != nil {
		p.refuse(w, r, exec, body, readErr)
		return
	}

	var params graphql.RawParams
	if err := decodeNumbers(body, &params); err != nil {
		p.refuse(w, r, exec, body, nil)
		return
	}
	params.Headers = r.Header
	params.ReadTime = graphql.TraceTiming{Start: start, End: graphql.Now()}

	execute(w, r, exec, &params, false)
}

// decodeNumbers decodes the JSON value at the start of data into v, keeping
// numbers as json.Number, as gqlgen's transports do.
func decodeNumbers(data []byte, v any) error {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	return dec.Decode(v)
}

// refuse lets gqlgen's POST answer a request that will not run. It reads the
// body already read, then the error that ended the read, if any.
func (p POST) refuse(w http.ResponseWriter, r *http.Request, exec graphql.GraphExecutor,
	body []byte, readErr error,
) {
	replay := io.Reader(bytes.NewReader(body))
	if readErr != nil {
		replay = io.MultiReader(replay, failingReader{readErr})
	}
	r2 := r.Clone(r.Context())
	r2.Body = io.NopCloser(replay)
	p.fallback.Do(w, r2, exec)
}

type failingReader struct{ err error }

func (f failingReader) Read([]byte) (int, error) { return 0, f.err }
