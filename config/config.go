// Package config loads the gateway's settings once, from flags and environment
// variables, and validates them before anything starts.
package config

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"net/url"
	"os"
	"strconv"
	"strings"
	"time"
)

// Config is every setting of the gateway. Flags win over environment variables,
// which win over the defaults.
type Config struct {
	Addr        string // GATEWAY_ADDR, -addr
	UpstreamURL string // CAPE_API_URL, -upstream; empty starts the built-in simulator

	Batch            string        // CAPE_BATCH: each or filter
	BatchWait        time.Duration // CAPE_BATCH_WAIT
	BatchConcurrency int           // CAPE_BATCH_CONCURRENCY
	UpstreamTimeout  time.Duration // UPSTREAM_TIMEOUT: one call, retries included
	UpstreamRetries  int           // UPSTREAM_RETRIES: extra attempts of a GET
	UpstreamBackoff  time.Duration // UPSTREAM_RETRY_BACKOFF: first wait between attempts
	BreakerFailures  int           // UPSTREAM_BREAKER_FAILURES: 0 turns the breakers off
	BreakerCooldown  time.Duration // UPSTREAM_BREAKER_COOLDOWN
	Compression      string        // UPSTREAM_COMPRESSION: auto, gzip or none
	Routes           map[string]string

	CacheTTL        time.Duration // CACHE_TTL: reference records kept across requests; 0 = off
	CacheMaxEntries int           // CACHE_MAX_ENTRIES: bound of the in-memory cache
	RedisURL        string        // REDIS_URL: keeps the caches in Redis instead of memory
	PprofAddr       string        // PPROF_ADDR: own listener for net/http/pprof; empty = off

	JWTMode                     string        // JWT_MODE: verify or forward
	JWKSURL                     string        // JWT_JWKS_URL
	PublicKeyFile               string        // JWT_PUBLIC_KEY_FILE
	Issuer                      string        // JWT_ISSUER
	Audience                    string        // JWT_AUDIENCE
	Leeway                      time.Duration // JWT_LEEWAY
	TokenCacheTTL               time.Duration // JWT_CACHE_TTL: verified tokens remembered; 0 = off
	Algorithms                  []string      // JWT_ALGORITHMS, comma separated
	AllowAnonymousIntrospection bool          // JWT_ALLOW_ANONYMOUS_INTROSPECTION

	Introspection   bool          // GRAPHQL_INTROSPECTION
	MaxBodyBytes    int64         // GRAPHQL_MAX_BODY_BYTES: largest POST body
	MaxTokens       int           // GRAPHQL_MAX_TOKENS: parser tokens per document
	MaxDepth        int           // GRAPHQL_MAX_DEPTH: field nesting, root fields at 1
	MaxAliases      int           // GRAPHQL_MAX_ALIASES
	MaxRootFields   int           // GRAPHQL_MAX_ROOT_FIELDS
	MaxCost         int           // GRAPHQL_MAX_COST: connections cost first x children
	APQCacheSize    int           // GRAPHQL_APQ_CACHE_SIZE: persisted queries kept; 0 = off
	CORSOrigins     []string      // CORS_ALLOWED_ORIGINS, comma separated; empty = no CORS
	ShutdownTimeout time.Duration // SHUTDOWN_TIMEOUT
	ShutdownDelay   time.Duration // SHUTDOWN_DELAY: not ready yet still serving, before stopping
	OTLPEndpoint    string        // OTEL_EXPORTER_OTLP_[TRACES_]ENDPOINT: turns tracing on
	otlpFrom        string        // which of the two OTLPEndpoint came from
	LogLevel        string        // LOG_LEVEL: debug, info, warn, error
	LogFormat       string        // LOG_FORMAT: json, text or auto

	GraphiQLAssetsDir string // GRAPHIQL_ASSETS_DIR: GraphiQL's files, served instead of the CDN's

	SimLeads   int           // SIM_LEADS: leads seeded by the built-in simulator
	SimSeed    int64         // SIM_SEED
	SimLatency time.Duration // SIM_LATENCY

	// GOGC as set, checked here only: Go's runtime applies it, and ignores a
	// value it cannot read.
	GOGC string
}

