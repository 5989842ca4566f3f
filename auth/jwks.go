package auth

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"time"

	"github.com/MicahParks/jwkset"
	"github.com/MicahParks/keyfunc/v3"
	"golang.org/x/time/rate"
)

// Key set fetching and refreshing. The numbers are chosen for Keycloak, whose keys change
// rarely and whose tokens live about five minutes.
const (
	// jwksFetchTimeout bounds one key set download, including the first one made by
	// NewVerifier.
	jwksFetchTimeout = 5 * time.Second
	// jwksRefreshInterval is the background refresh period; it drops revoked keys.
	jwksRefreshInterval = 10 * time.Minute
	// unknownKIDEvery and unknownKIDBurst limit the refreshes that tokens naming an
	// unknown kid may cause, so a stream of made-up kids cannot flood the key server.
	unknownKIDEvery = 5 * time.Second
	unknownKIDBurst = 5
	// unknownKIDWaitMax bounds how long a request waits for the limiter plus the
	// refresh it triggers; a request that would wait longer is refused at once.
	unknownKIDWaitMax = 5 * time.Second
	// maxJWKSBytes caps the key set response.
	maxJWKSBytes = 1 << 20
	// probeKID never names a real key: reading it forces a refresh.
	probeKID = "cape-gateway-readiness-probe"
	// startupRetryMin and startupRetryMax bound the pause between the retries made while
	// no key set has loaded yet.
	startupRetryMin = time.Second
	startupRetryMax = 30 * time.Second
)

// jwksKeys fetches keys from a JWKS URL through keyfunc and jwkset.
type jwksKeys struct {
	kf    keyfunc.Keyfunc
	store jwkset.Storage
}

// newJWKSKeys makes the first fetch (bounded by jwksFetchTimeout) and starts the
// background refresh, which ends with ctx. A failed first fetch is logged, not returned:
// the key set then loads on a later retry.
// retryMin overrides startupRetryMin when positive. Failures are logged with logger.
func newJWKSKeys(ctx context.Context, url string, retryMin time.Duration,
	logger *slog.Logger) (*jwksKeys, error) {
	logger = logger.With("jwks_url", url)
	remote, err := jwkset.NewStorageFromHTTP(url, jwkset.HTTPClientStorageOptions{
		Client:                    &http.Client{Transport: capTransport{http.DefaultTransport}},
		Ctx:                       ctx,
		HTTPTimeout:               jwksFetchTimeout,
		NoErrorReturnFirstHTTPReq: true,
		RefreshErrorHandler: func(ctx context.Context, err error) {
			logger.WarnContext(ctx, "auth: refresh JWKS", "error", err)
		},
		RefreshInterval: jwksRefreshInterval,
	})
	if err != nil {
		return nil, fmt.Errorf("auth: JWT_JWKS_URL: %w", err)
	}

	store, err := jwkset.NewHTTPClient(jwkset.HTTPClientOptions{
		HTTPURLs:          map[string]jwkset.Storage{url: remote},
		RateLimitWaitMax:  unknownKIDWaitMax,
		RefreshUnknownKID: rate.NewLimiter(rate.Every(unknownKIDEvery), unknownKIDBurst),
	})
	if err != nil {
		return nil, fmt.Errorf("auth: JWT_JWKS_URL: %w", err)
	}
	kf, err := keyfunc.New(keyfunc.Options{Ctx: ctx, Storage: store})
	if err != nil {
		return nil, fmt.Errorf("auth: JWT_JWKS_URL: %w", err)
	}

	k := &jwksKeys{kf: kf, store: store}
	if !k.ready(ctx) {
		if retryMin <= 0 {
			retryMin = startupRetryMin
		}
		go k.retryUntilLoaded(ctx, url, remote, retryMin)
	}
	return k, nil
}

// ready reports whether the key set holds at least one key.
func (k *jwksKeys) ready(ctx context.Context) bool {
	keys, err := k.store.KeyReadAll(ctx)
	return err == nil && len(keys) > 0
}

// retryUntilLoaded refreshes the key set with a growing pause until it holds a key or ctx
// ends, so a key server that was down at start does not leave the gateway without keys
// until the next background refresh. It forces each refresh by reading a key id that
// does not exist through a client of its own, whose limiter never blocks; the limiter
// that guards request traffic is left untouched.
func (k *jwksKeys) retryUntilLoaded(ctx context.Context, url string, remote jwkset.Storage,
	pause time.Duration) {
	probe, err := jwkset.NewHTTPClient(jwkset.HTTPClientOptions{
		HTTPURLs:          map[string]jwkset.Storage{url: remote},
		RateLimitWaitMax:  jwksFetchTimeout,
		RefreshUnknownKID: rate.NewLimiter(rate.Inf, 1),
	})
	if err != nil {
		return
	}

	for !k.ready(ctx) {
		t := time.NewTimer(pause)
		select {
		case <-ctx.Done():
			t.Stop()
			return
		case <-t.C:
		}
		_, _ = probe.KeyRead(ctx, probeKID)
		pause = min(2*pause, startupRetryMax)
	}
}

// capTransport cuts key set responses off after maxJWKSBytes, so a broken or hostile key
// server cannot make the gateway buffer an endless body.
type capTransport struct{ base http.RoundTripper }

func (t capTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	resp, err := t.base.RoundTrip(req)
	if err != nil {
		return nil, err
	}
	resp.Body = cappedBody{io.LimitReader(resp.Body, maxJWKSBytes), resp.Body}
	return resp, nil
}

type cappedBody struct {
	io.Reader
	io.Closer
}
