// Package graphiql serves GraphiQL's browser files from a local folder, for
// networks where the page cannot reach the public CDN that gqlgen's playground
// links to by default.
//
// The folder is laid out like the CDN's npm tree: one folder per package, named
// name@version, holding the package as published (what `npm pack` unpacks, or
// the package's folder in node_modules).
package graphiql

import (
	"bytes"
	"crypto/sha256"
	"encoding/base64"
	"errors"
	"fmt"
	"io/fs"
	"net/http"
	"os"
	"path"
	"time"

	"github.com/99designs/gqlgen/graphql/playground"
)

// The packages the page loads, at the versions gqlgen's playground pins.
const (
	GraphiQLPackage = "graphiql@4.1.2"
	ReactPackage    = "react@18.2.0"
	ReactDOMPackage = "react-dom@18.2.0"
	ExplorerPackage = "@graphiql/plugin-explorer@4.0.6"
)

// Files the page loads, relative to the assets folder. The explorer plugin's
// files are optional, because the gateway's page does not enable the plugin;
// its stylesheet is style.css, as npm ships no minified copy.
var (
	graphiqlJS  = GraphiQLPackage + "/graphiql.min.js"
	graphiqlCSS = GraphiQLPackage + "/graphiql.min.css"
	reactJS     = ReactPackage + "/umd/react.production.min.js"
	reactDOMJS  = ReactDOMPackage + "/umd/react-dom.production.min.js"
	explorerJS  = ExplorerPackage + "/dist/index.umd.js"
	explorerCSS = ExplorerPackage + "/dist/style.css"

	required = []string{graphiqlJS, graphiqlCSS, reactJS, reactDOMJS}
	optional = []string{explorerJS, explorerCSS}
)

// Assets holds GraphiQL's files in memory with their subresource integrity
// hashes, so that what the page asks for is exactly what is served.
type Assets struct {
	files map[string]file
}

type file struct {
	body    []byte
	sri     string
	modTime time.Time
}

// Open reads GraphiQL's files from dir. It fails when one of the files the page
// needs is missing, naming it.
func Open(dir string) (*Assets, error) {
	a := &Assets{files: map[string]file{}}
	root := os.DirFS(dir)
	for _, name := range required {
		if err := a.read(root, name); err != nil {
			return nil, err
		}
	}
	for _, name := range optional {
		if err := a.read(root, name); err != nil && !errors.Is(err, fs.ErrNotExist) {
			return nil, err
		}
	}
	return a, nil
}

func (a *Assets) read(root fs.FS, name string) error {
	body, err := fs.ReadFile(root, name)
	if err != nil {
		return fmt.Errorf("read GraphiQL file: %w", err)
	}
	modTime := time.Time{}
	if info, err := fs.Stat(root, name); err == nil {
		modTime = info.ModTime()
	}
	sum := sha256.Sum256(body)
	a.files[name] = file{
		body:    body,
		sri:     "sha256-" + base64.StdEncoding.EncodeToString(sum[:]),
		modTime: modTime,
	}
	return nil
}

// PageOptions points gqlgen's playground page at the files, served under
// prefix (such as "/graphiql-assets/").
func (a *Assets) PageOptions(prefix string) []playground.GraphiqlConfigOption {
	url := func(name string) string { return prefix + name }
	sri := func(name string) string { return a.files[name].sri }
	opts := []playground.GraphiqlConfigOption{
		playground.WithGraphiqlVersion(url(graphiqlJS), url(graphiqlCSS),
			sri(graphiqlJS), sri(graphiqlCSS)),
		playground.WithGraphiqlReactVersion(url(reactJS), url(reactDOMJS),
			sri(reactJS), sri(reactDOMJS)),
	}
	if a.has(explorerJS) && a.has(explorerCSS) {
		opts = append(opts, playground.WithGraphiqlPluginExplorerVersion(
			url(explorerJS), url(explorerCSS), sri(explorerJS), sri(explorerCSS)))
	}
	return opts
}

func (a *Assets) has(name string) bool {
	_, ok := a.files[name]
	return ok
}

// ServeHTTP serves one of the files by its path relative to the folder; use it
// behind http.StripPrefix. Only the files the page loads are served. The paths
// carry package versions, so browsers may cache them for good.
func (a *Assets) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	f, ok := a.files[path.Clean(r.URL.Path)]
	if !ok {
		http.NotFound(w, r)
		return
	}
	w.Header().Set("Cache-Control", "public, max-age=31536000, immutable")
	w.Header().Set("X-Content-Type-Options", "nosniff")
	http.ServeContent(w, r, path.Base(r.URL.Path), f.modTime, bytes.NewReader(f.body))
}
