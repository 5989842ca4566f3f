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
	UpstreamTimeout  time.Duration // UPSTREAM_TIMEOUT
	Routes           map[string]string

	JWTMode                     string        // JWT_MODE: verify or forward
	JWKSURL                     string        // JWT_JWKS_URL
	PublicKeyFile               string        // JWT_PUBLIC_KEY_FILE
	Issuer                      string        // JWT_ISSUER
	Audience                    string        // JWT_AUDIENCE
	Leeway                      time.Duration // JWT_LEEWAY
	Algorithms                  []string      // JWT_ALGORITHMS, comma separated
	AllowAnonymousIntrospection bool          // JWT_ALLOW_ANONYMOUS_INTROSPECTION

	Introspection   bool          // GRAPHQL_INTROSPECTION
	ShutdownTimeout time.Duration // SHUTDOWN_TIMEOUT
	LogLevel        string        // LOG_LEVEL: debug, info, warn, error
	LogFormat       string        // LOG_FORMAT: json, text or auto

	SimLeads   int           // SIM_LEADS: leads seeded by the built-in simulator
	SimSeed    int64         // SIM_SEED
	SimLatency time.Duration // SIM_LATENCY
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
	c := Config{
		Addr:                        env.str("GATEWAY_ADDR", ":8080"),
		UpstreamURL:                 env.str("CAPE_API_URL", ""),
		Batch:                       env.str("CAPE_BATCH", "each"),
		BatchWait:                   env.duration("CAPE_BATCH_WAIT", time.Millisecond),
		BatchConcurrency:            env.int("CAPE_BATCH_CONCURRENCY", 16),
		UpstreamTimeout:             env.duration("UPSTREAM_TIMEOUT", 10*time.Second),
		JWTMode:                     env.str("JWT_MODE", "verify"),
		JWKSURL:                     env.str("JWT_JWKS_URL", ""),
		PublicKeyFile:               env.str("JWT_PUBLIC_KEY_FILE", ""),
		Issuer:                      env.str("JWT_ISSUER", ""),
		Audience:                    env.str("JWT_AUDIENCE", ""),
		Leeway:                      env.duration("JWT_LEEWAY", 30*time.Second),
		Algorithms:                  env.list("JWT_ALGORITHMS", "RS256"),
		AllowAnonymousIntrospection: env.bool("JWT_ALLOW_ANONYMOUS_INTROSPECTION", false),
		Introspection:               env.bool("GRAPHQL_INTROSPECTION", true),
		ShutdownTimeout:             env.duration("SHUTDOWN_TIMEOUT", 15*time.Second),
		LogLevel:                    env.str("LOG_LEVEL", "info"),
		LogFormat:                   env.str("LOG_FORMAT", "auto"),
		SimLeads:                    env.int("SIM_LEADS", 5000),
		SimSeed:                     int64(env.int("SIM_SEED", 1)),
		SimLatency:                  env.duration("SIM_LATENCY", 0),
		Routes:                      map[string]string{},
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
			bad("JWT_JWKS_URL", "verify mode with CAPE_API_URL needs JWT_JWKS_URL or JWT_PUBLIC_KEY_FILE (or JWT_MODE=forward)")
		}
	case "forward":
	default:
		bad("JWT_MODE", "%q is neither verify nor forward", c.JWTMode)
	}
	if c.Leeway < 0 || c.Leeway > 5*time.Minute {
		bad("JWT_LEEWAY", "%s is outside 0 to 5m", c.Leeway)
	}
	if len(c.Algorithms) == 0 {
		bad("JWT_ALGORITHMS", "must name at least one algorithm")
	}
	if c.ShutdownTimeout <= 0 {
		bad("SHUTDOWN_TIMEOUT", "must be positive")
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
	if c.SimLeads < 1 || c.SimLeads > 1_000_000 {
		bad("SIM_LEADS", "%d is outside 1 to 1000000", c.SimLeads)
	}
	return errors.Join(errs...)
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
