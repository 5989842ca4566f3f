package edge

import (
	"fmt"
	"log/slog"
	"net/http"
	"runtime/debug"

	"github.com/capedigital/cape-gateway/graph"
	"github.com/capedigital/cape-gateway/telemetry"
)

// Recover turns a panic in next into a 500 answer with an INTERNAL_SERVER_ERROR
// GraphQL body and logs it once, with its stack, on the request's logger (or
// logger outside one). When next had
// already started its answer the connection is aborted instead, since the
// status can no longer change. http.ErrAbortHandler passes through untouched,
// as net/http expects. The server goes on serving other requests either way.
func Recover(logger *slog.Logger) func(http.Handler) http.Handler {
	return func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			rw := &startedWriter{ResponseWriter: w}
			defer func() {
				v := recover()
				if v == nil {
					return
				}
				if v == http.ErrAbortHandler {
					panic(v)
				}
				telemetry.Logger(r.Context(), logger).ErrorContext(r.Context(),
					"panic while serving a request",
					slog.String("method", r.Method), slog.String("path", r.URL.Path),
					slog.String("panic", fmt.Sprint(v)), slog.String("stack", string(debug.Stack())))
				if rw.started {
					panic(http.ErrAbortHandler)
				}
				writeError(w, http.StatusInternalServerError, graph.CodeInternal,
					"internal server error")
			}()
			next.ServeHTTP(rw, r)
		})
	}
}

// startedWriter records whether the answer's status line has been sent.
type startedWriter struct {
	http.ResponseWriter
	started bool
}

// WriteHeader implements http.ResponseWriter.
func (w *startedWriter) WriteHeader(status int) {
	if status >= 200 {
		w.started = true
	}
	w.ResponseWriter.WriteHeader(status)
}

// Write implements http.ResponseWriter.
func (w *startedWriter) Write(p []byte) (int, error) {
	w.started = true
	return w.ResponseWriter.Write(p)
}

// Flush implements http.Flusher when the underlying writer does.
func (w *startedWriter) Flush() {
	w.started = true
	http.NewResponseController(w.ResponseWriter).Flush()
}

// Unwrap gives http.ResponseController the underlying writer.
func (w *startedWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }
