package upstream

import (
	"errors"
	"io"
	"net/http"
	"strings"
	"sync"

	"github.com/klauspost/compress/gzip"
)

// readBody reads the whole body, decompressing gzip itself, and fails once
// more than maxBody bytes come out, so a small gzip bomb cannot inflate
// past the cap.
func (c *Client) readBody(resp *http.Response) ([]byte, error) {
	var rd io.Reader = &capReader{r: resp.Body, left: c.maxBody + 1}

	encoding := strings.ToLower(strings.TrimSpace(resp.Header.Get("Content-Encoding")))
	switch encoding {
	case "", "identity":
	case "gzip", "x-gzip":
		zr, err := newGzipReader(rd)
		if err != nil {
			return nil, &gzipError{err}
		}
		defer gzipReaders.Put(zr)
		rd = &capReader{r: &gzipReader{zr}, left: c.maxBody + 1}
	default:
		return nil, errUnsupportedEncoding
	}

	size := int64(512)
	switch {
	case encoding == "" && resp.ContentLength > 0:
		size = resp.ContentLength
	case resp.ContentLength > 0:
		// JSON usually inflates four to eight times.
		size = 6 * resp.ContentLength
	}
	return readAll(rd, min(size, c.maxBody+1), c.maxBody+1)
}

// gzipReaders keeps decompressors between answers: each holds about 40 KB of
// tables that a new one would allocate again.
var gzipReaders sync.Pool

// newGzipReader returns a pooled decompressor reading r.
func newGzipReader(r io.Reader) (*gzip.Reader, error) {
	if zr, ok := gzipReaders.Get().(*gzip.Reader); ok {
		if err := zr.Reset(r); err != nil {
			gzipReaders.Put(zr)
			return nil, err
		}
		return zr, nil
	}
	return gzip.NewReader(r)
}

// readAll reads rd to its end into a buffer that starts at size bytes and
// doubles, but never past limit, so a capped read allocates about twice the
// cap at worst.
func readAll(rd io.Reader, size, limit int64) ([]byte, error) {
	buf := make([]byte, 0, max(size, 1))
	for {
		if len(buf) == cap(buf) {
			next := min(int64(cap(buf))*2, limit)
			if next <= int64(cap(buf)) {
				next = int64(cap(buf)) + 512
			}
			buf = append(make([]byte, 0, next), buf...)
		}

		n, err := rd.Read(buf[len(buf):cap(buf)])
		buf = buf[:len(buf)+n]
		if err == io.EOF {
			return buf, nil
		}
		if err != nil {
			return nil, err
		}
	}
}

var (
	errTooLarge            = errors.New("upstream: response body too large")
	errTrailingData        = errors.New("upstream: data after the JSON value")
	errUnsupportedEncoding = errors.New("upstream: unsupported content encoding")
)

// capReader reads from r until left bytes have come out, then fails with
// errTooLarge. Set left to the cap plus one so that a body of exactly the
// cap still reads in full.
type capReader struct {
	r    io.Reader
	left int64
}

func (c *capReader) Read(p []byte) (int, error) {
	if c.left <= 0 {
		return 0, errTooLarge
	}
	if int64(len(p)) > c.left {
		p = p[:c.left]
	}

	n, err := c.r.Read(p)
	c.left -= int64(n)
	if c.left <= 0 {
		return n, errTooLarge
	}
	return n, err
}

// gzipError marks a failure of the gzip stream itself.
type gzipError struct{ err error }

func (e *gzipError) Error() string { return "upstream: invalid gzip body" }
func (e *gzipError) Unwrap() error { return e.err }

// gzipReader tags decompression errors, leaving errTooLarge from the
// compressed side untouched.
type gzipReader struct{ zr *gzip.Reader }

func (g *gzipReader) Read(p []byte) (int, error) {
	n, err := g.zr.Read(p)
	if err != nil && err != io.EOF && !errors.Is(err, errTooLarge) {
		err = &gzipError{err}
	}
	return n, err
}

// readFailure names why a body could not be read.
func readFailure(err error) string {
	var gzErr *gzipError
	switch {
	case errors.Is(err, errTooLarge):
		return "body too large"
	case errors.Is(err, errUnsupportedEncoding):
		return "unsupported content encoding"
	case errors.As(err, &gzErr):
		return "invalid or truncated gzip body"
	default:
		return "body could not be read in full"
	}
}
