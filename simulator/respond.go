package simulator

import (
	"bytes"
	"compress/gzip"
	"encoding/json"
	"net/http"
	"strconv"
	"strings"
	"sync"
)

// gzipMinLength mirrors nginx's gzip_min_length: small answers go plain.
const gzipMinLength = 256

// gzipWriters hold compressors at nginx's default gzip_comp_level of 1. A
// compressor's state is about a megabyte, so making one per answer would cost
// more than the answer.
var gzipWriters = sync.Pool{New: func() any {
	zw, _ := gzip.NewWriterLevel(nil, gzip.BestSpeed)
	return zw
}}

// DRF's standard messages.
const (
	msgNotFound      = "Not found."
	msgNoCredential  = "Authentication credentials were not provided."
	msgBadToken      = "Given token not valid for any token type"
	msgForbidden     = "You do not have permission to perform this action."
	msgRequired      = "This field is required."
	msgNotNull       = "This field may not be null."
	msgNotBlank      = "This field may not be blank."
	msgNotString     = "Not a valid string."
	msgEmail         = "Enter a valid email address."
	msgNullCharacter = "Null characters are not allowed."
)

// writeJSON answers v as JSON, gzip-compressed when the client accepts it.
func writeJSON(w http.ResponseWriter, r *http.Request, status int, v any) {
	body, err := json.Marshal(v)
	if err != nil {
		http.Error(w, "encode: "+err.Error(), http.StatusInternalServerError)
		return
	}
	h := w.Header()
	h.Set("Content-Type", "application/json")
	h.Set("Vary", "Accept-Encoding")
	if len(body) >= gzipMinLength && acceptsGzip(r) {
		body = gzipBytes(body)
		h.Set("Content-Encoding", "gzip")
	}
	h.Set("Content-Length", strconv.Itoa(len(body)))
	w.WriteHeader(status)
	_, _ = w.Write(body)
}

// writeDetail answers DRF's {"detail": msg}.
func writeDetail(w http.ResponseWriter, r *http.Request, status int, msg string) {
	writeJSON(w, r, status, map[string]string{"detail": msg})
}

func notFound(w http.ResponseWriter, r *http.Request) {
	writeDetail(w, r, http.StatusNotFound, msgNotFound)
}

func acceptsGzip(r *http.Request) bool {
	for _, part := range strings.Split(r.Header.Get("Accept-Encoding"), ",") {
		name, params, _ := strings.Cut(strings.TrimSpace(part), ";")
		if strings.EqualFold(strings.TrimSpace(name), "gzip") &&
			strings.ReplaceAll(params, " ", "") != "q=0" {
			return true
		}
	}
	return false
}

func gzipBytes(b []byte) []byte {
	var buf bytes.Buffer
	zw := gzipWriters.Get().(*gzip.Writer)
	zw.Reset(&buf)
	_, _ = zw.Write(b)
	_ = zw.Close()
	gzipWriters.Put(zw)
	return buf.Bytes()
}

// origin is the scheme and host the client used, like "http://127.0.0.1:9001".
func origin(r *http.Request) string {
	scheme := "http"
	if r.TLS != nil {
		scheme = "https"
	}
	if p := r.Header.Get("X-Forwarded-Proto"); p == "http" || p == "https" {
		scheme = p
	}
	return scheme + "://" + r.Host
}

// requestURL rebuilds the absolute URL the client used, with query q.
func requestURL(r *http.Request, q string) string {
	u := origin(r) + r.URL.Path
	if q != "" {
		u += "?" + q
	}
	return u
}

// isUUID reports whether s is a canonical hyphenated UUID.
func isUUID(s string) bool {
	if len(s) != 36 {
		return false
	}
	for i, c := range s {
		switch i {
		case 8, 13, 18, 23:
			if c != '-' {
				return false
			}
		default:
			if !strings.ContainsRune("0123456789abcdefABCDEF", c) {
				return false
			}
		}
	}
	return true
}
