package edge

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/99designs/gqlgen/graphql"
	"github.com/99designs/gqlgen/graphql/errcode"
	"github.com/99designs/gqlgen/graphql/handler/transport"
	"github.com/vektah/gqlparser/v2/ast"
	"github.com/vektah/gqlparser/v2/gqlerror"
	"github.com/vektah/gqlparser/v2/parser"
)

// The answer is byte for byte what encoding/json writes for it, as gqlgen's
// own transport sends it.
func TestWriteResponseMatchesEncodingJSON(t *testing.T) {
	hasNext := true
	tests := []struct {
		name string
		resp graphql.Response
	}{
		{"data", graphql.Response{Data: json.RawMessage(`{"leads":{"edges":[{"cursor":"YzE6MDo","node":{"id":"a"}}]}}`)}},
		{"null data", graphql.Response{}},
		{"data and errors", graphql.Response{
			Data: json.RawMessage(`{"lead":null}`),
			Errors: gqlerror.List{{
				Message:    `lead <b>"x"</b> & more`,
				Path:       ast.Path{ast.PathName("lead"), ast.PathIndex(3)},
				Locations:  []gqlerror.Location{{Line: 1, Column: 3}},
				Extensions: map[string]any{"code": "NOT_FOUND", "fields": []string{"id"}},
			}},
		}},
		{"extensions", graphql.Response{
			Data:       json.RawMessage(`{"a":1}`),
			Extensions: map[string]any{"cost": 12, "note": "x\u2028y"},
		}},
		{"incremental", graphql.Response{
			Data: json.RawMessage(`{"a":1}`), Label: "l", Path: ast.Path{ast.PathName("a")},
			HasNext: &hasNext,
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			want, err := json.Marshal(&tt.resp)
			if err != nil {
				t.Fatal(err)
			}
			var got bytes.Buffer
			writeResponse(&got, &tt.resp)
			if got.String() != string(want) {
				t.Errorf("got  %s\nwant %s", got.String(), want)
			}
		})
	}
}

// The content type follows the Accept header exactly as gqlgen's POST
// transport chooses it.
func TestResponseContentTypeMatchesGqlgen(t *testing.T) {
	for _, accept := range []string{
		"",
		"*/*",
		"application/*",
		"application/json",
		"application/graphql-response+json",
		"application/graphql-response+json, application/json;q=0.9",
		"application/json;q=0.9, application/graphql-response+json",
		"text/html",
		"text/html, */*;q=0.1",
		"garbage;;;, application/json",
		"text/plain;charset=utf-8",
	} {
		t.Run(accept, func(t *testing.T) {
			r := httptest.NewRequest(http.MethodPost, "/query", strings.NewReader(`{"query":"{a}"}`))
			r.Header.Set("Content-Type", "application/json")
			r.Header.Set("Accept", accept)
			w := httptest.NewRecorder()
			transport.POST{}.Do(w, r, fakeExecutor{})
			want := w.Header().Get("Content-Type")

			if got := responseContentType(accept); got != want {
				t.Errorf("got %q, gqlgen answers %q", got, want)
			}
		})
	}
}

// A request that cannot run is answered by gqlgen's transport, with the body
// it sent: the refusal is the same as without this transport.
func TestRefusalsAreGqlgens(t *testing.T) {
	for _, body := range []string{`{"query":`, `[{"query":"{a}"}]`, `{"query":"{ refused }"}`} {
		t.Run(body, func(t *testing.T) {
			send := func(tr graphql.Transport) *httptest.ResponseRecorder {
				r := httptest.NewRequest(http.MethodPost, "/query", strings.NewReader(body))
				r.Header.Set("Content-Type", "application/json")
				w := httptest.NewRecorder()
				tr.Do(w, r, fakeExecutor{})
				return w
			}
			got, want := send(POST{}), send(transport.POST{})
			if got.Code != want.Code || got.Body.String() != want.Body.String() ||
				got.Header().Get("Content-Type") != want.Header().Get("Content-Type") {
				t.Errorf("got %d %q %s\nwant %d %q %s", got.Code, got.Header().Get("Content-Type"),
					got.Body, want.Code, want.Header().Get("Content-Type"), want.Body)
			}
		})
	}
}

func TestAFailedBodyReadIsReplayedToGqlgen(t *testing.T) {
	r := httptest.NewRequest(http.MethodPost, "/query", io.MultiReader(
		strings.NewReader(`{"query":`), failingReader{io.ErrUnexpectedEOF}))
	r.Header.Set("Content-Type", "application/json")
	w := httptest.NewRecorder()
	POST{}.Do(w, r, fakeExecutor{})
	if !strings.Contains(w.Body.String(), "could not read request body") ||
		!strings.Contains(w.Body.String(), io.ErrUnexpectedEOF.Error()) {
		t.Errorf("body = %s, want gqlgen's read failure with the read's error", w.Body)
	}
}

