package gateway

import (
	"log/slog"
	"net"
	"net/http"
	"net/http/pprof"
	"time"
)

// ServePprof serves the runtime profiles of net/http/pprof on ln, a listener
// of their own (PPROF_ADDR), never on the public routes. stop closes it.
func ServePprof(ln net.Listener, logger *slog.Logger) (stop func()) {
	mux := http.NewServeMux()
	mux.HandleFunc("/debug/pprof/", pprof.Index)
	mux.HandleFunc("/debug/pprof/cmdline", pprof.Cmdline)
	mux.HandleFunc("/debug/pprof/profile", pprof.Profile)
	mux.HandleFunc("/debug/pprof/symbol", pprof.Symbol)
	mux.HandleFunc("/debug/pprof/trace", pprof.Trace)
	srv := &http.Server{Handler: mux, ReadHeaderTimeout: 5 * time.Second}
	go srv.Serve(ln)

	logger.Info("profiles served on their own listener",
		slog.String("pprof", "http://"+displayAddr(ln.Addr())+"/debug/pprof/"))
	return func() { srv.Close() }
}