// RouteNames are the upstream routes whose paths can be overridden with
// CAPE_ROUTE_<NAME>, for example CAPE_ROUTE_LEAD_CATEGORIES=/api/v2/lead-categories.
var RouteNames = []string{
	"LEADS", "LEAD_CATEGORIES", "SOURCES", "PRODUCTS", "PARTNERS", "USERS",
	"USERS_BY_ROLE", "USER_INFO", "REGISTER", "REGISTER_CONSUMER", "REVENUE_KPI",
}

// Load reads the settings from args (without the program name) and getenv.
func Load(args []string, getenv func(string) string) (Config, error) {
	env := envReader{getenv: getenv}
	otlp := env.str("OTEL_EXPORTER_OTLP_ENDPOINT", "")
	c := Config{
		Addr:                        env.str("GATEWAY_ADDR", ":8080"),
		UpstreamURL:                 env.str("CAPE_API_URL", ""),
		Batch:                       env.str("CAPE_BATCH", "each"),
		BatchWait:                   env.duration("CAPE_BATCH_WAIT", time.Millisecond),
		BatchConcurrency:            env.int("CAPE_BATCH_CONCURRENCY", 16),
		UpstreamTimeout:             env.duration("UPSTREAM_TIMEOUT", 10*time.Second),
		UpstreamRetries:             env.int("UPSTREAM_RETRIES", 2),
		UpstreamBackoff:             env.duration("UPSTREAM_RETRY_BACKOFF", 100*time.Millisecond),
		BreakerFailures:             env.int("UPSTREAM_BREAKER_FAILURES", 5),
		BreakerCooldown:             env.duration("UPSTREAM_BREAKER_COOLDOWN", 10*time.Second),
		Compression:                 env.str("UPSTREAM_COMPRESSION", "auto"),
		JWTMode:                     env.str("JWT_MODE", "verify"),
		JWKSURL:                     env.str("JWT_JWKS_URL", ""),
		PublicKeyFile:               env.str("JWT_PUBLIC_KEY_FILE", ""),
		Issuer:                      env.str("JWT_ISSUER", ""),
		Audience:                    env.str("JWT_AUDIENCE", ""),
		Leeway:                      env.duration("JWT_LEEWAY", 30*time.Second),
		TokenCacheTTL:               env.duration("JWT_CACHE_TTL", time.Minute),
		Algorithms:                  env.list("JWT_ALGORITHMS", "RS256"),
		AllowAnonymousIntrospection: env.bool("JWT_ALLOW_ANONYMOUS_INTROSPECTION", false),
		Introspection:               env.bool("GRAPHQL_INTROSPECTION", true),
		MaxBodyBytes:                int64(env.int("GRAPHQL_MAX_BODY_BYTES", 1<<20)),
		MaxTokens:                   env.int("GRAPHQL_MAX_TOKENS", 2_000),
		MaxDepth:                    env.int("GRAPHQL_MAX_DEPTH", 15),
		MaxAliases:                  env.int("GRAPHQL_MAX_ALIASES", 30),
		MaxRootFields:               env.int("GRAPHQL_MAX_ROOT_FIELDS", 20),
		MaxCost:                     env.int("GRAPHQL_MAX_COST", 10_000),
		APQCacheSize:                env.int("GRAPHQL_APQ_CACHE_SIZE", 1000),
		CORSOrigins:                 env.list("CORS_ALLOWED_ORIGINS", ""),
		GraphiQLAssetsDir:           env.str("GRAPHIQL_ASSETS_DIR", ""),
		ShutdownTimeout:             env.duration("SHUTDOWN_TIMEOUT", 15*time.Second),
		ShutdownDelay:               env.duration("SHUTDOWN_DELAY", 0),
		OTLPEndpoint:                env.str("OTEL_EXPORTER_OTLP_TRACES_ENDPOINT", otlp),
		otlpFrom:                    "OTEL_EXPORTER_OTLP_ENDPOINT",
		LogLevel:                    env.str("LOG_LEVEL", "info"),
		LogFormat:                   env.str("LOG_FORMAT", "auto"),
		SimLeads:                    env.int("SIM_LEADS", 5000),
		SimSeed:                     int64(env.int("SIM_SEED", 1)),
		SimLatency:                  env.duration("SIM_LATENCY", 0),
		GOGC:                        getenv("GOGC"), // untrimmed, as the runtime reads it
		Routes:                      map[string]string{},
		CacheTTL:                    env.duration("CACHE_TTL", 30*time.Second),
		CacheMaxEntries:             env.int("CACHE_MAX_ENTRIES", 10_000),
		RedisURL:                    env.str("REDIS_URL", ""),
		PprofAddr:                   env.str("PPROF_ADDR", ""),
	}
	if env.str("OTEL_EXPORTER_OTLP_TRACES_ENDPOINT", "") != "" {
		c.otlpFrom = "OTEL_EXPORTER_OTLP_TRACES_ENDPOINT"
	}
	for _, name := range RouteNames {
		if v := getenv("CAPE_ROUTE_" + name); v != "" {
			c.Routes[name] = v
		}
	}

	fs := flag.NewFlagSet("cape-gateway", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	fs.StringVar(&c.Addr, "addr", c.Addr, "listen address (GATEWAY_ADDR)")
	fs.StringVar(&c.UpstreamURL, "upstream", c.UpstreamURL, "Cape API base URL (CAPE_API_URL)")
	if err := fs.Parse(args); err != nil {
		return Config{}, fmt.Errorf("flags: %w", err)
	}
	if fs.NArg() > 0 {
		return Config{}, fmt.Errorf("flags: unexpected argument %q", fs.Arg(0))
	}

	if err := errors.Join(env.errs...); err != nil {
		return Config{}, err
	}
	return c, c.Validate()
}

// Validate checks the settings together, naming the bad one.
func (c Config) Validate() error {
	var errs []error
	bad := func(name, format string, args ...any) {
		errs = append(errs, fmt.Errorf("%s: %s", name, fmt.Sprintf(format, args...)))
	}

	if _, _, err := net.SplitHostPort(c.Addr); err != nil {
		bad("GATEWAY_ADDR", "%q is not host:port", c.Addr)
	}
	if c.UpstreamURL != "" {
		u, err := url.Parse(c.UpstreamURL)
		if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
			bad("CAPE_API_URL", "%q is not an http or https URL", c.UpstreamURL)
		}
	}
	if c.Batch != "each" && c.Batch != "filter" {
		bad("CAPE_BATCH", "%q is neither each nor filter", c.Batch)
	}
	if c.BatchWait < 0 || c.BatchWait > time.Second {
		bad("CAPE_BATCH_WAIT", "%s is outside 0 to 1s", c.BatchWait)
	}
	if c.BatchConcurrency < 1 {
		bad("CAPE_BATCH_CONCURRENCY", "must be at least 1")
	}
	if c.UpstreamTimeout <= 0 {
		bad("UPSTREAM_TIMEOUT", "must be positive")
	}
	if c.Compression != "auto" && c.Compression != "gzip" && c.Compression != "none" {
		bad("UPSTREAM_COMPRESSION", "%q is not auto, gzip or none", c.Compression)
	}
	if c.UpstreamRetries < 0 || c.UpstreamRetries > 10 {
		bad("UPSTREAM_RETRIES", "%d is outside 0 to 10", c.UpstreamRetries)
	}
	if c.UpstreamBackoff <= 0 || c.UpstreamBackoff > time.Minute {
		bad("UPSTREAM_RETRY_BACKOFF", "%s is outside 1ns to 1m", c.UpstreamBackoff)
	}
	if c.BreakerFailures < 0 {
		bad("UPSTREAM_BREAKER_FAILURES", "must not be negative")
	}
	if c.BreakerCooldown <= 0 {
		bad("UPSTREAM_BREAKER_COOLDOWN", "must be positive")
	}
	for name, path := range c.Routes {
		if !strings.HasPrefix(path, "/") {
			bad("CAPE_ROUTE_"+name, "%q must start with /", path)
		}
	}
	switch c.JWTMode {
	case "verify":
		if c.JWKSURL != "" && c.PublicKeyFile != "" {
			bad("JWT_JWKS_URL", "set either JWT_JWKS_URL or JWT_PUBLIC_KEY_FILE, not both")
		}
		if c.UpstreamURL != "" && c.JWKSURL == "" && c.PublicKeyFile == "" {
			bad("JWT_JWKS_URL", "verify mode with CAPE_API_URL needs JWT_JWKS_URL or "+
				"JWT_PUBLIC_KEY_FILE (or JWT_MODE=forward)")
		}
		if c.JWKSURL != "" && !isHTTPURL(c.JWKSURL) {
			bad("JWT_JWKS_URL", "%q is not an http or https URL", c.JWKSURL)
		}
	case "forward":
	default:
		bad("JWT_MODE", "%q is neither verify nor forward", c.JWTMode)
	}
	if c.Leeway < 0 || c.Leeway > 5*time.Minute {
		bad("JWT_LEEWAY", "%s is outside 0 to 5m", c.Leeway)
	}
	if c.TokenCacheTTL < 0 {
		bad("JWT_CACHE_TTL", "%s is negative", c.TokenCacheTTL)
	}
	if len(c.Algorithms) == 0 {
		bad("JWT_ALGORITHMS", "must name at least one algorithm")
	}
	if c.ShutdownTimeout <= 0 {
		bad("SHUTDOWN_TIMEOUT", "must be positive")
	}
	if c.ShutdownDelay < 0 || c.ShutdownDelay > time.Minute {
		bad("SHUTDOWN_DELAY", "%s is outside 0 to 1m", c.ShutdownDelay)
	}
	if c.OTLPEndpoint != "" {
		u, err := url.Parse(c.OTLPEndpoint)
		if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
			bad(c.otlpFrom, "%q is not an http or https URL", c.OTLPEndpoint)
		}
	}
	switch c.LogLevel {
	case "debug", "info", "warn", "error":
	default:
		bad("LOG_LEVEL", "%q is not debug, info, warn or error", c.LogLevel)
	}
	switch c.LogFormat {
	case "auto", "json", "text":
	default:
		bad("LOG_FORMAT", "%q is not auto, json or text", c.LogFormat)
	}
	if c.GraphiQLAssetsDir != "" {
		if info, err := os.Stat(c.GraphiQLAssetsDir); err != nil || !info.IsDir() {
			bad("GRAPHIQL_ASSETS_DIR", "%q is not a folder", c.GraphiQLAssetsDir)
		}
	}
	errs = append(errs, c.validateLimits()...)
	errs = append(errs, c.validateCache()...)
	if c.SimLeads < 1 || c.SimLeads > 1_000_000 {
		bad("SIM_LEADS", "%d is outside 1 to 1000000", c.SimLeads)
	}
	if c.SimLatency < 0 || c.SimLatency > time.Minute {
		bad("SIM_LATENCY", "%s is outside 0 to 1m", c.SimLatency)
	}
	if _, err := strconv.Atoi(c.GOGC); c.GOGC != "" && c.GOGC != "off" && err != nil {
		bad("GOGC", "%q is neither a percentage nor off", c.GOGC)
	}
	return errors.Join(errs...)
}

