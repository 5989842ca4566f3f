package graph

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"testing"
)

func jsonBody(t *testing.T, query string) io.Reader {
	t.Helper()
	raw, err := json.Marshal(map[string]string{"query": query})
	if err != nil {
		t.Fatal(err)
	}
	return bytes.NewReader(raw)
}

func jsonText(v any) string {
	if f, ok := v.(float64); ok {
		return fmt.Sprint(int(f))
	}
	return fmt.Sprint(v)
}
