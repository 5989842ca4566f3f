package gateway

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/netip"
	"net/url"
	"strings"
	"time"

	"github.com/99designs/gqlgen/graphql"
	"github.com/99designs/gqlgen/graphql/handler"
	"github.com/99designs/gqlgen/graphql/handler/extension"
	"github.com/99designs/gqlgen/graphql/handler/lru"
	"github.com/99designs/gqlgen/graphql/handler/transport"
	"github.com/99designs/gqlgen/graphql/playground"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"

	"github.com/capedigital/cape-gateway/auth"
	"github.com/capedigital/cape-gateway/cache"
	"github.com/capedigital/cape-gateway/config"
	"github.com/capedigital/cape-gateway/edge"
	"github.com/capedigital/cape-gateway/graph"
	"github.com/capedigital/cape-gateway/graphiql"
	"github.com/capedigital/cape-gateway/limits"
	"github.com/capedigital/cape-gateway/loaders"
	"github.com/capedigital/cape-gateway/simulator"
	"github.com/capedigital/cape-gateway/telemetry"
	"github.com/capedigital/cape-gateway/upstream"
)

// Gateway is the wired application: upstream client, optional simulator, token
// verifier and the HTTP handler.
type Gateway struct {
	cfg       config.Config
	logger    *slog.Logger
	sim       *simulator.Simulator
	client    *upstream.Client
	verifier  *auth.Verifier
	demoToken string
	assets    *graphiql.Assets // GraphiQL's files when served locally, else nil

	tel          *telemetry.Telemetry
	ready        *telemetry.Readiness
	spanExporter sdktrace.SpanExporter // set by tests; nil exports over OTLP when configured

	references *cache.Cache // reference records across requests, nil when off
	redis      *cache.Redis // the caches' Redis with REDIS_URL, else nil
}

// New wires the gateway. Without an upstream URL it starts the simulator on
// a loopback port and, unless JWT settings say otherwise, verifies tokens against
// the simulator's issuer and key set.
func New(ctx context.Context, cfg config.Config, logger *slog.Logger,
	opts ...Option,
) (*Gateway, error) {
	gw := &Gateway{cfg: cfg, logger: logger}
	for _, o := range opts {
		o(gw)
	}
	wired := false
	defer func() {
		if !wired {
			gw.Close()
		}
	}()

	if cfg.UpstreamURL == "" {
		if err := gw.startSimulator(); err != nil {
			return nil, err
		}
	}
	if err := gw.startTelemetry(ctx); err != nil {
		return nil, err
	}

	client, err := upstream.New(gw.cfg.UpstreamURL,
		upstream.WithHTTPClient(gw.instrument(upstreamHTTPClient())),
		upstream.WithObserver(gw.tel.Metrics),
		upstream.WithRoutes(routes(cfg.Routes)),
		upstream.WithUserAgent("cape-gateway"),
		upstream.WithTimeout(cfg.UpstreamTimeout),
		upstream.WithRetries(cfg.UpstreamRetries),
		upstream.WithCompression(askForGzip(cfg.Compression, gw.cfg.UpstreamURL)),
		upstream.WithRetryBackoff(cfg.UpstreamBackoff),
		upstream.WithBreaker(cfg.BreakerFailures, cfg.BreakerCooldown))
	if err != nil {
		return nil, fmt.Errorf("CAPE_API_URL: %w", err)
	}
	gw.client = client

	gw.verifier, err = auth.NewVerifier(ctx, gw.authConfig())
	if err != nil {
		return nil, fmt.Errorf("JWT settings: %w", err)
	}
	gw.ready = gw.readiness(upstreamHTTPClient())

	if cfg.GraphiQLAssetsDir != "" {
		if gw.assets, err = graphiql.Open(cfg.GraphiQLAssetsDir); err != nil {
			return nil, fmt.Errorf("GRAPHIQL_ASSETS_DIR: %w", err)
		}
	}

	if err := gw.startCaches(ctx); err != nil {
		return nil, err
	}
	wired = true
	return gw, nil
}

func (gw *Gateway) startSimulator() error {
	sim, err := simulator.New(simulator.Options{
		Leads: gw.cfg.SimLeads, Seed: gw.cfg.SimSeed, Latency: gw.cfg.SimLatency,
	})
	if err != nil {
		return fmt.Errorf("simulator: %w", err)
	}
	if err := sim.Start("127.0.0.1:0"); err != nil {
		return fmt.Errorf("simulator: %w", err)
	}
	gw.sim = sim
	gw.cfg.UpstreamURL = sim.URL() + "/commercial"
	if gw.cfg.JWTMode == "verify" && gw.cfg.JWKSURL == "" && gw.cfg.PublicKeyFile == "" {
		gw.cfg.JWKSURL = sim.JWKSURL()
		if gw.cfg.Issuer == "" {
			gw.cfg.Issuer = sim.Issuer()
		}
	}
	gw.demoToken, err = sim.DemoToken(12 * time.Hour)
	if err != nil {
		return fmt.Errorf("simulator: %w", err)
	}
	gw.logger.Info("no CAPE_API_URL set: serving the built-in Cape API simulator",
		slog.String("upstream", gw.cfg.UpstreamURL))
	return nil
}