// validateLimits checks the request limits and the CORS origins.
func (c Config) validateLimits() []error {
	var errs []error
	if c.MaxBodyBytes < 1024 {
		errs = append(errs, fmt.Errorf("GRAPHQL_MAX_BODY_BYTES: %d is below 1024", c.MaxBodyBytes))
	}
	atLeast := []struct {
		name     string
		value, n int
	}{
		{"GRAPHQL_MAX_TOKENS", c.MaxTokens, 1},
		{"GRAPHQL_MAX_DEPTH", c.MaxDepth, 1},
		{"GRAPHQL_MAX_ALIASES", c.MaxAliases, 0},
		{"GRAPHQL_MAX_ROOT_FIELDS", c.MaxRootFields, 1},
		{"GRAPHQL_MAX_COST", c.MaxCost, 1},
		{"GRAPHQL_APQ_CACHE_SIZE", c.APQCacheSize, 0},
	}
	for _, s := range atLeast {
		if s.value < s.n {
			errs = append(errs, fmt.Errorf("%s: %d is below %d", s.name, s.value, s.n))
		}
	}
	for _, origin := range c.CORSOrigins {
		if origin == "*" {
			continue
		}
		u, err := url.Parse(origin)
		if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" ||
			(u.Path != "" && u.Path != "/") || u.RawQuery != "" {
			errs = append(errs, fmt.Errorf(
				"CORS_ALLOWED_ORIGINS: %q is not an origin such as https://app.example.com", origin))
		}
	}
	return errs
}

