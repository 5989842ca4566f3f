package graphiql

import (
	"crypto/sha256"
	"encoding/base64"
	"html"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/99designs/gqlgen/graphql/playground"
)

const prefix = "/graphiql-assets/"

// writeAssets fills a temporary folder with a small stand-in for each named
// file and returns the folder.
func writeAssets(t *testing.T, names ...string) string {
	t.Helper()
	dir := t.TempDir()
	for _, name := range names {
		p := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte("/* "+name+" */"), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

func sriOf(body string) string {
	sum := sha256.Sum256([]byte(body))
	return "sha256-" + base64.StdEncoding.EncodeToString(sum[:])
}

// page renders gqlgen's playground page with opts, attribute escapes decoded as
// a browser decodes them.
func page(t *testing.T, opts ...playground.GraphiqlConfigOption) string {
	t.Helper()
	rec := httptest.NewRecorder()
	playground.Handler("test", "/query", opts...).ServeHTTP(rec,
		httptest.NewRequest(http.MethodGet, "/", nil))
	return html.UnescapeString(rec.Body.String())
}

func TestOpenNamesTheMissingFile(t *testing.T) {
	for _, missing := range required {
		t.Run(missing, func(t *testing.T) {
			var present []string
			for _, name := range required {
				if name != missing {
					present = append(present, name)
				}
			}
			_, err := Open(writeAssets(t, present...))
			if err == nil || !strings.Contains(err.Error(), missing) {
				t.Errorf("err = %v, want it to name %s", err, missing)
			}
		})
	}
}

func TestPagePointsAtTheLocalFilesWithTheirHashes(t *testing.T) {
	a, err := Open(writeAssets(t, append(required, optional...)...))
	if err != nil {
		t.Fatal(err)
	}
	got := page(t, append(a.PageOptions(prefix),
		playground.WithGraphiqlEnablePluginExplorer(true))...)

	for _, name := range append(required, optional...) {
		want := `="` + prefix + name + `"`
		if !strings.Contains(got, want) {
			t.Errorf("page does not link %s", want)
		}
		if sri := sriOf("/* " + name + " */"); !strings.Contains(got, `integrity="`+sri+`"`) {
			t.Errorf("page lacks integrity %s for %s", sri, name)
		}
	}
	if strings.Contains(got, "cdn.jsdelivr.net") {
		t.Errorf("page still links the CDN")
	}
}

func TestPageKeepsTheCDNExplorerWhenItsFilesAreAbsent(t *testing.T) {
	a, err := Open(writeAssets(t, required...))
	if err != nil {
		t.Fatal(err)
	}
	got := page(t, append(a.PageOptions(prefix),
		playground.WithGraphiqlEnablePluginExplorer(true))...)
	if !strings.Contains(got, "cdn.jsdelivr.net/npm/"+ExplorerPackage) {
		t.Errorf("page does not link the explorer on the CDN")
	}
}

func TestServeHTTPServesOnlyThePageFiles(t *testing.T) {
	a, err := Open(writeAssets(t, append(required, "graphiql@4.1.2/package.json")...))
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(http.StripPrefix(prefix, a))
	t.Cleanup(srv.Close)

	tests := []struct {
		name, path, wantType string
		wantStatus           int
	}{
		{"script", graphiqlJS, "text/javascript; charset=utf-8", http.StatusOK},
		{"stylesheet", graphiqlCSS, "text/css; charset=utf-8", http.StatusOK},
		{"react", reactDOMJS, "text/javascript; charset=utf-8", http.StatusOK},
		{"other file of a package", "graphiql@4.1.2/package.json", "", http.StatusNotFound},
		{"path escaping the folder", "../assets.go", "", http.StatusNotFound},
		{"absent explorer", explorerJS, "", http.StatusNotFound},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			resp, err := http.Get(srv.URL + prefix + tt.path)
			if err != nil {
				t.Fatal(err)
			}
			defer resp.Body.Close()
			body, _ := io.ReadAll(resp.Body)
			if resp.StatusCode != tt.wantStatus {
				t.Fatalf("status = %d, want %d", resp.StatusCode, tt.wantStatus)
			}
			if tt.wantStatus != http.StatusOK {
				return
			}
			if got := resp.Header.Get("Content-Type"); got != tt.wantType {
				t.Errorf("Content-Type = %q, want %q", got, tt.wantType)
			}
			if got, want := string(body), "/* "+tt.path+" */"; got != want {
				t.Errorf("body = %q, want %q", got, want)
			}
		})
	}
}

// The folder layout follows the versions gqlgen's playground loads; when a
// gqlgen upgrade moves them, this fails and the constants must follow.
func TestPackagesMatchThePlaygroundDefaults(t *testing.T) {
	got := page(t, playground.WithGraphiqlEnablePluginExplorer(true))
	for _, name := range []string{graphiqlJS, graphiqlCSS, reactJS, reactDOMJS, explorerJS} {
		if want := "https://cdn.jsdelivr.net/npm/" + name; !strings.Contains(got, want) {
			t.Errorf("default page does not link %s", want)
		}
	}
}
