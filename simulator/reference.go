package simulator

import (
	"net/http"
)

// The reference data the leads point at: lead categories, sources, products
// and partners. Only lead categories can be created.

func (s *Simulator) listCategories(w http.ResponseWriter, r *http.Request) {
	listPage(w, r, &s.data.mu, s.data.categories)
}

func (s *Simulator) getCategory(w http.ResponseWriter, r *http.Request) {
	getOne(w, r, &s.data.mu, s.data.categories)
}

func (s *Simulator) listSources(w http.ResponseWriter, r *http.Request) {
	listPage(w, r, &s.data.mu, s.data.sources)
}

func (s *Simulator) getSource(w http.ResponseWriter, r *http.Request) {
	getOne(w, r, &s.data.mu, s.data.sources)
}

func (s *Simulator) listProducts(w http.ResponseWriter, r *http.Request) {
	listPage(w, r, &s.data.mu, s.data.products)
}

func (s *Simulator) getProduct(w http.ResponseWriter, r *http.Request) {
	getOne(w, r, &s.data.mu, s.data.products)
}

func (s *Simulator) listPartners(w http.ResponseWriter, r *http.Request) {
	listPage(w, r, &s.data.mu, s.data.partners)
}

func (s *Simulator) getPartner(w http.ResponseWriter, r *http.Request) {
	getOne(w, r, &s.data.mu, s.data.partners)
}

// createCategory takes name (1 to 100 characters) and a required description.
func (s *Simulator) createCategory(w http.ResponseWriter, r *http.Request) {
	body, ok := readBody(w, r)
	if !ok {
		return
	}
	errs := fieldErrors{}
	name := checkString(body, "name", rule{min: 1, max: 100}, true, errs)
	desc := checkString(body, "description", rule{}, true, errs)
	if len(errs) > 0 {
		writeJSON(w, r, http.StatusBadRequest, errs)
		return
	}

	c := named{ID: randomUUID(), Name: name.v, Description: ptr(desc.v)}
	d := s.data
	d.mu.Lock()
	d.categories.insert(len(d.categories.items), c)
	d.mu.Unlock()
	writeJSON(w, r, http.StatusCreated, c)
}
