package telemetry

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"sync"
	"sync/atomic"
	"time"
)

// checkTimeout bounds one readiness check.
const checkTimeout = 2 * time.Second

// Check is one condition of readiness. Test returns nil when it holds.
type Check struct {
	Name string
	Test func(ctx context.Context) error
}

// Readiness answers /readyz: 200 when every check holds, 503 naming the first
// that does not, and 503 for good once Drain has been called.
type Readiness struct {
	checks   []Check
	logger   *slog.Logger
	draining atomic.Bool
}

// NewReadiness returns a readiness made of checks, logging failures to
// logger.
func NewReadiness(logger *slog.Logger, checks ...Check) *Readiness {
	return &Readiness{checks: checks, logger: logger}
}

// Drain marks the process as going away: from now on it is never ready.
func (r *Readiness) Drain() { r.draining.Store(true) }

// Ready runs the checks and returns the name of the first that fails, with
// its error, or "" and nil.
func (r *Readiness) Ready(ctx context.Context) (string, error) {
	if r.draining.Load() {
		return "shutdown", fmt.Errorf("shutting down")
	}
	ctx, cancel := context.WithTimeout(ctx, checkTimeout)
	defer cancel()
	for _, c := range r.checks {
		if err := c.Test(ctx); err != nil {
			return c.Name, err
		}
	}
	return "", nil
}

// ServeHTTP answers a readiness probe. The body names a failing check but
// not its error, which goes to the log.
func (r *Readiness) ServeHTTP(w http.ResponseWriter, req *http.Request) {
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	name, err := r.Ready(req.Context())
	if err != nil {
		if name != "shutdown" && r.logger != nil {
			r.logger.WarnContext(req.Context(), "not ready",
				slog.String("check", name), slog.String("error", err.Error()))
		}
		w.WriteHeader(http.StatusServiceUnavailable)
		io.WriteString(w, "not ready: "+name+"\n")
		return
	}
	io.WriteString(w, "ready\n")
}

// Once returns a test that runs test until it first succeeds and passes from
// then on without running it; concurrent callers share one run.
func Once(test func(ctx context.Context) error) func(ctx context.Context) error {
	var (
		mu sync.Mutex
		ok atomic.Bool
	)
	return func(ctx context.Context) error {
		if ok.Load() {
			return nil
		}
		mu.Lock()
		defer mu.Unlock()
		if ok.Load() {
			return nil
		}
		if err := test(ctx); err != nil {
			return err
		}
		ok.Store(true)
		return nil
	}
}

// HTTPProbe returns a test that GETs url with client, sending no credentials,
// and holds on any HTTP answer whatever its status: a 401 shows as well as a
// 200 that the server is up and reachable.
func HTTPProbe(client *http.Client, url string) func(ctx context.Context) error {
	return func(ctx context.Context) error {
		req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
		if err != nil {
			return err
		}
		resp, err := client.Do(req)
		if err != nil {
			return err
		}
		_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, 64<<10))
		return resp.Body.Close()
	}
}
