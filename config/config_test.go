package config

import (
	"strings"
	"testing"
	"time"
)

func env(vars map[string]string) func(string) string {
	return func(k string) string { return vars[k] }
}

func TestLoadDefaults(t *testing.T) {
	c, err := Load(nil, env(nil))
	if err != nil {
		t.Fatalf("err = %v", err)
	}
	if c.Addr != ":8080" || c.UpstreamURL != "" || c.Batch != "each" || c.JWTMode != "verify" {
		t.Errorf("defaults = %+v", c)
	}
	if c.UpstreamTimeout != 10*time.Second || c.Leeway != 30*time.Second || !c.Introspection {
		t.Errorf("defaults = %+v", c)
	}
	if c.Compression != "auto" {
		t.Errorf("Compression = %q, want auto", c.Compression)
	}
	if c.TokenCacheTTL != 60*time.Second {
		t.Errorf("TokenCacheTTL = %s, want 1m0s", c.TokenCacheTTL)
	}
	if c.UpstreamRetries != 2 || c.UpstreamBackoff != 100*time.Millisecond ||
		c.BreakerFailures != 5 || c.BreakerCooldown != 10*time.Second {
		t.Errorf("resilience defaults = %+v", c)
	}
}

func TestFlagsWinOverEnvironment(t *testing.T) {
	c, err := Load([]string{"-addr", "127.0.0.1:9999", "-upstream", "http://up:1/commercial"},
		env(map[string]string{"GATEWAY_ADDR": ":1", "CAPE_API_URL": "http://x/y", "JWT_MODE": "forward"}))
	if err != nil {
		t.Fatalf("err = %v", err)
	}
	if c.Addr != "127.0.0.1:9999" || c.UpstreamURL != "http://up:1/commercial" {
		t.Errorf("addr, upstream = %q, %q", c.Addr, c.UpstreamURL)
	}
}

func TestLoadNamesTheBadSetting(t *testing.T) {
	tests := []struct {
		name string
		vars map[string]string
		args []string
		want string
	}{
		{name: "unknown batch strategy", vars: map[string]string{"CAPE_BATCH": "some"}, want: "CAPE_BATCH"},
		{name: "upstream without a scheme", vars: map[string]string{"CAPE_API_URL": "api.example.com"}, want: "CAPE_API_URL"},
		{name: "duration without a unit", vars: map[string]string{"UPSTREAM_TIMEOUT": "10"}, want: "UPSTREAM_TIMEOUT"},
		{
			name: "negative retries",
			vars: map[string]string{"UPSTREAM_RETRIES": "-1"}, want: "UPSTREAM_RETRIES",
		},
		{
			name: "zero retry backoff",
			vars: map[string]string{"UPSTREAM_RETRY_BACKOFF": "0s"}, want: "UPSTREAM_RETRY_BACKOFF",
		},
		{
			name: "negative breaker failures",
			vars: map[string]string{"UPSTREAM_BREAKER_FAILURES": "-2"}, want: "UPSTREAM_BREAKER_FAILURES",
		},
		{
			name: "zero breaker cooldown",
			vars: map[string]string{"UPSTREAM_BREAKER_COOLDOWN": "0s"}, want: "UPSTREAM_BREAKER_COOLDOWN",
		},
		{name: "unknown JWT mode", vars: map[string]string{"JWT_MODE": "trust"}, want: "JWT_MODE"},
		{name: "negative simulator latency", vars: map[string]string{"SIM_LATENCY": "-1s"}, want: "SIM_LATENCY"},
		{name: "bad traces endpoint", vars: map[string]string{"OTEL_EXPORTER_OTLP_TRACES_ENDPOINT": "bogus"},
			want: "OTEL_EXPORTER_OTLP_TRACES_ENDPOINT"},
		{name: "bad OTLP endpoint", vars: map[string]string{"OTEL_EXPORTER_OTLP_ENDPOINT": "bogus"},
			want: "OTEL_EXPORTER_OTLP_ENDPOINT"},
		{name: "unreadable GOGC", vars: map[string]string{"GOGC": "abc"}, want: "GOGC"},
		{name: "GOGC with a space, which Go ignores", vars: map[string]string{"GOGC": "50 "}, want: "GOGC"},
		{name: "unknown compression", vars: map[string]string{"UPSTREAM_COMPRESSION": "br"}, want: "UPSTREAM_COMPRESSION"},
		{name: "negative token cache TTL", vars: map[string]string{"JWT_CACHE_TTL": "-1s"}, want: "JWT_CACHE_TTL"},
		{name: "token cache TTL without a unit", vars: map[string]string{"JWT_CACHE_TTL": "60"}, want: "JWT_CACHE_TTL"},
		{
			name: "real upstream in verify mode without keys",
			vars: map[string]string{"CAPE_API_URL": "https://api.example.com/commercial"}, want: "JWT_JWKS_URL",
		},
		{
			name: "key set URL of another scheme",
			vars: map[string]string{"JWT_JWKS_URL": "ftp://keys.example.com/certs"}, want: "JWT_JWKS_URL",
		},
		{name: "key set URL without a host", vars: map[string]string{"JWT_JWKS_URL": "http://"}, want: "JWT_JWKS_URL"},
		{name: "boolean that is not one", vars: map[string]string{"GRAPHQL_INTROSPECTION": "maybe"}, want: "GRAPHQL_INTROSPECTION"},
		{name: "route override without a slash", vars: map[string]string{"CAPE_ROUTE_LEADS": "leads"}, want: "CAPE_ROUTE_LEADS"},
		{name: "unknown flag", args: []string{"-port", "1"}, want: "flags"},
		{name: "address without a port", vars: map[string]string{"GATEWAY_ADDR": "localhost"}, want: "GATEWAY_ADDR"},
		{
			name: "body limit below 1 KiB",
			vars: map[string]string{"GRAPHQL_MAX_BODY_BYTES": "100"}, want: "GRAPHQL_MAX_BODY_BYTES",
		},
		{name: "zero depth", vars: map[string]string{"GRAPHQL_MAX_DEPTH": "0"}, want: "GRAPHQL_MAX_DEPTH"},
		{name: "negative cache TTL", vars: map[string]string{"CACHE_TTL": "-1s"}, want: "CACHE_TTL"},
		{
			name: "cache of no entries",
			vars: map[string]string{"CACHE_MAX_ENTRIES": "0"}, want: "CACHE_MAX_ENTRIES",
		},
		{
			name: "Redis URL of another scheme",
			vars: map[string]string{"REDIS_URL": "http://localhost:6379"}, want: "REDIS_URL",
		},
		{name: "pprof address without a port", vars: map[string]string{"PPROF_ADDR": "localhost"}, want: "PPROF_ADDR"},
		{name: "zero cost", vars: map[string]string{"GRAPHQL_MAX_COST": "0"}, want: "GRAPHQL_MAX_COST"},
		{
			name: "negative persisted query cache",
			vars: map[string]string{"GRAPHQL_APQ_CACHE_SIZE": "-1"}, want: "GRAPHQL_APQ_CACHE_SIZE",
		},
		{
			name: "CORS origin with a path",
			vars: map[string]string{"CORS_ALLOWED_ORIGINS": "https://app.example.com/x"},
			want: "CORS_ALLOWED_ORIGINS",
		},
		{
			name: "GraphiQL assets folder that does not exist",
			vars: map[string]string{"GRAPHIQL_ASSETS_DIR": "/nonexistent/graphiql"},
			want: "GRAPHIQL_ASSETS_DIR",
		},
		{name: "negative shutdown delay", vars: map[string]string{"SHUTDOWN_DELAY": "-1s"}, want: "SHUTDOWN_DELAY"},
		{
			name: "OTLP endpoint that is not a URL",
			vars: map[string]string{"OTEL_EXPORTER_OTLP_ENDPOINT": "collector:4318"},
			want: "OTEL_EXPORTER_OTLP_ENDPOINT",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Load(tt.args, env(tt.vars))
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("err = %v, want it to name %s", err, tt.want)
			}
		})
	}
}

