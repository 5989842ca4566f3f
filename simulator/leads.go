package simulator

import (
	"encoding/json"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"time"
)

// Choices of the lead's enum-like fields.
var (
	leadTypes   = []string{"individual", "company"}
	leadGenders = []string{"male", "female"}
)

func (s *Simulator) listLeads(w http.ResponseWriter, r *http.Request) {
	listPage(w, r, &s.data.mu, s.data.leads)
}

func (s *Simulator) getLead(w http.ResponseWriter, r *http.Request) {
	getOne(w, r, &s.data.mu, s.data.leads)
}

// revenueKPI answers one lead, as the API reference documents.
func (s *Simulator) revenueKPI(w http.ResponseWriter, r *http.Request) {
	d := s.data
	d.mu.RLock()
	l, ok := d.leads.get(d.kpiLead)
	d.mu.RUnlock()
	if !ok {
		notFound(w, r)
		return
	}
	writeJSON(w, r, http.StatusOK, l)
}

func (s *Simulator) createLead(w http.ResponseWriter, r *http.Request) {
	body, ok := readBody(w, r)
	if !ok {
		return
	}
	now := time.Now().UTC().Truncate(time.Microsecond)
	l := lead{
		ID: randomUUID(), Status: "NEW", Node: "lead_capture", Products: []string{},
		LeadType: nullString(), Gender: nullString(), Partner: nullString(),
		CreatedAt: stamp(now), UpdatedAt: stamp(now), created: now,
	}

	d := s.data
	d.mu.Lock()
	if errs := s.applyLead(body, &l, true); len(errs) > 0 {
		d.mu.Unlock()
		writeJSON(w, r, http.StatusBadRequest, errs)
		return
	}
	if _, given := body["reference"]; !given {
		d.refSeq++
		l.Reference = ptr(fmt.Sprintf("CPL-%d-%06d", now.Year(), d.refSeq))
	}
	pos, _ := slices.BinarySearchFunc(d.leads.items, l, compareLeads)
	d.leads.insert(pos, l)
	d.mu.Unlock()

	writeJSON(w, r, http.StatusCreated, l)
}

// updateLead is a partial update: only the keys sent change, null clears.
func (s *Simulator) updateLead(w http.ResponseWriter, r *http.Request) {
	id := strings.ToLower(r.PathValue("id"))
	if !isUUID(id) {
		notFound(w, r)
		return
	}
	body, ok := readBody(w, r)
	if !ok {
		return
	}

	d := s.data
	d.mu.Lock()
	i, found := d.leads.index[id]
	if !found {
		d.mu.Unlock()
		notFound(w, r)
		return
	}
	l := d.leads.items[i]
	if errs := s.applyLead(body, &l, false); len(errs) > 0 {
		d.mu.Unlock()
		writeJSON(w, r, http.StatusBadRequest, errs)
		return
	}
	l.UpdatedAt = stamp(time.Now())
	d.leads.items[i] = l
	d.mu.Unlock()

	writeJSON(w, r, http.StatusOK, l)
}

// applyLead validates the writable fields in body and copies them onto l.
// The caller holds the store's lock and keeps l only when no error came back.
func (s *Simulator) applyLead(body map[string]json.RawMessage, l *lead,
	create bool) fieldErrors {

	d := s.data
	errs := fieldErrors{}
	if f := checkString(body, "name", rule{max: 100}, create, errs); f.present && !f.null {
		l.Name = f.v
	}
	setString(body, "contact_person", rule{max: 100, blank: true, null: true},
		&l.ContactPerson, errs)
	setString(body, "contact_phone", rule{max: 30, blank: true, null: true},
		&l.ContactPhone, errs)
	setString(body, "contact_email", rule{max: 50, blank: true, null: true, email: true},
		&l.ContactEmail, errs)
	setString(body, "reference", rule{max: 30, blank: true, null: true}, &l.Reference, errs)
	setOpt(checkString(body, "lead_type", rule{null: true, choices: leadTypes}, false, errs),
		&l.LeadType)
	setOpt(checkString(body, "gender",
		rule{null: true, blank: true, choices: leadGenders}, false, errs), &l.Gender)

	if f := checkRelation(body, "lead_category", d.categories.index, errs); f.present {
		l.LeadCategory = fieldPtr(f)
	}
	if f := checkRelation(body, "source", d.sources.index, errs); f.present {
		l.Source = fieldPtr(f)
	}
	setOpt(checkRelation(body, "partner", d.partners.index, errs), &l.Partner)
	if raw, ok := body["products"]; ok {
		ids, msg := checkRefList(raw, func(id string) bool {
			_, ok := d.products.index[id]
			return ok
		})
		if msg != "" {
			errs.add("products", msg)
		} else {
			l.Products = ids
		}
	}
	return errs
}

func setString(body map[string]json.RawMessage, name string, rl rule, dst **string,
	errs fieldErrors) {

	if f := checkString(body, name, rl, false, errs); f.present {
		*dst = fieldPtr(f)
	}
}

func setOpt(f field, dst *optString) {
	switch {
	case !f.present:
	case f.null:
		*dst = nullString()
	default:
		*dst = present(f.v)
	}
}

func fieldPtr(f field) *string {
	if f.null {
		return nil
	}
	return ptr(f.v)
}

// checkRelation reads a nullable related-record id that must exist in index.
func checkRelation(body map[string]json.RawMessage, name string, index map[string]int,
	errs fieldErrors) field {

	raw, ok := body[name]
	if !ok {
		return field{}
	}
	if string(raw) == "null" {
		return field{present: true, null: true}
	}
	id, msg := checkRef(raw, func(id string) bool {
		_, ok := index[id]
		return ok
	})
	if msg != "" {
		errs.add(name, msg)
		return field{}
	}
	return field{present: true, v: id}
}

// getOne answers the record named by the path's id, or DRF's 404.
func getOne[T any](w http.ResponseWriter, r *http.Request, mu locker, c *collection[T]) {
	id := strings.ToLower(r.PathValue("id"))
	if !isUUID(id) {
		notFound(w, r)
		return
	}
	mu.RLock()
	v, ok := c.get(id)
	mu.RUnlock()
	if !ok {
		notFound(w, r)
		return
	}
	writeJSON(w, r, http.StatusOK, v)
}
