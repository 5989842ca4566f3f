package upstream

import (
	"bytes"
	"errors"
	"io"
	"net/http"
	"os"
	"reflect"
	"runtime"
	"strings"
	"testing"

	"github.com/klauspost/compress/gzip"
)

func gzipped(t *testing.T, data []byte) []byte {
	t.Helper()
	var buf bytes.Buffer
	zw, _ := gzip.NewWriterLevel(&buf, gzip.BestCompression)
	if _, err := zw.Write(data); err != nil {
		t.Fatal(err)
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func serveBytes(status int, encoding string, body []byte) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		if encoding != "" {
			w.Header().Set("Content-Encoding", encoding)
		}
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(status)
		w.Write(body)
	}
}

func TestGzipAnswerIsDecompressed(t *testing.T) {
	t.Parallel()
	f := newFake(t, serveBytes(200, "gzip", gzipped(t, []byte(leadJSON))))

	got, err := f.client(t).GetLead(tokenCtx(), "l1")
	if err != nil {
		t.Fatalf("got error %v, want none", err)
	}
	if got.ID != "l1" || got.Name != "Acme" {
		t.Errorf("got %+v, want lead l1 Acme", got)
	}
}

func TestUnusableSuccessBodiesBecomeBadResponses(t *testing.T) {
	leads := gzipped(t, []byte(`{"results":[`+leadJSON+`],"next":null,"previous":null}`))
	tests := []struct {
		name       string
		encoding   string
		body       []byte
		maxBody    int64
		wantReason string
	}{
		{"HTML page", "", []byte("<html>oops</html>"), 0, "body is not valid JSON"},
		{"empty body", "", nil, 0, "empty body"},
		{"null body", "", []byte("null"), 0, "null body"},
		{"truncated JSON", "", []byte(`{"results":[{"id":"l1"`), 0, "body is not valid JSON"},
		{"data after the value", "", []byte(`{"results":[]} x`), 0, "body is not valid JSON"},
		{"two values", "", []byte(`{"results":[]}{"results":[]}`), 0, "body is not valid JSON"},
		{"list without results", "", []byte(`{"count":3}`), 0, "list without results"},
		{"results null", "", []byte(`{"results":null}`), 0, "list without results"},
		{"results not a list", "", []byte(`{"results":{"id":"l1"}}`), 0,
			"unexpected JSON type at results"},
		{"bare list", "", []byte(`[]`), 0, "unexpected JSON shape"},
		{"number for a string", "", []byte(`{"results":[{"id":7}]}`), 0,
			"unexpected JSON type at results.0.id"},
		{"bad timestamp", "", []byte(`{"results":[{"id":"l1","created_at":"yesterday"}]}`), 0,
			"invalid timestamp"},
		{"next link without cursor", "", []byte(`{"results":[],"next":"http://x/?page=2"}`), 0,
			"next link without a cursor"},
		{"truncated gzip", "gzip", leads[:len(leads)/2], 0, "invalid or truncated gzip body"},
		{"gzip header only", "gzip", leads[:5], 0, "invalid or truncated gzip body"},
		{"not gzip at all", "gzip", []byte(`{"results":[]}`), 0, "invalid or truncated gzip body"},
		{"unsupported encoding", "br", []byte("x"), 0, "unsupported content encoding"},
		{"oversized plain body", "", []byte(`{"results":[],"pad":"` + strings.Repeat("x", 2000) + `"}`),
			1024, "body too large"},
		{"oversized after decompression", "gzip",
			gzipped(t, []byte(`{"results":[],"pad":"`+strings.Repeat("x", 5000)+`"}`)), 1024,
			"body too large"},
	}

	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			f := newFake(t, serveBytes(200, tt.encoding, tt.body))
			c := f.client(t, WithMaxBodyBytes(tt.maxBody))

			page, err := c.ListLeads(tokenCtx(), ListOptions{Cursor: "secret-cursor"})
			if page != nil {
				t.Errorf("got page %+v, want nil", page)
			}
			var bad *BadResponseError
			if !errors.As(err, &bad) {
				t.Fatalf("got %T %v, want *BadResponseError", err, err)
			}
			want := BadResponseError{Method: "GET", Route: "/api/v1/leads", StatusCode: 200,
				Reason: tt.wantReason}
			got := *bad
			got.err = nil
			if got != want {
				t.Errorf("got %+v, want %+v", got, want)
			}
			assertClean(t, err)
		})
	}
}

func TestMissingIDIsABadResponse(t *testing.T) {
	t.Parallel()
	f := newFake(t, respond(200, `{"name":"no id"}`))

	_, err := f.client(t).GetPartner(tokenCtx(), "x1")
	var bad *BadResponseError
	if !errors.As(err, &bad) || bad.Reason != "object without an id" {
		t.Fatalf("got %v, want bad response for a missing id", err)
	}
}

func TestBodyExactlyAtTheCapIsRead(t *testing.T) {
	t.Parallel()
	body := `{"id":"s1","name":"Web"}`
	f := newFake(t, respond(200, body))

	got, err := f.client(t, WithMaxBodyBytes(int64(len(body)))).GetSource(tokenCtx(), "s1")
	if err != nil || got.ID != "s1" {
		t.Fatalf("got %+v, %v, want source s1", got, err)
	}
}

