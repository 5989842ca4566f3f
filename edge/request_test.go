package edge

import (
	"io"
	"net/http"
	"strings"
	"testing"
)

func TestRequestRefusesWhatGraphQLCannotTake(t *testing.T) {
	ts := serve(t, Request(1024)(echo))
	big := `{"query": "` + strings.Repeat("x", 1100) + `"}`
	tests := []struct {
		name        string
		method      string
		body        io.Reader
		contentType string
		wantStatus  int
		wantMessage string
	}{
		{
			name: "a body declared larger than the limit is refused with 413",
			body: strings.NewReader(big), contentType: "application/json",
			wantStatus: http.StatusRequestEntityTooLarge, wantMessage: "request body exceeds 1024 bytes",
		},
		{
			name: "a streamed body growing past the limit is refused with 413",
			body: io.MultiReader(strings.NewReader(big)), contentType: "application/json",
			wantStatus: http.StatusRequestEntityTooLarge, wantMessage: "request body exceeds 1024 bytes",
		},
		{
			name: "a JSON array of operations is refused with 400",
			body: strings.NewReader(` [{"query": "{ me { id } }"}]`), contentType: "application/json",
			wantStatus:  http.StatusBadRequest,
			wantMessage: "batched operations are not supported: send one operation per request",
		},
		{
			name: "a body that is not JSON is refused with 400",
			body: strings.NewReader(`{"query": `), contentType: "application/json; charset=utf-8",
			wantStatus:  http.StatusBadRequest,
			wantMessage: `the request body must be a JSON object such as {"query": "{ me { id } }"}`,
		},
		{
			name:        "a form body is refused with 415",
			body:        strings.NewReader("query=%7B%7D"),
			contentType: "application/x-www-form-urlencoded",
			wantStatus:  http.StatusUnsupportedMediaType,
			wantMessage: "the request body must be application/json",
		},
		{
			name: "a JSON string is refused with 400",
			body: strings.NewReader(`"{ me { id } }"`), contentType: "application/json",
			wantStatus:  http.StatusBadRequest,
			wantMessage: `the request body must be a JSON object such as {"query": "{ me { id } }"}`,
		},
		{
			name: "a PUT is refused with 405", method: http.MethodPut,
			body: strings.NewReader(`{"query": "{ me { id } }"}`), contentType: "application/json",
			wantStatus:  http.StatusMethodNotAllowed,
			wantMessage: "method PUT is not allowed: use GET or POST",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			method := tt.method
			if method == "" {
				method = http.MethodPost
			}
			req, err := http.NewRequest(method, ts.URL, tt.body)
			if err != nil {
				t.Fatal(err)
			}
			req.Header.Set("Content-Type", tt.contentType)

			resp, body := do(t, req)
			if resp.StatusCode != tt.wantStatus {
				t.Errorf("status = %d, want %d", resp.StatusCode, tt.wantStatus)
			}
			code, message := errorCode(t, body)
			if code != "BAD_USER_INPUT" || message != tt.wantMessage {
				t.Errorf("error = %s %q, want BAD_USER_INPUT %q", code, message, tt.wantMessage)
			}
		})
	}
}

func TestRequestPassesAnOperationUnchanged(t *testing.T) {
	ts := serve(t, Request(1024)(echo))
	tests := []struct {
		name, method, contentType, body string
	}{
		{name: "a JSON object at the limit", method: http.MethodPost, contentType: "application/json",
			body: `{"query": "` + strings.Repeat("x", 1024-13) + `"}`},
		{name: "an OPTIONS", method: http.MethodOptions},
		{name: "a GET", method: http.MethodGet},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			req, err := http.NewRequest(tt.method, ts.URL, strings.NewReader(tt.body))
			if err != nil {
				t.Fatal(err)
			}
			req.Header.Set("Content-Type", tt.contentType)

			resp, body := do(t, req)
			if resp.StatusCode != http.StatusOK || string(body) != tt.body {
				t.Errorf("HTTP %d %q, want 200 %q", resp.StatusCode, body, tt.body)
			}
		})
	}
}

func TestProtocolStatusAnswers400For422(t *testing.T) {
	for _, tt := range []struct{ status, want int }{
		{http.StatusUnprocessableEntity, http.StatusBadRequest},
		{http.StatusOK, http.StatusOK},
		{http.StatusNotAcceptable, http.StatusNotAcceptable},
	} {
		ts := serve(t, ProtocolStatus(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
			w.WriteHeader(tt.status)
		})))
		req, _ := http.NewRequest(http.MethodGet, ts.URL, nil)
		if resp, _ := do(t, req); resp.StatusCode != tt.want {
			t.Errorf("status %d became %d, want %d", tt.status, resp.StatusCode, tt.want)
		}
	}
}
