package simulator

import (
	"encoding/json"
	"net/http"
	"strings"
	"time"
)

var staffGenders = []string{"MALE", "FEMALE"}

// register creates a staff user; it needs the admin role.
func (s *Simulator) register(w http.ResponseWriter, r *http.Request) {
	if !requireRole(w, r, "admin") {
		return
	}
	body, ok := readBody(w, r)
	if !ok {
		return
	}
	errs := fieldErrors{}
	email := checkString(body, "email", rule{max: 254, email: true}, true, errs)
	first := checkString(body, "first_name", rule{min: 1, max: 150}, true, errs)
	last := checkString(body, "last_name", rule{min: 1, max: 150}, true, errs)
	checkString(body, "country_code", rule{min: 1, max: 3}, true, errs)
	phone := checkString(body, "phone_number", rule{min: 1, max: 50}, true, errs)
	checkString(body, "employee_number", rule{min: 1, max: 100}, true, errs)
	checkString(body, "gender", rule{choices: staffGenders}, true, errs)
	checkString(body, "department", rule{blank: true, null: true}, false, errs)
	if sec := checkString(body, "section", rule{null: true}, false, errs); sec.v != "" &&
		!isUUID(sec.v) {
		errs.add("section", "“"+sec.v+"” is not a valid UUID.")
	}
	checkString(body, "realm", rule{max: 100}, false, errs)
	roles := checkStringList(body, "roles", errs)

	u := newUser(email.v, first.v, last.v, roles)
	u.PhoneNumber = ptr(phone.v)
	s.addUser(w, r, u, errs)
}

// registerConsumer creates a consumer account with a password.
func (s *Simulator) registerConsumer(w http.ResponseWriter, r *http.Request) {
	body, ok := readBody(w, r)
	if !ok {
		return
	}
	errs := fieldErrors{}
	email := checkString(body, "email", rule{max: 254, email: true}, true, errs)
	first := checkString(body, "first_name", rule{min: 1, max: 150}, true, errs)
	last := checkString(body, "last_name", rule{min: 1, max: 150}, true, errs)
	pass := checkString(body, "password", rule{min: 8, max: 128}, true, errs)
	confirm := checkString(body, "confirm_password", rule{max: 128}, true, errs)
	if len(errs) == 0 && pass.v != confirm.v {
		errs.add("non_field_errors", "Passwords do not match.")
	}
	s.addUser(w, r, newUser(email.v, first.v, last.v, []string{"consumer"}), errs)
}

func newUser(email, first, last string, roles []string) user {
	now := time.Now().UTC().Truncate(time.Microsecond)
	return user{
		ID: randomUUID(), Username: strings.ToLower(email), Email: strings.ToLower(email),
		Name: ptr(first + " " + last), FirstName: first, LastName: last,
		Status: "active", DateJoined: stamp(now), joined: now, roles: roles,
	}
}

// addUser stores u unless errs holds something or the email is taken.
func (s *Simulator) addUser(w http.ResponseWriter, r *http.Request, u user, errs fieldErrors) {
	d := s.data
	d.mu.Lock()
	if len(errs) == 0 {
		for _, other := range d.users.items {
			if strings.EqualFold(other.Email, u.Email) {
				errs.add("email", "A user with this email already exists.")
				break
			}
		}
	}
	if len(errs) == 0 {
		d.users.insert(len(d.users.items), u)
	}
	d.mu.Unlock()

	if len(errs) > 0 {
		writeJSON(w, r, http.StatusBadRequest, errs)
		return
	}
	writeJSON(w, r, http.StatusCreated, u)
}

// checkStringList reads an optional list of strings.
func checkStringList(body map[string]json.RawMessage, name string, errs fieldErrors) []string {
	raw, ok := body[name]
	if !ok {
		return []string{}
	}
	var items []json.RawMessage
	if raw[0] != '[' || json.Unmarshal(raw, &items) != nil {
		errs.add(name, "Expected a list of items but got type \""+pyType(raw)+"\".")
		return nil
	}
	out := make([]string, 0, len(items))
	for _, item := range items {
		var v string
		if json.Unmarshal(item, &v) != nil {
			errs.add(name, msgNotString)
			return nil
		}
		out = append(out, v)
	}
	return out
}
