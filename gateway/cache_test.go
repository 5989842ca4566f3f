package gateway

import (
	"bytes"
	"context"
	"encoding/json"
	"log/slog"
	"maps"
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/capedigital/cape-gateway/internal/testlog"

	"github.com/capedigital/cape-gateway/cache/redistest"
	"github.com/capedigital/cape-gateway/config"
)

func TestWarmCacheAnswersTheRelatedQueryWithOneUpstreamCall(t *testing.T) {
	for _, batch := range []string{"each", "filter"} {
		t.Run(batch, func(t *testing.T) {
			e := newTestEnv(t, map[string]string{"CAPE_BATCH": batch})
			cold := e.query(t, relatedQuery, nil)
			coldCalls := e.upstreamCalls()

			e.sim.Reset()
			warm := e.query(t, relatedQuery, nil)
			if got := e.upstreamCalls(); got != 1 || coldCalls < 2 {
				t.Errorf("upstream calls cold, warm = %d, %d; want more than 1, then 1 (%v)",
					coldCalls, got, e.sim.Stats().Requests)
			}
			assertSameData(t, cold, warm)
		})
	}
}

func TestCacheTTLZeroFetchesReferenceRecordsEveryTime(t *testing.T) {
	e := newTestEnv(t, map[string]string{"CACHE_TTL": "0"})
	e.query(t, relatedQuery, nil)
	cold := e.upstreamCalls()
	e.sim.Reset()
	e.query(t, relatedQuery, nil)
	if got := e.upstreamCalls(); got != cold || got < 2 {
		t.Errorf("upstream calls of the second query = %d, want %d as the first", got, cold)
	}
}

func TestCachedRecordsAreNeverSharedAcrossCredentials(t *testing.T) {
	tests := []struct {
		name    string
		vars    map[string]string
		a, b    claims
		sharing bool
	}{
		{
			name: "another subject fetches its own",
			a:    claims{sub: "alice", roles: []string{"sales"}},
			b:    claims{sub: "bob", roles: []string{"sales"}},
		},
		{
			name: "the same subject with other roles fetches its own",
			a:    claims{sub: "alice", roles: []string{"sales"}},
			b:    claims{sub: "alice", roles: []string{"sales", "admin"}},
		},
		{
			name: "another token in forward mode fetches its own",
			vars: map[string]string{"JWT_MODE": "forward"},
			a:    claims{sub: "alice", roles: []string{"sales"}, id: "1"},
			b:    claims{sub: "alice", roles: []string{"sales"}, id: "2"},
		},
		{
			name: "a refreshed token of the same subject and roles shares",
			a:    claims{sub: "alice", roles: []string{"sales"}, id: "1"},
			b:    claims{sub: "alice", roles: []string{"sales"}, id: "2"}, sharing: true,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := newTestEnv(t, tt.vars)
			tokenA, tokenB := e.sign(t, tt.a), e.sign(t, tt.b)
			cold := e.postQuery(t, tokenA, relatedQuery)
			coldCalls := e.upstreamCalls()

			e.sim.Reset()
			other := e.postQuery(t, tokenB, relatedQuery)
			want := coldCalls
			if tt.sharing {
				want = 1
			}
			if got := e.upstreamCalls(); got != want {
				t.Errorf("upstream calls of B after A warmed the cache = %d, want %d (%v)",
					got, want, e.sim.Stats().Requests)
			}
			if got := e.sim.Stats().Subjects[tt.b.sub]; got != want {
				t.Errorf("upstream calls with B's token = %d, want %d", got, want)
			}
			assertSameData(t, cold, other)
		})
	}
}

func TestTwoGatewaysShareReferenceRecordsThroughRedis(t *testing.T) {
	srv := redistest.Start(t)
	vars := map[string]string{"REDIS_URL": srv.URL()}
	first := newTestEnv(t, vars)
	second := first.replica(t, vars)

	cold := first.query(t, relatedQuery, nil)
	if got := first.upstreamCalls(); got < 2 {
		t.Fatalf("upstream calls of the cold query = %d, want more than 1", got)
	}
	first.sim.Reset()
	warm := second.query(t, relatedQuery, nil)
	if got := second.upstreamCalls(); got != 1 {
		t.Errorf("upstream calls of the second gateway = %d, want 1 (%v)",
			got, second.sim.Stats().Requests)
	}
	assertSameData(t, cold, warm)
}

func TestTwoGatewaysSharePersistedQueriesThroughRedis(t *testing.T) {
	srv := redistest.Start(t)
	vars := map[string]string{"REDIS_URL": srv.URL()}
	first := newTestEnv(t, vars)
	second := first.replica(t, vars)
	query := "{ leads(first: 2) { nodes { id name } } }"
	bearer := "Bearer " + first.token

	stored := first.post(t, bearer, apq(query, sha256Hex(query)))
	byHash := second.post(t, bearer, apq("", sha256Hex(query)))
	if byHash.Status != http.StatusOK || len(byHash.Errors) > 0 {
		t.Fatalf("hash alone on the second gateway: HTTP %d, errors %+v; want the query run",
			byHash.Status, byHash.Errors)
	}
	assertSameData(t, stored, byHash)
}

