package upstream

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"time"

	segjson "github.com/segmentio/encoding/json"
)

const (
	defaultMaxBodyBytes = 8 << 20
	defaultUserAgent    = "cape-gateway"
	defaultTimeout      = 30 * time.Second
	maxRedirects        = 5
)

// Client calls the upstream REST API. It is safe for concurrent use and
// holds no per-caller state: credentials come from each call's context.
type Client struct {
	base      *url.URL // scheme, host and path prefix, no trailing slash
	baseURL   string   // base as a string, ready to prefix escaped paths
	hc        *http.Client
	userAgent string
	routes    Routes
	maxBody   int64
	plain     bool // ask for uncompressed answers

	timeout  time.Duration // one deadline per call, retries included
	retries  int           // extra attempts for idempotent requests
	backoff  time.Duration // first wait between attempts, before jitter
	breaker  breakerSettings
	observer Observer
	breakers breakers
}

// Option configures a Client built by New.
type Option func(*Client)

// WithHTTPClient makes the Client send requests with hc, for example to set a
// custom transport; deadlines are better set with WithTimeout, which covers
// retries too. The Client uses a copy of hc whose redirect policy keeps
// requests on the configured origin.
func WithHTTPClient(hc *http.Client) Option {
	return func(c *Client) { c.hc = hc }
}

// WithUserAgent sets the User-Agent header sent with every request.
func WithUserAgent(ua string) Option {
	return func(c *Client) { c.userAgent = ua }
}

// WithRoutes overrides upstream paths. Fields left empty keep the default.
func WithRoutes(r Routes) Option {
	return func(c *Client) { c.routes = c.routes.merge(r) }
}

// WithCompression sets whether the Client asks the upstream for gzip answers
// (the default). An upstream on the same host or network answers sooner
// without: compressing and decompressing cost more CPU on both sides than the
// bytes save there. A gzip answer is decoded either way.
func WithCompression(gzip bool) Option {
	return func(c *Client) { c.plain = !gzip }
}

// WithMaxBodyBytes caps how many bytes of a response body are read, counted
// after decompression. Values below one keep the default of 8 MiB.
func WithMaxBodyBytes(n int64) Option {
	return func(c *Client) {
		if n > 0 {
			c.maxBody = n
		}
	}
}

// New returns a Client for the API at baseURL, for example
// "https://api.capedigital.co.ke/commercial". Routes are appended to it.
func New(baseURL string, opts ...Option) (*Client, error) {
	base, err := parseBaseURL(baseURL)
	if err != nil {
		return nil, err
	}

	c := &Client{
		base:      base,
		baseURL:   base.String(),
		userAgent: defaultUserAgent,
		routes:    DefaultRoutes(),
		maxBody:   defaultMaxBodyBytes,
		timeout:   defaultTimeout,
		retries:   defaultRetries,
		backoff:   defaultBackoff,
		breaker:   defaultBreaker,
		observer:  nopObserver{},
	}
	for _, opt := range opts {
		opt(c)
	}

	if err := c.routes.validate(); err != nil {
		return nil, err
	}
	if c.hc == nil {
		c.hc = defaultHTTPClient()
	}
	hc := *c.hc
	hc.CheckRedirect = c.checkRedirect
	c.hc = &hc
	c.breakers.init(c.breaker, c.observer)
	return c, nil
}

func parseBaseURL(raw string) (*url.URL, error) {
	u, err := url.Parse(raw)
	if err != nil {
		return nil, errors.New("upstream: base URL does not parse")
	}

	switch {
	case u.Scheme != "http" && u.Scheme != "https":
		return nil, errors.New("upstream: base URL must use http or https")
	case u.Host == "":
		return nil, errors.New("upstream: base URL has no host")
	case u.User != nil:
		return nil, errors.New("upstream: base URL must not carry credentials")
	case u.RawQuery != "" || u.ForceQuery || u.Fragment != "":
		return nil, errors.New("upstream: base URL must not have a query or fragment")
	}

	u.Path = strings.TrimRight(u.Path, "/")
	u.RawPath = strings.TrimRight(u.RawPath, "/")
	return u, nil
}

