package simulator

import (
	"bytes"
	"net/http"
	"regexp"
	"strings"
	"testing"
)

// listBody answers one raw list page with the host part of the links blanked.
func listBody(t *testing.T, s *testSim, path string) []byte {
	t.Helper()
	a := s.do(t, http.MethodGet, path, s.token, nil)
	if a.status != http.StatusOK {
		t.Fatalf("GET %s: %d %s", path, a.status, a.body)
	}
	return bytes.ReplaceAll(a.body, []byte(s.base), []byte("http://HOST"))
}

func TestSameSeedSameData(t *testing.T) {
	a := newTestSim(t, Options{Leads: 300, Seed: 42})
	b := newTestSim(t, Options{Leads: 300, Seed: 42})
	c := newTestSim(t, Options{Leads: 300, Seed: 43})
	paths := []string{
		"/commercial/api/v1/leads?page_size=100",
		"/commercial/api/v1/lead-categories?page_size=100",
		"/commercial/api/v1/sources?page_size=100",
		"/commercial/api/v1/products?page_size=100",
		"/commercial/api/v1/partners?page_size=100",
		"/commercial/api/v1/auth/users?page_size=100",
	}
	for _, p := range paths {
		if !bytes.Equal(listBody(t, a, p), listBody(t, b, p)) {
			t.Errorf("%s differs between two simulators with seed 42", p)
		}
	}
	if bytes.Equal(listBody(t, a, paths[0]), listBody(t, c, paths[0])) {
		t.Errorf("seeds 42 and 43 gave the same leads")
	}
}

func TestSeededLeadsCoverTheAwkwardCases(t *testing.T) {
	s := newTestSim(t, Options{Leads: 500})
	counts := map[string]int{}
	fraction := regexp.MustCompile(`^"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z"$`)
	next := "/commercial/api/v1/leads?page_size=100"
	for next != "" {
		var p leadPage
		s.get(t, next, &p)
		for _, l := range p.Results {
			countLead(counts, l, fraction)
		}
		next = ""
		if p.Next != nil {
			next = *p.Next
		}
	}
	for _, c := range []string{
		`gender="male"`, `gender="female"`, `gender=""`, "gender=null", "gender absent",
		"lead_type absent", "partner absent", "partner=null", "reference=null",
		"several products", "fractional created_at", `lead_type="individual"`,
	} {
		if counts[c] == 0 {
			t.Errorf("no seeded lead has %s", c)
		}
	}
}

func countLead(counts map[string]int, l wireLead, fraction *regexp.Regexp) {
	for _, key := range []string{"gender", "lead_type", "partner", "reference"} {
		raw, ok := l[key]
		switch {
		case !ok:
			counts[key+" absent"]++
		case string(raw) == "null":
			counts[key+"=null"]++
		default:
			counts[key+"="+string(raw)]++
		}
	}
	if strings.Count(string(l["products"]), ",") > 0 {
		counts["several products"]++
	}
	if fraction.Match(l["created_at"]) {
		counts["fractional created_at"]++
	}
}

func TestProductPricesAreDecimalStrings(t *testing.T) {
	s := newTestSim(t, Options{Leads: 5})
	var p struct{ Results []product }
	s.get(t, "/commercial/api/v1/products?page_size=100", &p)
	price := regexp.MustCompile(`^\d+\.\d\d$`)
	for _, pr := range p.Results {
		if !price.MatchString(pr.Price) {
			t.Errorf("product %s price %q is not like \"1500.00\"", pr.Name, pr.Price)
		}
	}
	if len(p.Results) < 20 {
		t.Errorf("only %d products", len(p.Results))
	}
}
