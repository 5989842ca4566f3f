package graph

import (
	"errors"
	"testing"
)

func intPtr(n int) *int       { return &n }
func strPtr(s string) *string { return &s }

func TestNewRequest(t *testing.T) {
	tests := []struct {
		name      string
		first     *int
		after     *string
		wantFirst int
		wantSize  int
		wantErr   string
	}{
		{name: "defaults to twenty from the start", wantFirst: 20, wantSize: 20},
		{name: "caps first at the upstream page size", first: intPtr(500), wantFirst: 100, wantSize: 100},
		{name: "refuses zero", first: intPtr(0), wantErr: "first must be at least 1"},
		{name: "refuses a negative first", first: intPtr(-3), wantErr: "first must be at least 1"},
		{name: "refuses a cursor it did not issue", after: strPtr("bm9wZQ"), wantErr: "after is not a cursor this API issued"},
		{name: "refuses text that is not base64", after: strPtr("%%%"), wantErr: "after is not a cursor this API issued"},
		{
			name: "asks for the skipped records too", first: intPtr(10),
			after: strPtr(position{upstream: "abc", skip: 5}.encode()), wantFirst: 10, wantSize: 15,
		},
		{
			name: "never asks the upstream for more than its page size", first: intPtr(100),
			after: strPtr(position{upstream: "abc", skip: 40}.encode()), wantFirst: 100, wantSize: 100,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r, err := newRequest(tt.first, tt.after)
			if tt.wantErr != "" {
				var inErr *InputError
				if !errors.As(err, &inErr) || err.Error() != tt.wantErr {
					t.Fatalf("err = %v, want InputError %q", err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatalf("err = %v", err)
			}
			if r.first != tt.wantFirst || r.size != tt.wantSize {
				t.Errorf("first, size = %d, %d; want %d, %d", r.first, r.size, tt.wantFirst, tt.wantSize)
			}
		})
	}
}

func TestCursorRoundTrip(t *testing.T) {
	for _, p := range []position{{}, {upstream: "cD0yMDI2", skip: 7}, {upstream: "a:b:c", skip: 0}} {
		enc := p.encode()
		got, err := decodeCursor(&enc)
		if err != nil || got != p {
			t.Errorf("decode(encode(%+v)) = %+v, %v", p, got, err)
		}
	}
}

func TestCut(t *testing.T) {
	t.Run("the last record of a full page points at the upstream's next page", func(t *testing.T) {
		r, _ := newRequest(intPtr(3), nil)
		w := r.cut(3, "NEXT", "")
		if w.start != 0 || w.end != 3 {
			t.Fatalf("window = %d..%d, want 0..3", w.start, w.end)
		}
		if got, want := *w.info.EndCursor, (position{upstream: "NEXT"}).encode(); got != want {
			t.Errorf("endCursor = %q, want the next page's cursor %q", got, want)
		}
		if !w.info.HasNextPage || w.info.HasPreviousPage {
			t.Errorf("hasNext, hasPrevious = %v, %v; want true, false", w.info.HasNextPage, w.info.HasPreviousPage)
		}
	})

	t.Run("a cursor inside a page skips what was already seen", func(t *testing.T) {
		after := position{upstream: "P", skip: 2}.encode()
		r, _ := newRequest(intPtr(2), &after)
		w := r.cut(4, "", "PREV")
		if w.start != 2 || w.end != 4 {
			t.Fatalf("window = %d..%d, want 2..4", w.start, w.end)
		}
		if got, want := w.cursors[0], (position{upstream: "P", skip: 3}).encode(); got != want {
			t.Errorf("first cursor = %q, want %q", got, want)
		}
		if w.info.HasNextPage || !w.info.HasPreviousPage {
			t.Errorf("hasNext, hasPrevious = %v, %v; want false, true", w.info.HasNextPage, w.info.HasPreviousPage)
		}
	})

	t.Run("an empty page has no cursors", func(t *testing.T) {
		r, _ := newRequest(nil, nil)
		w := r.cut(0, "", "")
		if w.info.StartCursor != nil || w.info.EndCursor != nil || w.info.HasNextPage {
			t.Errorf("pageInfo = %+v, want no cursors and no next page", w.info)
		}
	})
}
