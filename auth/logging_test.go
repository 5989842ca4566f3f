package auth

import (
	"log/slog"
	"strings"
	"testing"
	"time"

	"github.com/capedigital/cape-gateway/internal/testlog"
)

func TestKeySetFailuresAreLoggedWithTheConfiguredLogger(t *testing.T) {
	server := newJWKSServer(t)
	server.setFailing(true)
	var out testlog.Buffer
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
