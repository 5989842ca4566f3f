package telemetry

import (
	"fmt"
	"testing"
)

func TestRouteFamilyFoldsIdentifiersAndCutsTheBasePath(t *testing.T) {
	tests := []struct {
		name, base, path, want string
	}{
		{"list", "/commercial", "/commercial/api/v1/leads", "/api/v1/leads"},
		{"uuid", "/commercial", "/commercial/api/v1/leads/5f0c1d2e-3a4b-4c5d-8e6f-7a8b9c0d1e2f",
			"/api/v1/leads/{id}"},
		{"trailing slash", "/commercial/", "/commercial/api/v1/sources/42/", "/api/v1/sources/{id}"},
		{"numeric id", "", "/api/v1/products/12345", "/api/v1/products/{id}"},
		{"mixed-case id", "", "/api/v1/partners/AbCdEf", "/api/v1/partners/{id}"},
		{"all-letter uuid shape", "", "/api/v1/leads/abcdefab-abcd-abcd-abcd-abcdefabcdef",
			"/api/v1/leads/{id}"},
		{"escaped id", "", "/api/v1/leads/a%2Fb", "/api/v1/leads/{id}"},
		{"long word", "", "/api/v1/" + string(make([]byte, 41)), "/api/v1/{id}"},
		{"named routes stay", "", "/api/v1/leads/analytics/users-revenue-kpi",
			"/api/v1/leads/analytics/users-revenue-kpi"},
		{"root", "/commercial", "/commercial", "/"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := RouteFamily(tt.base, tt.path); got != tt.want {
				t.Errorf("RouteFamily(%q, %q) = %q, want %q", tt.base, tt.path, got, tt.want)
			}
		})
	}
}

func TestOperationLabelFoldsUnnamedAndNamesPastTheCap(t *testing.T) {
	m := NewMetrics()
	if got := m.OperationLabel(""); got != LabelUnnamed {
		t.Errorf("OperationLabel(\"\") = %q, want %q", got, LabelUnnamed)
	}
	for i := range maxOperations {
		name := fmt.Sprintf("Op%d", i)
		if got := m.OperationLabel(name); got != name {
			t.Fatalf("OperationLabel(%q) = %q, want it kept", name, got)
		}
	}
	if got := m.OperationLabel("OneTooMany"); got != LabelOther {
		t.Errorf("name past the cap = %q, want %q", got, LabelOther)
	}
	if got := m.OperationLabel("Op7"); got != "Op7" {
		t.Errorf("name seen before the cap = %q, want it kept", got)
	}
}