// isHTTPURL reports whether s is an absolute http or https URL with a host.
func isHTTPURL(s string) bool {
	u, err := url.Parse(s)
	return err == nil && (u.Scheme == "http" || u.Scheme == "https") && u.Host != ""
}

// envReader reads typed environment variables, collecting what it cannot parse.
type envReader struct {
	getenv func(string) string
	errs   []error
}

func (e *envReader) str(name, def string) string {
	if v := strings.TrimSpace(e.getenv(name)); v != "" {
		return v
	}
	return def
}

func (e *envReader) int(name string, def int) int {
	v := e.str(name, "")
	if v == "" {
		return def
	}
	n, err := strconv.Atoi(v)
	if err != nil {
		e.errs = append(e.errs, fmt.Errorf("%s: %q is not a whole number", name, v))
	}
	return n
}

func (e *envReader) duration(name string, def time.Duration) time.Duration {
	v := e.str(name, "")
	if v == "" {
		return def
	}
	d, err := time.ParseDuration(v)
	if err != nil {
		e.errs = append(e.errs, fmt.Errorf("%s: %q is not a duration such as 10s or 500ms", name, v))
	}
	return d
}

func (e *envReader) bool(name string, def bool) bool {
	v := e.str(name, "")
	if v == "" {
		return def
	}
	b, err := strconv.ParseBool(v)
	if err != nil {
		e.errs = append(e.errs, fmt.Errorf("%s: %q is not true or false", name, v))
	}
	return b
}

