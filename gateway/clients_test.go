package gateway

import (
	"context"
	"fmt"
	"html"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/capedigital/cape-gateway/internal/testlog"

	"github.com/capedigital/cape-gateway/config"
)

// clientsDir is the Node project whose tests drive the gateway as its clients
// do: GraphiQL in Chromium, an Apollo Client flow, generated TypeScript types.
const clientsDir = "../clients"

// TestClients runs `node --test` in clients/ against two gateways on real
// listeners, each with its built-in simulator: one whose GraphiQL page links the
// CDN, one that serves GraphiQL's files itself.
func TestClients(t *testing.T) {
	node := clientTools(t)

	cdn := startClientGateway(t, nil)
	assets := t.TempDir()
	runNode(t, node, "scripts/graphiql-assets.mjs", assets)
	selfHosted := startClientGateway(t, map[string]string{"GRAPHIQL_ASSETS_DIR": assets})

	artifacts, err := filepath.Abs("../artifacts")
	if err != nil {
		t.Fatal(err)
	}
	screenshot := filepath.Join(artifacts, "graphiql.png")
	os.Remove(screenshot)

	ctx, cancel := context.WithTimeout(t.Context(), 5*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, node, "--test", "--test-reporter=spec")
	cmd.Dir = clientsDir
	cmd.Env = append(os.Environ(),
		"CAPE_GATEWAY_URL="+cdn.url,
		"CAPE_GATEWAY_TOKEN="+cdn.gw.demoToken,
		"CAPE_GATEWAY_SELFHOSTED_URL="+selfHosted.url,
		"CAPE_ARTIFACTS_DIR="+artifacts,
	)
	cmd.WaitDelay = 10 * time.Second
	start := time.Now()
	out, err := cmd.CombinedOutput()
	t.Logf("node --test (%s):\n%s", time.Since(start).Round(time.Millisecond), out)
	if err != nil {
		t.Fatalf("node --test in %s: %v", clientsDir, err)
	}
	if info, err := os.Stat(screenshot); err != nil || info.Size() == 0 {
		t.Errorf("screenshot %s: %v, want a PNG", screenshot, err)
	}
}

// clientGateway is a gateway with its built-in simulator behind a loopback
// listener.
type clientGateway struct {
	gw  *Gateway
	url string
}

// startClientGateway starts a gateway the way `go run .` does without
// CAPE_API_URL, so that GraphiQL carries the demo token. vars override its
// environment.
func startClientGateway(t *testing.T, vars map[string]string) clientGateway {
	t.Helper()
	env := map[string]string{"SIM_LEADS": "500", "LOG_LEVEL": "warn"}
	for k, v := range vars {
		env[k] = v
	}
	cfg, err := config.Load(nil, func(k string) string { return env[k] })
	if err != nil {
		t.Fatal(err)
	}
	gw, err := New(t.Context(), cfg, slog.New(slog.NewTextHandler(testlog.To(t), nil)))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(gw.Close)
	if gw.demoToken == "" {
		t.Fatal("gateway without CAPE_API_URL has no demo token")
	}
	srv := httptest.NewServer(gw.Handler())
	t.Cleanup(srv.Close)
	return clientGateway{gw: gw, url: srv.URL}
}

// clientTools returns the node binary, once node, the project's packages and
// Chromium are all there. Without them a developer's run skips, and CI fails.
func clientTools(t *testing.T) string {
	t.Helper()
	missing := func(format string, args ...any) {
		t.Helper()
		msg := fmt.Sprintf(format, args...)
		if os.Getenv("CI") != "" {
			t.Fatal(msg)
		}
		t.Skip(msg)
	}

	node, err := exec.LookPath("node")
	if err != nil {
		missing("node is not installed: install Node.js 20 or later, then `cd clients && npm ci`")
	}
	lock := filepath.Join(clientsDir, "node_modules", ".package-lock.json")
	if _, err := os.Stat(lock); err != nil {
		missing("%s/node_modules is missing: run `cd clients && npm ci`", clientsDir)
	}
	chromium := os.Getenv("CHROMIUM_PATH")
	if chromium == "" {
		chromium = "/usr/bin/chromium"
	}
	if _, err := os.Stat(chromium); err != nil {
		missing("Chromium is missing at %s: run `apt-get install -y chromium` "+
			"(or set CHROMIUM_PATH)", chromium)
	}
	return node
}

// runNode runs a script of the clients project and fails the test if it fails.
func runNode(t *testing.T, node string, args ...string) {
	t.Helper()
	cmd := exec.CommandContext(t.Context(), node, args...)
	cmd.Dir = clientsDir
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("node %v: %v\n%s", args, err, out)
	}
}

func TestGraphiQLPageGivesTheDemoTokenToPaneAndFetcher(t *testing.T) {
	g := startClientGateway(t, nil)
	page := getText(t, g.url+"/")

	token := "Bearer " + g.gw.demoToken
	for _, want := range []string{"const uiHeaders = ", "const fetcherHeaders = "} {
		i := strings.Index(page, want)
		if i < 0 || !strings.Contains(page[i:i+len(want)+len(token)+40], token) {
			t.Errorf("page lacks %s{... %q ...}", want, "Authorization: Bearer <demo token>")
		}
	}
}

func TestGraphiQLAssetsDirServesGraphiQLFromTheGateway(t *testing.T) {
	files := map[string]string{
		"graphiql@4.1.2/graphiql.min.js":                   "/* graphiql */",
		"graphiql@4.1.2/graphiql.min.css":                  "/* graphiql css */",
		"react@18.2.0/umd/react.production.min.js":         "/* react */",
		"react-dom@18.2.0/umd/react-dom.production.min.js": "/* react-dom */",
	}
	dir := t.TempDir()
	for name, body := range files {
		path := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	g := startClientGateway(t, map[string]string{"GRAPHIQL_ASSETS_DIR": dir})

	page := html.UnescapeString(getText(t, g.url+"/"))
	if strings.Contains(page, "cdn.jsdelivr.net") {
		t.Errorf("page still links the CDN")
	}
	for name, body := range files {
		if !strings.Contains(page, `"/graphiql-assets/`+name+`"`) {
			t.Errorf("page does not link /graphiql-assets/%s", name)
		}
		if got := getText(t, g.url+"/graphiql-assets/"+name); got != body {
			t.Errorf("GET /graphiql-assets/%s = %q, want %q", name, got, body)
		}
	}
}

func TestGraphiQLAssetsDirMissingAFileStopsTheStart(t *testing.T) {
	cfg, err := config.Load(nil, func(k string) string {
		return map[string]string{"GRAPHIQL_ASSETS_DIR": t.TempDir(), "SIM_LEADS": "10"}[k]
	})
	if err != nil {
		t.Fatal(err)
	}
	gw, err := New(t.Context(), cfg, slog.New(slog.NewTextHandler(io.Discard, nil)))
	if err == nil {
		gw.Close()
	}
	if err == nil || !strings.Contains(err.Error(), "GRAPHIQL_ASSETS_DIR") ||
		!strings.Contains(err.Error(), "graphiql.min.js") {
		t.Errorf("err = %v, want it to name GRAPHIQL_ASSETS_DIR and the missing file", err)
	}
}

// getText GETs url and returns the body of a 200 answer.
func getText(t *testing.T, url string) string {
	t.Helper()
	resp, err := http.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("GET %s: HTTP %d", url, resp.StatusCode)
	}
	return string(body)
}