func TestAnOperationThatRunsIsWrittenByPOST(t *testing.T) {
	r := httptest.NewRequest(http.MethodPost, "/query", strings.NewReader(`{"query":"{a}"}`))
	r.Header.Set("Content-Type", "application/json")
	w := httptest.NewRecorder()
	POST{}.Do(w, r, fakeExecutor{})
	if w.Code != http.StatusOK || w.Body.String() != `{"data":{"a":"<ran>"}}` ||
		w.Header().Get("Content-Type") != "application/json" {
		t.Errorf("got %d %q %s", w.Code, w.Header().Get("Content-Type"), w.Body)
	}
}

// An operation refused before it runs is parsed and validated once, not once
// more by gqlgen's transport, and answered as gqlgen answers it.
func TestARefusedOperationIsPreparedOnce(t *testing.T) {
	for _, accept := range []string{"", "application/graphql-response+json"} {
		t.Run(accept, func(t *testing.T) {
			request := func() *http.Request {
				r := httptest.NewRequest(http.MethodPost, "/query", strings.NewReader(`{"query":"{ refused }"}`))
				r.Header.Set("Content-Type", "application/json")
				r.Header.Set("Accept", accept)
				return r
			}
			got, prepared := answer(POST{}, request())
			want, _ := answer(transport.POST{}, request())
			if prepared != 1 {
				t.Errorf("operation prepared %d times, want 1", prepared)
			}
			if got.Code != want.Code || got.Body.String() != want.Body.String() ||
				got.Header().Get("Content-Type") != want.Header().Get("Content-Type") {
				t.Errorf("got %d %q %s\nwant %d %q %s", got.Code, got.Header().Get("Content-Type"),
					got.Body, want.Code, want.Header().Get("Content-Type"), want.Body)
			}
		})
	}
}

// Once the request's context has ended the executor answers nil, which is
// written as JSON null, as gqlgen writes it.
func TestAnAnswerAfterTheRequestEndedIsNull(t *testing.T) {
	var got bytes.Buffer
	writeResponse(&got, nil)
	if got.String() != "null" {
		t.Errorf("got %q, want null", got.String())
	}

	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	r := httptest.NewRequestWithContext(ctx, http.MethodPost, "/query", strings.NewReader(`{"query":"{a}"}`))
	r.Header.Set("Content-Type", "application/json")
	w := httptest.NewRecorder()
	POST{}.Do(w, r, fakeExecutor{})
	if w.Code != http.StatusOK || w.Body.String() != "null" {
		t.Errorf("got %d %s, want 200 null", w.Code, w.Body)
	}
}

// answer sends r through tr to a countingExecutor and returns the answer and
// how many times the operation was prepared.
func answer(tr graphql.Transport, r *http.Request) (*httptest.ResponseRecorder, int) {
	w := httptest.NewRecorder()
	exec := &countingExecutor{}
	tr.Do(w, r, exec)
	return w, exec.prepared
}

type countingExecutor struct {
	fakeExecutor
	prepared int
}

func (c *countingExecutor) CreateOperationContext(ctx context.Context, params *graphql.RawParams,
) (*graphql.OperationContext, gqlerror.List) {
	c.prepared++
	return c.fakeExecutor.CreateOperationContext(ctx, params)
}

// fakeExecutor runs any query but "{ refused }", which it refuses as a
// validation error, and answers {"a":"<ran>"}.
type fakeExecutor struct{}

func (fakeExecutor) CreateOperationContext(ctx context.Context, params *graphql.RawParams,
) (*graphql.OperationContext, gqlerror.List) {
	if params.Query == "{ refused }" {
		err := gqlerror.Errorf("refused")
		errcode.Set(err, errcode.ValidationFailed)
		return nil, gqlerror.List{err}
	}
	doc, err := parser.ParseQuery(&ast.Source{Input: params.Query})
	if err != nil {
		return nil, gqlerror.List{gqlerror.Wrap(err)}
	}
	return &graphql.OperationContext{RawQuery: params.Query, Doc: doc,
		OperationName: params.OperationName}, nil
}

func (fakeExecutor) DispatchOperation(ctx context.Context, rc *graphql.OperationContext,
) (graphql.ResponseHandler, context.Context) {
	return func(ctx context.Context) *graphql.Response {
		if ctx.Err() != nil {
			return nil // as gqlgen's executor answers once the request has ended
		}
		return &graphql.Response{Data: json.RawMessage(`{"a":"<ran>"}`)}
	}, ctx
}

func (fakeExecutor) DispatchError(ctx context.Context, list gqlerror.List) *graphql.Response {
	return &graphql.Response{Errors: list}
}

// The data goes out as the executor wrote it: JSON does not need <, > and &
// escaped, so they are not, unlike in encoding/json's output.
func TestDataIsWrittenAsTheExecutorWroteIt(t *testing.T) {
	var got bytes.Buffer
	writeResponse(&got, &graphql.Response{Data: json.RawMessage(`{"name":"Mwanga <Coffee> & Sons"}`)})
	if want := `{"data":{"name":"Mwanga <Coffee> & Sons"}}`; got.String() != want {
		t.Errorf("got %s, want %s", got.String(), want)
	}
}
