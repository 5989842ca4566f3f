package simulator

import (
	"errors"
	"fmt"
	"net"
	"net/http"
	"strings"
	"sync"
	"time"
)

const api = "/commercial/api/v1"

// Options configure a Simulator. Zero values take the defaults.
type Options struct {
	Leads   int           // how many seeded leads; default 5000
	Seed    int64         // seed of the data; default 1
	Latency time.Duration // added before every REST answer
}

// Simulator is an in-memory Cape API with its Keycloak realm. It is safe for
// concurrent use.
type Simulator struct {
	opts   Options
	data   *store
	keys   *keyring
	stats  *counter
	faults *faultSet
	traces traceLog
	mux    *http.ServeMux

	mu  sync.Mutex
	srv *http.Server
	url string
}

// New builds a simulator with seeded data and fresh RSA keys.
func New(opts Options) (*Simulator, error) {
	if opts.Leads < 0 || opts.Latency < 0 {
		return nil, errors.New("simulator: leads and latency must not be negative")
	}
	if opts.Leads == 0 {
		opts.Leads = 5000
	}
	if opts.Seed == 0 {
		opts.Seed = 1
	}
	keys, err := newKeyring()
	if err != nil {
		return nil, fmt.Errorf("simulator: %w", err)
	}
	s := &Simulator{
		opts: opts, data: seedStore(opts.Leads, opts.Seed), keys: keys,
		stats: newCounter(), faults: &faultSet{}, mux: http.NewServeMux(),
	}
	s.routes()
	s.controlRoutes()
	return s, nil
}

func (s *Simulator) routes() {
	s.rest("GET "+api+"/leads", s.listLeads)
	s.rest("POST "+api+"/leads", s.createLead)
	s.rest("GET "+api+"/leads/analytics/users-revenue-kpi", s.revenueKPI)
	s.rest("GET "+api+"/leads/{id}", s.getLead)
	s.rest("PATCH "+api+"/leads/{id}", s.updateLead)
	s.rest("GET "+api+"/lead-categories", s.listCategories)
	s.rest("POST "+api+"/lead-categories", s.createCategory)
	s.rest("GET "+api+"/lead-categories/{id}", s.getCategory)
	s.rest("GET "+api+"/sources", s.listSources)
	s.rest("GET "+api+"/sources/{id}", s.getSource)
	s.rest("GET "+api+"/products", s.listProducts)
	s.rest("GET "+api+"/products/{id}", s.getProduct)
	s.rest("GET "+api+"/partners", s.listPartners)
	s.rest("GET "+api+"/partners/{id}", s.getPartner)
	s.rest("POST "+api+"/auth/register", s.register)
	s.rest("POST "+api+"/auth/register-consumer", s.registerConsumer)
	s.rest("GET "+api+"/auth/users", s.listUsers)
	s.rest("GET "+api+"/auth/users/by-role", s.listUsersByRole)
	s.rest("GET "+api+"/auth/users/user-info", s.userInfo)
	s.mux.HandleFunc("/commercial/", s.unknownRoute)

	const oidc = realmPath + "/protocol/openid-connect"
	s.realm("POST "+oidc+"/token", s.tokenEndpoint)
	s.realm("GET "+oidc+"/certs", s.certs)
	s.realm("GET "+realmPath+"/.well-known/openid-configuration", s.openIDConfiguration)
}

// rest registers a REST route: counted, faultable, delayed by the latency
// knob and guarded by the bearer token check.
func (s *Simulator) rest(pattern string, h http.HandlerFunc) {
	s.mux.HandleFunc(pattern, func(w http.ResponseWriter, r *http.Request) {
		claims, refusal := s.authenticate(r)
		sub, _ := claims["sub"].(string)
		s.stats.count(pattern, sub)
		s.traces.note(r.Header.Get("traceparent"))
		if s.applyFault(w, r, pattern) || !sleep(r.Context(), s.opts.Latency) {
			return
		}
		if refusal != "" {
			w.Header().Set("WWW-Authenticate", `Bearer realm="api"`)
			writeDetail(w, r, http.StatusUnauthorized, refusal)
			return
		}
		h(w, r.WithContext(withClaims(r.Context(), claims)))
	})
}

// realm registers a Keycloak route: faultable, not counted.
func (s *Simulator) realm(pattern string, h http.HandlerFunc) {
	s.mux.HandleFunc(pattern, func(w http.ResponseWriter, r *http.Request) {
		if !s.applyFault(w, r, pattern) {
			h(w, r)
		}
	})
}

// unknownRoute answers DRF's 405 for a known path with another method, and
// 404 for everything else under /commercial.
func (s *Simulator) unknownRoute(w http.ResponseWriter, r *http.Request) {
	for _, m := range []string{http.MethodGet, http.MethodPost, http.MethodPatch} {
		probe := r.Clone(r.Context())
		probe.Method = m
		if _, pattern := s.mux.Handler(probe); pattern != "/commercial/" {
			writeDetail(w, r, http.StatusMethodNotAllowed,
				fmt.Sprintf("Method %q not allowed.", r.Method))
			return
		}
	}
	notFound(w, r)
}

// Handler is the whole simulator: REST API, realm and test controls. The
// API's base URL is the origin it is served at plus "/commercial". Paths work
// with and without a trailing slash.
func (s *Simulator) Handler() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if p := r.URL.Path; len(p) > 1 && strings.HasSuffix(p, "/") {
			u := *r.URL
			u.Path, u.RawPath = strings.TrimRight(p, "/"), ""
			r = r.WithContext(r.Context())
			r.URL = &u
		}
		s.mux.ServeHTTP(w, r)
	})
}

// Start listens on addr (such as "127.0.0.1:0") and serves in the background.
func (s *Simulator) Start(addr string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.srv != nil {
		return errors.New("simulator: already started")
	}
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return fmt.Errorf("simulator: listen: %w", err)
	}
	s.srv = &http.Server{Handler: s.Handler(), ReadHeaderTimeout: 10 * time.Second}
	s.url = "http://" + advertised(ln.Addr().(*net.TCPAddr))
	go func() { _ = s.srv.Serve(ln) }()
	return nil
}

// advertised is the host:port clients should dial; an unspecified listen
// address is reached through the loopback.
func advertised(a *net.TCPAddr) string {
	if a.IP.IsUnspecified() {
		return net.JoinHostPort("127.0.0.1", fmt.Sprint(a.Port))
	}
	return a.String()
}

// SetURL sets the origin URL reports when the simulator is served by someone
// else, such as httptest.NewServer(sim.Handler()).
func (s *Simulator) SetURL(origin string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.url = strings.TrimRight(origin, "/")
}

// URL is the origin the simulator serves at, like "http://127.0.0.1:8090";
// empty before Start or SetURL.
func (s *Simulator) URL() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.url
}

// Close stops the server started by Start, dropping open connections.
func (s *Simulator) Close() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.srv == nil {
		return nil
	}
	err := s.srv.Close()
	s.srv = nil
	return err
}

// Issuer is the realm's issuer, URL()+"/realms/capemedia".
func (s *Simulator) Issuer() string { return s.URL() + realmPath }

// JWKSURL is where the realm publishes its key set.
func (s *Simulator) JWKSURL() string {
	return s.Issuer() + "/protocol/openid-connect/certs"
}
