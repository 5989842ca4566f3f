package upstream

import (
	"encoding/json"
	"testing"
	"time"
)

func TestTimeAcceptsTheUpstreamForms(t *testing.T) {
	plusOne := time.FixedZone("", 3600)
	tests := []struct {
		in   string
		want time.Time
	}{
		{`"2024-05-01T10:00:00Z"`, time.Date(2024, 5, 1, 10, 0, 0, 0, time.UTC)},
		{`"2024-05-01T10:00:00.123456Z"`, time.Date(2024, 5, 1, 10, 0, 0, 123456000, time.UTC)},
		{`"2024-05-01T10:00:00+01:00"`, time.Date(2024, 5, 1, 10, 0, 0, 0, plusOne)},
		{`"2024-05-01T10:00:00.5+01:00"`, time.Date(2024, 5, 1, 10, 0, 0, 5e8, plusOne)},
		{`"2024-05-01T10:00:00+0100"`, time.Date(2024, 5, 1, 10, 0, 0, 0, plusOne)},
		{`"2024-05-01T10:00:00.987654321+0100"`, time.Date(2024, 5, 1, 10, 0, 0, 987654321, plusOne)},
		{`"2024-05-01 10:00:00Z"`, time.Date(2024, 5, 1, 10, 0, 0, 0, time.UTC)},
		{`"2024-05-01 10:00:00.25+01:00"`, time.Date(2024, 5, 1, 10, 0, 0, 25e7, plusOne)},
		{`"2024-05-01 10:00:00-0530"`, time.Date(2024, 5, 1, 10, 0, 0, 0, time.FixedZone("", -19800))},
	}
	for _, tt := range tests {
		var got Time
		if err := json.Unmarshal([]byte(tt.in), &got); err != nil {
			t.Errorf("%s: got error %v, want none", tt.in, err)
			continue
		}
		if !got.Equal(tt.want) {
			t.Errorf("%s: got %v, want %v", tt.in, got.Time, tt.want)
		}
		if _, off := got.Zone(); off != func() int { _, o := tt.want.Zone(); return o }() {
			t.Errorf("%s: got offset %d, want the one sent", tt.in, off)
		}
	}
}

func TestTimeRejectsOtherForms(t *testing.T) {
	for _, in := range []string{`"2024-05-01"`, `"yesterday"`, `1714557600`, `"2024-05-01T10:00:00"`,
		`""`, `"2024-05-01T10:00:00\u005a"`, `true`} {
		var got Time
		if err := json.Unmarshal([]byte(in), &got); err == nil {
			t.Errorf("%s: got %v, want an error", in, got.Time)
		}
	}
}

func TestNullTimeStaysNil(t *testing.T) {
	var lead Lead
	if err := json.Unmarshal([]byte(`{"created_at":null}`), &lead); err != nil {
		t.Fatal(err)
	}
	if lead.CreatedAt != nil || lead.UpdatedAt != nil {
		t.Errorf("got %v, %v, want nil times", lead.CreatedAt, lead.UpdatedAt)
	}
}

func TestLeadKeepsWireValues(t *testing.T) {
	var lead Lead
	body := `{"id":"l1","gender":"","lead_type":"alien","status":"WEIRD_NEW_STATE","reference":null}`
	if err := json.Unmarshal([]byte(body), &lead); err != nil {
		t.Fatal(err)
	}
	if lead.Gender == nil || *lead.Gender != "" {
		t.Errorf("got gender %v, want pointer to empty string", lead.Gender)
	}
	if lead.LeadType == nil || *lead.LeadType != "alien" {
		t.Errorf("got lead_type %v, want alien", lead.LeadType)
	}
	if lead.Status == nil || *lead.Status != "WEIRD_NEW_STATE" {
		t.Errorf("got status %v, want WEIRD_NEW_STATE", lead.Status)
	}
	if lead.Reference != nil || lead.Partner != nil {
		t.Errorf("got reference %v, partner %v, want nil", lead.Reference, lead.Partner)
	}
}

func TestOptionalMarshalsOnlySetFields(t *testing.T) {
	tests := []struct {
		name string
		in   LeadUpdate
		want string
	}{
		{"nothing set", LeadUpdate{}, `{}`},
		{"value", LeadUpdate{Gender: Some("")}, `{"gender":""}`},
		{"null", LeadUpdate{Reference: Null[string]()}, `{"reference":null}`},
		{"list", LeadUpdate{Products: Some([]string{"a", "b"})}, `{"products":["a","b"]}`},
	}
	for _, tt := range tests {
		got, err := json.Marshal(tt.in)
		if err != nil || string(got) != tt.want {
			t.Errorf("%s: got %s, %v, want %s", tt.name, got, err, tt.want)
		}
	}

	var round LeadUpdate
	if err := json.Unmarshal([]byte(`{"name":"x","partner":null}`), &round); err != nil {
		t.Fatal(err)
	}
	if round.Name != Some("x") || round.Partner != Null[string]() || round.Source.Set {
		t.Errorf("got %+v, want name set, partner null, source unset", round)
	}
}
