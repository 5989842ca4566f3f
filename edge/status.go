package edge

import "net/http"

// ProtocolStatus answers 400 where gqlgen's transports answer 422 to an
// operation refused before it ran (parse, validation and limit failures), so
// that the status does not depend on whether the client's Accept header asked
// for application/json or application/graphql-response+json.
func ProtocolStatus(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		next.ServeHTTP(statusWriter{w}, r)
	})
}

// statusWriter turns a 422 status into 400.
type statusWriter struct {
	http.ResponseWriter
}

// WriteHeader implements http.ResponseWriter.
func (w statusWriter) WriteHeader(status int) {
	if status == http.StatusUnprocessableEntity {
		status = http.StatusBadRequest
	}
	w.ResponseWriter.WriteHeader(status)
}

// Unwrap gives http.ResponseController the underlying writer.
func (w statusWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }
