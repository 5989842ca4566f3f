package upstream

import (
	"bytes"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"testing"

	"github.com/klauspost/compress/gzip"
)

// BenchmarkGetLead measures one GET against a local server, bare and with the
// call policies (deadline, retries, breaker, request scope), to show their cost.
func BenchmarkGetLead(b *testing.B) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		io.WriteString(w, leadJSON)
	}))
	b.Cleanup(srv.Close)

	tests := []struct {
		name  string
		opts  []Option
		scope bool
	}{
		{"bare", []Option{WithRetries(0), WithBreaker(0, 0)}, false},
		{"policies", nil, true},
	}
	for _, tt := range tests {
		b.Run(tt.name, func(b *testing.B) {
			c, err := New(srv.URL+"/commercial", tt.opts...)
			if err != nil {
				b.Fatal(err)
			}
			b.ReportAllocs()
			b.RunParallel(func(pb *testing.PB) {
				for pb.Next() {
					ctx := tokenCtx()
					if tt.scope {
						ctx = WithRequestScope(ctx)
					}
					if _, err := c.GetLead(ctx, "l1"); err != nil {
						b.Error(err)
						return
					}
				}
			})
		})
	}
}

// BenchmarkDecodeLeadPage decodes a page of 20 leads as the simulator writes it,
// with its strings copied and sharing the body's memory.
func BenchmarkDecodeLeadPage(b *testing.B) {
	raw, err := os.ReadFile("testdata/leads-page-20.json")
	if err != nil {
		b.Fatal(err)
	}
	for _, share := range []bool{false, true} {
		b.Run(fmt.Sprintf("share=%t", share), func(b *testing.B) {
			b.SetBytes(int64(len(raw)))
			b.ReportAllocs()
			for b.Loop() {
				var body pageBody[Lead]
				if reason, err := decodeJSON(raw, &body, share); reason != "" {
					b.Fatal(reason, err)
				}
			}
		})
	}
}

// BenchmarkReadGzipBody reads a page of 20 leads compressed as the simulator
// compresses it (gzip level 1).
func BenchmarkReadGzipBody(b *testing.B) {
	raw, err := os.ReadFile("testdata/leads-page-20.json")
	if err != nil {
		b.Fatal(err)
	}
	var buf bytes.Buffer
	zw, _ := gzip.NewWriterLevel(&buf, gzip.BestSpeed)
	zw.Write(raw)
	zw.Close()
	c, err := New("http://upstream.test/commercial")
	if err != nil {
		b.Fatal(err)
	}
	b.SetBytes(int64(len(raw)))
	b.ReportAllocs()
	for b.Loop() {
		resp := &http.Response{
			Header: http.Header{"Content-Encoding": {"gzip"}},
			Body:   io.NopCloser(bytes.NewReader(buf.Bytes())),
		}
		body, err := c.readBody(resp)
		if err != nil || len(body) != len(raw) {
			b.Fatalf("read %d bytes, %v", len(body), err)
		}
	}
}