func TestRedisGoingAwayDegradesToUpstreamCalls(t *testing.T) {
	srv := redistest.Start(t)
	e := newTestEnv(t, map[string]string{"REDIS_URL": srv.URL()})
	cold := e.query(t, relatedQuery, nil)
	coldCalls := e.upstreamCalls()

	srv.Kill()
	for i := range 2 {
		e.sim.Reset()
		got := e.query(t, relatedQuery, nil)
		if len(got.Errors) > 0 || got.Status != http.StatusOK {
			t.Fatalf("query %d with Redis gone: HTTP %d, errors %+v", i, got.Status, got.Errors)
		}
		if calls := e.upstreamCalls(); calls != coldCalls {
			t.Errorf("query %d with Redis gone made %d upstream calls, want %d as a cold one",
				i, calls, coldCalls)
		}
		assertSameData(t, cold, got)
	}
}

func TestConcurrentColdRequestsFetchEachRelatedRecordOnce(t *testing.T) {
	const requests = 6
	gate := newGatedUpstream(t, "/lead-categories/", "/sources/", "/products/", "/partners/")
	e := newTestEnv(t, map[string]string{"CAPE_API_URL": gate.url()})
	gate.forwardTo(e.sim.URL())

	var wg sync.WaitGroup
	responses := make([]gqlResponse, requests)
	for i := range requests {
		wg.Go(func() { responses[i] = e.postQuery(t, e.token, relatedQuery) })
	}
	// Each request waits on at least its four loaders' flights; the gate holds
	// them all. The gate opens and the requests end before any failure is
	// reported, so none outlives the test.
	held := eventually(func() bool { return e.gw.references.Waiting() >= 4*requests })
	gate.open()
	wg.Wait()
	if !held {
		t.Fatalf("requests waiting on shared fetches = %d, want at least %d",
			e.gw.references.Waiting(), 4*requests)
	}

	stats := e.sim.Stats()
	if got := stats.Requests["GET /commercial/api/v1/leads"]; got != requests {
		t.Errorf("lead list calls = %d, want %d", got, requests)
	}
	if got, want := stats.Total-requests, distinctRelatedIDs(t, e); got != int64(want) {
		t.Errorf("related GETs = %d, want %d, one per distinct id (%v)", got, want, stats.Requests)
	}
	for i := 1; i < requests; i++ {
		assertSameData(t, responses[0], responses[i])
	}
}

func TestCancelledLeaderDoesNotFailAWaitingFollower(t *testing.T) {
	gate := newGatedUpstream(t, "/lead-categories/")
	e := newTestEnv(t, map[string]string{"CAPE_API_URL": gate.url()})
	gate.forwardTo(e.sim.URL())
	var page wirePage
	e.rest(t, "/leads?page_size=20", &page)
	lead := page.Results[0]
	for _, l := range page.Results {
		if l.LeadCategory != nil {
			lead = l
			break
		}
	}
	const lookup = `query ($id: UUID!) { lead(id: $id) { id category { id } } }`
	body := map[string]any{"query": lookup, "variables": map[string]any{"id": lead.ID}}

	leaderCtx, cancelLeader := context.WithCancel(context.Background())
	leaderDone := make(chan error, 1)
	go func() { leaderDone <- e.postContext(leaderCtx, body) }()
	<-gate.arrived
	waitFor(t, "the leader waiting", func() bool { return e.gw.references.Waiting() == 1 })
	cancelLeader()
	if err := <-leaderDone; err == nil {
		t.Fatal("leader's request succeeded, want it cancelled")
	}
	waitFor(t, "the leader gone", func() bool { return e.gw.references.Waiting() == 0 })

	followerDone := make(chan gqlResponse, 1)
	go func() { followerDone <- e.post(t, "Bearer "+e.token, body) }()
	waitFor(t, "the follower waiting", func() bool { return e.gw.references.Waiting() == 1 })
	gate.open()

	var got struct {
		Lead struct{ Category *struct{ ID string } }
	}
	(<-followerDone).decode(t, &got)
	if got.Lead.Category == nil || got.Lead.Category.ID != *lead.LeadCategory {
		t.Errorf("follower's category = %+v, want id %s", got.Lead.Category, *lead.LeadCategory)
	}
	if n, errs := gate.passed(); n != 1 || errs[0] != nil {
		t.Errorf("category GETs = %d with context errors %v, want 1 that nobody cancelled", n, errs)
	}
}

// claims are the parts of a simulator token that the partition tests vary.
type claims struct {
	sub   string
	roles []string
	id    string // jti: tells apart two tokens of the same subject and roles
}

// sign makes a token of the simulator's issuer for c.
func (e *testEnv) sign(t *testing.T, c claims) string {
	t.Helper()
	now := time.Now().Unix()
	token, err := e.sim.Token(map[string]any{
		"iss": e.sim.Issuer(), "sub": c.sub, "aud": "account", "iat": now, "exp": now + 3600,
		"jti": c.id, "realm_access": map[string]any{"roles": c.roles},
	})
	if err != nil {
		t.Fatal(err)
	}
	return token
}

