package limits

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/capedigital/cape-gateway/limits/limitstest"

	"github.com/vektah/gqlparser/v2/ast"
	"github.com/vektah/gqlparser/v2/parser"
)

func parse(t *testing.T, query string) *ast.QueryDocument {
	t.Helper()
	doc, err := parser.ParseQuery(&ast.Source{Input: query})
	if err != nil {
		t.Fatal(err)
	}
	return doc
}

// manyFields is a document of n aliased fields; tag makes its text distinct.
func manyFields(n int, tag string) string {
	return limitstest.Aliased(n, "__typename") + " # " + tag
}

func TestDocumentCacheKeepsAndReturnsDocuments(t *testing.T) {
	ctx := context.Background()
	c := NewDocumentCache(10, 1<<20)
	q := `{ leads(first: 20) { nodes { id name } } }`
	doc := parse(t, q)
	c.Add(ctx, q, doc)
	got, ok := c.Get(ctx, q)
	if !ok || got != doc {
		t.Fatalf("Get = %p, %v; want the document added", got, ok)
	}
	if _, ok := c.Get(ctx, "{ other }"); ok {
		t.Error("Get found a query never added")
	}

	// Adding the same query again does not count it twice.
	used := c.Used()
	c.Add(ctx, q, doc)
	if c.Used() != used {
		t.Errorf("used = %d after adding again, want %d", c.Used(), used)
	}
}

// Many distinct large documents stay within the budget, however many entries
// the cache may hold: the oldest go first.
func TestDocumentCacheStaysWithinItsBudget(t *testing.T) {
	ctx := context.Background()
	const budget = 2 << 20
	c := NewDocumentCache(1000, budget)
	var last string
	for i := range 200 {
		last = manyFields(660, fmt.Sprint(i))
		c.Add(ctx, last, parse(t, last))
		if c.Used() > budget {
			t.Fatalf("after %d documents used = %d, over the budget of %d", i+1, c.Used(), budget)
		}
	}
	if c.lru.Len() >= 200 || c.lru.Len() == 0 {
		t.Errorf("holds %d documents, want some but not all 200", c.lru.Len())
	}
	if _, ok := c.Get(ctx, last); !ok {
		t.Error("the newest document was not kept")
	}
	if _, ok := c.Get(ctx, manyFields(660, "0")); ok {
		t.Error("the oldest document was kept")
	}
}

func TestDocumentCacheSkipsADocumentLargerThanItsBudget(t *testing.T) {
	ctx := context.Background()
	c := NewDocumentCache(10, 64<<10)
	small := `{ me { id } }`
	c.Add(ctx, small, parse(t, small))
	big := manyFields(1000, "big")
	c.Add(ctx, big, parse(t, big))
	if _, ok := c.Get(ctx, big); ok {
		t.Error("a document over the whole budget was kept")
	}
	if _, ok := c.Get(ctx, small); !ok {
		t.Error("adding an oversized document evicted a small one")
	}
}

// The estimate is at least what parsing and validating take, measured at
// about 281 KB for 660 aliased fields, 437 KB for a list of 1,970 values and
// 190 KB for 180 inline fragments with a directive each, and not far above it.
func TestDocumentSizeEstimate(t *testing.T) {
	tests := []struct {
		name     string
		query    string
		measured int
	}{
		{"aliased fields", manyFields(660, ""), 281_000},
		{"values in a list", `mutation Mi { createLead(input: {name: "x", productIds: [` +
			strings.Repeat(`"a",`, 1970) + `]}) { id } }`, 437_000},
		{"directives on inline fragments", `{ ` +
			strings.Repeat(`... @include(if: true) { __typename } `, 180) + `}`, 190_000},
	}
	for _, tt := range tests {
		size := documentSize(tt.query, parse(t, tt.query))
		if size < tt.measured || size > 5*tt.measured {
			t.Errorf("%s: estimate %d bytes, want between %d and %d", tt.name, size,
				tt.measured, 5*tt.measured)
		}
	}
}
