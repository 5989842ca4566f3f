package model

import (
	"errors"
	"time"
)

// Lead is a sales lead. The related records a query selects are fetched
// together for every lead of an answer, before the leads are resolved, and
// kept with each lead (see SetRelations); a query that does not select them
// costs nothing.
type Lead struct {
	ID            string
	Name          string
	ContactPerson *string
	ContactPhone  *string
	ContactEmail  *string
	CategoryID    *string
	SourceID      *string
	ProductIDs    []string
	PartnerID     *string
	Status        *string
	Node          *string
	Reference     *string
	LeadType      *LeadType
	Gender        *Gender
	CreatedAt     *time.Time
	UpdatedAt     *time.Time

	related *LeadRelations
}

// LeadRelations are the records related to a lead that a query selects, each
// with the error its fetch ended with. A record the lead names but the
// upstream does not know is nil without an error.
type LeadRelations struct {
	Category    *LeadCategory
	CategoryErr error
	Source      *Source
	SourceErr   error
	Products    []*Product
	ProductsErr error
	Partner     *Partner
	PartnerErr  error
}

// UnfetchedRelations are relations none of which was fetched: each field
// fails rather than answer null as if the lead named no record.
func UnfetchedRelations() LeadRelations { return unfetched }

var unfetched = LeadRelations{CategoryErr: errUnfetched, SourceErr: errUnfetched,
	ProductsErr: errUnfetched, PartnerErr: errUnfetched}

// SetRelations keeps the lead's related records for its fields to answer from.
func (l *Lead) SetRelations(r *LeadRelations) { l.related = r }

// relations are what SetRelations kept, or none fetched.
func (l *Lead) relations() *LeadRelations {
	if l.related == nil {
		return &unfetched
	}
	return l.related
}

// errUnfetched is a relation read from a lead that did not fetch it: every
// field that returns leads must fetch the relations its query selects first.
var errUnfetched = errors.New("model: the lead's related records were not fetched")

// The relation fields answer from what SetRelations kept. They take no
// context, so gqlgen resolves them in line rather than in a goroutine each.

// Category is the lead's category.
func (l *Lead) Category() (*LeadCategory, error) {
	r := l.relations()
	return r.Category, r.CategoryErr
}

// Source is where the lead came from.
func (l *Lead) Source() (*Source, error) {
	r := l.relations()
	return r.Source, r.SourceErr
}

// Products are the products the lead is interested in.
func (l *Lead) Products() ([]*Product, error) {
	r := l.relations()
	return r.Products, r.ProductsErr
}

// Partner is the partner of the lead.
func (l *Lead) Partner() (*Partner, error) {
	r := l.relations()
	return r.Partner, r.PartnerErr
}

// LeadCategory is a category that leads are filed under.
type LeadCategory struct {
	ID          string
	Name        string
	Description *string
}

// Source is where a lead came from.
type Source struct {
	ID          string
	Name        string
	Description *string
}

// Product is a product a lead is interested in. Price keeps the upstream's exact
// decimal text.
type Product struct {
	ID          string
	Name        string
	Description *string
	Price       *string
}

// Partner is a partner that brought in or serves a lead.
type Partner struct {
	ID          string
	Name        string
	Description *string
}

// User is a staff or consumer account.
type User struct {
	ID            string
	Username      string
	Name          *string
	InactiveAlert *bool
	Email         *string
	FirstName     *string
	LastName      *string
	PhoneNumber   *string
	Status        *string
	DateJoined    *time.Time
	LastLogin     *time.Time
}
