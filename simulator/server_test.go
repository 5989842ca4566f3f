package simulator

import (
	"net/http"
	"strings"
	"testing"
	"time"
)

func TestStartServesOnARealListener(t *testing.T) {
	sim, err := New(Options{Leads: 30})
	if err != nil {
		t.Fatal(err)
	}
	if err := sim.Start("127.0.0.1:0"); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = sim.Close() })
	if err := sim.Start("127.0.0.1:0"); err == nil {
		t.Errorf("a second Start succeeded")
	}
	if !strings.HasPrefix(sim.URL(), "http://127.0.0.1:") ||
		sim.Issuer() != sim.URL()+"/realms/capemedia" ||
		sim.JWKSURL() != sim.Issuer()+"/protocol/openid-connect/certs" {
		t.Fatalf("URL %q, Issuer %q, JWKSURL %q", sim.URL(), sim.Issuer(), sim.JWKSURL())
	}

	tok, err := sim.DemoToken(time.Minute)
	if err != nil {
		t.Fatal(err)
	}
	req, _ := http.NewRequest(http.MethodGet, sim.URL()+"/commercial/api/v1/leads/", nil)
	req.Header.Set("Authorization", "Bearer "+tok)
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if res.StatusCode != http.StatusOK || res.Header.Get("Content-Type") != "application/json" {
		t.Errorf("got %d %s, want 200 JSON", res.StatusCode, res.Header.Get("Content-Type"))
	}
	if err := sim.Close(); err != nil {
		t.Errorf("Close: %v", err)
	}
}

func TestNewRefusesNegativeOptions(t *testing.T) {
	if _, err := New(Options{Leads: -1}); err == nil {
		t.Errorf("New accepted a negative lead count")
	}
}