func (e *envReader) list(name, def string) []string {
	var out []string
	for _, part := range strings.Split(e.str(name, def), ",") {
		if part = strings.TrimSpace(part); part != "" {
			out = append(out, part)
		}
	}
	return out
}

// validateCache checks the cross-request cache and the profiling listener.
func (c Config) validateCache() []error {
	var errs []error
	if c.CacheTTL < 0 || c.CacheTTL > 24*time.Hour {
		errs = append(errs, fmt.Errorf("CACHE_TTL: %s is outside 0 to 24h", c.CacheTTL))
	}
	if c.CacheMaxEntries < 1 {
		errs = append(errs, fmt.Errorf("CACHE_MAX_ENTRIES: %d is below 1", c.CacheMaxEntries))
	}
	if c.RedisURL != "" {
		u, err := url.Parse(c.RedisURL)
		if err != nil || (u.Scheme != "redis" && u.Scheme != "rediss" && u.Scheme != "unix") {
			errs = append(errs, fmt.Errorf(
				"REDIS_URL: not a redis://, rediss:// or unix:// URL such as redis://localhost:6379/0"))
		}
	}
	if c.PprofAddr != "" {
		if _, _, err := net.SplitHostPort(c.PprofAddr); err != nil {
			errs = append(errs, fmt.Errorf("PPROF_ADDR: %q is not host:port", c.PprofAddr))
		}
	}
	return errs
}
