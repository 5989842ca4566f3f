package auth

import (
	"bytes"
	"log/slog"
	"strings"
	"sync"
	"testing"
	"time"
)

// lockedBuffer is a bytes.Buffer safe for the key set's goroutines.
type lockedBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *lockedBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *lockedBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

func TestKeySetFailuresAreLoggedWithTheConfiguredLogger(t *testing.T) {
	server := newJWKSServer(t)
	server.setFailing(true)
	var out lockedBuffer
	cfg := Config{
		JWKSURL: server.URL, startupRetry: time.Hour,
		Logger: slog.New(slog.NewJSONHandler(&out, nil)),
	}

	if _, err := NewVerifier(t.Context(), cfg); err != nil {
		t.Fatalf("NewVerifier: %v", err)
	}
	got := out.String()
	if !strings.Contains(got, `"msg":"auth: refresh JWKS"`) ||
		!strings.Contains(got, `"jwks_url":"`+server.URL+`"`) {
		t.Errorf("log = %q, want the failed first fetch logged as JSON with its URL", got)
	}
}
