package edge

import (
	"net/http"

	"github.com/klauspost/compress/gzhttp"
	"github.com/klauspost/compress/gzip"
)

// Compress compresses answers of 1 KiB or more for clients that accept it:
// zstd when the Accept-Encoding header allows it, else gzip at its fastest
// level, which keeps most of the saving on JSON for a fraction of the CPU. It
// adds Vary: Accept-Encoding.
func Compress(next http.Handler) http.Handler {
	wrap, err := gzhttp.NewWrapper(gzhttp.CompressionLevel(gzip.BestSpeed))
	if err != nil {
		// The options are constants that gzhttp accepts.
		panic(err)
	}
	return wrap(next)
}
