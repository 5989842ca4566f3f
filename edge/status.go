package edge

import (
	"bytes"
	"encoding/json"
	"net/http"
	"strconv"
	"unicode/utf8"

	"github.com/capedigital/cape-gateway/graph"
)

// ProtocolStatus makes the refusals of gqlgen's transports follow the gateway's
// error policy. It answers 400 where gqlgen answers 422 to an operation refused
// before it ran, so that the status does not depend on the client's Accept
// header; and it gives every error of a refusal (any status from 400 up) an
// extensions.code, replacing messages that would echo the request back.
func ProtocolStatus(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		sw := &statusWriter{ResponseWriter: w}
		next.ServeHTTP(sw, r)
		sw.finish()
	})
}

// statusWriter passes successful answers through and holds back refusals, which
// are small, so that finish can rewrite them.
type statusWriter struct {
	http.ResponseWriter
	status  int
	held    bytes.Buffer
	holding bool
}

// WriteHeader implements http.ResponseWriter.
func (w *statusWriter) WriteHeader(status int) {
	if status == http.StatusUnprocessableEntity {
		status = http.StatusBadRequest
	}
	if status >= 400 && w.status == 0 {
		w.status, w.holding = status, true
		return
	}
	if w.status == 0 {
		w.status = status
	}
	w.ResponseWriter.WriteHeader(status)
}

// Write implements http.ResponseWriter.
func (w *statusWriter) Write(p []byte) (int, error) {
	if w.status == 0 {
		w.WriteHeader(http.StatusOK)
	}
	if w.holding {
		if w.held.Len()+len(p) > maxHeldRefusal {
			w.release()
			return w.ResponseWriter.Write(p)
		}
		return w.held.Write(p)
	}
	return w.ResponseWriter.Write(p)
}

// maxHeldRefusal bounds what is held back; a larger refusal passes unchanged.
// A refusal is bounded by the request it answers, which the body cap and the
// token limit keep near a megabyte, so in practice every refusal is held.
const maxHeldRefusal = 4 << 20

// maxRefusalMessage is the longest error message, or name in an error's path,
// that a refusal keeps: one quoting a name from the request, which may be as
// long as the body, is cut there so that the answer does not echo the request
// back.
const maxRefusalMessage = 300

// release sends what is held back as it is.
func (w *statusWriter) release() {
	w.holding = false
	w.ResponseWriter.WriteHeader(w.status)
	w.ResponseWriter.Write(w.held.Bytes())
	w.held.Reset()
}

// finish writes a held refusal, each of its errors with a code.
func (w *statusWriter) finish() {
	if !w.holding {
		return
	}
	w.holding = false
	body := withCodes(w.held.Bytes(), w.status)
	w.Header().Set("Content-Length", strconv.Itoa(len(body)))
	// The body is JSON now; a GraphQL media type the transport chose stays.
	if ct := w.Header().Get("Content-Type"); ct != "application/json" &&
		ct != "application/graphql-response+json" {
		w.Header().Set("Content-Type", "application/json")
	}
	w.ResponseWriter.WriteHeader(w.status)
	w.ResponseWriter.Write(body)
}

// Unwrap gives http.ResponseController the underlying writer.
func (w *statusWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }

// withCodes adds a code to every error of a refusal body that has none. The
// transports' own messages can quote the request body, so those are replaced by
// a fixed one; a body that is not a GraphQL error list becomes one.
func withCodes(body []byte, status int) []byte {
	var resp struct {
		Errors []map[string]any `json:"errors"`
	}
	if err := json.Unmarshal(body, &resp); err != nil || len(resp.Errors) == 0 {
		resp.Errors = []map[string]any{{}}
	}
	for _, e := range resp.Errors {
		if msg, ok := e["message"].(string); ok && len(msg) > maxRefusalMessage {
			e["message"] = shorten(msg, maxRefusalMessage)
		}
		if path, ok := e["path"].([]any); ok {
			for i, p := range path {
				if name, ok := p.(string); ok && len(name) > maxRefusalMessage {
					path[i] = shorten(name, maxRefusalMessage)
				}
			}
		}
		ext, _ := e["extensions"].(map[string]any)
		if ext == nil {
			ext = map[string]any{}
			e["extensions"] = ext
		}
		if _, ok := ext["code"]; ok {
			continue
		}
		ext["code"] = graph.CodeBadUserInput
		e["message"] = refusalMessage(status)
	}
	out, err := json.Marshal(resp)
	if err != nil {
		return body
	}
	return out
}

// shorten cuts s to at most n bytes, at a character boundary, and marks the cut.
func shorten(s string, n int) string {
	for n > 0 && !utf8.RuneStart(s[n]) {
		n--
	}
	return s[:n] + "…"
}

// refusalMessage says what was wrong with a request the transport refused.
func refusalMessage(status int) string {
	switch status {
	case http.StatusMethodNotAllowed, http.StatusNotAcceptable:
		return "this operation cannot be sent with this HTTP method; send mutations with POST"
	case http.StatusUnsupportedMediaType:
		return "the request's content type is not supported"
	}
	return "the request is not a valid GraphQL request"
}
