package edge

import (
	"net/http"

	"github.com/rs/cors"
)

// CORSHeaders are the request headers a browser may send cross-origin: the
// bearer token, JSON bodies, and the headers Apollo Client and urql add.
var CORSHeaders = []string{
	"Accept",
	"Authorization",
	"Content-Type",
	"Apollo-Require-Preflight",
	"X-Apollo-Operation-Name",
	"Apollographql-Client-Name",
	"Apollographql-Client-Version",
}

// CORS lets browsers on the allowed origins call the gateway. A preflight
// request (OPTIONS with Access-Control-Request-Method) is answered here with
// 204 and never reaches next, so it needs no token; other origins get no CORS
// headers. An origin is a scheme and host such as https://app.example.com,
// "*" allows any, and with no origins CORS is off: next runs unwrapped and no
// CORS header is ever sent. Credentials (cookies) are not allowed: callers
// authenticate with a bearer token.
func CORS(origins []string) func(http.Handler) http.Handler {
	if len(origins) == 0 {
		return func(next http.Handler) http.Handler { return next }
	}
	c := cors.New(cors.Options{
		AllowedOrigins: origins,
		AllowedMethods: []string{http.MethodGet, http.MethodPost},
		AllowedHeaders: CORSHeaders,
		MaxAge:         600,
	})
	return c.Handler
}