func (gw *Gateway) authConfig() auth.Config {
	return auth.Config{
		Mode:                        auth.Mode(gw.cfg.JWTMode),
		JWKSURL:                     gw.cfg.JWKSURL,
		PublicKeyFile:               gw.cfg.PublicKeyFile,
		Issuer:                      gw.cfg.Issuer,
		Audience:                    gw.cfg.Audience,
		Leeway:                      gw.cfg.Leeway,
		TokenCacheTTL:               gw.cfg.TokenCacheTTL,
		Algorithms:                  gw.cfg.Algorithms,
		AllowAnonymousIntrospection: gw.cfg.AllowAnonymousIntrospection,
		Logger:                      gw.logger,
	}
}

// Handler returns the gateway's HTTP routes.
func (gw *Gateway) Handler() http.Handler { return gw.handler(gw.graphQLHandler()) }

// handler returns the gateway's HTTP routes around the GraphQL executor exec.
// Preflights, oversized and batched bodies are answered before authentication.
func (gw *Gateway) handler(exec http.Handler) http.Handler {
	batch, _ := loaders.ParseStrategy(gw.cfg.Batch)
	lcfg := loaders.Config{
		Strategy: batch, Wait: gw.cfg.BatchWait, Concurrency: gw.cfg.BatchConcurrency,
		Cache:   gw.references,
		Observe: gw.tel.Batch,
	}
	gql := edge.Request(gw.cfg.MaxBodyBytes)(auth.Middleware(gw.verifier, gw.authConfig())(
		loaders.Middleware(gw.client, lcfg)(edge.ProtocolStatus(exec))))

	mux := http.NewServeMux()
	mux.Handle("/query", gw.tel.GraphQL(gql))
	mux.Handle("GET /metrics", gw.tel.Metrics.Handler())
	mux.Handle("GET /readyz", gw.ready)
	mux.Handle("GET /{$}", gw.graphiQL())
	if gw.assets != nil {
		mux.Handle("GET "+graphiQLAssetsPath, http.StripPrefix(graphiQLAssetsPath, gw.assets))
	}
	mux.HandleFunc("GET /healthz", func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		io.WriteString(w, "ok\n")
	})
	return gw.tel.Middleware(
		edge.Recover(gw.logger)(edge.CORS(gw.cfg.CORSOrigins)(edge.Compress(mux))))
}

// The parsed documents kept between requests: at most this many, taking
// about this much memory.
const (
	documentCacheEntries = 1000
	documentCacheBytes   = 32 << 20
)

// graphQLHandler is the GraphQL executor with its transports and extensions.
func (gw *Gateway) graphQLHandler() *handler.Server {
	presenter := graph.ErrorPresenter{Logger: gw.logger}
	srv := handler.New(graph.NewExecutableSchema(graph.Config{
		Resolvers:  &graph.Resolver{Client: gw.client},
		Complexity: limits.Complexity(),
	}))
	srv.AddTransport(transport.Options{})
	srv.AddTransport(edge.GET{})
	srv.AddTransport(edge.POST{})
	srv.SetQueryCache(limits.NewDocumentCache(documentCacheEntries, documentCacheBytes))
	srv.SetErrorPresenter(presenter.Present)
	srv.SetRecoverFunc(presenter.Recover)
	srv.Use(gw.tel.Extension())
	srv.SetParserTokenLimit(gw.cfg.MaxTokens)
	if gw.cfg.Introspection {
		srv.Use(extension.Introspection{})
	}
	srv.Use(limits.NewGuard(limits.Limits{
		MaxDepth: gw.cfg.MaxDepth, MaxAliases: gw.cfg.MaxAliases,
		MaxRootFields: gw.cfg.MaxRootFields, MaxCost: gw.cfg.MaxCost,
		Introspection: gw.cfg.Introspection,
	}))
	if gw.cfg.APQCacheSize > 0 {
		// After the guard: only operations within the limits are persisted.
		srv.Use(limits.NewPersistedQueries(gw.persistedQueryCache()))
	}
	return srv
}

