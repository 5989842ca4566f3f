package edge

import (
	"bytes"
	"compress/gzip"
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/klauspost/compress/zstd"
)

func TestCompressGzipsForClientsThatAcceptIt(t *testing.T) {
	payload := `{"data":{"leads":[` + strings.Repeat(`{"name":"Acme"},`, 200) + `{}]}}`
	ts := serve(t, Compress(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		io.WriteString(w, payload)
	})))
	tests := []struct {
		name, acceptEncoding, wantEncoding string
	}{
		{name: "gzip accepted", acceptEncoding: "gzip, deflate, br", wantEncoding: "gzip"},
		{name: "zstd preferred when accepted", acceptEncoding: "gzip, zstd", wantEncoding: "zstd"},
		{name: "nothing accepted", acceptEncoding: "", wantEncoding: ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			req, _ := http.NewRequest(http.MethodGet, ts.URL, nil)
			if tt.acceptEncoding != "" {
				req.Header.Set("Accept-Encoding", tt.acceptEncoding)
			}

			resp, body := do(t, req)
			if got := resp.Header.Get("Content-Encoding"); got != tt.wantEncoding {
				t.Fatalf("Content-Encoding = %q, want %q", got, tt.wantEncoding)
			}
			if tt.wantEncoding != "" && len(body) >= len(payload) {
				t.Errorf("compressed %d bytes into %d", len(payload), len(body))
			}
			body = decode(t, tt.wantEncoding, body)
			if string(body) != payload {
				t.Errorf("body differs from what the handler wrote")
			}
		})
	}
}

// decode undoes a Content-Encoding of body.
func decode(t *testing.T, encoding string, body []byte) []byte {
	t.Helper()
	var (
		r   io.Reader
		err error
	)
	switch encoding {
	case "":
		return body
	case "gzip":
		r, err = gzip.NewReader(bytes.NewReader(body))
	case "zstd":
		var zr *zstd.Decoder
		zr, err = zstd.NewReader(bytes.NewReader(body))
		if err == nil {
			defer zr.Close()
			r = zr
		}
	}
	if err != nil {
		t.Fatal(err)
	}
	out, err := io.ReadAll(r)
	if err != nil {
		t.Fatal(err)
	}
	return out
}
