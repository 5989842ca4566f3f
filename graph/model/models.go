package model

import "time"

// Lead is a sales lead. The related records are resolved from the raw ids through
// the request's loaders, so a query that does not select them costs nothing.
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
