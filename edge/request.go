package edge

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"

	"github.com/capedigital/cape-gateway/graph"
)

// Request refuses, before authentication, what gqlgen's transports would
// answer with an uncoded error or not at all. A method other than GET, POST
// and OPTIONS gets 405; a POST body that is not application/json gets 415; a
// body over maxBytes gets 413; a JSON body must be one JSON object: an array,
// which is how some clients batch operations, and anything that is not valid
// JSON get 400. Each carries the code BAD_USER_INPUT. The body passed on has
// been read into memory, so later readers cannot exceed maxBytes either.
func Request(maxBytes int64) func(http.Handler) http.Handler {
	return func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			switch r.Method {
			case http.MethodGet, http.MethodOptions:
				next.ServeHTTP(w, r)
				return
			case http.MethodPost:
			default:
				w.Header().Set("Allow", "GET, POST, OPTIONS")
				writeError(w, http.StatusMethodNotAllowed, graph.CodeBadUserInput,
					"method "+r.Method+" is not allowed: use GET or POST")
				return
			}

			body, status, message := readBody(w, r, maxBytes)
			if status != 0 {
				writeError(w, status, graph.CodeBadUserInput, message)
				return
			}
			r.Body = io.NopCloser(bytes.NewReader(body))
			r.ContentLength = int64(len(body))
			next.ServeHTTP(w, r)
		})
	}
}

// readBody reads r's body, returning an HTTP status and message when it must be
// refused.
func readBody(w http.ResponseWriter, r *http.Request, maxBytes int64) ([]byte, int, string) {
	mediaType, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type"))
	if mediaType != "application/json" {
		return nil, http.StatusUnsupportedMediaType,
			"the request body must be application/json"
	}
	tooLarge := fmt.Sprintf("request body exceeds %d bytes", maxBytes)
	if r.ContentLength > maxBytes {
		return nil, http.StatusRequestEntityTooLarge, tooLarge
	}

	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, maxBytes))
	var maxErr *http.MaxBytesError
	switch {
	case errors.As(err, &maxErr):
		return nil, http.StatusRequestEntityTooLarge, tooLarge
	case err != nil:
		return nil, http.StatusBadRequest, "the request body could not be read"
	}

	switch first := firstByte(body); {
	case first == '[':
		return nil, http.StatusBadRequest,
			"batched operations are not supported: send one operation per request"
	case first != '{' || !json.Valid(body):
		return nil, http.StatusBadRequest,
			"the request body must be a JSON object such as {\"query\": \"{ me { id } }\"}"
	}
	return body, 0, ""
}

// firstByte returns the first byte of b that is not JSON whitespace, or 0.
func firstByte(b []byte) byte {
	for _, c := range b {
		switch c {
		case ' ', '\t', '\r', '\n':
		default:
			return c
		}
	}
	return 0
}