func defaultHTTPClient() *http.Client {
	tr := http.DefaultTransport.(*http.Transport).Clone()
	tr.MaxIdleConns = 512
	tr.MaxIdleConnsPerHost = 256
	return &http.Client{Transport: tr}
}

// checkRedirect follows a redirect only for GET and only on the configured
// origin. Any other redirect is handed back as the answer, which then
// surfaces as an *Error carrying its 3xx status.
func (c *Client) checkRedirect(req *http.Request, via []*http.Request) error {
	sameOrigin := req.URL.Scheme == c.base.Scheme && strings.EqualFold(req.URL.Host, c.base.Host)
	if !sameOrigin || len(via) >= maxRedirects || via[0].Method != http.MethodGet {
		return http.ErrUseLastResponse
	}
	return nil
}

// request describes one upstream call before it becomes an *http.Request.
type request struct {
	method string
	route  string // path family for errors, ids folded to {id}
	path   string // escaped path below the base URL
	query  string // encoded query, without "?"
	body   []byte // JSON body, nil for none

	// shareBody lets decoded strings point into the answer's body instead of
	// copying them: fewer allocations, but any one of them keeps the whole
	// body in memory. For answers whose records do not outlive the request.
	shareBody bool
}

// idempotent reports whether repeating r cannot change upstream state.
func (r *request) idempotent() bool {
	return r.method == http.MethodGet || r.method == http.MethodHead
}

// response is a 2xx answer whose body has been read in full.
type response struct {
	status int
	body   []byte
}

func newGet(route, path, query string) *request {
	return &request{method: http.MethodGet, route: route, path: path, query: query}
}

func newWithBody(method, route, path string, body any) (*request, error) {
	data, err := json.Marshal(body)
	if err != nil {
		return nil, fmt.Errorf("upstream: %s %s: encoding body: %w", method, route, err)
	}
	return &request{method: method, route: route, path: path, body: data}, nil
}

// newRequest builds the HTTP request for r. The URL is always the configured
// base URL plus r's path, so the token cannot reach another host.
func (c *Client) newRequest(ctx context.Context, r *request) (*http.Request, error) {
	target := c.baseURL + r.path
	if r.query != "" {
		target += "?" + r.query
	}

	var body io.Reader
	if r.body != nil {
		body = bytes.NewReader(r.body)
	}
	req, err := http.NewRequestWithContext(ctx, r.method, target, body)
	if err != nil || req.URL.Host != c.base.Host || req.URL.Scheme != c.base.Scheme {
		return nil, fmt.Errorf("upstream: %s %s: invalid request URL", r.method, r.route)
	}

	req.Header.Set("Accept", "application/json")
	if c.plain {
		// Said outright, so that no transport adds gzip on its own.
		req.Header.Set("Accept-Encoding", "identity")
	} else {
		req.Header.Set("Accept-Encoding", "gzip")
	}
	if c.userAgent != "" {
		req.Header.Set("User-Agent", c.userAgent)
	}
	if r.body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	if token, ok := TokenFromContext(ctx); ok {
		if !validToken(token) {
			return nil, fmt.Errorf("upstream: %s %s: token is not a valid header value",
				r.method, r.route)
		}
		req.Header.Set("Authorization", "Bearer "+token)
	}
	return req, nil
}

// validToken reports whether token can travel in a header unchanged.
func validToken(token string) bool {
	for i := 0; i < len(token); i++ {
		if token[i] < 0x20 || token[i] > 0x7e {
			return false
		}
	}
	return true
}

// send performs r and returns its 2xx answer. Every call goes through send,
// which layers the client's policies around single attempts: identical GETs
// in flight within one request scope are made once (see WithRequestScope),
// one deadline covers the call with its retries (see WithTimeout), idempotent
// requests are retried (see WithRetries), and a circuit breaker per route
// family stops calls to a failing route (see WithBreaker).
func (c *Client) send(ctx context.Context, r *request) (*response, error) {
	if r.idempotent() {
		if s, ok := scopeFromContext(ctx); ok {
			return s.share(c.flightKey(ctx, r), func() (*response, error) {
				return c.call(ctx, r)
			})
		}
	}
	return c.call(ctx, r)
}