// persistedQueryCache holds the automatic persisted queries, shared by all
// callers and, with REDIS_URL, by every replica; any graphql.Cache[string] fits.
func (gw *Gateway) persistedQueryCache() graphql.Cache[string] {
	if c := gw.redisQueryCache(); c != nil {
		return c
	}
	return lru.New[string](gw.cfg.APQCacheSize)
}

// graphiQLAssetsPath is where GraphiQL's files are served with GRAPHIQL_ASSETS_DIR.
const graphiQLAssetsPath = "/graphiql-assets/"

// graphiQL serves the GraphiQL page; with the simulator the demo token is already
// in its headers pane. GraphiQL fetches the schema before its headers pane exists,
// so the token also goes in the fetcher's own headers, which the pane's override.
func (gw *Gateway) graphiQL() http.Handler {
	var opts []playground.GraphiqlConfigOption
	if gw.assets != nil {
		opts = gw.assets.PageOptions(graphiQLAssetsPath)
	}
	if gw.demoToken != "" {
		demo := map[string]string{"Authorization": "Bearer " + gw.demoToken}
		opts = append(opts, playground.WithGraphiqlUiHeaders(demo),
			playground.WithGraphiqlFetcherHeaders(demo))
	}
	return playground.Handler("Cape gateway", "/query", opts...)
}

// Announce logs where the gateway listens and, with the simulator, how to try it.
func (gw *Gateway) Announce(addr net.Addr) {
	url := "http://" + displayAddr(addr)
	gw.logger.Info("cape gateway listening", slog.String("graphiql", url+"/"),
		slog.String("graphql", url+"/query"), slog.String("upstream", gw.cfg.UpstreamURL))
	if gw.demoToken != "" {
		gw.logger.Info("demo token for the built-in simulator (valid 12h); send it as "+
			"'Authorization: Bearer <token>'", slog.String("token", gw.demoToken))
	}
}

// Close flushes the traces and stops the built-in simulator, if any.
func (gw *Gateway) Close() {
	if gw.tel != nil {
		gw.flushTraces()
	}
	if gw.sim != nil {
		gw.sim.Close()
	}
	if gw.redis != nil {
		gw.redis.Close()
	}
}

func displayAddr(addr net.Addr) string {
	tcp, ok := addr.(*net.TCPAddr)
	if ok && tcp.IP.IsUnspecified() {
		return net.JoinHostPort("localhost", fmt.Sprint(tcp.Port))
	}
	return addr.String()
}

// askForGzip resolves UPSTREAM_COMPRESSION: auto asks for gzip unless the
// upstream is on this host, where compressing saves no transfer and costs
// both sides CPU.
func askForGzip(setting, upstreamURL string) bool {
	switch setting {
	case "gzip":
		return true
	case "none":
		return false
	}
	u, err := url.Parse(upstreamURL)
	if err != nil {
		return true
	}
	host := u.Hostname()
	if strings.EqualFold(host, "localhost") {
		return false
	}
	ip, err := netip.ParseAddr(host)
	return err != nil || !ip.IsLoopback()
}

// upstreamConns bounds the connections to the upstream: enough for a few
// hundred requests in flight at once, each making its lead call or a batch of
// related GETs.
const upstreamConns = 256

// upstreamHTTPClient keeps enough idle connections to the upstream for the
// gateway's concurrency. Deadlines come from the upstream client, per call.
// Connections are bounded as well, and as many may stay idle as may be open,
// so a burst of GETs waits for a connection instead of opening ones that the
// pool would then close: no connection churn, and the upstream sees a bounded
// number of clients.
func upstreamHTTPClient() *http.Client {
	t := http.DefaultTransport.(*http.Transport).Clone()
	t.MaxConnsPerHost = upstreamConns
	t.MaxIdleConnsPerHost = upstreamConns
	t.MaxIdleConns = 2 * upstreamConns
	t.DisableCompression = true
	return &http.Client{Transport: t}
}

func routes(overrides map[string]string) upstream.Routes {
	return upstream.Routes{
		Leads:            overrides["LEADS"],
		LeadCategories:   overrides["LEAD_CATEGORIES"],
		Sources:          overrides["SOURCES"],
		Products:         overrides["PRODUCTS"],
		Partners:         overrides["PARTNERS"],
		Users:            overrides["USERS"],
		UsersByRole:      overrides["USERS_BY_ROLE"],
		UserInfo:         overrides["USER_INFO"],
		Register:         overrides["REGISTER"],
		RegisterConsumer: overrides["REGISTER_CONSUMER"],
		RevenueKPI:       overrides["REVENUE_KPI"],
	}
}