// postQuery posts query with token and fails the test on any error.
func (e *testEnv) postQuery(t *testing.T, token, query string) gqlResponse {
	t.Helper()
	r := e.post(t, "Bearer "+token, map[string]any{"query": query})
	if r.Status != http.StatusOK || len(r.Errors) > 0 {
		t.Errorf("HTTP %d, errors %+v", r.Status, r.Errors)
	}
	return r
}

// postContext posts body with the demo token under ctx and reports only
// whether the exchange failed.
func (e *testEnv) postContext(ctx context.Context, body any) error {
	raw, _ := json.Marshal(body)
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, e.url+"/query",
		bytes.NewReader(raw))
	if err != nil {
		return err
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Authorization", "Bearer "+e.token)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return err
	}
	resp.Body.Close()
	return nil
}

// replica starts another gateway against e's simulator, as a second replica
// behind a load balancer would run.
func (e *testEnv) replica(t *testing.T, vars map[string]string) *testEnv {
	t.Helper()
	env := map[string]string{
		"CAPE_API_URL": e.sim.URL() + "/commercial",
		"JWT_JWKS_URL": e.sim.JWKSURL(),
		"JWT_ISSUER":   e.sim.Issuer(),
	}
	maps.Copy(env, vars)
	cfg, err := config.Load(nil, func(k string) string { return env[k] })
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	t.Cleanup(cancel)
	gw, err := New(ctx, cfg, slog.New(slog.NewTextHandler(testlog.To(t), nil)))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(gw.Close)
	srv := httptest.NewServer(gw.Handler())
	t.Cleanup(srv.Close)
	return &testEnv{sim: e.sim, gw: gw, url: srv.URL, token: e.token}
}

// distinctRelatedIDs counts the distinct related ids of the first 50 leads.
func distinctRelatedIDs(t *testing.T, e *testEnv) int {
	t.Helper()
	var page wirePage
	e.rest(t, "/leads?page_size=50", &page)
	seen := map[string]bool{}
	for _, l := range page.Results {
		ids := append([]*string{l.LeadCategory, l.Source, l.Partner}, ptrs(l.Products)...)
		for _, id := range ids {
			if id != nil {
				seen[*id] = true
			}
		}
	}
	return len(seen)
}

func assertSameData(t *testing.T, want, got gqlResponse) {
	t.Helper()
	if len(got.Errors) > 0 || !bytes.Equal(want.Data, got.Data) {
		t.Errorf("data differs or has errors %+v:\n got %.300s\nwant %.300s",
			got.Errors, got.Data, want.Data)
	}
}

// waitFor polls cond until it holds, for at most five seconds. It is for
// states inside the gateway that no request or response can signal.
func waitFor(t *testing.T, what string, cond func() bool) {
	t.Helper()
	if !eventually(cond) {
		t.Fatalf("timed out waiting for %s", what)
	}
}

// eventually reports whether cond holds within 5 seconds, polling it.
func eventually(cond func() bool) bool {
	deadline := time.Now().Add(5 * time.Second)
	tick := time.NewTicker(time.Millisecond)
	defer tick.Stop()
	for !cond() {
		if time.Now().After(deadline) {
			return false
		}
		<-tick.C
	}
	return true
}

// gatedUpstream sits between the gateway and the simulator and holds the
// requests whose path contains one of the held parts until open is called.
type gatedUpstream struct {
	srv     *httptest.Server
	held    []string
	gate    chan struct{}
	arrived chan string
	target  atomic.Pointer[httputil.ReverseProxy]
	opened  sync.Once

	mu      sync.Mutex
	ctxErrs []error
}

func newGatedUpstream(t *testing.T, held ...string) *gatedUpstream {
	t.Helper()
	g := &gatedUpstream{held: held, gate: make(chan struct{}), arrived: make(chan string, 1000)}
	g.srv = httptest.NewServer(http.HandlerFunc(g.serve))
	t.Cleanup(g.srv.Close)
	t.Cleanup(g.open)
	return g
}

func (g *gatedUpstream) serve(w http.ResponseWriter, r *http.Request) {
	for _, part := range g.held {
		if strings.Contains(r.URL.Path, part) {
			g.arrived <- r.URL.Path
			<-g.gate
			g.mu.Lock()
			g.ctxErrs = append(g.ctxErrs, r.Context().Err())
			g.mu.Unlock()
			break
		}
	}
	g.target.Load().ServeHTTP(w, r)
}

func (g *gatedUpstream) url() string { return g.srv.URL + "/commercial" }

func (g *gatedUpstream) forwardTo(origin string) {
	u, _ := url.Parse(origin)
	g.target.Store(httputil.NewSingleHostReverseProxy(u))
}

// open lets every held request through, now and from then on.
func (g *gatedUpstream) open() { g.opened.Do(func() { close(g.gate) }) }

// passed is how many held requests went through, with the context error each
// had when it was let through.
func (g *gatedUpstream) passed() (int, []error) {
	g.mu.Lock()
	defer g.mu.Unlock()
	return len(g.ctxErrs), append([]error(nil), g.ctxErrs...)
}