func TestGzipBombIsCappedWithoutInflating(t *testing.T) {
	// 100 gzip members of 1 MiB of zeros each: 100 MiB inflated, about 100 KiB sent.
	bomb := bytes.Repeat(gzipped(t, make([]byte, 1<<20)), 100)
	f := newFake(t, serveBytes(200, "gzip", bomb))
	c := f.client(t)

	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	_, err := c.ListLeads(tokenCtx(), ListOptions{})
	runtime.ReadMemStats(&after)

	var bad *BadResponseError
	if !errors.As(err, &bad) || bad.Reason != "body too large" {
		t.Fatalf("got %v, want a bad response for a body too large", err)
	}
	if allocated := after.TotalAlloc - before.TotalAlloc; allocated > 40<<20 {
		t.Errorf("allocated %d MiB reading a capped body, want under 40", allocated>>20)
	}
}

func TestUnreadableErrorBodyKeepsTheStatus(t *testing.T) {
	tests := []struct {
		name     string
		encoding string
		body     []byte
	}{
		{"gzip bomb 503", "gzip", bytes.Repeat(gzipped(t, make([]byte, 1<<20)), 16)},
		{"truncated gzip 502", "gzip", gzipped(t, []byte(`{"detail":"x"}`))[:8]},
		{"oversized 500", "", bytes.Repeat([]byte("x"), 2<<20)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			f := newFake(t, serveBytes(503, tt.encoding, tt.body))

			_, err := f.client(t, WithMaxBodyBytes(1<<20), WithRetries(0)).GetLead(tokenCtx(), "l1")
			var e *Error
			if !errors.As(err, &e) || e.StatusCode != 503 || e.Detail != "" {
				t.Fatalf("got %v, want *Error 503 without detail", err)
			}
		})
	}
}

func TestGzipReaderPassesEOF(t *testing.T) {
	zr, err := gzip.NewReader(bytes.NewReader(gzipped(t, []byte("abc"))))
	if err != nil {
		t.Fatal(err)
	}
	got, err := io.ReadAll(&gzipReader{zr})
	if err != nil || string(got) != "abc" {
		t.Errorf("got %q, %v, want abc", got, err)
	}
}

func TestCompressionCanBeTurnedOff(t *testing.T) {
	page := `{"results":[{"id":"l1","name":"Kahawa"}],"next":null,"previous":null}`
	for _, tt := range []struct {
		name    string
		opts    []Option
		wantAsk string
	}{
		{"by default gzip is asked for", nil, "gzip"},
		{"off, identity is asked for", []Option{WithCompression(false)}, "identity"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			f := newFake(t, func(w http.ResponseWriter, r *http.Request) {
				w.Header().Set("Content-Type", "application/json")
				if r.Header.Get("Accept-Encoding") == "gzip" {
					w.Header().Set("Content-Encoding", "gzip")
					w.Write(gzipped(t, []byte(page)))
					return
				}
				io.WriteString(w, page)
			})
			got, err := f.client(t, tt.opts...).ListLeads(tokenCtx(), ListOptions{})
			if err != nil {
				t.Fatal(err)
			}
			if len(got.Results) != 1 || got.Results[0].Name != "Kahawa" {
				t.Errorf("results = %+v, want the one lead", got.Results)
			}
			if ask := f.requests()[0].AcceptEnc; ask != tt.wantAsk {
				t.Errorf("Accept-Encoding = %q, want %q", ask, tt.wantAsk)
			}
		})
	}
}

// With compression off, an upstream that compresses anyway is still read.
func TestAGzipAnswerIsReadWithCompressionOff(t *testing.T) {
	f := newFake(t, func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		w.Header().Set("Content-Encoding", "gzip")
		w.Write(gzipped(t, []byte(`{"id":"l1","name":"Kahawa"}`)))
	})
	lead, err := f.client(t, WithCompression(false)).GetLead(tokenCtx(), "l1")
	if err != nil || lead.Name != "Kahawa" {
		t.Fatalf("got %+v, %v, want Kahawa", lead, err)
	}
}

// Decoding that shares the body's memory reads the same page as copying.
func TestSharedDecodingReadsTheSamePage(t *testing.T) {
	raw, err := os.ReadFile("testdata/leads-page-20.json")
	if err != nil {
		t.Fatal(err)
	}
	var copied, shared pageBody[Lead]
	if reason, err := decodeJSON(raw, &copied, false); reason != "" {
		t.Fatal(reason, err)
	}
	if reason, err := decodeJSON(raw, &shared, true); reason != "" {
		t.Fatal(reason, err)
	}
	if copied.Results == nil || len(*copied.Results) != 20 {
		t.Fatalf("copied page has %v, want 20 leads", copied.Results)
	}
	if !reflect.DeepEqual(copied, shared) {
		t.Errorf("shared decoding read %+v, want %+v", shared, copied)
	}
}
