package upstream

import "encoding/json"

// Optional is a field of a partial update. Only fields that are Set are sent;
// a Set field with Null sends an explicit JSON null, which clears the value
// upstream. The zero Optional is unset and, with the omitzero tag option, is
// left out of the request body.
type Optional[T any] struct {
	Set   bool
	Null  bool
	Value T
}

// Some returns an Optional that sends v.
func Some[T any](v T) Optional[T] {
	return Optional[T]{Set: true, Value: v}
}

// Null returns an Optional that sends an explicit JSON null.
func Null[T any]() Optional[T] {
	return Optional[T]{Set: true, Null: true}
}

// IsZero reports whether o is unset, so that omitzero leaves it out.
func (o Optional[T]) IsZero() bool {
	return !o.Set
}

// MarshalJSON encodes the value, or null when o is Null or unset.
func (o Optional[T]) MarshalJSON() ([]byte, error) {
	if !o.Set || o.Null {
		return []byte("null"), nil
	}
	return json.Marshal(o.Value)
}

// UnmarshalJSON marks o as Set, and as Null when data is the JSON null.
func (o *Optional[T]) UnmarshalJSON(data []byte) error {
	if string(data) == "null" {
		*o = Null[T]()
		return nil
	}

	var v T
	if err := json.Unmarshal(data, &v); err != nil {
		return err
	}
	*o = Some(v)
	return nil
}
