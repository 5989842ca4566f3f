package graph

import (
	"time"

	"github.com/capedigital/cape-gateway/graph/model"
	"github.com/capedigital/cape-gateway/upstream"
)

// leadFromUpstream maps an upstream lead. Enum values the schema does not know are
// kept so that writing them reports an error at that field only.
func leadFromUpstream(l *upstream.Lead) *model.Lead {
	out := &model.Lead{
		ID:            l.ID,
		Name:          l.Name,
		ContactPerson: l.ContactPerson,
		ContactPhone:  l.ContactPhone,
		ContactEmail:  l.ContactEmail,
		CategoryID:    l.LeadCategory,
		SourceID:      l.Source,
		ProductIDs:    l.Products,
		PartnerID:     l.Partner,
		Status:        l.Status,
		Node:          l.Node,
		Reference:     l.Reference,
		CreatedAt:     timeFromUpstream(l.CreatedAt),
		UpdatedAt:     timeFromUpstream(l.UpdatedAt),
	}
	if out.ProductIDs == nil {
		out.ProductIDs = []string{}
	}
	if l.LeadType != nil {
		t := model.LeadTypeFromWire(*l.LeadType)
		out.LeadType = &t
	}
	if l.Gender != nil {
		g := model.GenderFromWire(*l.Gender)
		out.Gender = &g
	}
	return out
}

// timeFromUpstream points at the upstream record's time rather than copying
// it: mapped records share the upstream records' lifetime and neither changes.
func timeFromUpstream(t *upstream.Time) *time.Time {
	if t == nil {
		return nil
	}
	return &t.Time
}

func leadCategoryFromUpstream(c *upstream.LeadCategory) *model.LeadCategory {
	return &model.LeadCategory{ID: c.ID, Name: c.Name, Description: c.Description}
}

func sourceFromUpstream(s *upstream.Source) *model.Source {
	return &model.Source{ID: s.ID, Name: s.Name, Description: s.Description}
}

func productFromUpstream(p *upstream.Product) *model.Product {
	out := &model.Product{ID: p.ID, Name: p.Name, Description: p.Description}
	if p.Price != nil {
		price := p.Price.String()
		out.Price = &price
	}
	return out
}

func partnerFromUpstream(p *upstream.Partner) *model.Partner {
	return &model.Partner{ID: p.ID, Name: p.Name, Description: p.Description}
}

func userFromUpstream(u *upstream.User) *model.User {
	return &model.User{
		ID:            u.ID,
		Username:      u.Username,
		Name:          u.Name,
		InactiveAlert: u.InactiveAlert,
		Email:         u.Email,
		FirstName:     u.FirstName,
		LastName:      u.LastName,
		PhoneNumber:   u.PhoneNumber,
		Status:        u.Status,
		DateJoined:    timeFromUpstream(u.DateJoined),
		LastLogin:     timeFromUpstream(u.LastLogin),
	}
}

// mapAll maps a slice of upstream records, keeping the order.
func mapAll[U, M any](in []U, conv func(*U) *M) []*M {
	out := make([]*M, len(in))
	for i := range in {
		out[i] = conv(&in[i])
	}
	return out
}
