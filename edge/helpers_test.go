package edge

import (
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"testing"
)

// serve starts a real HTTP server for h, closed when the test ends.
func serve(t *testing.T, h http.Handler) *httptest.Server {
	t.Helper()
	ts := httptest.NewServer(h)
	t.Cleanup(ts.Close)
	return ts
}

// do sends req and returns the status, headers and body of the answer.
func do(t *testing.T, req *http.Request) (*http.Response, []byte) {
	t.Helper()
	resp, err := http.DefaultTransport.RoundTrip(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return resp, body
}

// errorCode decodes a GraphQL error body and returns its first code and
// message.
func errorCode(t *testing.T, body []byte) (string, string) {
	t.Helper()
	var got errorBody
	if err := json.Unmarshal(body, &got); err != nil || len(got.Errors) != 1 {
		t.Fatalf("body %q is not one GraphQL error: %v", body, err)
	}
	return got.Errors[0].Extensions["code"], got.Errors[0].Message
}

// echo answers 200 with the request body it read.
var echo = http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
	body, err := io.ReadAll(r.Body)
	if err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	w.Write(body)
})
