package upstream

import (
	"errors"
	"testing"
)

func TestDecimalKeepsTheDigitsAsSent(t *testing.T) {
	tests := []struct {
		in   string
		want Decimal
	}{
		{`"1500.00"`, "1500.00"},
		{`1500.10`, "1500.10"},
		{`"99999999999999999999.99"`, "99999999999999999999.99"},
		{`-0.5`, "-0.5"},
		{`1e3`, "1e3"},
		{`0`, "0"},
	}
	for _, tt := range tests {
		var d Decimal
		if err := d.UnmarshalJSON([]byte(tt.in)); err != nil {
			t.Errorf("%s: %v", tt.in, err)
			continue
		}
		if d != tt.want {
			t.Errorf("%s: got %q, want %q", tt.in, d, tt.want)
		}
	}
}

func TestDecimalRefusesWhatIsNotANumber(t *testing.T) {
	for _, in := range []string{`"abc"`, `""`, `"1,5"`, `"NaN"`, `"Inf"`, `"0x10"`, `"1 "`,
		`"01"`, `"1."`, `true`, `"-"`, `"+1"`, `{"a":1}`, `"1e"`} {
		d := Decimal("kept")
		if err := d.UnmarshalJSON([]byte(in)); !errors.Is(err, errBadDecimal) {
			t.Errorf("%s: got %v, want errBadDecimal", in, err)
		}
		if d != "kept" {
			t.Errorf("%s: changed the value to %q", in, d)
		}
	}
}

func TestDecimalNullLeavesAFieldNil(t *testing.T) {
	var p Product
	if reason, err := decodeJSON([]byte(`{"id":"p1","name":"Ad","price":null}`), &p, false); reason != "" {
		t.Fatal(reason, err)
	}
	if p.Price != nil {
		t.Errorf("price: got %q, want nil", *p.Price)
	}
}

func TestBadDecimalIsNamedWithoutItsValue(t *testing.T) {
	var p Product
	reason, err := decodeJSON([]byte(`{"id":"p1","name":"Ad","price":"secret-ish"}`), &p, false)
	if reason != "invalid decimal" || !errors.Is(err, errBadDecimal) {
		t.Errorf("got %q, %v; want invalid decimal", reason, err)
	}
}
