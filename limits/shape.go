package limits

import (
	"github.com/vektah/gqlparser/v2/ast"
)

// shape is what the guard measures of an operation. Every count stops growing
// once the walk has seen enough to refuse the operation.
type shape struct {
	depth         int  // deepest field nesting; the root fields are at depth 1
	aliases       int  // fields whose response key differs from their name
	rootFields    int  // fields at depth 1, through fragments
	selections    int  // fields, fragment spreads and inline fragments visited
	introspection bool // __schema or __type is selected somewhere
}

// walker measures an operation with fragments expanded where they are spread.
// It stops descending past maxDepth and stops altogether past maxSelections,
// so a deeply nested operation or an exponential fragment fan-out costs no
// more than those bounds.
type walker struct {
	maxDepth      int
	maxSelections int
	s             shape
}

// measure walks op. It relies on validation having resolved every fragment
// spread and refused fragment cycles.
func measure(op *ast.OperationDefinition, maxDepth, maxSelections int) shape {
	w := walker{maxDepth: maxDepth, maxSelections: maxSelections}
	w.selectionSet(op.SelectionSet, 1)
	return w.s
}

// exhausted reports whether the walk has visited more than maxSelections.
func (w *walker) exhausted() bool { return w.s.selections > w.maxSelections }

func (w *walker) selectionSet(set ast.SelectionSet, depth int) {
	for _, sel := range set {
		if w.exhausted() {
			return
		}
		w.s.selections++

		switch s := sel.(type) {
		case *ast.Field:
			w.field(s, depth)
		case *ast.InlineFragment:
			w.selectionSet(s.SelectionSet, depth)
		case *ast.FragmentSpread:
			if s.Definition != nil {
				w.selectionSet(s.Definition.SelectionSet, depth)
			}
		}
	}
}

func (w *walker) field(f *ast.Field, depth int) {
	w.s.depth = max(w.s.depth, depth)
	if depth == 1 {
		w.s.rootFields++
	}
	if f.Alias != "" && f.Alias != f.Name {
		w.s.aliases++
	}
	if f.Name == "__schema" || f.Name == "__type" {
		w.s.introspection = true
	}
	if depth <= w.maxDepth {
		w.selectionSet(f.SelectionSet, depth+1)
	}
}
