package simulator

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"mime"
	"net/http"
	"regexp"
	"slices"
	"strings"
	"unicode/utf8"
)

// maxBodyBytes bounds request bodies.
const maxBodyBytes = 1 << 20

// fieldErrors is a DRF validation error body: field name to messages.
type fieldErrors map[string][]string

func (e fieldErrors) add(field, msg string) { e[field] = append(e[field], msg) }

// rule describes a DRF CharField-like field.
type rule struct {
	min, max int
	blank    bool // "" is accepted
	null     bool // null is accepted
	email    bool
	choices  []string
}

// field is what a request said about one string field.
type field struct {
	present bool
	null    bool
	v       string
}

var emailPattern = regexp.MustCompile(
	"^[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+@[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?" +
		`(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)*\.[A-Za-z]{2,}$`)

// readBody decodes a JSON object body. When it fails it has already answered.
func readBody(w http.ResponseWriter, r *http.Request) (map[string]json.RawMessage, bool) {
	if ct := r.Header.Get("Content-Type"); ct != "" {
		if mt, _, _ := mime.ParseMediaType(ct); mt != "application/json" {
			writeDetail(w, r, http.StatusUnsupportedMediaType,
				fmt.Sprintf("Unsupported media type %q in request.", ct))
			return nil, false
		}
	}
	raw, err := io.ReadAll(io.LimitReader(r.Body, maxBodyBytes))
	if err != nil {
		writeDetail(w, r, http.StatusBadRequest, "Could not read the request body.")
		return nil, false
	}
	raw = bytes.TrimSpace(raw)
	if len(raw) == 0 {
		return map[string]json.RawMessage{}, true
	}
	if !json.Valid(raw) {
		writeDetail(w, r, http.StatusBadRequest, "JSON parse error - invalid JSON")
		return nil, false
	}
	var body map[string]json.RawMessage
	if raw[0] != '{' || json.Unmarshal(raw, &body) != nil || body == nil {
		writeJSON(w, r, http.StatusBadRequest, fieldErrors{"non_field_errors": {
			fmt.Sprintf("Invalid data. Expected a dictionary, but got %s.", pyType(raw)),
		}})
		return nil, false
	}
	return body, true
}

// checkString reads and validates one string field, collecting errors.
func checkString(body map[string]json.RawMessage, name string, rl rule, required bool,
	errs fieldErrors) field {

	raw, ok := body[name]
	if !ok {
		if required {
			errs.add(name, msgRequired)
		}
		return field{}
	}
	if string(raw) == "null" {
		if !rl.null {
			errs.add(name, msgNotNull)
		}
		return field{present: true, null: true}
	}
	v, ok := jsonString(raw)
	if !ok {
		errs.add(name, msgNotString)
		return field{}
	}
	v = strings.TrimSpace(v)
	f := field{present: true, v: v}
	if v == "" {
		switch {
		case rl.blank:
		case rl.choices != nil:
			errs.add(name, `"" is not a valid choice.`)
		default:
			errs.add(name, msgNotBlank)
		}
		return f
	}
	n := utf8.RuneCountInString(v)
	switch {
	case strings.ContainsRune(v, 0):
		errs.add(name, msgNullCharacter)
	case rl.max > 0 && n > rl.max:
		errs.add(name, fmt.Sprintf("Ensure this field has no more than %d characters.", rl.max))
	case n < rl.min:
		errs.add(name, fmt.Sprintf("Ensure this field has at least %d characters.", rl.min))
	case rl.email && !emailPattern.MatchString(v):
		errs.add(name, msgEmail)
	case rl.choices != nil && !slices.Contains(rl.choices, v):
		errs.add(name, fmt.Sprintf("%q is not a valid choice.", v))
	}
	return f
}

// jsonString accepts a JSON string, or a number as DRF's CharField does.
func jsonString(raw json.RawMessage) (string, bool) {
	var s string
	if json.Unmarshal(raw, &s) == nil {
		return s, true
	}
	var n json.Number
	if json.Unmarshal(raw, &n) == nil {
		return n.String(), true
	}
	return "", false
}

// checkRef validates one related-record id (a PrimaryKeyRelatedField).
func checkRef(raw json.RawMessage, exists func(string) bool) (string, string) {
	var id string
	if err := json.Unmarshal(raw, &id); err != nil {
		return "", fmt.Sprintf("Incorrect type. Expected pk value, received %s.", pyType(raw))
	}
	if !isUUID(id) {
		return "", fmt.Sprintf("“%s” is not a valid UUID.", id)
	}
	id = strings.ToLower(id)
	if !exists(id) {
		return "", fmt.Sprintf("Invalid pk \"%s\" - object does not exist.", id)
	}
	return id, ""
}

// checkRefList validates a list of related-record ids.
func checkRefList(raw json.RawMessage, exists func(string) bool) ([]string, string) {
	if string(raw) == "null" {
		return nil, msgNotNull
	}
	var items []json.RawMessage
	if raw[0] != '[' || json.Unmarshal(raw, &items) != nil {
		return nil, fmt.Sprintf("Expected a list of items but got type %q.", pyType(raw))
	}
	ids := make([]string, 0, len(items))
	for _, item := range items {
		id, msg := checkRef(item, exists)
		if msg != "" {
			return nil, msg
		}
		ids = append(ids, id)
	}
	return ids, ""
}

// pyType names a JSON value's type the way DRF's messages do.
func pyType(raw json.RawMessage) string {
	switch raw[0] {
	case '"':
		return "str"
	case '{':
		return "dict"
	case '[':
		return "list"
	case 't', 'f':
		return "bool"
	case 'n':
		return "NoneType"
	}
	if bytes.ContainsAny(raw, ".eE") {
		return "float"
	}
	return "int"
}
