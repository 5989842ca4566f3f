package model

import (
	"errors"
	"testing"
)

func TestLeadRelationsAnswerFromWhatWasSet(t *testing.T) {
	var lead Lead
	if _, err := lead.Category(); !errors.Is(err, errUnfetched) {
		t.Errorf("Category() before SetRelations: err = %v, want %v", err, errUnfetched)
	}

	unfetched := UnfetchedRelations()
	lead.SetRelations(&unfetched)
	if _, err := lead.Partner(); !errors.Is(err, errUnfetched) {
		t.Errorf("Partner() when not fetched: err = %v, want %v", err, errUnfetched)
	}

	failed := errors.New("upstream down")
	lead.SetRelations(&LeadRelations{
		Category:   &LeadCategory{ID: "c1"},
		SourceErr:  failed,
		Products:   []*Product{{ID: "p1"}, {ID: "p2"}},
		Partner:    nil, // named but unknown upstream
		PartnerErr: nil,
	})
	if c, err := lead.Category(); err != nil || c == nil || c.ID != "c1" {
		t.Errorf("Category() = %+v, %v; want c1", c, err)
	}
	if s, err := lead.Source(); s != nil || !errors.Is(err, failed) {
		t.Errorf("Source() = %+v, %v; want nil and the fetch's error", s, err)
	}
	if p, err := lead.Products(); err != nil || len(p) != 2 || p[1].ID != "p2" {
		t.Errorf("Products() = %+v, %v; want p1, p2", p, err)
	}
	if p, err := lead.Partner(); p != nil || err != nil {
		t.Errorf("Partner() = %+v, %v; want nil without an error", p, err)
	}
}