// sendOnce performs r once. Every non-2xx answer becomes an *Error, an
// unreadable 2xx body a *BadResponseError, and a transport failure a wrapped
// error free of URLs' query strings.
func (c *Client) sendOnce(ctx context.Context, r *request) (*response, error) {
	req, err := c.newRequest(ctx, r)
	if err != nil {
		return nil, err
	}

	resp, err := c.hc.Do(req)
	if err != nil {
		return nil, c.transportError(ctx, r, err)
	}
	defer resp.Body.Close()

	body, readErr := c.readBody(resp)
	if resp.StatusCode < 200 || resp.StatusCode > 299 {
		token, _ := TokenFromContext(ctx)
		return nil, newError(r, resp, body, readErr, token)
	}
	if readErr != nil {
		if ctxErr := ctx.Err(); ctxErr != nil {
			return nil, fmt.Errorf("upstream: %s %s: %w", r.method, r.route, ctxErr)
		}
		return nil, badResponse(r, resp.StatusCode, readFailure(readErr), readErr)
	}
	return &response{status: resp.StatusCode, body: body}, nil
}

// transportError wraps a failure to get any answer. It drops the *url.Error
// layer, whose text would repeat the full URL with its query string.
func (c *Client) transportError(ctx context.Context, r *request, err error) error {
	var ue *url.Error
	if errors.As(err, &ue) {
		err = ue.Err
	}
	if ctxErr := ctx.Err(); ctxErr != nil {
		if !errors.Is(err, ctxErr) {
			err = ctxErr
		}
		return fmt.Errorf("upstream: %s %s: %w", r.method, r.route, err)
	}
	return fmt.Errorf("upstream: %s %s: %w", r.method, r.route, &connError{err})
}

// connError is a failure to reach the upstream or to get its answer, as
// opposed to a refused request or the end of the caller's context.
type connError struct{ err error }

func (e *connError) Error() string { return e.err.Error() }
func (e *connError) Unwrap() error { return e.err }

// do sends r and decodes its JSON answer into v. When check is not nil it
// vets the decoded value and returns a reason when the shape is wrong.
func (c *Client) do(ctx context.Context, r *request, v any, check func() string) error {
	resp, err := c.send(ctx, r)
	if err != nil {
		return err
	}

	if reason, err := decodeJSON(resp.body, v, r.shareBody); reason != "" {
		return badResponse(r, resp.status, reason, err)
	}
	if check != nil {
		if reason := check(); reason != "" {
			return badResponse(r, resp.status, reason, nil)
		}
	}
	return nil
}

// decodeJSON unmarshals body into v and, on failure, names the reason in
// words that quote nothing from the body. With share, strings in v may point
// into body.
func decodeJSON(body []byte, v any, share bool) (string, error) {
	trimmed := bytes.TrimSpace(body)
	switch {
	case len(trimmed) == 0:
		return "empty body", nil
	case string(trimmed) == "null":
		return "null body", nil
	}

	var err error
	if share {
		var rest []byte
		if rest, err = segjson.Parse(trimmed, v, segjson.ZeroCopy); err == nil && len(rest) > 0 {
			err = errTrailingData
		}
	} else {
		err = segjson.Unmarshal(trimmed, v)
	}
	var syntaxErr *json.SyntaxError
	var typeErr *json.UnmarshalTypeError
	switch {
	case err == nil:
		return "", nil
	case errors.As(err, &syntaxErr), errors.Is(err, io.ErrUnexpectedEOF),
		errors.Is(err, errTrailingData):
		return "body is not valid JSON", err
	case errors.As(err, &typeErr):
		if typeErr.Field == "" {
			return "unexpected JSON shape", err
		}
		return "unexpected JSON type at " + typeErr.Field, err
	case errors.Is(err, errBadTime):
		return "invalid timestamp", err
	case errors.Is(err, errBadDecimal):
		return "invalid decimal", err
	default:
		return "undecodable JSON", err
	}
}
