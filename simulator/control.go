package simulator

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"

	"github.com/golang-jwt/jwt/v5"
)

// The test controls under /__sim/. They are not counted in the stats and
// need no token.

func (s *Simulator) controlRoutes() {
	s.mux.HandleFunc("GET /__sim/stats", func(w http.ResponseWriter, r *http.Request) {
		writeJSON(w, r, http.StatusOK, s.Stats())
	})
	s.mux.HandleFunc("POST /__sim/reset", func(w http.ResponseWriter, r *http.Request) {
		s.Reset()
		w.WriteHeader(http.StatusNoContent)
	})
	s.mux.HandleFunc("POST /__sim/token", s.simToken)
	s.mux.HandleFunc("GET /__sim/traces", s.serveTraces)
	s.mux.HandleFunc("POST /__sim/keys/rotate", s.simRotate)
	s.mux.HandleFunc("GET /__sim/faults", func(w http.ResponseWriter, r *http.Request) {
		writeJSON(w, r, http.StatusOK, map[string][]fault{"faults": s.faults.snapshot()})
	})
	s.mux.HandleFunc("POST /__sim/faults", s.simAddFaults)
	s.mux.HandleFunc("DELETE /__sim/faults", func(w http.ResponseWriter, r *http.Request) {
		s.faults.clear()
		w.WriteHeader(http.StatusNoContent)
	})
}

// simToken signs the posted claims exactly as given; ?key=next signs with the
// key that is not published yet.
func (s *Simulator) simToken(w http.ResponseWriter, r *http.Request) {
	dec := json.NewDecoder(io.LimitReader(r.Body, maxBodyBytes))
	dec.UseNumber()
	var claims jwt.MapClaims
	if err := dec.Decode(&claims); err != nil || claims == nil {
		writeDetail(w, r, http.StatusBadRequest, "body must be a JSON object of claims")
		return
	}
	tok, err := s.keys.sign(claims, r.URL.Query().Get("key") == "next")
	if err != nil {
		writeDetail(w, r, http.StatusInternalServerError, err.Error())
		return
	}
	writeJSON(w, r, http.StatusOK, map[string]string{"access_token": tok, "token_type": "Bearer"})
}

func (s *Simulator) simRotate(w http.ResponseWriter, r *http.Request) {
	if err := s.keys.rotate(); err != nil {
		writeDetail(w, r, http.StatusInternalServerError, err.Error())
		return
	}
	w.WriteHeader(http.StatusNoContent)
}

// simAddFaults takes one fault object or a list of them.
func (s *Simulator) simAddFaults(w http.ResponseWriter, r *http.Request) {
	raw, err := io.ReadAll(io.LimitReader(r.Body, maxBodyBytes))
	if err != nil {
		writeDetail(w, r, http.StatusBadRequest, err.Error())
		return
	}
	raw = bytes.TrimSpace(raw)
	var list []fault
	if len(raw) > 0 && raw[0] != '[' {
		raw = append(append([]byte{'['}, raw...), ']')
	}
	if err := json.Unmarshal(raw, &list); err != nil {
		writeDetail(w, r, http.StatusBadRequest, "body must be a fault object or a list: "+
			err.Error())
		return
	}
	for i := range list {
		if err := list[i].check(); err != nil {
			writeDetail(w, r, http.StatusBadRequest, err.Error())
			return
		}
	}
	for _, f := range list {
		s.faults.add(f)
	}
	writeJSON(w, r, http.StatusCreated, map[string][]fault{"faults": s.faults.snapshot()})
}