func TestTracingFollowsTheStandardOTLPVariables(t *testing.T) {
	tests := []struct {
		name string
		vars map[string]string
		want string
	}{
		{name: "off by default", vars: nil, want: ""},
		{
			name: "on with the general endpoint",
			vars: map[string]string{"OTEL_EXPORTER_OTLP_ENDPOINT": "http://collector:4318"},
			want: "http://collector:4318",
		},
		{
			name: "the traces endpoint wins",
			vars: map[string]string{
				"OTEL_EXPORTER_OTLP_ENDPOINT":        "http://collector:4318",
				"OTEL_EXPORTER_OTLP_TRACES_ENDPOINT": "https://traces:4318/v1/traces",
			},
			want: "https://traces:4318/v1/traces",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, err := Load(nil, env(tt.vars))
			if err != nil {
				t.Fatal(err)
			}
			if c.OTLPEndpoint != tt.want {
				t.Errorf("OTLPEndpoint = %q, want %q", c.OTLPEndpoint, tt.want)
			}
		})
	}
}

func TestCacheDefaultsKeepThirtySecondsInMemoryWithoutProfiling(t *testing.T) {
	c, err := Load(nil, env(nil))
	if err != nil {
		t.Fatalf("err = %v", err)
	}
	if c.CacheTTL != 30*time.Second || c.CacheMaxEntries != 10_000 {
		t.Errorf("CacheTTL, CacheMaxEntries = %s, %d, want 30s, 10000", c.CacheTTL, c.CacheMaxEntries)
	}
	if c.RedisURL != "" || c.PprofAddr != "" {
		t.Errorf("RedisURL, PprofAddr = %q, %q, want both empty", c.RedisURL, c.PprofAddr)
	}
}

func TestTokenCacheTTL(t *testing.T) {
	tests := []struct {
		value string
		want  time.Duration
	}{
		{value: "", want: 60 * time.Second},
		{value: "0", want: 0},
		{value: "0s", want: 0},
		{value: "5m", want: 5 * time.Minute},
		{value: " 1500ms ", want: 1500 * time.Millisecond},
	}
	for _, tt := range tests {
		t.Run(tt.value, func(t *testing.T) {
			c, err := Load(nil, env(map[string]string{"JWT_CACHE_TTL": tt.value}))
			if err != nil {
				t.Fatalf("err = %v", err)
			}
			if c.TokenCacheTTL != tt.want {
				t.Errorf("TokenCacheTTL = %s, want %s", c.TokenCacheTTL, tt.want)
			}
		})
	}
}

func TestGOGCValuesGoAccepts(t *testing.T) {
	for _, v := range []string{"", "off", "100", "400", "0"} {
		if _, err := Load(nil, env(map[string]string{"GOGC": v})); err != nil {
			t.Errorf("GOGC=%q: %v", v, err)
		}
	}
}
