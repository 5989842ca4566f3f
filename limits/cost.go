package limits

import (
	"math"

	"github.com/capedigital/cape-gateway/graph"
)

// Complexity returns the cost functions of the schema's fields. A field
// without one costs 1 plus what is selected inside it. A connection costs 1
// plus its page size times what is selected inside it, the page size being
// first as the resolvers apply it: 20 when absent, at most 100. A list without
// paging, usersByRole, is priced as a default-sized page.
func Complexity() graph.ComplexityRoot {
	var c graph.ComplexityRoot
	c.Query.Leads = connection
	c.Query.LeadCategories = connection
	c.Query.Sources = connection
	c.Query.Products = connection
	c.Query.Partners = connection
	c.Query.Users = func(child int, first *int, _, _, _, _ *string) int {
		return connection(child, first, nil)
	}
	c.Query.UsersByRole = func(child int, _ string) int {
		return connection(child, nil, nil)
	}
	return c
}

// connection prices a page of first records, each costing child.
func connection(child int, first *int, _ *string) int {
	return saturatingAdd(1, saturatingMul(pageSize(first), child))
}

// pageSize mirrors the resolvers' reading of first. A first below 1 is
// refused by the resolver before any upstream call, so it costs one record.
func pageSize(first *int) int {
	if first == nil {
		return graph.DefaultPageSize
	}
	return min(max(*first, 1), graph.MaxPageSize)
}

func saturatingMul(a, b int) int {
	if a <= 0 || b <= 0 {
		return 0
	}
	if a > math.MaxInt/b {
		return math.MaxInt
	}
	return a * b
}

func saturatingAdd(a, b int) int {
	if a > math.MaxInt-b {
		return math.MaxInt
	}
	return a + b
}
