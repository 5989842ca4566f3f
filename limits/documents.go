package limits

import (
	"context"
	"sync"

	"github.com/99designs/gqlgen/graphql"
	"github.com/hashicorp/golang-lru/v2/simplelru"
	"github.com/vektah/gqlparser/v2/ast"
)

// DocumentCache keeps parsed documents so that a query sent again is not
// parsed again. It is bounded by an estimate of the memory its documents take
// as well as by their number: the executor caches a document before the
// limits see it, and a document at the token limit made of many short fields
// parses into a few hundred kilobytes, so a count alone would let distinct
// large documents, even refused ones, hold hundreds of megabytes.
type DocumentCache struct {
	mu     sync.Mutex
	lru    *simplelru.LRU[string, cachedDocument]
	used   int // estimated bytes of the documents held
	budget int
}

type cachedDocument struct {
	doc  *ast.QueryDocument
	size int
}

var _ graphql.Cache[*ast.QueryDocument] = (*DocumentCache)(nil)

// NewDocumentCache returns a cache of at most entries documents taking about
// budget bytes at most.
func NewDocumentCache(entries, budget int) *DocumentCache {
	c := &DocumentCache{budget: budget}
	c.lru, _ = simplelru.NewLRU(max(entries, 1), func(_ string, d cachedDocument) {
		c.used -= d.size
	})
	return c
}

// Get implements graphql.Cache.
func (c *DocumentCache) Get(_ context.Context, query string) (*ast.QueryDocument, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	d, ok := c.lru.Get(query)
	return d.doc, ok
}

// Add implements graphql.Cache. A document larger than the whole budget is
// not kept; otherwise the least recently used ones make room for it.
func (c *DocumentCache) Add(_ context.Context, query string, doc *ast.QueryDocument) {
	size := documentSize(query, doc)
	if size > c.budget {
		return
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if old, ok := c.lru.Peek(query); ok {
		c.used -= old.size
	}
	c.lru.Add(query, cachedDocument{doc: doc, size: size})
	c.used += size
	for c.used > c.budget {
		c.lru.RemoveOldest()
	}
}

// Used is the estimated size of the documents held, in bytes.
func (c *DocumentCache) Used() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.used
}

// bytesPerNode is a little over what a node of a parsed and validated
// document takes: about 430 bytes for a field, 220 for a value in a list,
// measured on documents made of many of one kind.
const bytesPerNode = 450

// documentSize estimates the memory a parsed document and its key take, from
// the number of its nodes: operations, variables, fields, fragments, spreads,
// directives, arguments and every value in them, default values included.
func documentSize(query string, doc *ast.QueryDocument) int {
	var n nodeCount
	for _, op := range doc.Operations {
		n++
		n.directives(op.Directives)
		for _, v := range op.VariableDefinitions {
			n++
			n.value(v.DefaultValue)
			n.directives(v.Directives)
		}
		n.selections(op.SelectionSet)
	}
	for _, f := range doc.Fragments {
		n++
		n.directives(f.Directives)
		n.selections(f.SelectionSet)
	}
	return len(query) + int(n)*bytesPerNode
}

// nodeCount counts the nodes of a document.
type nodeCount int

func (n *nodeCount) selections(set ast.SelectionSet) {
	for _, sel := range set {
		*n++
		switch s := sel.(type) {
		case *ast.Field:
			n.arguments(s.Arguments)
			n.directives(s.Directives)
			n.selections(s.SelectionSet)
		case *ast.InlineFragment:
			n.directives(s.Directives)
			n.selections(s.SelectionSet)
		case *ast.FragmentSpread:
			n.directives(s.Directives)
		}
	}
}

func (n *nodeCount) directives(list ast.DirectiveList) {
	for _, d := range list {
		*n++
		n.arguments(d.Arguments)
	}
}

func (n *nodeCount) arguments(list ast.ArgumentList) {
	for _, a := range list {
		*n++
		n.value(a.Value)
	}
}

func (n *nodeCount) value(v *ast.Value) {
	if v == nil {
		return
	}
	*n++
	for _, c := range v.Children {
		n.value(c.Value)
	}
}
