package simulator

import (
	"encoding/json"
	"time"
)

// optString is a JSON field that can be absent (omitted), null or a string.
// Absence exists because the real API omits some keys on some records.
type optString struct {
	set  bool
	null bool
	v    string
}

func present(v string) optString { return optString{set: true, v: v} }

func nullString() optString { return optString{set: true, null: true} }

// IsZero reports an absent field, so that `omitzero` leaves the key out.
func (o optString) IsZero() bool { return !o.set }

// MarshalJSON writes null or the string.
func (o optString) MarshalJSON() ([]byte, error) {
	if o.null || !o.set {
		return []byte("null"), nil
	}
	return json.Marshal(o.v)
}

// lead is the wire shape of a lead; created is the sort key.
type lead struct {
	ID            string    `json:"id"`
	Name          string    `json:"name"`
	ContactPerson *string   `json:"contact_person"`
	ContactPhone  *string   `json:"contact_phone"`
	ContactEmail  *string   `json:"contact_email"`
	LeadCategory  *string   `json:"lead_category"`
	Source        *string   `json:"source"`
	Products      []string  `json:"products"`
	Status        string    `json:"status"`
	Node          string    `json:"node"`
	CreatedAt     string    `json:"created_at"`
	UpdatedAt     string    `json:"updated_at"`
	Reference     *string   `json:"reference"`
	LeadType      optString `json:"lead_type,omitzero"`
	Gender        optString `json:"gender,omitzero"`
	Partner       optString `json:"partner,omitzero"`

	created time.Time
}

// named is the wire shape shared by lead categories, sources and partners.
type named struct {
	ID          string  `json:"id"`
	Name        string  `json:"name"`
	Description *string `json:"description"`
}

// product is the wire shape of a product; price is a DRF decimal string.
type product struct {
	ID          string  `json:"id"`
	Name        string  `json:"name"`
	Description *string `json:"description"`
	Price       string  `json:"price"`
}

// user is the wire shape of a user plus what only the simulator knows.
type user struct {
	ID            string  `json:"id"`
	Username      string  `json:"username"`
	Name          *string `json:"name"`
	InactiveAlert bool    `json:"inactive_alert"`
	Email         string  `json:"email"`
	FirstName     string  `json:"first_name"`
	LastName      string  `json:"last_name"`
	PhoneNumber   *string `json:"phone_number"`
	Status        string  `json:"status"`
	DateJoined    string  `json:"date_joined"`
	LastLogin     *string `json:"last_login"`

	roles  []string
	joined time.Time
}

// collection holds records in their fixed list order with an index by id.
type collection[T any] struct {
	items []T
	index map[string]int
	id    func(T) string
}

func newCollection[T any](items []T, id func(T) string) *collection[T] {
	c := &collection[T]{items: items, id: id}
	c.reindex()
	return c
}

func (c *collection[T]) reindex() {
	c.index = make(map[string]int, len(c.items))
	for i, it := range c.items {
		c.index[c.id(it)] = i
	}
}

func (c *collection[T]) get(id string) (T, bool) {
	i, ok := c.index[id]
	if !ok {
		var zero T
		return zero, false
	}
	return c.items[i], true
}

// insert puts v at position i and keeps the index right.
func (c *collection[T]) insert(i int, v T) {
	var zero T
	c.items = append(c.items, zero)
	copy(c.items[i+1:], c.items[i:])
	c.items[i] = v
	c.reindex()
}

// stamp formats a time as DRF does: UTC, "Z", microseconds unless they are zero.
func stamp(t time.Time) string {
	t = t.UTC()
	if t.Nanosecond()/1000 == 0 {
		return t.Format("2006-01-02T15:04:05Z")
	}
	return t.Format("2006-01-02T15:04:05.000000Z")
}

func ptr[T any](v T) *T { return &v }
