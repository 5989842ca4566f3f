package graph

import (
	"strings"
	"testing"
)

func TestCursorsRoundTripWhateverTheUpstreamCursorLength(t *testing.T) {
	tests := []struct {
		name string
		p    position
	}{
		{name: "first page", p: position{skip: 3}},
		{name: "short upstream cursor", p: position{upstream: "cD0y", skip: 99}},
		{
			name: "cursor longer than the stack buffer",
			p:    position{upstream: strings.Repeat("x", 300), skip: 7},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cursor := tt.p.encode()
			got, err := decodeCursor(&cursor)
			if err != nil || got != tt.p {
				t.Errorf("decodeCursor(encode(%+v)) = %+v, %v", tt.p, got, err)
			}
		})
	}
}
