package edge

import (
	"encoding/json"
	"net/http"
)

// errorBody is a GraphQL response carrying one error and no data.
type errorBody struct {
	Errors []errorEntry `json:"errors"`
}

type errorEntry struct {
	Message    string            `json:"message"`
	Extensions map[string]string `json:"extensions"`
}

// writeError answers status with a GraphQL error body of one error.
func writeError(w http.ResponseWriter, status int, code, message string) {
	body, _ := json.Marshal(errorBody{Errors: []errorEntry{{
		Message: message, Extensions: map[string]string{"code": code},
	}}})
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	w.Write(body)
}
