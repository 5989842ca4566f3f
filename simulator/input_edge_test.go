package simulator

import (
	"net/http"
	"testing"
)

func TestSimTokenRefusesABodyThatIsNotAnObject(t *testing.T) {
	s := newTestSim(t, Options{Leads: 10})
	for _, body := range []string{"null", "[]", `"claims"`, "7", ""} {
		a := s.do(t, http.MethodPost, "/__sim/token", "", body)
		if a.status != http.StatusBadRequest {
			t.Errorf("POST /__sim/token %q: status %d, body %s; want 400", body, a.status, a.body)
		}
	}
}

func TestNullCharactersAreRefusedAsDRFDoes(t *testing.T) {
	s := newTestSim(t, Options{Leads: 10})
	a := s.do(t, http.MethodPost, "/commercial/api/v1/leads", s.token,
		map[string]any{"name": "Kilimo\x00Ltd", "contact_person": "A\x00"})
	var got map[string][]string
	a.json(t, &got)
	want := "Null characters are not allowed."
	if a.status != http.StatusBadRequest || len(got["name"]) != 1 || got["name"][0] != want ||
		len(got["contact_person"]) != 1 || got["contact_person"][0] != want {
		t.Errorf("status %d, body %s; want 400 with %q for name and contact_person",
			a.status, a.body, want)
	}
}
