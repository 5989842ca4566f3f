package telemetry

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"log/slog"
	"slices"
	"sync"
	"sync/atomic"
)

// RequestIDHeader carries a request's id in and out.
const RequestIDHeader = "X-Request-ID"

// maxRequestID is the longest caller-sent request id kept as is.
const maxRequestID = 128

// request is what the hooks learn about one HTTP request. Middleware puts it
// in the context; the gqlgen extension, the upstream transport and the
// handlers inside fill it in; Middleware logs it when the request ends.
type request struct {
	id     string
	logger *slog.Logger

	upstreamCalls atomic.Int64

	mu sync.Mutex
	summary
}

// summary is the part of a request's record that is read when it ends.
type summary struct {
	status    int
	operation string // as parsed, for the log line
	opLabel   string // bounded, for metrics
	codes     []string
	subject   string
}

func (r *request) setStatus(code int) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.status == 0 {
		r.status = code
	}
}

// noteOperation records what the gqlgen extension learnt about the operation.
func (r *request) noteOperation(name, label, subject string, codes []string) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.operation, r.opLabel = name, label
	if subject != "" {
		r.subject = subject
	}
	for _, c := range codes {
		if !slices.Contains(r.codes, c) {
			r.codes = append(r.codes, c)
		}
	}
}

// snapshot copies the summary.
func (r *request) snapshot() summary {
	r.mu.Lock()
	defer r.mu.Unlock()
	s := r.summary
	s.codes = slices.Clone(s.codes)
	return s
}

type requestKey struct{}

func withRequest(ctx context.Context, r *request) context.Context {
	return context.WithValue(ctx, requestKey{}, r)
}

func requestFrom(ctx context.Context) *request {
	r, _ := ctx.Value(requestKey{}).(*request)
	return r
}

// RequestID returns the id of the request ctx belongs to, or "" outside one.
func RequestID(ctx context.Context) string {
	if r := requestFrom(ctx); r != nil {
		return r.id
	}
	return ""
}

// Logger returns the child logger of the request ctx belongs to, which
// carries its request_id, or fallback outside a request.
func Logger(ctx context.Context, fallback *slog.Logger) *slog.Logger {
	if r := requestFrom(ctx); r != nil {
		return r.logger
	}
	return fallback
}

// UpstreamCalls returns how many upstream calls the request ctx belongs to
// has made so far through Transport.
func UpstreamCalls(ctx context.Context) int64 {
	if r := requestFrom(ctx); r != nil {
		return r.upstreamCalls.Load()
	}
	return 0
}

// requestID keeps a caller's id when it is 1 to 128 characters of
// [A-Za-z0-9._-], and makes a new random one otherwise.
func requestID(sent string) string {
	if saneRequestID(sent) {
		return sent
	}
	var b [16]byte
	_, _ = rand.Read(b[:])
	return hex.EncodeToString(b[:])
}

func saneRequestID(s string) bool {
	if s == "" || len(s) > maxRequestID {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		ok := c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' ||
			c == '.' || c == '_' || c == '-'
		if !ok {
			return false
		}
	}
	return true
}
