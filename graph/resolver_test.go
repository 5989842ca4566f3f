package graph

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"testing"
)

// newFakeGateway serves the schema over an upstream that answers every request
// with body.
func newFakeGateway(t *testing.T, body string) *httptest.Server {
	t.Helper()
	return serveSchema(t, http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		w.Write([]byte(body))
	}))
}

func TestAnUnknownEnumValueFailsOnlyItsField(t *testing.T) {
	gw := newFakeGateway(t, `{"next": null, "previous": null, "results": [
		{"id": "11111111-1111-4111-8111-111111111111", "name": "Kilimo Ltd", "gender": "other",
		 "lead_type": "company", "products": []},
		{"id": "22222222-2222-4222-8222-222222222222", "name": "Baraka", "gender": "female",
		 "lead_type": "partnership", "products": []}]}`)

	resp, err := http.Post(gw.URL, "application/json", jsonBody(t,
		`{ leads(first: 2) { nodes { id name gender leadType } } }`))
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var got struct {
		Data struct {
			Leads struct {
				Nodes []struct {
					ID, Name         string
					Gender, LeadType *string
				}
			}
		}
		Errors []struct {
			Path       []any
			Extensions map[string]any
		}
	}
	if err := json.NewDecoder(resp.Body).Decode(&got); err != nil {
		t.Fatal(err)
	}

	nodes := got.Data.Leads.Nodes
	if len(nodes) != 2 || nodes[0].Name != "Kilimo Ltd" || nodes[1].Name != "Baraka" {
		t.Fatalf("nodes = %+v, want both leads", nodes)
	}
	if nodes[0].Gender != nil || *nodes[0].LeadType != "COMPANY" {
		t.Errorf("lead 0 gender, leadType = %v, %v; want null, COMPANY", nodes[0].Gender, *nodes[0].LeadType)
	}
	if nodes[1].LeadType != nil || *nodes[1].Gender != "FEMALE" {
		t.Errorf("lead 1 gender, leadType = %v, %v; want FEMALE, null", *nodes[1].Gender, nodes[1].LeadType)
	}
	wantPaths := map[string]bool{"leads.nodes.0.gender": true, "leads.nodes.1.leadType": true}
	if len(got.Errors) != 2 {
		t.Fatalf("errors = %+v, want two", got.Errors)
	}
	for _, e := range got.Errors {
		path := ""
		for i, p := range e.Path {
			if i > 0 {
				path += "."
			}
			path += jsonText(p)
		}
		if !wantPaths[path] || e.Extensions["code"] != CodeUpstreamBadResponse {
			t.Errorf("error at %s with code %v, want UPSTREAM_BAD_RESPONSE at one of %v",
				path, e.Extensions["code"], wantPaths)
		}
	}
}

func TestAnUnreadableUpstreamPageIsAnErrorNotAnEmptyList(t *testing.T) {
	gw := newFakeGateway(t, `<html>oops</html>`)
	resp, err := http.Post(gw.URL, "application/json", jsonBody(t, `{ leads { nodes { id } } }`))
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var got struct {
		Data   json.RawMessage
		Errors []struct{ Extensions map[string]any }
	}
	if err := json.NewDecoder(resp.Body).Decode(&got); err != nil {
		t.Fatal(err)
	}
	nullData := string(got.Data) == "null" || string(got.Data) == `{"leads":null}`
	if !nullData || len(got.Errors) != 1 ||
		got.Errors[0].Extensions["code"] != CodeUpstreamBadResponse {
		t.Errorf("data = %s, errors = %+v; want null data and one UPSTREAM_BAD_RESPONSE", got.Data, got.Errors)
	}
}
